/*
 * The request channel from tracer workers to vfsd. Worker w owns request
 * slot w and is the only producer on ring w; vfsd is the only consumer of
 * every ring. A worker has at most one request out, so its ring never
 * fills; the ring still tells vfsd which slots to look at without scanning
 * every request's state.
 *
 * Both sides sleep on futexes in the shared mapping, so the futexes are
 * shared ones (no FUTEX_PRIVATE_FLAG). Every wait has a timeout: a worker
 * notices a dead vfsd (vfsd_state 2, set by the CLI) and vfsd notices its
 * stop flag even when no wake ever comes.
 *
 * Ordering: the request's fields are written before the release store of
 * POSTED and the enqueue; vfsd reads them after the dequeue. The result is
 * written before the release store of DONE; the worker reads it after it
 * sees DONE. The doorbell is bumped after the enqueue, and vfsd samples it
 * before scanning, so a post that its scan missed changes the value it
 * waits on and FUTEX_WAIT returns at once.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <limits.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <ck_pr.h>
#include "../tracer/log.h"
#include "shm.h"

#define SHM_WAIT_NS (100 * 1000 * 1000L)

/* A request is mostly answered, and the next one posted, within tens of
 * microseconds, while falling asleep on a futex and being woken on another
 * CPU costs as much again on a VM: both sides poll that long first.
 * FUSS_SPIN_US sets it, as for the workers' polling (0: never). */
#define SHM_SPIN_NS_DEFAULT (30 * 1000L)

long shm_spin_env_ns(long dflt)
{
	const char *e = getenv("FUSS_SPIN_US");
	long v = e && *e ? atol(e) * 1000 : dflt;

	return v < 0 ? 0 : v;
}

static long spin_ns(void)
{
	static long ns = -1;
	long v = __atomic_load_n(&ns, __ATOMIC_RELAXED);

	if (v < 0) {
		v = shm_spin_env_ns(SHM_SPIN_NS_DEFAULT);
		__atomic_store_n(&ns, v, __ATOMIC_RELAXED);
	}
	return v;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Poll *word while it equals val, for up to spin_ns(): true when it moved. */
static bool spin_while(const uint32_t *word, uint32_t val)
{
	long limit = spin_ns();
	uint64_t t0;

	if (!limit)
		return false;
	t0 = mono_ns();
	do {
		for (int i = 0; i < 64; i++) {
			if (ck_pr_load_32(word) != val)
				return true;
			ck_pr_stall();
		}
	} while (mono_ns() - t0 < (uint64_t)limit);
	return false;
}

static void futex_wait(uint32_t *word, uint32_t val)
{
	struct timespec ts = { 0, SHM_WAIT_NS };

	/* EAGAIN (value moved), EINTR and ETIMEDOUT all mean "look again". */
	syscall(SYS_futex, word, FUTEX_WAIT, val, &ts, NULL, 0);
}

static void futex_wake(uint32_t *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

static struct shm_worker *shm_worker(const struct shm_region *r, uint32_t w)
{
	const struct shm_hdr *hdr = r->hdr;

	if (w >= hdr->nworkers)
		return NULL;
	return shm_ptr(r, hdr->workers_off + (uint64_t)w * sizeof(struct shm_worker),
		       sizeof(struct shm_worker));
}

/* Any process. */
struct shm_req *shm_worker_req(const struct shm_region *r, uint32_t w)
{
	struct shm_worker *wk = shm_worker(r, w);

	return wk ? &wk->req : NULL;
}

static bool vfsd_gone(const struct shm_hdr *hdr)
{
	return ck_pr_load_32(&hdr->vfsd_state) == SHM_VFSD_GONE;
}

/* Worker w only. */
int shm_req_call(struct shm_region *r, uint32_t w)
{
	struct shm_worker *wk = shm_worker(r, w);
	struct shm_hdr *hdr = r->hdr;
	struct shm_req *req;
	uint32_t state;
	int result;

	if (!wk)
		return -EINVAL;
	if (vfsd_gone(hdr))
		return -EIO;
	req = &wk->req;
	ck_pr_fence_release();
	ck_pr_store_32(&req->state, SHM_REQ_POSTED);
	/* +1 so that no entry is NULL. */
	if (!ck_ring_enqueue_spsc(&wk->ring, wk->ring_buf, (void *)(uintptr_t)(w + 1))) {
		/* Only a request abandoned to a dead vfsd can still be queued. */
		ck_pr_store_32(&req->state, SHM_REQ_IDLE);
		return -EBUSY;
	}
	ck_pr_inc_32(&hdr->doorbell);
	futex_wake(&hdr->doorbell);

	spin_while(&req->state, SHM_REQ_POSTED);
	while ((state = ck_pr_load_32(&req->state)) == SHM_REQ_POSTED) {
		/* The request stays POSTED: vfsd is gone and nobody takes it. */
		if (vfsd_gone(hdr))
			return -EIO;
		futex_wait(&req->state, SHM_REQ_POSTED);
	}
	ck_pr_fence_acquire();
	result = ck_pr_load_int(&req->result);
	ck_pr_store_32(&req->state, SHM_REQ_IDLE);
	if (state != SHM_REQ_DONE)
		return -EIO;
	return result;
}

/* vfsd only: the next worker index from any ring, or -1 when all are
 * empty. Rings are scanned round-robin from where the last scan stopped,
 * so a busy low-numbered worker cannot starve the others. */
static int req_scan(struct shm_region *r)
{
	static uint32_t cursor;
	uint32_t n = r->hdr->nworkers;

	for (uint32_t k = 0; k < n; k++) {
		uint32_t w = (cursor + k) % n;
		struct shm_worker *wk = shm_worker(r, w);
		void *v;

		if (!wk || !ck_ring_dequeue_spsc(&wk->ring, wk->ring_buf, &v))
			continue;
		cursor = w + 1;
		if ((uintptr_t)v != (uintptr_t)w + 1) {
			fuss_warn("shm: ring %u holds %#lx, dropped", w, (unsigned long)(uintptr_t)v);
			continue;
		}
		ck_pr_fence_acquire();
		return (int)w;
	}
	return -1;
}

/* vfsd only (one request loop). */
int shm_req_next(struct shm_region *r, bool wait, volatile int *stop)
{
	uint32_t seen;
	int w;

	for (;;) {
		seen = ck_pr_load_32(&r->hdr->doorbell);
		ck_pr_fence_load();
		w = req_scan(r);
		if (w >= 0 || !wait || (stop && *stop) || shm_vfsd_stopping(r))
			return w;
		if (!spin_while(&r->hdr->doorbell, seen))
			futex_wait(&r->hdr->doorbell, seen);
	}
}

/* CLI only: a request to stop that needs no signal handler to run (a
 * sanitizer may hold a handler back until its next intercepted call). */
void shm_vfsd_stop(struct shm_region *r)
{
	/* only a running vfsd: a dead one stays "gone" for the CLI's report */
	if (!ck_pr_cas_32(&r->hdr->vfsd_state, SHM_VFSD_READY, SHM_VFSD_STOP))
		return;
	ck_pr_inc_32(&r->hdr->doorbell);
	futex_wake(&r->hdr->doorbell);
}

bool shm_vfsd_stopping(const struct shm_region *r)
{
	return ck_pr_load_32(&r->hdr->vfsd_state) == SHM_VFSD_STOP;
}

/* vfsd only. */
void shm_req_done(struct shm_region *r, uint32_t w, int result)
{
	struct shm_req *req = shm_worker_req(r, w);

	if (!req)
		return;
	ck_pr_store_int(&req->result, result);
	ck_pr_fence_release();
	ck_pr_store_32(&req->state, SHM_REQ_DONE);
	futex_wake(&req->state);
}
