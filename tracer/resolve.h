/*
 * Resolution of a path as the traced program names it (dirfd or cwd +
 * string) in the virtual namespace: host paths outside the mountpoint are
 * treated lexically; inside the overlay each component is looked up in the
 * shared dentry cache (asking vfsd on a miss) and symlinks are followed in
 * the virtual namespace.
 */
#ifndef FUSS_RESOLVE_H
#define FUSS_RESOLVE_H

#include <limits.h>
#include <stdbool.h>
#include "tracer.h"

/* A real path: a layer's path plus a path below the mountpoint, each under
 * PATH_MAX. */
#define TR_REAL_MAX (2 * PATH_MAX)

#define TR_RES_FOLLOW 0x1     /* follow a symlink in the final component */
#define TR_RES_NAME 0x2       /* the call acts on the name itself (unlink,
                                 rmdir, rename, mkdir, ...): a trailing
                                 slash does not follow a final symlink */
/* openat2's RESOLVE_* rules, applied in the virtual namespace: */
#define TR_RES_NO_SYMLINKS 0x4 /* any symlink to follow: ELOOP */
#define TR_RES_NO_MAGIC 0x8    /* a /proc magic link into the overlay: ELOOP */
#define TR_RES_BENEATH 0x10    /* never leave the dirfd: EXDEV */
#define TR_RES_IN_ROOT 0x20    /* the dirfd is the root ("/" and ".." stop there) */
/* The caller hands the kernel the real path and takes its answer, so a
 * name below a plain one-layer lower directory (tr_plain_note) may be left
 * unlooked-up: it gets an entry marked TR_DF_MAYBE in that layer, with
 * `exists` set and mode 0 (S_IFDIR for a directory on the way). */
#define TR_RES_MAYBE 0x40

/* A tracer-only flag of struct shm_dval (never in the shared cache). */
#define TR_DF_MAYBE 0x8000u

struct tr_res {
	bool in_overlay;          /* the final name is inside the overlay */
	bool host_rewrite;        /* outside, but the tracee's own (dirfd,
	                             path) would not name it: use `host` */
	bool exists;              /* final name present in the merged view */
	bool xdev;                /* the walk crossed the mountpoint (in or out,
	                             or an absolute symlink inside) */
	bool search_hard;         /* a directory on the way is not searchable by
	                             everyone: ask perm.c */
	bool trailing_slash;
	int last_dot;             /* final component was "." (1) or ".." (2) */
	struct shm_dval parent;   /* the final name's parent dir */
	struct shm_dval ent;      /* the final name (SHM_DF_NEG if absent) */
	size_t vrel_len;
	char vrel[PATH_MAX];      /* overlay-relative path, "" = the root */
	char host[PATH_MAX];      /* absolute host path when !in_overlay */
	/* A relative path: the real path of its dirfd or cwd (base_len 0
	 * when the path was absolute or the base did not fit), so that a
	 * call whose own (dirfd, path) already names the real object needs
	 * no rewrite. */
	size_t base_len;
	char base_real[PATH_MAX];
};

/* Resolve. AT_FDCWD or a dirfd; path must not be empty. 0 (see res), or
 * -errno for what the kernel would answer (ENOENT for a missing directory
 * on the way, ENOTDIR, ELOOP, ENAMETOOLONG, EIO when vfsd is gone). */
int tr_resolve(struct tr_call *c, int dirfd, const char *path, int flags,
	       struct tr_res *res);
/* The virtual path of what the tracee's fd (or cwd when fd == AT_FDCWD)
 * refers to; 1 if it is inside the overlay (vrel then filled), 0 if not
 * (host path in `out`), -errno. */
int tr_resolve_fd(struct tr_call *c, int fd, char *out, size_t size,
		  struct tr_res *res);
/* The worker's `w` directory `vrel` (len bytes), in lower layer `layer`
 * and in no other, lists as the merged view does (layer_dir_plain);
 * `links`: it holds a symlink. Its names may then be TR_DF_MAYBE entries
 * while the dentry cache shows it in that layer only. */
struct tr_worker;
void tr_plain_note(struct tr_worker *w, const char *vrel, size_t len, int layer, bool links);
void tr_plain_drop(struct tr_worker *w);
/* readlink of /proc/<tid>/fd/<fd> (or cwd for AT_FDCWD): the length, or
 * -errno. With a buffer of TR_REAL_MAX, a directory deeper than the kernel
 * can name (PATH_MAX) is found by walking up from it. */
int tr_fd_real(pid_t tid, int fd, char *out, size_t size);
/* tr_fd_real for the calling thread, through the worker's cache (struct
 * tr_fdcache) for an fd into a lower layer: a kcmp instead of a readlink
 * of /proc, about half the cost. */
int tr_call_fd_real(struct tr_call *c, int fd, char *out, size_t size);
/* After tr_call_fd_real(c, fd): the worker's own copy of that file
 * description (same position), or -1 when it keeps none. */
int tr_call_fd_copy(const struct tr_call *c, int fd);
struct tr_worker;
/* Close the worker's copies of tracee dirfds (at its end). */
void tr_fdcache_drop(struct tr_worker *w);
/* /proc/<tid>/fdinfo/<fd>: the file position and open flags (either
 * pointer may be NULL). 0 or -EBADF. */
int tr_fdinfo(pid_t tid, int fd, long long *pos, unsigned *flags);
/* If `path` starts with /proc/{self,thread-self,PID}/{cwd,root,fd/N}, write
 * the tracer's name for that magic link (the tracee's tid for self) to
 * `proc` and return the length of the prefix; else 0. */
int tr_proc_magic(pid_t tid, const char *path, char *proc, size_t size);
/* The overlay VFS's resolve and real_path (vfs.h): tr_resolve and
 * tr_res_real go through the run's VFS. */
int tr_overlay_resolve(struct tr_call *c, int dirfd, const char *path, int flags,
		       struct tr_res *res);
int tr_overlay_real_path(const struct tr_res *res, int layer, char *out, size_t size);
/* Real path of the resolved name in `layer` (0 = upper), for the kernel:
 * shortened through an alias (alias.h) when PATH_MAX or `size` is too short
 * for it. */
int tr_res_real(const struct tr_res *res, int layer, char *out, size_t size);
/* lstat of the resolved name in `layer`: 0 or -errno. */
struct stat;
int tr_res_lstat(const struct tr_res *res, int layer, struct stat *st);
/* The name's real path in its topmost layer, or the upper path if absent. */
int tr_res_top(const struct tr_res *res, char *out, size_t size);
/* The layer that gives the resolved name its identity: for a directory the
 * bottom-most contributing layer (it never changes when the directory is
 * copied up, so (st_dev, st_ino) stay stable as they do on overlayfs), for
 * anything else its topmost layer. */
int tr_res_id_layer(const struct tr_res *res);
/* Look a single component up under `parent` (relative path of parent in
 * prefix). Used by the resolver and by handlers that need a child entry. */
int tr_lookup(struct tr_call *c, const struct shm_dval *parent,
	      const char *prefix, const char *name, size_t len,
	      struct shm_dval *out);

#endif
