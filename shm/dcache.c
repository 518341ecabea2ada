/*
 * The dentry cache: an open-addressing hash table over the slot array in the
 * segment, keyed by (parent slot, parent generation, name), linear probing
 * from the key's home slot for at most SHM_PROBE_MAX slots. Slot 0 is the
 * overlay root and is never part of a probe sequence.
 *
 * vfsd is the only writer, so writers need no lock among themselves; every
 * change to a slot is bracketed by that slot's seqlock. Readers in any
 * process copy a slot between ck_sequence_read_begin/retry and decide only
 * on a copy that the retry confirmed, so they never lock and never see a
 * half-written entry.
 *
 * Invariants the writer keeps:
 *   - a key is in at most one USED slot, within SHM_PROBE_MAX of its home,
 *     with no EMPTY slot between home and it (removal leaves a TOMB, so a
 *     lookup stops at EMPTY and probes past TOMB);
 *   - a slot's gen changes each time the slot is given up (remove, flush)
 *     or taken again (insert), and is never 0, so a struct shm_dref names
 *     one use of a slot, and children keyed under an older use never match;
 *   - hdr->dcache_used counts the slots that are not EMPTY (root included):
 *     tombstones lengthen probes as much as live entries, so they count
 *     towards the 3/4 load limit, and only a flush turns them back to EMPTY.
 */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <ck_pr.h>
#include "shm.h"

#define SHM_PROBE_MAX 64u

/* FNV-1a, 32-bit: names are short, so a bytewise hash is fast enough. */
uint32_t shm_name_hash(const char *name, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)name[i];
		h *= 16777619u;
	}
	return h;
}

/* The name hash alone clusters badly for "a/x" vs "b/x", so the parent is
 * folded in and the bits mixed (murmur3's finaliser). */
static uint32_t dcache_home(uint32_t hash, struct shm_dref parent)
{
	uint32_t h = hash ^ (parent.id * 0x9e3779b1u) ^ (parent.gen * 0x85ebca77u);

	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

static struct shm_dent *dcache_slots(const struct shm_region *r, uint32_t *nslots)
{
	/* Geometry is fixed at create and checked at attach; shm_ptr keeps a
	 * corrupted header from reaching outside the mapping. */
	*nslots = r->hdr->dcache_nslots;
	if (*nslots < 2)
		return NULL;
	return shm_ptr(r, r->hdr->dcache_off, (size_t)*nslots * sizeof(struct shm_dent));
}

/* The next slot of a probe sequence; slot 0 belongs to the root. */
static uint32_t probe_next(uint32_t i, uint32_t mask)
{
	i = (i + 1) & mask;
	return i ? i : 1;
}

static uint32_t probe_limit(uint32_t nslots)
{
	return nslots - 1 < SHM_PROBE_MAX ? nslots - 1 : SHM_PROBE_MAX;
}

static uint32_t gen_next(uint32_t gen)
{
	return gen + 1 ? gen + 1 : 1;
}

/* What a reader needs from one slot, copied under its seqlock. */
struct dent_copy {
	uint32_t state;
	uint32_t gen;
	bool match;   /* the key equals the one looked for */
	uint64_t layers;
	uint32_t mode;
	uint8_t layer;
	uint16_t flags;
};

/*
 * Copy slot `d` and compare its key with (parent, name). The name is
 * compared in place rather than copied: the comparison is only believed
 * when the retry says the slot did not change meanwhile. Scalars go through
 * ck_pr loads so the compiler reads each exactly once.
 */
static void dent_read(const struct shm_dent *d, struct shm_dref parent, uint32_t hash,
		      const char *name, size_t len, struct dent_copy *c)
{
	unsigned int v, spins = 0;

	do {
		/* ck_sequence spins while the count is odd; if vfsd was
		 * preempted inside a write, give it the CPU instead. */
		while (ck_pr_load_uint(&d->seq.sequence) & 1) {
			if (++spins < 128)
				ck_pr_stall();
			else
				sched_yield();
		}
		v = ck_sequence_read_begin(&d->seq);
		c->state = ck_pr_load_32(&d->state);
		c->gen = ck_pr_load_32(&d->gen);
		c->layers = ck_pr_load_64(&d->layers);
		c->mode = ck_pr_load_32(&d->mode);
		c->layer = ck_pr_load_8(&d->layer);
		c->flags = ck_pr_load_16(&d->flags);
		c->match = name && c->state == SHM_DENT_USED &&
			   ck_pr_load_32(&d->hash) == hash &&
			   ck_pr_load_32(&d->parent) == parent.id &&
			   ck_pr_load_32(&d->parent_gen) == parent.gen &&
			   ck_pr_load_16(&d->namelen) == len &&
			   memcmp(d->name, name, len) == 0;
	} while (ck_sequence_read_retry(&d->seq, v));
}

static void dval_fill(struct shm_dval *out, uint32_t id, const struct dent_copy *c)
{
	out->ref.id = id;
	out->ref.gen = c->gen;
	out->layers = c->layers;
	out->mode = c->mode;
	out->layer = c->layer;
	out->flags = c->flags;
}

/* Any process: is `ref` the current use of a live slot? */
static bool dref_live(const struct shm_dent *slots, uint32_t nslots, struct shm_dref ref)
{
	struct dent_copy c;

	if (ref.id >= nslots)
		return false;
	dent_read(&slots[ref.id], ref, 0, NULL, 0, &c);
	return c.state == SHM_DENT_USED && c.gen == ref.gen;
}

/* Any process, lock-free. A name that cannot be cached (empty or longer
 * than SHM_NAME_MAX) is simply not there: -ENOENT. A hit also needs the
 * parent to still be the entry the caller holds, so removing a directory
 * hides everything cached below it at once. */
int shm_dcache_lookup(const struct shm_region *r, struct shm_dref parent,
		      const char *name, size_t len, struct shm_dval *out)
{
	uint32_t nslots, hash, i, n;
	const struct shm_dent *slots = dcache_slots(r, &nslots);
	struct dent_copy c;

	if (!slots || len == 0 || len > SHM_NAME_MAX)
		return -ENOENT;
	hash = shm_name_hash(name, len);
	i = dcache_home(hash, parent) & (nslots - 1);
	if (i == 0)
		i = 1;
	for (n = probe_limit(nslots); n; n--, i = probe_next(i, nslots - 1)) {
		dent_read(&slots[i], parent, hash, name, len, &c);
		if (c.state == SHM_DENT_EMPTY)
			return -ENOENT;
		if (!c.match)
			continue;
		if (!dref_live(slots, nslots, parent))
			return -ENOENT;
		dval_fill(out, i, &c);
		return 0;
	}
	return -ENOENT;
}

/* Any process. */
int shm_dcache_root(const struct shm_region *r, struct shm_dval *out)
{
	uint32_t nslots;
	const struct shm_dent *slots = dcache_slots(r, &nslots);
	struct dent_copy c;

	if (!slots)
		return -EAGAIN;
	dent_read(&slots[SHM_DCACHE_ROOT], (struct shm_dref){ 0, 0 }, 0, NULL, 0, &c);
	if (c.state != SHM_DENT_USED || c.layer == SHM_LAYER_NONE)
		return -EAGAIN;
	dval_fill(out, SHM_DCACHE_ROOT, &c);
	return 0;
}

/* Any process. */
uint64_t shm_dcache_epoch(const struct shm_region *r)
{
	return ck_pr_load_64(&r->hdr->dcache_epoch);
}

/* vfsd only, inside a slot's write section. */
static void dent_set_value(struct shm_dent *d, const struct shm_dval *val)
{
	ck_pr_store_64(&d->layers, val->layers);
	ck_pr_store_32(&d->mode, val->mode);
	ck_pr_store_8(&d->layer, val->layer);
	ck_pr_store_16(&d->flags, val->flags);
}

/* vfsd only: give slot `d` up, to `state` (TOMB or EMPTY). */
static void dent_release(struct shm_dent *d, uint32_t state)
{
	ck_sequence_write_begin(&d->seq);
	ck_pr_store_32(&d->state, state);
	ck_pr_store_32(&d->gen, gen_next(d->gen));
	ck_sequence_write_end(&d->seq);
}

/* vfsd only. Finds the key's slot, or -ENOENT with *free_slot set to the
 * first TOMB or EMPTY slot of the probe sequence (0 when there is none).
 * The writer never races itself, so it reads slots without the seqlock. */
static int dcache_find(struct shm_dent *slots, uint32_t nslots, struct shm_dref parent,
		       uint32_t hash, const char *name, size_t len, uint32_t *free_slot)
{
	uint32_t i = dcache_home(hash, parent) & (nslots - 1);
	uint32_t n;

	*free_slot = 0;
	if (i == 0)
		i = 1;
	for (n = probe_limit(nslots); n; n--, i = probe_next(i, nslots - 1)) {
		struct shm_dent *d = &slots[i];

		if (d->state != SHM_DENT_USED) {
			if (!*free_slot)
				*free_slot = i;
			if (d->state == SHM_DENT_EMPTY)
				break;
			continue;
		}
		if (d->hash == hash && d->parent == parent.id && d->parent_gen == parent.gen &&
		    d->namelen == len && memcmp(d->name, name, len) == 0)
			return (int)i;
	}
	return -ENOENT;
}

/* vfsd only. */
int shm_dcache_insert(struct shm_region *r, struct shm_dref parent,
		      const char *name, size_t len, const struct shm_dval *val,
		      struct shm_dref *out)
{
	uint32_t nslots, hash, free_slot;
	struct shm_dent *slots = dcache_slots(r, &nslots);
	struct shm_hdr *hdr = r->hdr;
	struct shm_dent *d;
	int i;

	if (!slots || len == 0 || len > SHM_NAME_MAX)
		return -EINVAL;
	if (!dref_live(slots, nslots, parent))
		return -ESTALE;
	hash = shm_name_hash(name, len);
	i = dcache_find(slots, nslots, parent, hash, name, len, &free_slot);
	if (i >= 0) {
		/* Same key: same slot and gen, so its cached children stay. */
		d = &slots[i];
		ck_sequence_write_begin(&d->seq);
		dent_set_value(d, val);
		ck_sequence_write_end(&d->seq);
		*out = (struct shm_dref){ (uint32_t)i, d->gen };
		return 0;
	}
	if (!free_slot || (slots[free_slot].state == SHM_DENT_EMPTY &&
			   (uint64_t)(hdr->dcache_used + 1) * 4 > (uint64_t)nslots * 3)) {
		shm_dcache_flush(r);
		return -ESTALE;
	}

	d = &slots[free_slot];
	if (d->state == SHM_DENT_EMPTY)
		hdr->dcache_used++;
	ck_sequence_write_begin(&d->seq);
	ck_pr_store_32(&d->state, SHM_DENT_USED);
	ck_pr_store_32(&d->gen, gen_next(d->gen));
	ck_pr_store_32(&d->parent, parent.id);
	ck_pr_store_32(&d->parent_gen, parent.gen);
	ck_pr_store_32(&d->hash, hash);
	ck_pr_store_16(&d->namelen, (uint16_t)len);
	memcpy(d->name, name, len);
	d->name[len] = '\0';
	dent_set_value(d, val);
	ck_sequence_write_end(&d->seq);
	*out = (struct shm_dref){ free_slot, d->gen };
	return 0;
}

/* vfsd only. */
int shm_dcache_update(struct shm_region *r, struct shm_dref ref, const struct shm_dval *val)
{
	uint32_t nslots;
	struct shm_dent *slots = dcache_slots(r, &nslots);
	struct shm_dent *d;

	if (!slots || ref.id >= nslots)
		return -ENOENT;
	d = &slots[ref.id];
	if (d->state != SHM_DENT_USED || d->gen != ref.gen)
		return -ENOENT;
	ck_sequence_write_begin(&d->seq);
	dent_set_value(d, val);
	ck_sequence_write_end(&d->seq);
	return 0;
}

/* vfsd only. */
void shm_dcache_remove(struct shm_region *r, struct shm_dref parent,
		       const char *name, size_t len)
{
	uint32_t nslots, free_slot;
	struct shm_dent *slots = dcache_slots(r, &nslots);
	int i;

	if (!slots || len == 0 || len > SHM_NAME_MAX)
		return;
	i = dcache_find(slots, nslots, parent, shm_name_hash(name, len), name, len, &free_slot);
	if (i > 0)
		dent_release(&slots[i], SHM_DENT_TOMB);
}

/* vfsd only. The epoch moves first, so a reader that sees the same epoch
 * before and after a walk knows no flush began in between. */
void shm_dcache_flush(struct shm_region *r)
{
	uint32_t nslots;
	struct shm_dent *slots = dcache_slots(r, &nslots);
	struct shm_hdr *hdr = r->hdr;

	if (!slots)
		return;
	ck_pr_store_64(&hdr->dcache_epoch, hdr->dcache_epoch + 1);
	for (uint32_t i = 1; i < nslots; i++) {
		if (slots[i].state != SHM_DENT_EMPTY)
			dent_release(&slots[i], SHM_DENT_EMPTY);
	}
	hdr->dcache_used = 1;
}
