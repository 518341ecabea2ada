/*
 * Unit tests for shm/dcache.c: hits and misses, overwrite and update keeping
 * a ref, removal hiding descendants, flushes, probing past tombstones, name
 * lengths, and a stress test with a forked writer (playing vfsd) against
 * reader threads here. In the stress test every value is a pure function
 * of the key and a version, so a reader can tell a torn or misattributed
 * copy from a real one.
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

/* --- stress ---------------------------------------------------------------- */

#define STRESS_SLOTS 4096
#define STRESS_DIRS 8
#define STRESS_KIDS 128
#define STRESS_READERS 4
#define STRESS_SECONDS 2
/* Readers go on past STRESS_SECONDS until they made this many lookups
 * (slow sanitizer builds), but never past STRESS_MAX_SECONDS. */
#define STRESS_MIN_LOOKUPS 1000000
#define STRESS_MAX_SECONDS 10
#define STRESS_FLUSH_EVERY 50000

struct stress_ctl {
	int stop;           /* writer: stop now */
	int readers_stop;   /* readers: stop once they have enough lookups */
	int writer_err;     /* line of the first failed self-check */
	uint64_t writer_ops;
	uint64_t flushes;
};

struct stress_name {
	char s[SHM_NAME_MAX + 1];
	size_t len;
};

static struct stress_name dir_names[STRESS_DIRS], kid_names[STRESS_KIDS];

static void stress_names(void)
{
	for (int d = 0; d < STRESS_DIRS; d++)
		dir_names[d].len = (size_t)snprintf(dir_names[d].s, 16, "dir%d", d);
	/* Unique: "a", a run of 'z', and "<i>-" followed by filler. */
	strcpy(kid_names[0].s, "a");
	memset(kid_names[1].s, 'z', SHM_NAME_MAX);
	for (int c = 2; c < STRESS_KIDS; c++) {
		size_t want = 2 + (size_t)(c * 97) % (SHM_NAME_MAX - 1);
		int n = snprintf(kid_names[c].s, 16, "%d-", c);

		for (; (size_t)n < want; n++)
			kid_names[c].s[n] = (char)('a' + (c + n) % 26);
		kid_names[c].s[n] = '\0';
	}
	for (int c = 0; c < STRESS_KIDS; c++)
		kid_names[c].len = strlen(kid_names[c].s);
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

/* Every field but `layers` follows from (name, layers); `layers` from
 * (name, version). */
static struct shm_dval stress_val(const struct stress_name *n, bool dir, uint64_t ver)
{
	uint32_t h = shm_name_hash(n->s, n->len);
	uint64_t layers = mix64(((uint64_t)h << 32) ^ ver);

	return dval(layers, (dir ? S_IFDIR : S_IFREG) | (uint32_t)(mix64(layers ^ h) & 07777),
		    (uint8_t)(layers & 63), (uint16_t)((layers >> 40) & 0xf));
}

static bool stress_val_ok(const struct stress_name *n, bool dir, const struct shm_dval *v,
			  uint32_t nslots)
{
	uint32_t h = shm_name_hash(n->s, n->len);

	return v->mode == ((dir ? S_IFDIR : S_IFREG) | (uint32_t)(mix64(v->layers ^ h) & 07777)) &&
	       v->layer == (v->layers & 63) && v->flags == ((v->layers >> 40) & 0xf) &&
	       v->ref.id < nslots && v->ref.gen != 0;
}

static bool dval_same(const struct shm_dval *a, const struct shm_dval *b)
{
	return a->layers == b->layers && a->mode == b->mode && a->layer == b->layer &&
	       a->flags == b->flags;
}

struct stress_key {
	bool present;
	struct shm_dref ref;
	struct shm_dval val;
};

/* The writer's own record of what it put in the cache. */
struct stress_mirror {
	struct stress_key dirs[STRESS_DIRS];
	struct stress_key kids[STRESS_DIRS][STRESS_KIDS];
};

#define WCHECK(cond)                                   \
	do {                                           \
		if (!(cond)) {                         \
			ctl->writer_err = __LINE__;    \
			return;                        \
		}                                      \
	} while (0)

/* The key must read back as exactly what was last written, or be absent. */
static bool stress_readback(struct shm_region *r, struct shm_dref parent,
			    const struct stress_name *n, const struct stress_key *k)
{
	struct shm_dval out;
	int err = shm_dcache_lookup(r, parent, n->s, n->len, &out);

	if (!k->present)
		return err == -ENOENT;
	return err == 0 && out.ref.id == k->ref.id && out.ref.gen == k->ref.gen &&
	       dval_same(&out, &k->val);
}

static void stress_writer(struct shm_region *r, struct stress_ctl *ctl)
{
	static struct stress_mirror m;
	struct shm_dval rootv;
	uint64_t seed = 0x9e3779b97f4a7c15ull, ver = 1, ops;
	struct stress_name rootname = { "", 0 };

	rootv = stress_val(&rootname, true, ver++);
	WCHECK(shm_dcache_update(r, root_ref, &rootv) == 0);
	for (ops = 0; !__atomic_load_n(&ctl->stop, __ATOMIC_RELAXED); ops++) {
		uint32_t d = (uint32_t)(xorshift(&seed) % STRESS_DIRS);
		uint32_t c = (uint32_t)(xorshift(&seed) % STRESS_KIDS);
		uint32_t op = (uint32_t)(xorshift(&seed) % 100);
		struct stress_key *dk = &m.dirs[d], *kk = &m.kids[d][c];
		int err;

		if (ops % STRESS_FLUSH_EVERY == STRESS_FLUSH_EVERY - 1) {
			shm_dcache_flush(r);
			memset(&m, 0, sizeof(m));
			ctl->flushes++;
			continue;
		}
		if (!dk->present) {
			dk->val = stress_val(&dir_names[d], true, ver++);
			err = shm_dcache_insert(r, root_ref, dir_names[d].s, dir_names[d].len,
						&dk->val, &dk->ref);
			if (err == -ESTALE) {
				memset(&m, 0, sizeof(m));
				ctl->flushes++;
				continue;
			}
			WCHECK(err == 0);
			dk->present = true;
			memset(m.kids[d], 0, sizeof(m.kids[d]));
			WCHECK(stress_readback(r, root_ref, &dir_names[d], dk));
			continue;
		}
		if (op < 45) {
			kk->val = stress_val(&kid_names[c], false, ver++);
			err = shm_dcache_insert(r, dk->ref, kid_names[c].s, kid_names[c].len,
						&kk->val, &kk->ref);
			if (err == -ESTALE) {
				memset(&m, 0, sizeof(m));
				ctl->flushes++;
				continue;
			}
			WCHECK(err == 0);
			kk->present = true;
		} else if (op < 70) {
			if (!kk->present)
				continue;
			kk->val = stress_val(&kid_names[c], false, ver++);
			WCHECK(shm_dcache_update(r, kk->ref, &kk->val) == 0);
		} else if (op < 90) {
			shm_dcache_remove(r, dk->ref, kid_names[c].s, kid_names[c].len);
			kk->present = false;
		} else if (op < 95) {
			dk->val = stress_val(&dir_names[d], true, ver++);
			WCHECK(shm_dcache_update(r, dk->ref, &dk->val) == 0);
			WCHECK(stress_readback(r, root_ref, &dir_names[d], dk));
		} else if (op < 98) {
			shm_dcache_remove(r, root_ref, dir_names[d].s, dir_names[d].len);
			dk->present = false;
			WCHECK(stress_readback(r, root_ref, &dir_names[d], dk));
			continue;
		} else {
			rootv = stress_val(&rootname, true, ver++);
			WCHECK(shm_dcache_update(r, root_ref, &rootv) == 0);
			continue;
		}
		WCHECK(stress_readback(r, dk->ref, &kid_names[c], kk));
	}
	ctl->writer_ops = ops;
}

struct stress_reader {
	struct shm_region *r;
	struct stress_ctl *ctl;
	uint64_t seed;
	uint64_t lookups, hits, bad;
};

static void *stress_reader_main(void *p)
{
	struct stress_reader *a = p;
	struct stress_name rootname = { "", 0 };
	uint32_t nslots = a->r->hdr->dcache_nslots;
	time_t deadline = time(NULL) + STRESS_MAX_SECONDS;
	struct shm_dval root, dir, kid;

	for (uint64_t i = 1;; i++) {
		const struct stress_name *dn = &dir_names[xorshift(&a->seed) % STRESS_DIRS];
		const struct stress_name *kn = &kid_names[xorshift(&a->seed) % STRESS_KIDS];

		if (__atomic_load_n(&a->ctl->readers_stop, __ATOMIC_RELAXED) &&
		    a->lookups >= STRESS_MIN_LOOKUPS / STRESS_READERS)
			break;
		if (i % 4096 == 0 && time(NULL) > deadline)
			break;
		a->lookups++;
		if (shm_dcache_root(a->r, &root) != 0)
			continue;
		a->bad += !stress_val_ok(&rootname, true, &root, nslots) || root.ref.id != 0;
		a->lookups++;
		if (shm_dcache_lookup(a->r, root.ref, dn->s, dn->len, &dir) != 0)
			continue;
		a->hits++;
		a->bad += !stress_val_ok(dn, true, &dir, nslots) || dir.ref.id == 0;
		a->lookups++;
		if (shm_dcache_lookup(a->r, dir.ref, kn->s, kn->len, &kid) != 0)
			continue;
		a->hits++;
		a->bad += !stress_val_ok(kn, false, &kid, nslots) || kid.ref.id == 0;
	}
	return NULL;
}

static void test_shm_dcache_lookup_stress_multiprocess(void **state)
{
	struct stress_reader rd[STRESS_READERS];
	pthread_t th[STRESS_READERS];
	uint64_t lookups = 0, hits = 0, bad = 0;
	struct stress_ctl *ctl;
	struct shm_region r;
	int st;
	pid_t pid;

	(void)state;
	stress_names();
	region_new(&r, STRESS_SLOTS);
	ctl = mmap(NULL, sizeof(*ctl), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(ctl != MAP_FAILED);
	memset(ctl, 0, sizeof(*ctl));

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		stress_writer(&r, ctl);
		_exit(ctl->writer_err ? 1 : 0);
	}
	for (int i = 0; i < STRESS_READERS; i++) {
		rd[i] = (struct stress_reader){ .r = &r, .ctl = ctl, .seed = 0x1234567ull * (i + 1) };
		assert_int_equal(pthread_create(&th[i], NULL, stress_reader_main, &rd[i]), 0);
	}
	sleep(STRESS_SECONDS);
	__atomic_store_n(&ctl->readers_stop, 1, __ATOMIC_RELAXED);
	for (int i = 0; i < STRESS_READERS; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		lookups += rd[i].lookups;
		hits += rd[i].hits;
		bad += rd[i].bad;
	}
	__atomic_store_n(&ctl->stop, 1, __ATOMIC_RELAXED);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	print_message("stress: %llu lookups, %llu hits, %llu writer ops, %llu flushes\n",
		      (unsigned long long)lookups, (unsigned long long)hits,
		      (unsigned long long)ctl->writer_ops, (unsigned long long)ctl->flushes);
	if (ctl->writer_err)
		fail_msg("writer self-check failed at line %d", ctl->writer_err);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_int_equal(bad, 0);
	assert_true(lookups >= STRESS_MIN_LOOKUPS);
	assert_true(hits > 0);
	assert_true(ctl->writer_ops > 1000);
	assert_true(ctl->flushes > 0);
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
		cmocka_unit_test(test_shm_dcache_lookup_stress_multiprocess),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
