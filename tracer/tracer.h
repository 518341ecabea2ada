/*
 * The tracer process: shared state of all workers, the per-thread tracee
 * record, and the contract between the dispatcher and syscall handlers.
 */
#ifndef FUSS_TRACER_H
#define FUSS_TRACER_H

#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <urcu-qsbr.h>
#include <urcu/rculfhash.h>
#include "../arch/arch.h"
#include "../shm/shm.h"
#include "config.h"

/* Per-process scratch mapping, injected into a tracee on first need: one
 * slot per thread holds the rewritten path strings of that thread's current
 * syscall (the stack is never used: a signal frame could overwrite it while
 * the syscall waits, and a restarted syscall re-reads its arguments). */
/* A slot has two halves used by alternate syscalls: a signal handler that
 * runs while the thread is blocked in a rewritten syscall (an open of a
 * FIFO, say) writes its own paths into the other half, so the interrupted
 * syscall still finds its arguments when the kernel restarts it. */
#define TR_HALF_SIZE (8 * PATH_MAX) /* paths, or a #! script's new argv */
#define TR_SLOT_SIZE (2 * TR_HALF_SIZE)
#define TR_SLOTS 512
#define TR_SCRATCH_SIZE ((unsigned long)TR_SLOT_SIZE * TR_SLOTS)
#define TR_HELD_MAX 256 /* longest first item of a half remembered */

/* An address space, shared by the threads (and vfork children) using it. */
struct tr_mm {
	int refs;                 /* atomic */
	pthread_mutex_t lock;     /* guards slots and scratch */
	unsigned long scratch;    /* tracee address, 0 = not mapped yet */
	bool injecting;           /* a thread is mapping it (under lock) */
	char *exe;                /* --audit: the program, once asked (under lock) */
	uint64_t slots[TR_SLOTS / 64];
};

enum tr_tstate {
	TR_T_RUNNING = 0,  /* resumed, or stopped and being handled */
	TR_T_INJECT,       /* running an injected mmap; restart afterwards */
	TR_T_EXIT_WANTED,  /* an exit stop will call the handler's exit fn */
};

struct tr_call;
struct tr_audit;
typedef int (*tr_exit_fn)(struct tr_call *c);

/* A thread's rights, as /proc/<tid>/status shows them (perm.c). */
struct tr_creds {
	bool valid;               /* false: read them again */
	uint32_t fsuid, fsgid, ngroups;
	uint32_t groups[32];
	uint64_t cap;             /* CapEff */
};

/* One traced thread. Only its owner worker touches it, except for the
 * table node (RCU), `mm` refcounts, and a hand-over (worker.c): the giving
 * worker stops touching it before the taking worker finds it in its inbox. */
struct tr_thread {
	pid_t tid;
	int worker;               /* owner worker index (atomic) */
	bool fresh;               /* a new child whose first stop is to come */
	bool adopting;            /* handed over: restore `park` at next stop */
	bool reap;                /* in an inbox only to be freed by its owner */
	struct tr_thread *next;   /* inbox link */
	struct arch_regs park;    /* registers of the first stop */
	uint64_t park_mask;       /* its signal mask */
	int park_slot;            /* its slot in hdr->parked while handed over */
	struct tr_mm *mm;         /* NULL until the parent's event linked it */
	int slot;                 /* scratch slot, -1 = none yet */
	unsigned half;            /* half of the slot the last syscall used */
	/* What each half of the slot holds at its start (len 0: unknown), so
	 * that a syscall naming the same path as the last one (ls -l: statx,
	 * lgetxattr, getxattr) finds it there already (mem.c). */
	uint16_t held_len[2];
	char held[2][TR_HELD_MAX];
	enum tr_tstate state;
	bool stopped_new;         /* its first stop arrived before the link */
	bool linked;              /* parent event seen (or the root) */
	struct arch_regs saved;   /* registers to restore after an injection */
	tr_exit_fn exit_fn;       /* handler to run at the exit stop */
	long exit_arg;            /* for exit_fn */
	int exit_sys;
	struct tr_creds creds;    /* cached for permission checks */
	struct tr_audit *aud;     /* --audit: the current call's names */
	int group_stop;           /* atomic: its stop signal while in a
				   * group-stop (listened), else 0 */
	struct cds_lfht_node node;
	struct rcu_head rcu;
};

struct tr_worker;
struct tr_logcall;

/* The tracer, one per fuss run. */
struct tr_vfs;
struct tr_ctx {
	const struct fuss_config *cfg;
	const struct tr_vfs *vfs;  /* the run's VFS (vfs.h) */
	struct shm_region *shm;
	int nworkers;
	struct tr_worker *workers;
	struct cds_lfht *threads; /* tid -> struct tr_thread, all workers */
	int layer_fd[SHM_MAX_LAYERS]; /* O_PATH dirfds of the layer roots */
	int live;                 /* atomic: traced threads alive */
	pid_t root;               /* the command's pid */
	int root_status;          /* wait status of the root, -1 until known */
	int done;                 /* atomic: every tracee is gone */
	int fail_closed;          /* atomic: vfsd died */
	pthread_mutex_t idle_lock;
	pthread_cond_t idle_cond;
};

extern struct tr_ctx tr;

/* What an enter handler answers (or -errno: skip, tracee sees the error). */
/* TR_INJECT: the scratch area must be mapped first; the dispatcher injects
 * it and the syscall stops again afterwards (handlers call tr_call_scratch
 * before any side effect, so running them twice is harmless). */
enum { TR_RUN = 1, TR_EMU = 2, TR_INJECT = 3 };

/* One syscall stop being handled. */
struct tr_call {
	struct tr_worker *w;
	struct tr_thread *t;
	struct arch_regs regs;
	int sys;
	bool dirty;               /* regs changed: write them back */
	bool want_exit;           /* resume with PTRACE_SYSCALL */
	long ret;                 /* result when TR_EMU */
	unsigned long slot_used;  /* bytes of the slot half written so far */
	bool reused;              /* the first item was found in the last
	                             syscall's half, not written (mem.c) */
	int reused_arg;           /* the argument pointing at it */
	int copied_fd;            /* tracee fd + 1 whose file the worker's */
	int copy;                 /* copy `copy` was checked to be (resolve.c) */
	struct tr_logcall *lg;    /* intercept logging on: what to log */
	int log_slot;             /* 1 while the second path is resolved */
};

/* tracee.c: the table of traced threads (any worker, RCU). */
int tr_threads_init(void);
struct tr_thread *tr_thread_find(pid_t tid); /* caller online in RCU */
struct tr_thread *tr_thread_add(pid_t tid, int worker);
void tr_thread_del(struct tr_thread *t);
/* tr_thread_del in two steps: out of the table (any worker), then freed
 * (owner only). */
void tr_thread_unlink(struct tr_thread *t);
void tr_thread_free(struct tr_thread *t);
struct tr_mm *tr_mm_new(void);
struct tr_mm *tr_mm_get(struct tr_mm *mm);
void tr_mm_put(struct tr_mm *mm);
/* A copy for fork(): same scratch address, fresh slots. */
struct tr_mm *tr_mm_fork(const struct tr_mm *parent);
void tr_thread_release_slot(struct tr_thread *t);

/* mem.c: tracee memory (any thread of the tracer). */
ssize_t tr_mem_read(pid_t tid, unsigned long addr, void *buf, size_t len);
ssize_t tr_mem_write(pid_t tid, unsigned long addr, const void *buf, size_t len);
/* Read a NUL-terminated string of at most size-1 bytes plus its NUL.
 * Returns its length, -EFAULT, or -ENAMETOOLONG when no NUL within size
 * bytes (the kernel's answer for a path too long). */
ssize_t tr_mem_read_str(pid_t tid, unsigned long addr, char *buf, size_t size);
/* Two strings, in one read when each ends in the page it starts in: each
 * len[i] as tr_mem_read_str would return it. Returns 0. */
int tr_mem_read_str2(pid_t tid, const unsigned long addr[2], char *const buf[2],
		     const size_t size[2], ssize_t len[2]);
/* Put a string into the calling thread's scratch slot and point argument
 * `arg` at it. 0, or -EAGAIN when the scratch mapping is being injected
 * (the dispatcher then restarts the syscall), or -errno. */
int tr_mem_put_path(struct tr_call *c, int arg, const char *s);
/* Put `len` raw bytes in the slot; their tracee address in *addr. */
int tr_mem_put_at(struct tr_call *c, const void *buf, size_t len, unsigned long *addr);
/* The same for `len` raw bytes (e.g. a struct the call points to). */
int tr_mem_put(struct tr_call *c, int arg, const void *buf, size_t len);
/* Set the tracee up to map its scratch area (dispatcher only). */
int tr_mem_inject_scratch(struct tr_call *c);
/* At the exit stop of the injected mmap: record the address and restart
 * the original syscall. */
int tr_mem_inject_done(struct tr_thread *t, struct arch_regs *regs);

/* dispatch.c */
int tr_dispatch_seccomp(struct tr_worker *w, struct tr_thread *t, bool *want_exit);
int tr_dispatch_exit(struct tr_worker *w, struct tr_thread *t);

/* worker.c */
/* Start the workers and the command; forward `fwd` signals to it; return
 * the command's wait status, TR_NO_PTRACE when ptrace was refused (the
 * reason printed), or -errno when it could not be started. */
#define TR_NO_PTRACE INT_MIN
int tr_run_workers(const struct fuss_config *cfg, struct shm_region *shm,
		   const sigset_t *fwd, pid_t vfsd_pid, int *fail_closed);
int tr_worker_id(const struct tr_worker *w);

/* vfsd requests from a handler (fills creds from /proc when asked). */
int tr_vfsd_call(struct tr_call *c, enum shm_op op, const char *path,
		 const char *path2, uint64_t arg0, uint64_t arg1, uint64_t arg2,
		 bool creds);

#endif
