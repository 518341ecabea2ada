/*
 * Layout of the shared memory segment (a memfd created by the CLI and mapped
 * by vfsd and the tracer). Everything is addressed by offsets from the start
 * of the segment, never by pointers; every struct has static asserts on its
 * size and the offsets of its fields, so a layout change is a compile error.
 *
 * Regions, in this order after the header:
 *   dcache   array of struct shm_dent (slot 0 = the overlay root)
 *   workers  array of struct shm_worker: one request slot + ring per worker
 */
#ifndef FUSS_SHM_LAYOUT_H
#define FUSS_SHM_LAYOUT_H

#include <stddef.h>
#include <stdint.h>
#include <ck_ring.h>
#include <ck_sequence.h>

#define SHM_MAGIC 0x73737566u /* "fuss" little-endian */
#define SHM_VERSION 3u
#define SHM_NAME_MAX 255
#define SHM_PATH_MAX 4096
#define SHM_MAX_LAYERS 64   /* bit i of a layer mask = layer i; 0 = upper */
#define SHM_MAX_WORKERS 64
#define SHM_RING_SIZE 4     /* power of two; a worker has one request out */
#define SHM_CACHELINE 64
#define SHM_MAX_PARKED 16  /* threads in a hand-over at one time */
#define SHM_ALIAS_DIR_MAX 124 /* the tracer's alias directory's path */

/* --- header ------------------------------------------------------------ */
struct shm_hdr {
	uint32_t magic;        /* CLI only, at create */
	uint32_t version;      /* CLI only, at create */
	uint32_t hdr_size;     /* sizeof(struct shm_hdr) */
	uint32_t features;     /* reserved, 0 */
	uint64_t region_size;  /* whole segment, bytes */
	uint64_t dcache_off;   /* offset of struct shm_dent[dcache_nslots] */
	uint32_t dcache_nslots;/* power of two */
	uint32_t nworkers;
	uint64_t workers_off;  /* offset of struct shm_worker[nworkers] */
	uint32_t worker_size;  /* sizeof(struct shm_worker) */
	uint32_t pad0;
	uint8_t pad1[SHM_CACHELINE - 56];

	/* vfsd's doorbell: tracer workers increment it and FUTEX_WAKE; vfsd
	 * FUTEX_WAITs on it when every ring is empty. */
	_Alignas(SHM_CACHELINE) uint32_t doorbell;
	uint32_t vfsd_state;   /* SHM_VFSD_*: vfsd sets READY, the CLI GONE or STOP */
	uint8_t pad2[SHM_CACHELINE - 8];

	/* vfsd only: bumped by a whole-cache flush; readers restart a walk
	 * when it moved. */
	_Alignas(SHM_CACHELINE) uint64_t dcache_epoch;
	uint32_t dcache_used;  /* vfsd only: slots in use */
	uint32_t pad3;
	uint64_t stat_lookups; /* vfsd only */
	uint64_t stat_copyups; /* vfsd only */
	uint64_t stat_copyup_bytes; /* vfsd only */
	uint64_t stat_whiteouts; /* vfsd only */
	uint8_t pad4[SHM_CACHELINE - 48];

	/* Tids of threads between two workers in a hand-over, 0 = free: traced
	 * by nobody, so fuss's death does not kill them (PTRACE_O_EXITKILL);
	 * vfsd does when fuss dies. A worker claims a slot (CAS from 0) before
	 * it lets a thread go, the next one clears it once it traces it. */
	_Alignas(SHM_CACHELINE) int32_t parked[SHM_MAX_PARKED];

	/* The tracer's directory of aliases for long real paths (see
	 * tracer/alias.c), made on first need: the path is written first,
	 * then alias_set; whoever ends the run removes it. */
	_Alignas(SHM_CACHELINE) uint32_t alias_set;
	char alias_dir[SHM_ALIAS_DIR_MAX];
};

/* SHM_OP_LOOKUP's arg0. */
#define SHM_LOOKUP_SIBLINGS 1u
/* The most names such a lookup caches (a larger directory: none). */
#define SHM_LOOKUP_SIBLINGS_MAX 4096u

/* vfsd_state values. */
#define SHM_VFSD_STARTING 0u
#define SHM_VFSD_READY 1u
#define SHM_VFSD_GONE 2u   /* vfsd died: requests fail with EIO */
#define SHM_VFSD_STOP 3u   /* the CLI asks vfsd to end (no tracee is left) */

_Static_assert(sizeof(struct shm_hdr) == 6 * SHM_CACHELINE, "shm_hdr size");
_Static_assert(offsetof(struct shm_hdr, alias_set) == 4 * SHM_CACHELINE, "alias");
_Static_assert(offsetof(struct shm_hdr, parked) == 3 * SHM_CACHELINE, "parked");
_Static_assert(offsetof(struct shm_hdr, doorbell) == SHM_CACHELINE, "doorbell");
_Static_assert(offsetof(struct shm_hdr, dcache_epoch) == 2 * SHM_CACHELINE, "epoch");

/* --- dentry cache -------------------------------------------------------- */
/* Slot states. */
#define SHM_DENT_EMPTY 0u   /* never used: ends a probe sequence */
#define SHM_DENT_USED 1u
#define SHM_DENT_TOMB 2u    /* removed: probing continues past it */

/* Entry flags. */
#define SHM_DF_NEG 0x0001u        /* name absent in the merged view */
#define SHM_DF_OPAQUE 0x0002u     /* dir: an opaque marker stops lower layers */
#define SHM_DF_PROBE_UPPER 0x0004u /* the kernel may create this name in upper:
                                      readers lstat the upper path; if absent,
                                      the rest of the entry is the answer */
#define SHM_DF_WHITEOUT_UP 0x0008u /* upper holds a whiteout for this name */

#define SHM_LAYER_NONE 0xffu

/*
 * One cached lookup result, keyed by (parent slot, parent generation, name).
 * vfsd is the only writer; readers copy the fields between
 * ck_sequence_read_begin/retry and check the key after the copy.
 * A slot's generation is bumped whenever the slot is (re)used, so children
 * cached under an older use of the slot can never match again.
 */
struct shm_dent {
	ck_sequence_t seq;     /* vfsd only writes; readers retry on change */
	uint32_t state;        /* SHM_DENT_* */
	uint32_t gen;          /* generation of this slot's current use */
	uint32_t parent;       /* slot of the parent dir */
	uint32_t parent_gen;   /* generation of the parent when inserted */
	uint32_t hash;         /* hash of name */
	uint64_t layers;       /* dir: mask of contributing layers (top one
	                          first); non-dir: bit of `layer` */
	uint32_t mode;         /* st_mode of the topmost object (type + perms) */
	uint8_t layer;         /* topmost layer holding the name, or NONE */
	uint8_t pad0;
	uint16_t flags;        /* SHM_DF_* */
	uint16_t namelen;
	uint8_t pad1[6];
	char name[SHM_NAME_MAX + 1];
};
_Static_assert(sizeof(struct shm_dent) == 304, "shm_dent size");
_Static_assert(offsetof(struct shm_dent, layers) == 24, "shm_dent layers");
_Static_assert(offsetof(struct shm_dent, name) == 48, "shm_dent name");

/* --- vfsd requests ------------------------------------------------------ */
enum shm_op {
	SHM_OP_NONE = 0,
	SHM_OP_LOOKUP,     /* path: cache every component, following nothing;
	                      arg0 SHM_LOOKUP_SIBLINGS: also every name of the
	                      final component's directory (a program is
	                      going through a listing) */
	SHM_OP_COPYUP,     /* path: make the object present in upper */
	SHM_OP_PREP_CREATE,/* path: parent copied up; name -> PROBE_UPPER; if a
	                      whiteout is in the way and arg0 has O_CREAT,
	                      create the empty file atomically (mode arg1) and
	                      answer 1 */
	SHM_OP_MKDIR,      /* path, mode arg1 */
	SHM_OP_MKNOD,      /* path, mode arg1, dev arg2 */
	SHM_OP_SYMLINK,    /* path = new link, path2 = target text */
	SHM_OP_LINK,       /* path = existing, path2 = new name */
	SHM_OP_UNLINK,     /* path */
	SHM_OP_RMDIR,      /* path */
	SHM_OP_RENAME,     /* path -> path2, flags arg0 (RENAME_*) */
	SHM_OP_NOTIFY,     /* path: the kernel may have changed the name in
	                      upper; drop what the cache says about it */
	SHM_OP_MAX
};

/* The caller's credentials, read from /proc/<pid>/status. */
struct shm_creds {
	uint32_t fsuid;
	uint32_t fsgid;
	uint32_t umask;
	uint32_t ngroups;      /* <= 32 */
	uint32_t groups[32];
};
_Static_assert(sizeof(struct shm_creds) == 144, "shm_creds size");

/* Request states (futex word). */
#define SHM_REQ_IDLE 0u
#define SHM_REQ_POSTED 1u  /* worker wrote it and enqueued its index */
#define SHM_REQ_DONE 2u    /* vfsd wrote result; worker is woken */

/*
 * A request slot. The worker fills every field, sets state POSTED, enqueues
 * its worker index on its ring and rings the doorbell; vfsd validates every
 * field (lengths, NUL termination, op range), performs the operation, writes
 * `result`, sets state DONE and FUTEX_WAKEs `state`.
 * Paths are relative to the overlay root, without leading '/', "" for the
 * root itself, already free of symlinks, "." and ".." (the tracer resolved
 * them).
 */
struct shm_req {
	uint32_t state;        /* futex word, see SHM_REQ_* */
	uint32_t op;           /* enum shm_op */
	int32_t result;        /* vfsd only: >= 0 or -errno */
	uint32_t pid;          /* tracee, for logs */
	uint64_t arg0, arg1, arg2;
	struct shm_creds creds;
	uint32_t path_len;     /* strlen(path) */
	uint32_t path2_len;    /* strlen(path2) */
	uint8_t pad[8];
	char path[SHM_PATH_MAX];
	char path2[SHM_PATH_MAX];
};
_Static_assert(offsetof(struct shm_req, creds) == 40, "shm_req creds");
_Static_assert(offsetof(struct shm_req, path) == 200, "shm_req path");
_Static_assert(sizeof(struct shm_req) == 200 + 2 * SHM_PATH_MAX, "shm_req size");

/*
 * Per worker: an SPSC ring (producer: that worker, consumer: vfsd) of
 * request-slot indices, and the request slot itself. The ring's buffer is
 * inside the struct so it needs no pointer.
 */
struct shm_worker {
	struct ck_ring ring;
	_Alignas(SHM_CACHELINE) struct ck_ring_buffer ring_buf[SHM_RING_SIZE];
	_Alignas(SHM_CACHELINE) struct shm_req req;
};
_Static_assert(offsetof(struct shm_worker, ring_buf) % SHM_CACHELINE == 0, "ring_buf");
_Static_assert(offsetof(struct shm_worker, req) % SHM_CACHELINE == 0, "req");

#endif
