/*
 * Unit tests for shm/dcache.c: hits and misses, overwrite and update keeping
 * a ref, removal hiding descendants, flushes, probing past tombstones, name
 * lengths, and a torture test with a forked writer (playing vfsd) against
 * reader threads here (see "torture" below for what every read must be).
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include "../../shm/shm.h"

static const struct shm_dref root_ref = { SHM_DCACHE_ROOT, 1 };

static void region_new(struct shm_region *r, uint32_t nslots)
{
	struct shm_params p = { .dcache_nslots = nslots, .nworkers = 1 };

	assert_int_equal(shm_region_create(r, &p), 0);
}

static struct shm_dval dval(uint64_t layers, uint32_t mode, uint8_t layer, uint16_t flags)
{
	return (struct shm_dval){ .layers = layers, .mode = mode, .layer = layer, .flags = flags };
}

static struct shm_dref insert_ok(struct shm_region *r, struct shm_dref parent,
				 const char *name, const struct shm_dval *v)
{
	struct shm_dref ref;

	assert_int_equal(shm_dcache_insert(r, parent, name, strlen(name), v, &ref), 0);
	assert_true(ref.id != SHM_DCACHE_ROOT && ref.id < r->hdr->dcache_nslots);
	assert_true(ref.gen != 0);
	return ref;
}

static int lookup(struct shm_region *r, struct shm_dref parent, const char *name,
		  struct shm_dval *out)
{
	return shm_dcache_lookup(r, parent, name, strlen(name), out);
}

static void test_shm_dcache_lookup_hit_and_miss(void **state)
{
	struct shm_dval v = dval(0x5, S_IFREG | 0644, 2, SHM_DF_WHITEOUT_UP), out;
	struct shm_dref ref;
	struct shm_region r;

	(void)state;
	region_new(&r, 64);
	assert_int_equal(lookup(&r, root_ref, "a", &out), -ENOENT);
	ref = insert_ok(&r, root_ref, "a", &v);
	assert_int_equal(lookup(&r, root_ref, "a", &out), 0);
	assert_int_equal(out.ref.id, ref.id);
	assert_int_equal(out.ref.gen, ref.gen);
	assert_int_equal(out.layers, 0x5);
	assert_int_equal(out.mode, S_IFREG | 0644);
	assert_int_equal(out.layer, 2);
	assert_int_equal(out.flags, SHM_DF_WHITEOUT_UP);
	assert_int_equal(lookup(&r, root_ref, "b", &out), -ENOENT);
	assert_int_equal(lookup(&r, root_ref, "aa", &out), -ENOENT);
	/* Same name under another parent, and under a dead one. */
	assert_int_equal(lookup(&r, ref, "a", &out), -ENOENT);
	assert_int_equal(lookup(&r, (struct shm_dref){ 0, 2 }, "a", &out), -ENOENT);
	assert_int_equal(lookup(&r, (struct shm_dref){ UINT32_MAX, 1 }, "a", &out), -ENOENT);
	assert_int_equal(r.hdr->dcache_used, 2);
	shm_region_detach(&r);
}

static void test_shm_dcache_root_eagain_until_filled(void **state)
{
	struct shm_dval v = dval(1, S_IFDIR | 0755, 0, 0), out;
	struct shm_region r;

	(void)state;
	region_new(&r, 64);
	assert_int_equal(shm_dcache_root(&r, &out), -EAGAIN);
	assert_int_equal(shm_dcache_update(&r, root_ref, &v), 0);
	assert_int_equal(shm_dcache_root(&r, &out), 0);
	assert_int_equal(out.ref.id, root_ref.id);
	assert_int_equal(out.ref.gen, root_ref.gen);
	assert_int_equal(out.mode, S_IFDIR | 0755);
	assert_int_equal(out.layer, 0);
	assert_int_equal(out.layers, 1);
	/* The root is never a child of itself. */
	assert_int_equal(shm_dcache_lookup(&r, root_ref, "", 0, &out), -ENOENT);
	shm_region_detach(&r);
}

static void test_shm_dcache_insert_overwrite_keeps_ref(void **state)
{
	struct shm_dval v1 = dval(1, S_IFREG | 0600, 0, 0);
	struct shm_dval v2 = dval(2, S_IFLNK | 0777, 1, SHM_DF_PROBE_UPPER), out;
	struct shm_dref a, b;
	struct shm_region r;

	(void)state;
	region_new(&r, 64);
	a = insert_ok(&r, root_ref, "f", &v1);
	b = insert_ok(&r, root_ref, "f", &v2);
	assert_int_equal(a.id, b.id);
	assert_int_equal(a.gen, b.gen);
	assert_int_equal(r.hdr->dcache_used, 2);
	assert_int_equal(lookup(&r, root_ref, "f", &out), 0);
	assert_int_equal(out.layers, 2);
	assert_int_equal(out.mode, S_IFLNK | 0777);
	assert_int_equal(out.layer, 1);
	assert_int_equal(out.flags, SHM_DF_PROBE_UPPER);
	shm_region_detach(&r);
}

static void test_shm_dcache_update_keeps_gen(void **state)
{
	struct shm_dval dir = dval(3, S_IFDIR | 0755, 0, 0);
	struct shm_dval dir2 = dval(1, S_IFDIR | 0700, 0, SHM_DF_OPAQUE);
	struct shm_dval file = dval(2, S_IFREG | 0644, 1, 0), out;
	struct shm_dref d, stale;
	struct shm_region r;

	(void)state;
	region_new(&r, 64);
	d = insert_ok(&r, root_ref, "d", &dir);
	insert_ok(&r, d, "c", &file);
	assert_int_equal(shm_dcache_update(&r, d, &dir2), 0);
	assert_int_equal(lookup(&r, root_ref, "d", &out), 0);
	assert_int_equal(out.ref.id, d.id);
	assert_int_equal(out.ref.gen, d.gen);
	assert_int_equal(out.flags, SHM_DF_OPAQUE);
	assert_int_equal(out.mode, S_IFDIR | 0700);
	assert_int_equal(lookup(&r, d, "c", &out), 0);
	assert_int_equal(out.layers, 2);

	stale = (struct shm_dref){ d.id, d.gen + 1 };
	assert_int_equal(shm_dcache_update(&r, stale, &dir), -ENOENT);
	assert_int_equal(shm_dcache_update(&r, (struct shm_dref){ UINT32_MAX, 1 }, &dir), -ENOENT);
	assert_int_equal(shm_dcache_update(&r, (struct shm_dref){ d.id + 1, 0 }, &dir), -ENOENT);
	shm_region_detach(&r);
}

static void test_shm_dcache_remove_hides_children(void **state)
{
	struct shm_dval dir = dval(1, S_IFDIR | 0755, 0, 0);
	struct shm_dval file = dval(1, S_IFREG | 0644, 0, 0), out;
	struct shm_dref d, d2;
	struct shm_region r;

	(void)state;
	region_new(&r, 64);
	d = insert_ok(&r, root_ref, "d", &dir);
	insert_ok(&r, d, "c", &file);
	shm_dcache_remove(&r, root_ref, "d", 1);
	assert_int_equal(lookup(&r, root_ref, "d", &out), -ENOENT);
	/* A walker still holding the old ref finds nothing under it. */
	assert_int_equal(lookup(&r, d, "c", &out), -ENOENT);
	assert_int_equal(shm_dcache_update(&r, d, &dir), -ENOENT);
	assert_int_equal(shm_dcache_insert(&r, d, "x", 1, &file, &d2), -ESTALE);

	/* The tombstone is the first free slot of "d"'s probe sequence. */
	d2 = insert_ok(&r, root_ref, "d", &dir);
	assert_int_equal(d2.id, d.id);
	assert_int_not_equal(d2.gen, d.gen);
	assert_int_equal(lookup(&r, d2, "c", &out), -ENOENT);
	assert_int_equal(lookup(&r, d, "c", &out), -ENOENT);

	/* Removing what is not there changes nothing. */
	shm_dcache_remove(&r, root_ref, "nothere", 7);
	shm_dcache_remove(&r, root_ref, "", 0);
	assert_int_equal(lookup(&r, root_ref, "d", &out), 0);
	assert_int_equal(out.ref.gen, d2.gen);
	shm_region_detach(&r);
}

static void test_shm_dcache_flush_bumps_epoch(void **state)
{
	struct shm_dval dir = dval(1, S_IFDIR | 0755, 0, 0), out;
	struct shm_dref a, b;
	struct shm_region r;
	uint64_t epoch;

	(void)state;
	region_new(&r, 64);
	assert_int_equal(shm_dcache_update(&r, root_ref, &dir), 0);
	a = insert_ok(&r, root_ref, "a", &dir);
	insert_ok(&r, a, "b", &dir);
	epoch = shm_dcache_epoch(&r);
	shm_dcache_flush(&r);
	assert_int_equal(shm_dcache_epoch(&r), epoch + 1);
	assert_int_equal(r.hdr->dcache_used, 1);
	assert_int_equal(lookup(&r, root_ref, "a", &out), -ENOENT);
	assert_int_equal(lookup(&r, a, "b", &out), -ENOENT);
	assert_int_equal(shm_dcache_root(&r, &out), 0);
	assert_int_equal(out.ref.gen, root_ref.gen);
	b = insert_ok(&r, root_ref, "a", &dir);
	assert_false(b.id == a.id && b.gen == a.gen);
	shm_region_detach(&r);
}

/* Past 3/4 of the slots (root included) an insert flushes instead. */
static void test_shm_dcache_insert_full_returns_estale(void **state)
{
	struct shm_dval v = dval(1, S_IFREG | 0644, 0, 0), out;
	struct shm_dref ref;
	struct shm_region r;
	char name[16];
	int n, err = 0;

	(void)state;
	region_new(&r, 64);
	for (n = 0; n < 64; n++) {
		snprintf(name, sizeof(name), "f%d", n);
		err = shm_dcache_insert(&r, root_ref, name, strlen(name), &v, &ref);
		if (err)
			break;
	}
	assert_int_equal(err, -ESTALE);
	assert_int_equal(n, 64 * 3 / 4 - 1);
	assert_int_equal(shm_dcache_epoch(&r), 1);
	assert_int_equal(r.hdr->dcache_used, 1);
	assert_int_equal(lookup(&r, root_ref, "f0", &out), -ENOENT);
	insert_ok(&r, root_ref, "f0", &v);
	assert_int_equal(lookup(&r, root_ref, "f0", &out), 0);
	shm_region_detach(&r);
}

/* Tombstones count towards the load: churn alone ends in a flush. */
static void test_shm_dcache_insert_tombstones_fill(void **state)
{
	struct shm_dval v = dval(1, S_IFREG | 0644, 0, 0);
	struct shm_dref ref;
	struct shm_region r;
	char name[16];
	int n, err = 0;

	(void)state;
	region_new(&r, 64);
	for (n = 0; n < 1000; n++) {
		snprintf(name, sizeof(name), "t%d", n);
		err = shm_dcache_insert(&r, root_ref, name, strlen(name), &v, &ref);
		if (err)
			break;
		shm_dcache_remove(&r, root_ref, name, strlen(name));
	}
	assert_int_equal(err, -ESTALE);
	assert_true(n < 1000);
	assert_int_equal(shm_dcache_epoch(&r), 1);
	shm_region_detach(&r);
}

/*
 * Three names that start probing at the same slot, found by inserting
 * candidates one at a time into an otherwise free table: a lone insert
 * lands on its first probe slot.
 */
static void same_home_names(char names[3][16])
{
	struct shm_dval v = dval(1, S_IFREG | 0644, 0, 0);
	uint32_t home[1000];
	struct shm_region r;
	struct shm_dref ref;
	char name[16];

	region_new(&r, 64);
	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "n%d", i);
		/* Tombstones fill the table now and then: a flush frees it. */
		if (shm_dcache_insert(&r, root_ref, name, strlen(name), &v, &ref) == -ESTALE)
			ref = insert_ok(&r, root_ref, name, &v);
		shm_dcache_remove(&r, root_ref, name, strlen(name));
		home[i] = ref.id;
		for (int j = 0, found = 0; j < i; j++) {
			if (home[j] != home[i])
				continue;
			snprintf(names[found++], 16, "n%d", j);
			if (found == 2) {
				snprintf(names[2], 16, "n%d", i);
				shm_region_detach(&r);
				return;
			}
		}
	}
	fail_msg("no three names share a home slot");
}

static void test_shm_dcache_lookup_probes_past_tombstones(void **state)
{
	struct shm_dval va = dval(1, S_IFREG | 0644, 0, 0);
	struct shm_dval vb = dval(2, S_IFREG | 0600, 1, 0), out;
	struct shm_dref a, b, b2, a2;
	struct shm_region r;
	char names[3][16];

	(void)state;
	same_home_names(names);
	region_new(&r, 64);
	a = insert_ok(&r, root_ref, names[0], &va);
	b = insert_ok(&r, root_ref, names[1], &vb);
	assert_int_not_equal(a.id, b.id);
	shm_dcache_remove(&r, root_ref, names[0], strlen(names[0]));

	assert_int_equal(lookup(&r, root_ref, names[1], &out), 0);
	assert_int_equal(out.ref.id, b.id);
	assert_int_equal(out.layers, 2);
	assert_int_equal(lookup(&r, root_ref, names[0], &out), -ENOENT);
	assert_int_equal(lookup(&r, root_ref, names[2], &out), -ENOENT);

	/* Overwriting the key behind the tombstone must find it, not put a
	 * second copy in the tombstone. */
	b2 = insert_ok(&r, root_ref, names[1], &va);
	assert_int_equal(b2.id, b.id);
	assert_int_equal(b2.gen, b.gen);
	a2 = insert_ok(&r, root_ref, names[0], &va);
	assert_int_equal(a2.id, a.id);
	assert_int_not_equal(a2.gen, a.gen);
	shm_dcache_remove(&r, root_ref, names[1], strlen(names[1]));
	assert_int_equal(lookup(&r, root_ref, names[1], &out), -ENOENT);
	assert_int_equal(lookup(&r, root_ref, names[0], &out), 0);
	assert_int_equal(out.ref.id, a.id);
	shm_region_detach(&r);
}

static void test_shm_dcache_insert_name_lengths(void **state)
{
	struct shm_dval v = dval(1, S_IFREG | 0644, 0, 0), out;
	char longname[SHM_NAME_MAX + 2];
	struct shm_dref ref;
	struct shm_region r;

	(void)state;
	region_new(&r, 64);
	memset(longname, 'x', sizeof(longname));
	longname[SHM_NAME_MAX + 1] = '\0';

	assert_int_equal(shm_dcache_insert(&r, root_ref, "x", 1, &v, &ref), 0);
	assert_int_equal(shm_dcache_insert(&r, root_ref, longname, SHM_NAME_MAX, &v, &ref), 0);
	assert_int_equal(shm_dcache_lookup(&r, root_ref, "x", 1, &out), 0);
	assert_int_equal(shm_dcache_lookup(&r, root_ref, longname, SHM_NAME_MAX, &out), 0);
	assert_int_equal(out.ref.id, ref.id);
	assert_int_equal(shm_dcache_lookup(&r, root_ref, longname, SHM_NAME_MAX - 1, &out), -ENOENT);
	longname[SHM_NAME_MAX - 1] = 'y';
	assert_int_equal(shm_dcache_lookup(&r, root_ref, longname, SHM_NAME_MAX, &out), -ENOENT);

	assert_int_equal(shm_dcache_insert(&r, root_ref, longname, SHM_NAME_MAX + 1, &v, &ref),
			 -EINVAL);
	assert_int_equal(shm_dcache_insert(&r, root_ref, "", 0, &v, &ref), -EINVAL);
	assert_int_equal(shm_dcache_lookup(&r, root_ref, longname, SHM_NAME_MAX + 1, &out),
			 -ENOENT);
	shm_region_detach(&r);
}

/* --- torture --------------------------------------------------------------- */

/*
 * A forked writer playing vfsd inserts, overwrites, updates, removes and
 * flushes, so that slots are given up and taken again by other keys, while
 * reader threads here walk root -> dir -> kid, look kids up under dir refs
 * they took a while ago (stale by then, often) and look up names that are
 * never inserted.
 *
 * A value is a pure function of (key, version, parent ref): `layers` holds
 * the key's number and the version, and mode, layer and flags are check
 * bits over `layers` and the parent ref the entry was inserted under. A
 * reader rejects a value whose check bits do not match (a torn copy), that
 * names another key (misattributed), that was inserted under another parent
 * (a stale ref reaching the children of a reused slot), whose version the
 * writer had not issued yet, or that is older than a value the same reader
 * already saw for the key: versions only grow, so once a reader saw a new
 * value the old one must never come back.
 */

#if defined(__SANITIZE_THREAD__)
#define TORTURE_SLOW 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define TORTURE_SLOW 1
#endif
#endif

#define TORTURE_SLOTS 2048
#define TORTURE_DIRS 8
#define TORTURE_KIDS 128
#define TORTURE_KEYS (1 + TORTURE_DIRS + TORTURE_DIRS * TORTURE_KIDS)
#define TORTURE_READERS 8
#define TORTURE_HELD 16
#define TORTURE_ABSENT 8
/* Readers run for TORTURE_SECONDS and on until they made TORTURE_LOOKUPS
 * shm_dcache_lookup calls between them, but never past TORTURE_MAX_SECONDS.
 * The writer flushes every TORTURE_FLUSH_EVERY ops besides the flushes of a
 * full table. Under TSan everything is far slower: fewer lookups, and
 * flushes come sooner so that dirs' slots still get reused by other keys. */
#ifdef TORTURE_SLOW
#define TORTURE_LOOKUPS 200000ull
#define TORTURE_SECONDS 2
#define TORTURE_FLUSH_EVERY 2000
#else
#define TORTURE_LOOKUPS 10000000ull
#define TORTURE_SECONDS 4
#define TORTURE_FLUSH_EVERY 50000
#endif
#define TORTURE_MAX_SECONDS 20

struct torture_ctl {
	int stop;           /* writer: stop now */
	int readers_stop;   /* readers: stop now */
	int writer_err;     /* line of the first failed writer self-check */
	uint64_t ops, flushes, full_flushes, inserts, overwrites, updates, removes;
	uint64_t reused, reused_dir; /* slots taken by another key than the
	                                last one there (a dir, for reused_dir) */
	/* The writer publishes a version here before writing a value that
	 * carries it; its own cache line, as it moves on every write. */
	_Alignas(64) uint64_t issued;
};

struct torture_name {
	char s[SHM_NAME_MAX + 1];
	size_t len;
};

static struct torture_name dir_names[TORTURE_DIRS], kid_names[TORTURE_KIDS];
static struct torture_name absent_names[TORTURE_ABSENT];

static void torture_names(void)
{
	for (int d = 0; d < TORTURE_DIRS; d++)
		dir_names[d].len = (size_t)snprintf(dir_names[d].s, 16, "dir%d", d);
	/* Unique: "a", a run of 'z', and "<i>-" followed by filler. */
	strcpy(kid_names[0].s, "a");
	memset(kid_names[1].s, 'z', SHM_NAME_MAX);
	for (int c = 2; c < TORTURE_KIDS; c++) {
		size_t want = 2 + (size_t)(c * 97) % (SHM_NAME_MAX - 1);
		int n = snprintf(kid_names[c].s, 16, "%d-", c);

		for (; (size_t)n < want; n++)
			kid_names[c].s[n] = (char)('a' + (c + n) % 26);
		kid_names[c].s[n] = '\0';
	}
	for (int c = 0; c < TORTURE_KIDS; c++)
		kid_names[c].len = strlen(kid_names[c].s);
	/* Never inserted; one is a prefix of a kid, one a kid plus a byte. */
	for (int i = 0; i < TORTURE_ABSENT - 2; i++)
		absent_names[i].len = (size_t)snprintf(absent_names[i].s, 16, "absent%d", i);
	memcpy(absent_names[6].s, kid_names[5].s, kid_names[5].len - 1);
	absent_names[6].len = kid_names[5].len - 1;
	memcpy(absent_names[7].s, kid_names[9].s, kid_names[9].len);
	absent_names[7].s[kid_names[9].len] = 'q';
	absent_names[7].len = kid_names[9].len + 1;
}

static uint32_t key_dir(uint32_t d)
{
	return 1 + d;
}

static uint32_t key_kid(uint32_t d, uint32_t c)
{
	return 1 + TORTURE_DIRS + d * TORTURE_KIDS + c;
}

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	return x;
}

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * Half of all picks, on both sides, go to a few hot keys (the 255-byte name
 * among them), so that reads often meet a write to the very slot they
 * read: a race window of a few instructions is hit far more often.
 */
#define TORTURE_HOT_DIRS 2
#define TORTURE_HOT_KIDS 4

static void torture_pick(uint64_t *seed, uint32_t *d, uint32_t *c)
{
	uint64_t x = xorshift(seed);
	bool hot = x & 1;

	*d = (uint32_t)((x >> 1) % (hot ? TORTURE_HOT_DIRS : TORTURE_DIRS));
	*c = (uint32_t)((x >> 17) % (hot ? TORTURE_HOT_KIDS : TORTURE_KIDS));
}

/* The root's parent, for the check bits. */
static const struct shm_dref no_parent = { 0, 0 };

static struct shm_dval torture_val(uint32_t key, uint64_t ver, struct shm_dref parent, bool dir)
{
	uint64_t layers = ver << 16 | key;
	uint64_t chk = mix64(layers ^ mix64((uint64_t)parent.id << 32 | parent.gen));

	/* layer stays below SHM_MAX_LAYERS: SHM_LAYER_NONE would make the
	 * root read as not filled yet. */
	return dval(layers, (dir ? S_IFDIR : S_IFREG) | (uint32_t)(chk & 07777),
		    (uint8_t)((chk >> 12) & 63), (uint16_t)(chk >> 18));
}

static bool dval_same(const struct shm_dval *a, const struct shm_dval *b)
{
	return a->layers == b->layers && a->mode == b->mode && a->layer == b->layer &&
	       a->flags == b->flags;
}

struct torture_key {
	bool present;
	struct shm_dref ref;
	struct shm_dval val;
};

/* The writer's own record of what it put in the cache. */
struct torture_writer {
	struct shm_region *r;
	struct torture_ctl *ctl;
	uint64_t ver;
	struct torture_key dirs[TORTURE_DIRS];
	struct torture_key kids[TORTURE_DIRS][TORTURE_KIDS];
	uint32_t slot_key[TORTURE_SLOTS]; /* key + 1 last inserted there, 0 = none */
	uint32_t slot_gen[TORTURE_SLOTS]; /* its gen then */
	/* A dir that went away comes back only at this op count, so that
	 * other keys get a chance to take its slot meanwhile. */
	uint64_t back[TORTURE_DIRS];
	struct torture_ctl n;             /* counters, copied to ctl at the end */
};

#define WCHECK(cond)                                   \
	do {                                           \
		if (!(cond)) {                         \
			wr->ctl->writer_err = __LINE__; \
			return;                        \
		}                                      \
	} while (0)

static uint64_t torture_issue(struct torture_writer *wr)
{
	__atomic_store_n(&wr->ctl->issued, ++wr->ver, __ATOMIC_SEQ_CST);
	return wr->ver;
}

#define TORTURE_DIR_AWAY 256

static void torture_forget(struct torture_writer *wr)
{
	memset(wr->dirs, 0, sizeof(wr->dirs));
	memset(wr->kids, 0, sizeof(wr->kids));
	/* Staggered, so early dirs' kids spread over later dirs' slots. */
	for (uint32_t d = 0; d < TORTURE_DIRS; d++)
		wr->back[d] = wr->n.ops + d * TORTURE_DIR_AWAY / TORTURE_DIRS;
}

/* The key must read back as exactly what was last written, or be absent. */
static bool torture_readback(struct shm_region *r, struct shm_dref parent,
			     const struct torture_name *n, const struct torture_key *k)
{
	struct shm_dval out;
	int err = shm_dcache_lookup(r, parent, n->s, n->len, &out);

	if (!k->present)
		return err == -ENOENT;
	return err == 0 && out.ref.id == k->ref.id && out.ref.gen == k->ref.gen &&
	       dval_same(&out, &k->val);
}

/*
 * Insert or overwrite `key` under `parent`. 0, -ESTALE when the table was
 * full and flushed (the record is cleared too), -EPROTO when the cache broke
 * a promise: an overwrite must keep the ref, a new use of a slot must have a
 * new gen.
 */
static int torture_put(struct torture_writer *wr, struct shm_dref parent,
		       const struct torture_name *n, uint32_t key, bool dir,
		       struct torture_key *k)
{
	struct shm_dval v = torture_val(key, torture_issue(wr), parent, dir);
	struct shm_dref ref;
	uint32_t last;
	int err;

	err = shm_dcache_insert(wr->r, parent, n->s, n->len, &v, &ref);
	if (err == -ESTALE) {
		torture_forget(wr);
		wr->n.full_flushes++;
		return err;
	}
	if (err)
		return err;
	if (k->present) {
		if (ref.id != k->ref.id || ref.gen != k->ref.gen)
			return -EPROTO;
		wr->n.overwrites++;
	} else {
		if (ref.id == 0 || ref.id >= TORTURE_SLOTS || ref.gen == wr->slot_gen[ref.id])
			return -EPROTO;
		last = wr->slot_key[ref.id];
		if (last && last != key + 1) {
			wr->n.reused++;
			if (last - 1 >= key_dir(0) && last - 1 < key_dir(TORTURE_DIRS))
				wr->n.reused_dir++;
		}
		wr->slot_key[ref.id] = key + 1;
		wr->slot_gen[ref.id] = ref.gen;
		wr->n.inserts++;
	}
	k->present = true;
	k->ref = ref;
	k->val = v;
	return 0;
}

/* After dir d's entry went away: nothing is found under its old ref. */
static bool torture_orphans_gone(struct torture_writer *wr, uint32_t d, struct shm_dref old)
{
	struct shm_dval out;

	for (uint32_t c = 0; c < TORTURE_KIDS; c++) {
		if (wr->kids[d][c].present)
			return shm_dcache_lookup(wr->r, old, kid_names[c].s, kid_names[c].len,
						 &out) == -ENOENT;
	}
	return true;
}

static void torture_writer_run(struct torture_writer *wr)
{
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	struct shm_dval rootv;
	int err;

	rootv = torture_val(0, torture_issue(wr), no_parent, true);
	WCHECK(shm_dcache_update(wr->r, root_ref, &rootv) == 0);
	for (; !__atomic_load_n(&wr->ctl->stop, __ATOMIC_RELAXED); wr->n.ops++) {
		uint32_t d, c, op = (uint32_t)(xorshift(&seed) % 100);
		struct torture_key *dk, *kk;
		struct shm_dref old;

		torture_pick(&seed, &d, &c);
		dk = &wr->dirs[d];
		kk = &wr->kids[d][c];

		if (wr->n.ops % TORTURE_FLUSH_EVERY == TORTURE_FLUSH_EVERY - 1) {
			old = dk->ref;
			shm_dcache_flush(wr->r);
			WCHECK(!dk->present || torture_orphans_gone(wr, d, old));
			torture_forget(wr);
			wr->n.flushes++;
			continue;
		}
		if (!dk->present) {
			if (wr->n.ops < wr->back[d])
				continue;
			err = torture_put(wr, root_ref, &dir_names[d], key_dir(d), true, dk);
			WCHECK(err == 0 || err == -ESTALE);
			/* Kids under an older use of the slot are not this dir's. */
			memset(wr->kids[d], 0, sizeof(wr->kids[d]));
			WCHECK(torture_readback(wr->r, root_ref, &dir_names[d], dk));
			continue;
		}
		if (op < 45) {
			err = torture_put(wr, dk->ref, &kid_names[c], key_kid(d, c), false, kk);
			WCHECK(err == 0 || err == -ESTALE);
			if (err)
				continue;
		} else if (op < 70) {
			if (!kk->present)
				continue;
			kk->val = torture_val(key_kid(d, c), torture_issue(wr), dk->ref, false);
			WCHECK(shm_dcache_update(wr->r, kk->ref, &kk->val) == 0);
			wr->n.updates++;
		} else if (op < 90) {
			shm_dcache_remove(wr->r, dk->ref, kid_names[c].s, kid_names[c].len);
			kk->present = false;
			wr->n.removes++;
		} else if (op < 95) {
			dk->val = torture_val(key_dir(d), torture_issue(wr), root_ref, true);
			WCHECK(shm_dcache_update(wr->r, dk->ref, &dk->val) == 0);
			wr->n.updates++;
			WCHECK(torture_readback(wr->r, root_ref, &dir_names[d], dk));
		} else if (op < 98) {
			old = dk->ref;
			shm_dcache_remove(wr->r, root_ref, dir_names[d].s, dir_names[d].len);
			dk->present = false;
			wr->back[d] = wr->n.ops + TORTURE_DIR_AWAY;
			wr->n.removes++;
			WCHECK(torture_readback(wr->r, root_ref, &dir_names[d], dk));
			WCHECK(torture_orphans_gone(wr, d, old));
			WCHECK(shm_dcache_update(wr->r, old, &dk->val) == -ENOENT);
			continue;
		} else {
			rootv = torture_val(0, torture_issue(wr), no_parent, true);
			WCHECK(shm_dcache_update(wr->r, root_ref, &rootv) == 0);
			wr->n.updates++;
			continue;
		}
		WCHECK(torture_readback(wr->r, dk->ref, &kid_names[c], kk));
	}
}

static int torture_writer_main(struct shm_region *r, struct torture_ctl *ctl)
{
	static struct torture_writer wr;

	wr.r = r;
	wr.ctl = ctl;
	torture_writer_run(&wr);
	ctl->ops = wr.n.ops;
	ctl->flushes = wr.n.flushes;
	ctl->full_flushes = wr.n.full_flushes;
	ctl->inserts = wr.n.inserts;
	ctl->overwrites = wr.n.overwrites;
	ctl->updates = wr.n.updates;
	ctl->removes = wr.n.removes;
	ctl->reused = wr.n.reused;
	ctl->reused_dir = wr.n.reused_dir;
	return ctl->writer_err ? 1 : 0;
}

/* A hit to check once the version the writer had issued is known. */
struct torture_seen {
	struct shm_dval v;
	struct shm_dref parent;
	uint32_t key;
	bool dir;
};

struct torture_reader {
	struct shm_region *r;
	struct torture_ctl *ctl;
	uint64_t seed;
	uint64_t lookups, hits, held_hits, dead_lookups, roots, bad;
	uint64_t published;               /* lookups, for the main thread */
	uint64_t last[TORTURE_KEYS];      /* newest version seen per key */
	struct {
		uint32_t d;
		struct shm_dref ref;
		/* A later lookup of the dir did not give this ref: the use of
		 * the slot it names is over, and gens never come back. */
		bool dead;
	} held[TORTURE_HELD];             /* dir refs taken earlier */
	uint32_t nheld;
};

/* Dir d now looks up as `ref` ({0, 0}: absent). */
static void torture_held_mark(struct torture_reader *a, uint32_t d, struct shm_dref ref)
{
	for (uint32_t h = 0; h < TORTURE_HELD && h < a->nheld; h++) {
		if (a->held[h].d == d && (a->held[h].ref.id != ref.id || a->held[h].ref.gen != ref.gen))
			a->held[h].dead = true;
	}
}

static bool torture_seen_ok(struct torture_reader *a, const struct torture_seen *s,
			    uint64_t issued)
{
	uint64_t ver = s->v.layers >> 16;
	struct shm_dval want = torture_val(s->key, ver, s->parent, s->dir);

	if ((s->v.layers & 0xffff) != s->key || !dval_same(&s->v, &want))
		return false;
	if (ver == 0 || ver > issued || ver < a->last[s->key])
		return false;
	a->last[s->key] = ver;
	if (s->key == 0)
		return s->v.ref.id == SHM_DCACHE_ROOT && s->v.ref.gen == root_ref.gen;
	return s->v.ref.id != SHM_DCACHE_ROOT && s->v.ref.id < TORTURE_SLOTS && s->v.ref.gen;
}

static void *torture_reader_main(void *p)
{
	struct torture_reader *a = p;
	struct torture_seen seen[4];
	struct shm_dval root, out;
	time_t deadline = time(NULL) + TORTURE_MAX_SECONDS;

	for (uint64_t i = 1; !__atomic_load_n(&a->ctl->readers_stop, __ATOMIC_RELAXED); i++) {
		uint32_t d, c;
		uint64_t rnd = xorshift(&a->seed);
		const struct torture_name *absent = &absent_names[rnd % TORTURE_ABSENT];
		int n = 0;

		torture_pick(&a->seed, &d, &c);
		if (i % 1024 == 0) {
			__atomic_store_n(&a->published, a->lookups, __ATOMIC_RELAXED);
			if (time(NULL) > deadline)
				break;
		}
		if (shm_dcache_root(a->r, &root) != 0)
			continue;
		a->roots++;
		seen[n++] = (struct torture_seen){ root, no_parent, 0, true };

		a->lookups++;
		if (shm_dcache_lookup(a->r, root.ref, dir_names[d].s, dir_names[d].len,
				      &out) != 0) {
			torture_held_mark(a, d, (struct shm_dref){ 0, 0 });
		} else {
			struct shm_dref dref = out.ref;

			a->hits++;
			seen[n++] = (struct torture_seen){ out, root.ref, key_dir(d), true };
			torture_held_mark(a, d, dref);
			/* Refs are kept for a while, so many are stale when used. */
			if (i % 128 == 0 || a->nheld < TORTURE_HELD) {
				a->held[a->nheld % TORTURE_HELD].d = d;
				a->held[a->nheld % TORTURE_HELD].ref = dref;
				a->held[a->nheld % TORTURE_HELD].dead = false;
				a->nheld++;
			}
			a->lookups++;
			if (shm_dcache_lookup(a->r, dref, kid_names[c].s, kid_names[c].len,
					      &out) == 0) {
				a->hits++;
				seen[n++] = (struct torture_seen){ out, dref, key_kid(d, c), false };
			}
		}
		if (a->nheld) {
			uint32_t h = (uint32_t)((rnd >> 8) % (a->nheld < TORTURE_HELD ?
							      a->nheld : TORTURE_HELD));
			uint32_t hd = a->held[h].d;
			struct shm_dref href = a->held[h].ref;
			bool dead = a->held[h].dead;

			c = (uint32_t)((rnd >> 24) % TORTURE_KIDS);
			a->lookups++;
			a->dead_lookups += dead;
			if (shm_dcache_lookup(a->r, href, kid_names[c].s, kid_names[c].len,
					      &out) == 0) {
				a->held_hits++;
				a->bad += dead;
				seen[n++] = (struct torture_seen){ out, href, key_kid(hd, c), false };
			}
			/* A name nobody inserted, under a dir ref and under the root. */
			a->lookups += 2;
			a->bad += shm_dcache_lookup(a->r, href, absent->s, absent->len, &out) !=
				  -ENOENT;
			a->bad += shm_dcache_lookup(a->r, root.ref, absent->s, absent->len,
						    &out) != -ENOENT;
		}
		/* Every value read above was written before this load. */
		uint64_t issued = __atomic_load_n(&a->ctl->issued, __ATOMIC_SEQ_CST);

		for (int k = 0; k < n; k++)
			a->bad += !torture_seen_ok(a, &seen[k], issued);
	}
	__atomic_store_n(&a->published, a->lookups, __ATOMIC_RELAXED);
	return NULL;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_shm_dcache_lookup_torture_multiprocess(void **state)
{
	static struct torture_reader rd[TORTURE_READERS];
	pthread_t th[TORTURE_READERS];
	uint64_t lookups = 0, hits = 0, held_hits = 0, dead = 0, roots = 0, bad = 0, sum;
	struct torture_ctl *ctl;
	struct shm_region r;
	double t0, secs;
	int st;
	pid_t pid;

	(void)state;
	torture_names();
	region_new(&r, TORTURE_SLOTS);
	assert_int_equal(r.hdr->dcache_nslots, TORTURE_SLOTS);
	ctl = mmap(NULL, sizeof(*ctl), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(ctl != MAP_FAILED);
	memset(ctl, 0, sizeof(*ctl));

	t0 = now_s();
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(torture_writer_main(&r, ctl));
	for (int i = 0; i < TORTURE_READERS; i++) {
		memset(&rd[i], 0, sizeof(rd[i]));
		rd[i].r = &r;
		rd[i].ctl = ctl;
		rd[i].seed = 0x1234567ull * (uint64_t)(i + 1);
		assert_int_equal(pthread_create(&th[i], NULL, torture_reader_main, &rd[i]), 0);
	}
	sleep(TORTURE_SECONDS);
	do {
		sum = 0;
		for (int i = 0; i < TORTURE_READERS; i++)
			sum += __atomic_load_n(&rd[i].published, __ATOMIC_RELAXED);
	} while (sum < TORTURE_LOOKUPS && now_s() - t0 < TORTURE_MAX_SECONDS && !usleep(10000));
	__atomic_store_n(&ctl->readers_stop, 1, __ATOMIC_RELAXED);
	for (int i = 0; i < TORTURE_READERS; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		lookups += rd[i].lookups;
		hits += rd[i].hits;
		held_hits += rd[i].held_hits;
		dead += rd[i].dead_lookups;
		roots += rd[i].roots;
		bad += rd[i].bad;
	}
	__atomic_store_n(&ctl->stop, 1, __ATOMIC_RELAXED);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	secs = now_s() - t0;
	print_message("dcache torture: %llu lookups, %llu bad (%.1f s)\n",
		      (unsigned long long)lookups, (unsigned long long)bad, secs);
	print_message("dcache torture: %llu hits, %llu under held refs, %llu under dead refs, "
		      "%llu root reads; writer: %llu ops, %llu inserts, %llu overwrites, %llu updates, "
		      "%llu removes, %llu flushes (%llu when full), %llu slots reused "
		      "(%llu of a dir)\n",
		      (unsigned long long)hits, (unsigned long long)held_hits,
		      (unsigned long long)dead, (unsigned long long)roots, (unsigned long long)ctl->ops,
		      (unsigned long long)ctl->inserts, (unsigned long long)ctl->overwrites,
		      (unsigned long long)ctl->updates, (unsigned long long)ctl->removes,
		      (unsigned long long)(ctl->flushes + ctl->full_flushes),
		      (unsigned long long)ctl->full_flushes, (unsigned long long)ctl->reused,
		      (unsigned long long)ctl->reused_dir);
	if (ctl->writer_err)
		fail_msg("writer self-check failed at line %d", ctl->writer_err);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_int_equal(bad, 0);
	assert_true(lookups >= TORTURE_LOOKUPS);
	assert_true(hits > 0 && held_hits > 0 && dead > 0 && roots > 0);
	/* The writer really did each kind of change while readers ran. */
	assert_true(ctl->ops > 1000);
	assert_true(ctl->inserts > 0 && ctl->overwrites > 0 && ctl->updates > 0);
	assert_true(ctl->removes > 0 && ctl->flushes > 0);
	assert_true(ctl->reused > 0 && ctl->reused_dir > 0);
	munmap(ctl, sizeof(*ctl));
	shm_region_detach(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shm_dcache_lookup_hit_and_miss),
		cmocka_unit_test(test_shm_dcache_root_eagain_until_filled),
		cmocka_unit_test(test_shm_dcache_insert_overwrite_keeps_ref),
		cmocka_unit_test(test_shm_dcache_update_keeps_gen),
		cmocka_unit_test(test_shm_dcache_remove_hides_children),
		cmocka_unit_test(test_shm_dcache_flush_bumps_epoch),
		cmocka_unit_test(test_shm_dcache_insert_full_returns_estale),
		cmocka_unit_test(test_shm_dcache_insert_tombstones_fill),
		cmocka_unit_test(test_shm_dcache_lookup_probes_past_tombstones),
		cmocka_unit_test(test_shm_dcache_insert_name_lengths),
		cmocka_unit_test(test_shm_dcache_lookup_torture_multiprocess),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
