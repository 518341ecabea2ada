/*
 * --audit=FILE: one JSON line per call that names a file by path, with
 * what it named, where that led and what the call returned (audit.c).
 */
#ifndef FUSS_AUDIT_H
#define FUSS_AUDIT_H

#include <stdbool.h>
#include "tracer.h"

struct tr_res;

/* The audit file's descriptor, -1 when --audit is not given. */
extern int tr_audit_fd;

static inline bool tr_audit_on(void)
{
	return tr_audit_fd >= 0;
}

/* Open (create, truncate) the file: 0 or -errno. */
int tr_audit_open(const char *path);
/* A new syscall stop of `c`'s thread: forget the last call's names. */
void tr_audit_begin(struct tr_call *c);
/* A name the call resolved (its first two are kept): as given, and where
 * it led (`err` < 0: it did not). */
void tr_audit_name(struct tr_call *c, int dirfd, const char *path,
		   const struct tr_res *res, int err);
/* The VFS changed the namespace for the call: a name it made or copied up
 * is in the upper layer now. */
void tr_audit_changed(struct tr_call *c, enum shm_op op, const char *vrel,
		      const char *vrel2);
/* The enter handler's verdict `r` (TR_RUN, TR_EMU with c->ret, -errno):
 * writes the line now or asks for the exit stop. */
void tr_audit_enter_done(struct tr_call *c, int r);
/* At the exit stop, after the handler's own exit work: the result. */
void tr_audit_exit(struct tr_call *c);
/* A successful execve ends with the exec event, not an exit stop. */
void tr_audit_exec(struct tr_thread *t);
/* Free a thread's record. */
void tr_audit_free(struct tr_thread *t);

#endif
