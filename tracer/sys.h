/*
 * The handler table and the helpers every handler family shares. A handler
 * is `int sys_<name>_enter(struct tr_call *)` returning TR_RUN, TR_EMU
 * (c->ret set) or -errno; the table's flags tell the dispatcher where the
 * path, dirfd and AT_* flags live so handlers stay short.
 */
#ifndef FUSS_SYS_H
#define FUSS_SYS_H

#include "resolve.h"
#include "tracer.h"

#define SF_PATH(n) (0x8u | (unsigned)(n))          /* path string in arg n */
#define SF_DIRFD(n) ((0x8u | (unsigned)(n)) << 4)  /* dirfd in arg n */
#define SF_ATFL(n) ((0x8u | (unsigned)(n)) << 8)   /* AT_* flags in arg n */
#define SF_FOLLOW 0x1000u      /* follow a final symlink unless AT flags say no */
#define SF_ATFL_FOLLOW 0x2000u /* follow only with AT_SYMLINK_FOLLOW */
#define SF_NOFOLLOW 0x4000u    /* never follow the final symlink */
#define SF_NAME 0x8000u        /* acts on the name itself (see TR_RES_NAME) */
#define SF_FD(n) ((0x8u | (unsigned)(n)) << 16)   /* an fd in arg n (logs) */
#define SF_MAYBE 0x100000u     /* the kernel answers on the real path: see
                                  TR_RES_MAYBE */

#define SF_ARG(flags, shift) ((int)(((flags) >> (shift)) & 0x7))
#define SF_HAS(flags, shift) ((((flags) >> (shift)) & 0x8u) != 0)

typedef int (*tr_enter_fn)(struct tr_call *c);

struct tr_sys {
	tr_enter_fn enter;
	unsigned flags;
};

extern const struct tr_sys tr_systab[FUSS_SYS_MAX];

/* The call's path argument per the table (NULL pointer -> -EFAULT). */
int tr_call_path(struct tr_call *c, char *buf, size_t size);
/* tr_call_path, and the string of argument `arg` read with it into s2
 * (its error in *err2). */
int tr_call_path_and(struct tr_call *c, char *buf, size_t size, int arg, char *s2,
		     size_t size2, int *err2);
/* The value of the call's AT_* flags argument (SF_ATFL), 0 without one. */
int tr_call_atflags(const struct tr_call *c);
/* Resolve the call's path with the table's dirfd and follow rules. */
int tr_call_resolve(struct tr_call *c, const char *path, struct tr_res *res);
/* The same without the TR_RES_* flags in `clear`. */
int tr_call_resolve_but(struct tr_call *c, const char *path, int clear, struct tr_res *res);
/* Read and resolve the call's path: 0 (res filled), TR_RUN for an empty
 * path (the kernel answers), or -errno. */
int tr_call_read_resolve(struct tr_call *c, char *path, size_t size, struct tr_res *res);
/* Read and resolve the call's path. 0 when the name is inside the overlay
 * and exists (path and res filled); otherwise the handler's answer: TR_RUN
 * for an empty or unreadable path (the kernel answers) or a name outside the
 * overlay (host rewrite applied), -ENOENT for an absent name, -errno. */
int tr_call_existing(struct tr_call *c, char *path, size_t size, struct tr_res *res);
/* The second half of tr_call_existing, for a path already resolved. */
int tr_res_existing(struct tr_call *c, const char *path, const struct tr_res *res);
/* Point path argument `arg` at `real` unless the tracee's string already
 * is exactly that. */
int tr_call_rewrite(struct tr_call *c, int arg, const char *orig, const char *real);
/* Rewrite the call's path argument to the resolved name's real path in
 * `layer`, or hand a host rewrite through. TR_RUN or -errno. */
int tr_call_rewrite_res(struct tr_call *c, const char *orig,
			const struct tr_res *res, int layer);
/* Make sure the resolved name is in upper (vfsd copy-up). */
int tr_call_copyup(struct tr_call *c, struct tr_res *res);
/* -EIO once vfsd is gone (every change to the overlay fails then), else 0. */
int tr_may_change(void);
/* Take the syscall's exit stop and run fn there (arg kept for it). */
void tr_call_want_exit(struct tr_call *c, tr_exit_fn fn, long arg);
/* 0 when the scratch area is mapped, TR_INJECT otherwise. */
int tr_call_scratch(struct tr_call *c);
/* Refuse a new name that would read back as a marker (".wh.*"). */
int tr_check_new_name(const struct tr_res *res);

/* Generic classes (sys_stat.c, sys_attr.c). */
int sys_lookup_enter(struct tr_call *c);
int sys_stat_enter(struct tr_call *c);
int sys_readlink_enter(struct tr_call *c);
int sys_fanotify_mark_enter(struct tr_call *c);
int sys_inotify_add_watch_enter(struct tr_call *c);
int sys_access_enter(struct tr_call *c);
int sys_socket_enter(struct tr_call *c);
int sys_copyup_enter(struct tr_call *c);
int sys_fd_enter(struct tr_call *c);
int sys_pass_enter(struct tr_call *c);
int sys_deny_overlay_enter(struct tr_call *c);
int sys_eopnotsupp_enter(struct tr_call *c);
int sys_utimensat_enter(struct tr_call *c);
/* Families. */
int sys_open_enter(struct tr_call *c);
int sys_getdents_enter(struct tr_call *c);
int sys_mkdir_enter(struct tr_call *c);
int sys_mknod_enter(struct tr_call *c);
int sys_symlink_enter(struct tr_call *c);
int sys_link_enter(struct tr_call *c);
int sys_unlink_enter(struct tr_call *c);
int sys_rename_enter(struct tr_call *c);
int sys_chdir_enter(struct tr_call *c);
int sys_getcwd_enter(struct tr_call *c);
int sys_creds_enter(struct tr_call *c);
int sys_exec_enter(struct tr_call *c);
int sys_mount_enter(struct tr_call *c);
int sys_xattr_get_enter(struct tr_call *c);
int sys_xattr_list_enter(struct tr_call *c);
int sys_xattr_set_enter(struct tr_call *c);

#endif
