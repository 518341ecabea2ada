/*
 * The table of traced threads (rculfhash keyed by tid, shared by all
 * workers: lookups are lock-free; each worker inserts and deletes only its
 * own tracees) and address-space records with their scratch slots.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "audit.h"
#include "log.h"
#include "worker.h"

static int thread_match(struct cds_lfht_node *node, const void *key)
{
	const struct tr_thread *t = caa_container_of(node, struct tr_thread, node);

	return t->tid == *(const pid_t *)key;
}

static unsigned long tid_hash(pid_t tid)
{
	uint64_t x = (uint64_t)(uint32_t)tid * 0x9e3779b97f4a7c15ull;

	return (unsigned long)(x >> 17);
}

int tr_threads_init(void)
{
	tr.threads = cds_lfht_new(1024, 1024, 0, CDS_LFHT_AUTO_RESIZE, NULL);
	return tr.threads ? 0 : -ENOMEM;
}

struct tr_thread *tr_thread_find(pid_t tid)
{
	struct cds_lfht_iter it;
	struct cds_lfht_node *node;

	cds_lfht_lookup(tr.threads, tid_hash(tid), thread_match, &tid, &it);
	node = cds_lfht_iter_get_node(&it);
	return node ? caa_container_of(node, struct tr_thread, node) : NULL;
}

struct tr_thread *tr_thread_add(pid_t tid, int worker)
{
	struct tr_thread *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->tid = tid;
	t->worker = worker;
	t->slot = -1;
	cds_lfht_node_init(&t->node);
	cds_lfht_add(tr.threads, tid_hash(tid), &t->node);
	__atomic_add_fetch(&tr.live, 1, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&tr.workers[worker].load, 1, __ATOMIC_RELAXED);
	return t;
}

static void thread_free_rcu(struct rcu_head *head)
{
	struct tr_thread *t = caa_container_of(head, struct tr_thread, rcu);

	tr_audit_free(t);
	free(t);
}

void tr_thread_unlink(struct tr_thread *t)
{
	cds_lfht_del(tr.threads, &t->node);
}

void tr_thread_free(struct tr_thread *t)
{
	tr_thread_release_slot(t);
	if (t->mm)
		tr_mm_put(t->mm);
	t->mm = NULL;
	__atomic_sub_fetch(&tr.workers[t->worker].load, 1, __ATOMIC_RELAXED);
	call_rcu(&t->rcu, thread_free_rcu);
	__atomic_sub_fetch(&tr.live, 1, __ATOMIC_SEQ_CST);
}

void tr_thread_del(struct tr_thread *t)
{
	tr_thread_unlink(t);
	tr_thread_free(t);
}

struct tr_mm *tr_mm_new(void)
{
	struct tr_mm *mm = calloc(1, sizeof(*mm));

	if (!mm)
		return NULL;
	mm->refs = 1;
	pthread_mutex_init(&mm->lock, NULL);
	return mm;
}

struct tr_mm *tr_mm_get(struct tr_mm *mm)
{
	__atomic_add_fetch(&mm->refs, 1, __ATOMIC_RELAXED);
	return mm;
}

void tr_mm_put(struct tr_mm *mm)
{
	if (__atomic_sub_fetch(&mm->refs, 1, __ATOMIC_ACQ_REL) == 0) {
		pthread_mutex_destroy(&mm->lock);
		free(mm->exe);
		free(mm);
	}
}

struct tr_mm *tr_mm_fork(const struct tr_mm *parent)
{
	struct tr_mm *mm = tr_mm_new();

	/* fork() copies the mapping to the same address; the child's one
	 * thread starts with no slot. */
	if (mm && parent)
		mm->scratch = __atomic_load_n(&parent->scratch, __ATOMIC_ACQUIRE);
	return mm;
}

void tr_thread_release_slot(struct tr_thread *t)
{
	if (t->slot < 0 || !t->mm)
		return;
	pthread_mutex_lock(&t->mm->lock);
	t->mm->slots[t->slot / 64] &= ~(1ull << (t->slot % 64));
	pthread_mutex_unlock(&t->mm->lock);
	t->slot = -1;
}
