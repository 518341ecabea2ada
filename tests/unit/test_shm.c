/*
 * Unit tests for shm/region.c and shm/ring.c: the segment as seen from two
 * processes, attach's refusals, shm_ptr's bounds and the request channel
 * between worker threads here and a forked process playing vfsd.
 *
 * Children never call cmocka: they report through their exit status, and
 * every process is forked before this one starts a thread.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <ck_pr.h>
#include "../../shm/shm.h"
#include "../../tracer/log.h"

static void region_new(struct shm_region *r, uint32_t nslots, uint32_t nworkers)
{
	struct shm_params p = { .dcache_nslots = nslots, .nworkers = nworkers };

	assert_int_equal(shm_region_create(r, &p), 0);
}

static int child_status(pid_t pid)
{
	int st;

	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A new memfd holding the first `size` bytes of r's segment. */
static int region_clone(const struct shm_region *r, size_t size)
{
	int fd = memfd_create("test-shm", 0);

	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)size), 0);
	assert_int_equal(pwrite(fd, r->base, size < r->size ? size : r->size, 0),
			 (ssize_t)(size < r->size ? size : r->size));
	return fd;
}

/* --- region ------------------------------------------------------------ */

static void test_shm_region_create_fills_header(void **state)
{
	struct shm_region r;
	struct shm_dent *root;

	(void)state;
	region_new(&r, 100, 3);
	assert_int_equal(r.hdr->magic, SHM_MAGIC);
	assert_int_equal(r.hdr->version, SHM_VERSION);
	assert_int_equal(r.hdr->hdr_size, sizeof(struct shm_hdr));
	assert_int_equal(r.hdr->region_size, r.size);
	assert_int_equal(r.hdr->dcache_nslots, 128);
	assert_int_equal(r.hdr->nworkers, 3);
	assert_int_equal(r.hdr->worker_size, sizeof(struct shm_worker));
	assert_int_equal(r.hdr->vfsd_state, 0);
	assert_int_equal(r.hdr->dcache_used, 1);
	root = shm_ptr(&r, r.hdr->dcache_off, sizeof(*root));
	assert_non_null(root);
	assert_int_equal(root->state, SHM_DENT_USED);
	assert_int_equal(root->gen, 1);
	assert_int_equal(root->parent, 0);
	assert_int_equal(root->layer, SHM_LAYER_NONE);
	assert_int_equal(root->namelen, 0);
	assert_int_equal(root->name[0], '\0');
	for (uint32_t w = 0; w < 3; w++)
		assert_int_equal(shm_worker_req(&r, w)->state, SHM_REQ_IDLE);
	shm_region_detach(&r);
}

static void test_shm_region_create_bad_params(void **state)
{
	struct shm_params p = { .nworkers = 0 };
	struct shm_region r;

	(void)state;
	assert_int_equal(shm_region_create(&r, &p), -EINVAL);
	p.nworkers = SHM_MAX_WORKERS + 1;
	assert_int_equal(shm_region_create(&r, &p), -EINVAL);
	p.nworkers = 1;
	p.dcache_nslots = UINT32_MAX;
	assert_int_equal(shm_region_create(&r, &p), -EINVAL);
}

/* The child attaches the inherited memfd, checks what the parent wrote and
 * writes back; each side must see the other's bytes. */
static void test_shm_region_attach_in_child(void **state)
{
	struct shm_region r;
	pid_t pid;

	(void)state;
	region_new(&r, 0, 2);
	r.hdr->stat_lookups = 1234;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct shm_region c;
		int bad = 0;

		if (shm_region_attach(&c, r.fd) != 0)
			_exit(10);
		bad |= c.size != r.size;
		bad |= c.fd == r.fd;
		bad |= c.hdr->stat_lookups != 1234;
		bad |= c.hdr->nworkers != 2;
		bad |= shm_worker_req(&c, 1) == NULL;
		shm_worker_req(&c, 1)->pid = 4321;
		c.hdr->stat_copyups = 99;
		shm_region_detach(&c);
		_exit(bad ? 11 : 0);
	}
	assert_int_equal(child_status(pid), 0);
	assert_int_equal(r.hdr->stat_copyups, 99);
	assert_int_equal(shm_worker_req(&r, 1)->pid, 4321);
	/* The memfd is sealed: nobody can shrink it under another mapping. */
	assert_int_equal(ftruncate(r.fd, 4096), -1);
	shm_region_detach(&r);
}

static void test_shm_region_attach_bad_magic(void **state)
{
	struct shm_region r, a;

	(void)state;
	region_new(&r, 0, 1);
	r.hdr->magic ^= 1;
	assert_int_equal(shm_region_attach(&a, r.fd), -EPROTO);
	r.hdr->magic ^= 1;
	assert_int_equal(shm_region_attach(&a, r.fd), 0);
	shm_region_detach(&a);
	shm_region_detach(&r);
}

static void test_shm_region_attach_bad_version(void **state)
{
	struct shm_region r, a;

	(void)state;
	region_new(&r, 0, 1);
	r.hdr->version = SHM_VERSION + 1;
	assert_int_equal(shm_region_attach(&a, r.fd), -EPROTO);
	shm_region_detach(&r);
}

static void test_shm_region_attach_bad_layout(void **state)
{
	struct shm_region r, a;
	struct shm_hdr saved;

	(void)state;
	region_new(&r, 64, 2);
	saved = *r.hdr;

	r.hdr->hdr_size = 64;
	assert_int_equal(shm_region_attach(&a, r.fd), -EPROTO);
	*r.hdr = saved;
	r.hdr->worker_size = 8;
	assert_int_equal(shm_region_attach(&a, r.fd), -EPROTO);
	*r.hdr = saved;
	r.hdr->dcache_nslots = 48;
	assert_int_equal(shm_region_attach(&a, r.fd), -EPROTO);
	*r.hdr = saved;
	r.hdr->nworkers = 0;
	assert_int_equal(shm_region_attach(&a, r.fd), -EPROTO);
	*r.hdr = saved;
	r.hdr->workers_off = r.size - 64;
	assert_int_equal(shm_region_attach(&a, r.fd), -EPROTO);
	*r.hdr = saved;
	r.hdr->workers_off = UINT64_MAX - 63;
	assert_int_equal(shm_region_attach(&a, r.fd), -EPROTO);
	*r.hdr = saved;
	/* Workers overlapping the dcache. */
	r.hdr->workers_off = r.hdr->dcache_off;
	assert_int_equal(shm_region_attach(&a, r.fd), -EPROTO);
	*r.hdr = saved;
	r.hdr->dcache_off = 8;
	assert_int_equal(shm_region_attach(&a, r.fd), -EPROTO);
	*r.hdr = saved;
	((struct shm_worker *)((char *)r.base + r.hdr->workers_off))[1].ring.size = 1024;
	assert_int_equal(shm_region_attach(&a, r.fd), -EPROTO);
	shm_region_detach(&r);
}

static void test_shm_region_attach_truncated(void **state)
{
	struct shm_region r, a;
	int fd;

	(void)state;
	region_new(&r, 0, 1);
	fd = region_clone(&r, r.size - 4096);
	assert_int_equal(shm_region_attach(&a, fd), -EINVAL);
	close(fd);
	fd = region_clone(&r, sizeof(struct shm_hdr) - 1);
	assert_int_equal(shm_region_attach(&a, fd), -EINVAL);
	close(fd);
	fd = region_clone(&r, r.size);
	assert_int_equal(shm_region_attach(&a, fd), 0);
	shm_region_detach(&a);
	close(fd);
	shm_region_detach(&r);
}

static void test_shm_ptr_bounds(void **state)
{
	struct shm_region r;

	(void)state;
	region_new(&r, 0, 1);
	assert_ptr_equal(shm_ptr(&r, 0, 0), r.base);
	assert_ptr_equal(shm_ptr(&r, 0, r.size), r.base);
	assert_ptr_equal(shm_ptr(&r, r.size - 1, 1), (char *)r.base + r.size - 1);
	assert_null(shm_ptr(&r, 0, r.size + 1));
	assert_null(shm_ptr(&r, r.size, 0));
	assert_null(shm_ptr(&r, r.size - 1, 2));
	assert_null(shm_ptr(&r, UINT64_MAX, 1));
	assert_null(shm_ptr(&r, 1, SIZE_MAX));
	assert_null(shm_ptr(&r, UINT64_MAX - 1, 2));
	shm_region_detach(&r);
	assert_null(shm_ptr(&r, 0, 0));
}

static void test_shm_worker_req_out_of_range(void **state)
{
	struct shm_region r;

	(void)state;
	region_new(&r, 0, 2);
	assert_non_null(shm_worker_req(&r, 0));
	assert_non_null(shm_worker_req(&r, 1));
	assert_ptr_not_equal(shm_worker_req(&r, 0), shm_worker_req(&r, 1));
	assert_null(shm_worker_req(&r, 2));
	assert_null(shm_worker_req(&r, UINT32_MAX));
	shm_region_detach(&r);
}

/* --- request channel ---------------------------------------------------- */

/*
 * Request channel torture: RING_WORKERS threads here, each a worker index
 * of its own as the tracer's workers are, post requests concurrently with
 * shm_req_call to a forked process playing vfsd. Every request carries a
 * per-worker sequence number and a nonce, and its path is spelled from
 * (worker, nonce) at a length that varies; the server checks that the slot
 * it dequeued is posted, belongs to the ring it came from, is the next one
 * that worker sends (nothing lost, nothing served twice) and reads back
 * exactly as written, then answers a function of all of it. A worker
 * accepts only the answer to its own request.
 */
#if defined(__SANITIZE_THREAD__)
#define RING_SLOW 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define RING_SLOW 1
#endif
#endif

#define RING_WORKERS 8
#ifdef RING_SLOW
#define RING_CALLS 1000   /* per worker */
#else
#define RING_CALLS 16000
#endif

/* Shared with the fake vfsd; it writes everything but `stop`. */
struct ring_ctl {
	int stop;
	uint32_t served[RING_WORKERS];
	uint32_t bad[RING_WORKERS];
	int first_bad_line;
};

static uint64_t ring_mix(uint64_t x)
{
	x ^= x >> 31;
	x *= 0x7fb5d329728ea185ull;
	x ^= x >> 27;
	x *= 0x81dadef4bc2dd44dull;
	x ^= x >> 33;
	return x;
}

/* The path of request (w, nonce): 20 to ~700 bytes. */
static int ring_path(char *buf, uint32_t w, uint64_t nonce)
{
	int n = snprintf(buf, SHM_PATH_MAX, "w%u/%016llx", w, (unsigned long long)nonce);
	int want = n + (int)(nonce % 683);

	for (; n < want; n++)
		buf[n] = (char)('a' + (nonce >> (n % 48)) % 26);
	buf[n] = '\0';
	return n;
}

static enum shm_op ring_op(uint64_t nonce)
{
	return (enum shm_op)(SHM_OP_LOOKUP + nonce % (SHM_OP_MAX - SHM_OP_LOOKUP));
}

/* What the server answers: never negative, so never taken for an error. */
static int ring_answer(uint32_t w, uint64_t seq, uint64_t nonce)
{
	return (int)(ring_mix(nonce ^ seq << 40 ^ w) & 0x3fffffff);
}

#define RCHECK(cond)                                           \
	do {                                                   \
		if (!(cond)) {                                 \
			ctl->bad[w]++;                         \
			if (!ctl->first_bad_line)              \
				ctl->first_bad_line = __LINE__; \
			return -EPROTO;                        \
		}                                              \
	} while (0)

/* The fake vfsd's handling of worker w's request. */
static int ring_serve(struct shm_region *r, struct ring_ctl *ctl, uint32_t w, uint64_t *next)
{
	struct shm_req *req = shm_worker_req(r, w);
	static char want[SHM_PATH_MAX];
	int len;

	RCHECK(req && ck_pr_load_32(&req->state) == SHM_REQ_POSTED);
	RCHECK(req->arg2 == w && req->pid == 1000 + w);
	RCHECK(req->arg0 == next[w]);
	next[w]++;
	len = ring_path(want, w, req->arg1);
	RCHECK(req->op == (uint32_t)ring_op(req->arg1));
	RCHECK(req->path_len == (uint32_t)len && memcmp(req->path, want, (size_t)len + 1) == 0);
	RCHECK(req->path2_len == 0 && req->path2[0] == '\0');
	return ring_answer(w, req->arg0, req->arg1);
}

/* Runs in the forked child until ctl->stop. */
static int ring_server(struct shm_region *r, struct ring_ctl *ctl)
{
	static uint64_t next[RING_WORKERS];
	uint32_t total = 0;
	int w;

	ck_pr_store_32(&r->hdr->vfsd_state, 1);
	for (;;) {
		w = shm_req_next(r, true, &ctl->stop);
		if (w < 0) {
			if (ck_pr_load_int(&ctl->stop))
				break;
			continue;
		}
		if (w >= RING_WORKERS) {
			ctl->first_bad_line = __LINE__;
			return 1;
		}
		shm_req_done(r, (uint32_t)w, ring_serve(r, ctl, (uint32_t)w, next));
		ctl->served[w]++;
		total++;
		/* Now and then a slow answer, so that requests queue up. */
		if (total % 64 == 0)
			sched_yield();
	}
	return total == RING_WORKERS * RING_CALLS ? 0 : 1;
}

struct ring_worker {
	struct shm_region *r;
	uint32_t w;
	uint32_t bad;
	int64_t max_ms;
};

static void *ring_worker_main(void *p)
{
	struct ring_worker *a = p;
	struct shm_req *req = shm_worker_req(a->r, a->w);
	uint64_t seed = ring_mix(0x5eed0000ull + a->w);

	for (uint64_t i = 0; i < RING_CALLS; i++) {
		uint64_t nonce = ring_mix(seed ^ i);
		int64_t t0 = now_ms();
		int res;

		memset(&req->creds, 0, sizeof(req->creds));
		req->op = ring_op(nonce);
		req->pid = 1000 + a->w;
		req->arg0 = i;
		req->arg1 = nonce;
		req->arg2 = a->w;
		req->path_len = (uint32_t)ring_path(req->path, a->w, nonce);
		req->path2[0] = '\0';
		req->path2_len = 0;
		res = shm_req_call(a->r, a->w);
		if (res != ring_answer(a->w, i, nonce) ||
		    ck_pr_load_32(&req->state) != SHM_REQ_IDLE)
			a->bad++;
		if (now_ms() - t0 > a->max_ms)
			a->max_ms = now_ms() - t0;
	}
	return NULL;
}

static void test_shm_req_call_torture_workers(void **state)
{
	struct ring_worker args[RING_WORKERS];
	pthread_t th[RING_WORKERS];
	struct shm_region r;
	struct ring_ctl *ctl;
	uint32_t bad = 0, served = 0;
	int64_t t0, max_ms = 0;
	pid_t pid;

	(void)state;
	region_new(&r, 0, RING_WORKERS);
	ctl = mmap(NULL, sizeof(*ctl), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(ctl != MAP_FAILED);
	memset(ctl, 0, sizeof(*ctl));
	t0 = now_ms();
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(ring_server(&r, ctl));
	for (uint32_t w = 0; w < RING_WORKERS; w++) {
		args[w] = (struct ring_worker){ .r = &r, .w = w };
		assert_int_equal(pthread_create(&th[w], NULL, ring_worker_main, &args[w]), 0);
	}
	for (uint32_t w = 0; w < RING_WORKERS; w++) {
		assert_int_equal(pthread_join(th[w], NULL), 0);
		bad += args[w].bad;
		if (args[w].max_ms > max_ms)
			max_ms = args[w].max_ms;
	}
	ck_pr_store_int(&ctl->stop, 1);
	assert_int_equal(child_status(pid), 0);
	for (uint32_t w = 0; w < RING_WORKERS; w++) {
		served += ctl->served[w];
		bad += ctl->bad[w];
	}
	print_message("ring torture: %u requests from %u workers, %u bad, slowest %lld ms "
		      "(%.1f s)\n", served, RING_WORKERS, bad, (long long)max_ms,
		      (double)(now_ms() - t0) / 1000);
	if (ctl->first_bad_line)
		fail_msg("server check failed at line %d", ctl->first_bad_line);
	assert_int_equal(bad, 0);
	for (uint32_t w = 0; w < RING_WORKERS; w++)
		assert_int_equal(ctl->served[w], RING_CALLS);
	munmap(ctl, sizeof(*ctl));
	shm_region_detach(&r);
}

static void test_shm_req_call_vfsd_gone(void **state)
{
	struct shm_region r;

	(void)state;
	region_new(&r, 0, 1);
	ck_pr_store_32(&r.hdr->vfsd_state, 2);
	assert_int_equal(shm_req_call(&r, 0), -EIO);
	assert_int_equal(shm_req_call(&r, 1), -EINVAL);
	shm_region_detach(&r);
}

static void *mark_gone(void *p)
{
	struct shm_region *r = p;

	usleep(150 * 1000);
	ck_pr_store_32(&r->hdr->vfsd_state, 2);
	return NULL;
}

/* vfsd dies after the request was posted, without answering or waking. */
static void test_shm_req_call_vfsd_dies_while_waiting(void **state)
{
	struct shm_region r;
	pthread_t th;
	int64_t t0;

	(void)state;
	region_new(&r, 0, 1);
	ck_pr_store_32(&r.hdr->vfsd_state, 1);
	assert_int_equal(pthread_create(&th, NULL, mark_gone, &r), 0);
	t0 = now_ms();
	assert_int_equal(shm_req_call(&r, 0), -EIO);
	assert_true(now_ms() - t0 < 1000);
	assert_int_equal(pthread_join(th, NULL), 0);
	shm_region_detach(&r);
}

static void test_shm_req_next_empty(void **state)
{
	struct shm_region r;
	volatile int stop = 1;

	(void)state;
	region_new(&r, 0, 2);
	assert_int_equal(shm_req_next(&r, false, NULL), -1);
	assert_int_equal(shm_req_next(&r, true, &stop), -1);
	shm_region_detach(&r);
}

/* A request posted by hand in this process is found, once. */
static void test_shm_req_next_finds_posted(void **state)
{
	struct shm_region r;
	struct shm_worker *wk;
	int level;

	(void)state;
	region_new(&r, 0, 4);
	wk = (struct shm_worker *)shm_ptr(&r, r.hdr->workers_off, 4 * sizeof(*wk));
	assert_non_null(wk);
	assert_true(ck_ring_enqueue_spsc(&wk[2].ring, wk[2].ring_buf, (void *)(uintptr_t)3));
	assert_int_equal(shm_req_next(&r, false, NULL), 2);
	assert_int_equal(shm_req_next(&r, false, NULL), -1);
	/* A value that does not name its own ring is dropped (and logged). */
	assert_true(ck_ring_enqueue_spsc(&wk[1].ring, wk[1].ring_buf, (void *)(uintptr_t)4));
	level = fuss_log_level;
	fuss_log_level = FUSS_LOG_ERROR;
	assert_int_equal(shm_req_next(&r, false, NULL), -1);
	fuss_log_level = level;
	shm_req_done(&r, 2, -ENOENT);
	assert_int_equal(wk[2].req.state, SHM_REQ_DONE);
	assert_int_equal(wk[2].req.result, -ENOENT);
	shm_region_detach(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shm_region_create_fills_header),
		cmocka_unit_test(test_shm_region_create_bad_params),
		cmocka_unit_test(test_shm_region_attach_in_child),
		cmocka_unit_test(test_shm_region_attach_bad_magic),
		cmocka_unit_test(test_shm_region_attach_bad_version),
		cmocka_unit_test(test_shm_region_attach_bad_layout),
		cmocka_unit_test(test_shm_region_attach_truncated),
		cmocka_unit_test(test_shm_ptr_bounds),
		cmocka_unit_test(test_shm_worker_req_out_of_range),
		cmocka_unit_test(test_shm_req_next_empty),
		cmocka_unit_test(test_shm_req_next_finds_posted),
		cmocka_unit_test(test_shm_req_call_vfsd_gone),
		cmocka_unit_test(test_shm_req_call_vfsd_dies_while_waiting),
		cmocka_unit_test(test_shm_req_call_torture_workers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
