/*
 * Shared memory segment: creation (CLI), attachment (vfsd, tracer), the
 * lock-free dentry cache and the request channel from tracer workers to vfsd.
 * See layout.h for the bytes; this header is the API every process uses.
 */
#ifndef FUSS_SHM_H
#define FUSS_SHM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "layout.h"

/* A process-local view of the segment. */
struct shm_region {
	int fd;                 /* the memfd */
	void *base;             /* this process's mapping */
	size_t size;
	struct shm_hdr *hdr;    /* == base */
};

/* Dentry cache sizes, in slots of sizeof(struct shm_dent) bytes: the
 * default is 9.5 MiB; 2^20 slots (304 MiB) is far past any useful size
 * and keeps every size computation far from overflowing. */
#define SHM_DCACHE_DEFAULT_SLOTS (1u << 15)
#define SHM_DCACHE_MAX_SLOTS (1u << 20)
#define SHM_DCACHE_MIN_SLOTS 8u

struct shm_params {
	uint32_t dcache_nslots; /* rounded up to a power of two; 0 = default */
	uint32_t nworkers;      /* 1..SHM_MAX_WORKERS */
};

/* CLI only, before forking: memfd_create, size, map, write the header,
 * initialise rings, put the overlay root in slot 0 (state USED, gen 1,
 * layers 0, type dir; vfsd fills the real root info at start). */
int shm_region_create(struct shm_region *r, const struct shm_params *p);
/* The largest power-of-two slot count whose table fits in `bytes`
 * (at least SHM_DCACHE_MIN_SLOTS, at most SHM_DCACHE_MAX_SLOTS). */
uint32_t shm_dcache_slots_for(uint64_t bytes);
/* Map an existing segment; refuses a wrong magic, version or sizes
 * (-EPROTO) and sizes that exceed the memfd (-EINVAL). */
int shm_region_attach(struct shm_region *r, int fd);
void shm_region_detach(struct shm_region *r);
/* Remove the tracer's alias directory and the links in it, if it made one
 * (vfsd at its end, the CLI after vfsd). */
void shm_alias_dir_remove(struct shm_region *r);
/* Bounds-checked offset -> pointer; NULL when [off, off+len) is outside. */
void *shm_ptr(const struct shm_region *r, uint64_t off, size_t len);

/* --- dentry cache ------------------------------------------------------- */

/* A reference to a cached entry: slot index + the generation it had. */
struct shm_dref {
	uint32_t id;
	uint32_t gen;
};

/* A consistent copy of one entry's value. */
struct shm_dval {
	struct shm_dref ref;  /* the entry itself (usable as a parent) */
	uint64_t layers;
	uint32_t mode;
	uint8_t layer;
	uint16_t flags;
};

#define SHM_DCACHE_ROOT 0u

uint32_t shm_name_hash(const char *name, size_t len);

/* Any process, lock-free. 0 and *out filled on a hit; -ENOENT when the
 * key is not cached. Never blocks; retries internally while vfsd is
 * rewriting the slot it reads. */
int shm_dcache_lookup(const struct shm_region *r, struct shm_dref parent,
		      const char *name, size_t len, struct shm_dval *out);
/* The root entry (slot 0). 0, or -EAGAIN while vfsd has not filled it. */
int shm_dcache_root(const struct shm_region *r, struct shm_dval *out);
uint64_t shm_dcache_epoch(const struct shm_region *r);

/* vfsd only. Insert or overwrite (same key) an entry; *out gets its ref.
 * When the table is too full (> 3/4 of slots, or no slot within the probe
 * limit) it flushes everything but the root first (epoch++) and the insert
 * returns -ESTALE: the caller's parent ref is gone, start again from the
 * root. */
int shm_dcache_insert(struct shm_region *r, struct shm_dref parent,
		      const char *name, size_t len, const struct shm_dval *val,
		      struct shm_dref *out);
/* vfsd only. Update the value of an existing entry in place (its ref keeps
 * its generation, so cached children stay valid). -ENOENT if stale. */
int shm_dcache_update(struct shm_region *r, struct shm_dref ref,
		      const struct shm_dval *val);
/* vfsd only. Remove (tombstone) a key; its slot's generation moves on reuse,
 * so every cached descendant becomes unreachable. No-op if absent. */
void shm_dcache_remove(struct shm_region *r, struct shm_dref parent,
		       const char *name, size_t len);
/* vfsd only. Drop everything but the root; epoch++. */
void shm_dcache_flush(struct shm_region *r);

/* --- request channel ---------------------------------------------------- */

/* The request slot of worker w (NULL if w is out of range). */
struct shm_req *shm_worker_req(const struct shm_region *r, uint32_t w);
/* Worker w only. Post its filled slot, ring vfsd's doorbell and wait until
 * vfsd answers; returns req->result. Returns -EIO without waiting forever
 * when vfsd is gone (hdr->vfsd_state == 2): waits use a timeout and check. */
int shm_req_call(struct shm_region *r, uint32_t w);
/* FUSS_SPIN_US in ns (how long a waiter polls before it sleeps), else
 * dflt; never negative. */
long shm_spin_env_ns(long dflt);
/* vfsd only. Take the next posted request index from any ring, or -1 when
 * none; `wait` blocks on the doorbell until one arrives or `stop` becomes
 * true (checked at least every 100 ms). */
int shm_req_next(struct shm_region *r, bool wait, volatile int *stop);
/* CLI only: ask vfsd to end, through the segment (vfsd_state 3) and its
 * doorbell; shm_req_next then returns and shm_vfsd_stopping is true. */
void shm_vfsd_stop(struct shm_region *r);
bool shm_vfsd_stopping(const struct shm_region *r);
/* vfsd only. Publish req->result for worker w and wake it. */
void shm_req_done(struct shm_region *r, uint32_t w, int result);

#endif
