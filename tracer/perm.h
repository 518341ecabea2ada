/*
 * The caller's permission where fuss acts for it. The kernel checks every
 * real path a rewritten call names, with the caller's own rights; what it
 * cannot see is what fuss does itself: names it finds absent (it must say
 * EACCES, not ENOENT, behind a directory the caller may not search), stats
 * it answers, and copy-ups (done with fuss's rights, so a call the caller
 * may not make must be refused before anything is copied). Rights come
 * from /proc/<tid>/status, cached per thread until the thread changes its
 * ids or execs.
 */
#ifndef FUSS_PERM_H
#define FUSS_PERM_H

#include <sys/stat.h>
#include "resolve.h"
#include "tracer.h"

/* What a copy-up is for. */
enum tr_intent {
	TR_MAY_WRITE = 1,  /* open for writing, truncate: write permission */
	TR_MAY_OWNER,      /* chmod, explicit times: the owner (or CAP_FOWNER) */
	TR_MAY_TIMES_NOW,  /* times set to now: the owner or write permission */
	TR_MAY_EXEC,       /* run a script fuss starts itself */
};

/* 0 when the caller may search every directory down to the parent of
 * the resolved name (res->vrel), or down to res->vrel itself when `whole`
 * (a name under it is missing); -EACCES otherwise. Only called when a
 * directory on the way is not searchable by everyone. */
int tr_perm_search(struct tr_call *c, const struct tr_res *res, bool whole);
/* 0 when the caller may do `intent` to the resolved existing name; -EACCES
 * or -EPERM as the kernel would say. */
int tr_perm_may(struct tr_call *c, const struct tr_res *res, enum tr_intent intent);
/* unlink or rmdir of the mountpoint: the kernel checks the caller may
 * delete the host's entry from its parent (write and search, sticky bit)
 * before it finds a mount there. 0 or -EACCES/-EPERM. */
int tr_perm_delete_mountpoint(struct tr_call *c);
/* chown to (uid, gid) (-1 = unchanged): 0 or -EPERM. */
int tr_perm_chown(struct tr_call *c, const struct tr_res *res, uint32_t uid, uint32_t gid);
/* setxattr/removexattr of `name`: 0, -EPERM or -EACCES. */
int tr_perm_xattr(struct tr_call *c, const struct tr_res *res, const char *name);
/* fsuid, fsgid, umask, groups (and CapEff into *cap unless NULL) from
 * /proc/<tid>/status. */
int tr_proc_creds(pid_t tid, struct shm_creds *cr, uint64_t *cap);
/* The thread changed its ids: re-read them on next use. */
void tr_perm_forget(struct tr_thread *t);

#endif
