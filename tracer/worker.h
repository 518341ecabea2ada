/* A tracer worker: one ptrace loop per thread (see worker.c). */
#ifndef FUSS_WORKER_H
#define FUSS_WORKER_H

#include <stdint.h>
#include <sys/types.h>
#include "../vfsd/layer.h"
#include "observe.h"
#include "tracer.h"

#define TR_DIRCACHE 8
#define TR_KSTREAMS 64
#define TR_FDCACHE 8
#define TR_PLAIN 256

/* A merged listing kept between the getdents64 calls of one directory
 * stream (owner worker only). */
struct tr_dircache {
	pid_t tid;
	int fd;
	dev_t dev;
	ino_t ino;
	uint64_t used;
	bool valid;
	struct layer_listing list;
};

/* A directory stream the kernel lists (sys_dir.c): a one-layer lower
 * directory without markers, passed through from its first getdents. */
struct tr_kstream {
	pid_t tid;
	int fd;
	dev_t dev;
	ino_t ino;
	uint64_t used;            /* 0: free */
};

/* The real path of a tracee's dirfd into a lower layer (resolve.c), kept
 * with our own copy of the file (pidfd_getfd) to check with kcmp that
 * the tracee's fd still is that file: lower layers never change, so the
 * path of that file stays right. */
struct tr_fdcache {
	pid_t tid;
	int fd;
	int dup;                  /* our copy, while `used` */
	uint64_t used;
	size_t len;
	char real[PATH_MAX];
};

/* A plain one-layer lower directory this worker saw listed (resolve.c,
 * tr_plain_note): two-way set-associative by the hash of its vrel. */
struct tr_plain {
	uint64_t hash;
	uint64_t used;            /* 0: free */
	char *vrel;
	size_t len;
	uint8_t layer;
	bool links;               /* it holds a symlink */
};

struct tr_worker {
	int id;
	pthread_t thread;
	char role[16];
	uint64_t clock;
	struct tr_dircache dirs[TR_DIRCACHE];
	struct tr_kstream kstreams[TR_KSTREAMS];
	struct tr_fdcache fdcache[TR_FDCACHE];
	struct tr_plain plain[TR_PLAIN];
	int load;                     /* atomic: threads it owns */
	/* Threads handed to this worker (or to be freed by it), pushed by
	 * other workers under inbox_lock; `inbox` is read unlocked as a hint. */
	pthread_mutex_t inbox_lock;
	struct tr_thread *inbox;
	/* --stats (owner only, read after join) */
	uint64_t stops;               /* events handled */
	uint64_t busy_ns;             /* time spent handling them */
	uint64_t adopted, handed;     /* threads taken from / given to others */
	uint64_t dcache_hits;         /* names found in the shared cache */
	uint64_t vfsd_ops[SHM_OP_MAX]; /* requests sent, by op */
	int cur_sys;                  /* the syscall of the stop being handled */
	struct tr_sysstat sys[FUSS_SYS_MAX];
	/* FUSS_LOG_LEVEL=intercept or --stats: the dispatcher observes */
	bool observe;
	struct tr_logcall *lg;        /* intercept logging, NULL when off */
	bool spin;                    /* poll before blocking (wait_event) */
	bool spare;                   /* a CPU to spare for polling, as of spare_at */
	uint64_t spare_at;            /* when spare was last read (ns) */
	/* The directory this worker last listed (getdents): the first miss
	 * on one of its names asks vfsd to cache them all. */
	bool listed_fill;             /* not asked yet */
	char listed[PATH_MAX];        /* its vrel */
	/* The directory of this worker's last miss: a second miss there is
	 * a program going through it (touch of every file, rm of a list),
	 * so it asks for all its names too. */
	char missed[PATH_MAX];        /* "/" (no vrel) before the first */
	bool missed_fill;             /* asked for all its names */
};

/* How long a worker polls for its tracees' next stop, 0: never. */
extern long tr_spin_ns;
/* The runnable threads /proc/loadavg's text counts ("0.52 0.58 0.59
 * 3/345 12345": 3), -1 when the text has none. */
long tr_loadavg_runnable(const char *text);

/* vfsd is gone: every later mutating call fails with EIO. */
void tr_fail_closed(void);

#endif
