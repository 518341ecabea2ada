/*
 * Dentry cache and request channel benchmark. Prints the average cost, in
 * nanoseconds, of
 *   dcache_hit_ns        shm_dcache_lookup on a hit: a table of a few
 *                        thousand entries (dirs of source files), looked up
 *                        round-robin; the best of BENCH_HIT_ROUNDS rounds,
 *                        as a round the scheduler took the CPU from would
 *                        say nothing about the lookup;
 *   dcache_miss_vfsd_ns  a lookup that misses and asks a real vfsd, the way
 *                        the resolver does it (tr_lookup: the miss, the
 *                        SHM_OP_LOOKUP request, the lookup that then hits),
 *                        each for a file of a lower layer that vfsd has not
 *                        cached yet;
 *   ring_roundtrip_ns    a request vfsd answers without work (SHM_OP_NOTIFY
 *                        of the root) through the same ring.
 * vfsd runs on temporary layers (in $TMPDIR or /tmp) that are removed at
 * the end, also after SIGINT, SIGTERM or SIGHUP. Nothing is subtracted
 * from any figure.
 * usage: dcache [ITERATIONS]  (vfsd requests per figure, default 20000;
 *                              hits: 100 times as many)
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "../tracer/log.h"
#include "../tracer/resolve.h"
#include "../tracer/worker.h"
#include "../vfsd/vfsd.h"

#define BENCH_DIRS 64
#define BENCH_FILES 64          /* per dir */
#define BENCH_HIT_FACTOR 100
#define BENCH_HIT_ROUNDS 5
#define BENCH_WARMUP 200
#define BENCH_DEFAULT_SLOTS (1u << 15) /* what the CLI asks for */

struct bench_key {
	struct shm_dref parent;
	size_t len;
	char name[16];
};

struct bench_vfsd {
	char root[256];
	struct fuss_config cfg;
	struct shm_region shm;
	pid_t pid;
	struct tr_worker worker;
	struct tr_thread thread;
	struct tr_call call;
};

/* Set by SIGINT, SIGTERM, SIGHUP: stop measuring, clean up, fail. */
static volatile sig_atomic_t bench_stop;
/* vfsd's segment, for the SIGCHLD handler. */
static struct shm_region *bench_shm;

static void bench_on_stop(int sig)
{
	(void)sig;
	bench_stop = 1;
}

/* vfsd died: mark it gone, as the CLI does, so no request waits forever. */
static void bench_on_chld(int sig)
{
	(void)sig;
	if (bench_shm)
		__atomic_store_n(&bench_shm->hdr->vfsd_state, 2, __ATOMIC_RELEASE);
}

static void bench_signals(void)
{
	struct sigaction sa = { .sa_handler = bench_on_stop };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = bench_on_chld;
	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* --- hits ------------------------------------------------------------------ */

/* This process fills its own segment, so it is that segment's only writer. */
static int bench_hits(long n, double *ns)
{
	static struct bench_key keys[BENCH_DIRS * (BENCH_FILES + 1)];
	struct shm_params p = { .dcache_nslots = BENCH_DEFAULT_SLOTS, .nworkers = 1 };
	struct shm_dval dir = { .layers = 0x6, .mode = S_IFDIR | 0755, .layer = 1 };
	struct shm_dval file = { .layers = 0x4, .mode = S_IFREG | 0644, .layer = 2 };
	const struct shm_dref root = { SHM_DCACHE_ROOT, 1 };
	struct shm_region r;
	struct shm_dval out;
	size_t nkeys = 0;
	long misses = 0;
	double t0;
	int err;

	err = shm_region_create(&r, &p);
	if (err)
		return err;
	for (int d = 0; d < BENCH_DIRS; d++) {
		struct bench_key *dk = &keys[nkeys++];
		struct shm_dref dref;

		dk->parent = root;
		dk->len = (size_t)snprintf(dk->name, sizeof(dk->name), "dir%02d", d);
		err = shm_dcache_insert(&r, root, dk->name, dk->len, &dir, &dref);
		for (int f = 0; !err && f < BENCH_FILES; f++) {
			struct bench_key *fk = &keys[nkeys++];
			struct shm_dref fref;

			fk->parent = dref;
			fk->len = (size_t)snprintf(fk->name, sizeof(fk->name), "file%03d.c", f);
			err = shm_dcache_insert(&r, dref, fk->name, fk->len, &file, &fref);
		}
		if (err)
			goto out;
	}
	/* One pass to warm the caches, then the measured ones. */
	for (size_t i = 0; i < nkeys; i++)
		misses += shm_dcache_lookup(&r, keys[i].parent, keys[i].name, keys[i].len, &out) != 0;
	*ns = 0;
	for (int round = 0; round < BENCH_HIT_ROUNDS; round++) {
		double t;

		t0 = now_ns();
		for (long i = 0; i < n / BENCH_HIT_ROUNDS; i++) {
			const struct bench_key *k = &keys[i % (long)nkeys];

			misses += shm_dcache_lookup(&r, k->parent, k->name, k->len, &out) != 0;
		}
		t = (now_ns() - t0) / (double)(n / BENCH_HIT_ROUNDS);
		if (round == 0 || t < *ns)
			*ns = t;
	}
	if (misses) {
		fprintf(stderr, "dcache: %ld lookups missed a cached name\n", misses);
		err = -EPROTO;
	}
out:
	shm_region_detach(&r);
	return err;
}

/* --- a real vfsd ----------------------------------------------------------- */

static int bench_rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path) ? -1 : 0;
}

static void bench_rm_tree(const char *root)
{
	if (nftw(root, bench_rm_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		fprintf(stderr, "dcache: cannot remove %s: %s\n", root, strerror(errno));
}

static int bench_mkdir(const struct bench_vfsd *b, const char *rel)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", b->root, rel);
	return mkdir(p, 0755) ? -errno : 0;
}

/* Layers: an empty upper, and a lower holding d/f0 .. d/f<nfiles-1>. */
static int bench_layers(struct bench_vfsd *b, long nfiles)
{
	static const char *const names[] = { "up", "l1" };
	const char *tmp = getenv("TMPDIR");
	char p[PATH_MAX];
	int err, fd;

	if (!tmp || !*tmp)
		tmp = "/tmp";
	if (snprintf(b->root, sizeof(b->root), "%s/fuss-bench-dcache.XXXXXX", tmp) >=
	    (int)sizeof(b->root))
		return -ENAMETOOLONG;
	if (!mkdtemp(b->root)) {
		b->root[0] = '\0';
		return -errno;
	}
	if ((err = bench_mkdir(b, "up")) || (err = bench_mkdir(b, "l1")) ||
	    (err = bench_mkdir(b, "l1/d")))
		return err;
	for (long i = 0; i < nfiles && !bench_stop; i++) {
		snprintf(p, sizeof(p), "%s/l1/d/f%ld", b->root, i);
		fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd < 0)
			return -errno;
		close(fd);
	}
	memset(&b->cfg, 0, sizeof(b->cfg));
	snprintf(p, sizeof(p), "%s/m", b->root);
	b->cfg.mountpoint = strdup(p);
	b->cfg.mountpoint_len = strlen(p);
	for (int i = 0; i < 2; i++) {
		snprintf(p, sizeof(p), "%s/%s", b->root, names[i]);
		b->cfg.layer[i] = strdup(p);
		if (!b->cfg.layer[i])
			return -ENOMEM;
		b->cfg.layer_len[i] = strlen(p);
	}
	b->cfg.nlayers = 2;
	b->cfg.workers = 1;
	if (bench_stop)
		return -EINTR;
	return b->cfg.mountpoint ? 0 : -ENOMEM;
}

/* Fork vfsd on the layers and set this thread up as tracer worker 0. */
static int bench_vfsd_start(struct bench_vfsd *b, uint32_t nslots)
{
	struct shm_params p = { .dcache_nslots = nslots, .nworkers = 1 };
	int err = shm_region_create(&b->shm, &p);

	if (err)
		return err;
	bench_shm = &b->shm;
	b->pid = fork();
	if (b->pid < 0)
		return -errno;
	if (b->pid == 0)
		_exit(vfsd_main(&b->cfg, &b->shm));
	for (int i = 0; i < 5000 && !bench_stop; i++) {
		if (__atomic_load_n(&b->shm.hdr->vfsd_state, __ATOMIC_ACQUIRE) != 0)
			break;
		usleep(1000);
	}
	if (b->shm.hdr->vfsd_state != 1)
		return -ETIMEDOUT;
	tr.cfg = &b->cfg;
	tr.shm = &b->shm;
	for (int i = 0; i < SHM_MAX_LAYERS; i++)
		tr.layer_fd[i] = i < b->cfg.nlayers ? open(b->cfg.layer[i], O_PATH | O_DIRECTORY) : -1;
	b->worker.id = 0;
	b->thread.tid = getpid();
	b->thread.slot = -1;
	b->call.w = &b->worker;
	b->call.t = &b->thread;
	return 0;
}

static void bench_vfsd_stop(struct bench_vfsd *b)
{
	if (b->pid > 0) {
		kill(b->pid, SIGTERM);
		while (waitpid(b->pid, NULL, 0) < 0 && errno == EINTR)
			;
		b->pid = 0;
	}
	bench_shm = NULL;
	for (int i = 0; i < SHM_MAX_LAYERS; i++) {
		if (tr.layer_fd[i] >= 0)
			close(tr.layer_fd[i]);
		tr.layer_fd[i] = -1;
	}
	if (b->shm.base)
		shm_region_detach(&b->shm);
}

/* Requests that vfsd answers at once: nothing to look up, nothing cached. */
static int bench_ring(struct bench_vfsd *b, long n, double *ns)
{
	double t0;
	int err;

	for (long i = 0; i < BENCH_WARMUP; i++) {
		if ((err = tr_vfsd_call(&b->call, SHM_OP_NOTIFY, "", NULL, 0, 0, 0, false)) < 0)
			return err;
	}
	t0 = now_ns();
	for (long i = 0; i < n; i++) {
		if ((err = tr_vfsd_call(&b->call, SHM_OP_NOTIFY, "", NULL, 0, 0, 0, false)) < 0)
			return err;
		if (bench_stop)
			return -EINTR;
	}
	*ns = (now_ns() - t0) / (double)n;
	return 0;
}

/* d/f<first> .. d/f<first+n-1>, each a miss answered by vfsd. */
static int bench_miss_run(struct bench_vfsd *b, const struct shm_dval *d, long first, long n)
{
	struct shm_dval out;
	char name[32];
	int len, err;

	for (long i = first; i < first + n; i++) {
		len = snprintf(name, sizeof(name), "f%ld", i);
		err = tr_lookup(&b->call, d, "d", name, (size_t)len, &out);
		if (err)
			return err;
		if (bench_stop)
			return -EINTR;
		if (!S_ISREG(out.mode) || out.layer != 1)
			return -EPROTO;
	}
	return 0;
}

/*
 * The table is large enough that vfsd never flushes it here, so every
 * name is a first-time miss; vfsd's lookup counter and the epoch prove
 * that each measured lookup reached vfsd once and only once.
 */
static int bench_miss(struct bench_vfsd *b, long n, double *ns)
{
	struct shm_dval root, d;
	uint64_t lookups, epoch;
	double t0;
	int err;

	if ((err = shm_dcache_root(&b->shm, &root)) ||
	    (err = tr_lookup(&b->call, &root, "", "d", 1, &d)))
		return err;
	if ((err = bench_miss_run(b, &d, n, BENCH_WARMUP)))
		return err;
	lookups = __atomic_load_n(&b->shm.hdr->stat_lookups, __ATOMIC_ACQUIRE);
	epoch = shm_dcache_epoch(&b->shm);
	t0 = now_ns();
	err = bench_miss_run(b, &d, 0, n);
	*ns = (now_ns() - t0) / (double)n;
	if (err)
		return err;
	lookups = __atomic_load_n(&b->shm.hdr->stat_lookups, __ATOMIC_ACQUIRE) - lookups;
	if (lookups != (uint64_t)n || shm_dcache_epoch(&b->shm) != epoch) {
		fprintf(stderr, "dcache: %ld misses made %llu vfsd lookups, epoch %llu -> %llu\n",
			n, (unsigned long long)lookups, (unsigned long long)epoch,
			(unsigned long long)shm_dcache_epoch(&b->shm));
		return -EPROTO;
	}
	return 0;
}

/* Slots for n + warm-up files, their dir and the root, at most 1/2 full. */
static uint32_t bench_slots(long n)
{
	uint64_t want = 2 * ((uint64_t)n + BENCH_WARMUP + 8);
	uint32_t slots = BENCH_DEFAULT_SLOTS;

	while (slots < want)
		slots <<= 1;
	return slots;
}

int main(int argc, char **argv)
{
	static struct bench_vfsd b;
	double hit_ns, miss_ns = 0, ring_ns = 0;
	char *end;
	long n = 20000;
	int err;

	if (argc > 2 || (argc == 2 && ((n = strtol(argv[1], &end, 10)) <= 0 || *end ||
				       n > 10 * 1000 * 1000))) {
		fprintf(stderr, "usage: dcache [ITERATIONS]\n");
		return 2;
	}
	fuss_log_init();
	bench_signals();
	for (int i = 0; i < SHM_MAX_LAYERS; i++)
		tr.layer_fd[i] = -1;
	err = bench_hits(n * BENCH_HIT_FACTOR, &hit_ns);
	if (err) {
		fprintf(stderr, "dcache: hits: %s\n", strerror(-err));
		return 1;
	}

	err = bench_layers(&b, n + BENCH_WARMUP);
	if (!err)
		err = bench_vfsd_start(&b, bench_slots(n));
	if (!err)
		err = bench_miss(&b, n, &miss_ns);
	if (!err)
		err = bench_ring(&b, n, &ring_ns);
	bench_vfsd_stop(&b);
	if (b.root[0])
		bench_rm_tree(b.root);
	if (err) {
		fprintf(stderr, "dcache: vfsd: %s\n", strerror(-err));
		return 1;
	}
	printf("dcache_hit_ns %.0f\n", hit_ns);
	printf("dcache_miss_vfsd_ns %.0f\n", miss_ns);
	printf("ring_roundtrip_ns %.0f\n", ring_ns);
	return 0;
}
