/*
 * The enter/exit protocol of one syscall stop, and the helpers every
 * handler family shares. A seccomp stop costs one GETREGS, the handler's own
 * work, and one SETREGS only when something changed; an exit stop is taken
 * only when a handler asked for it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "args.h"
#include "audit.h"
#include "log.h"
#include "observe.h"
#include "origin.h"
#include "perm.h"
#include "sys.h"
#include "vfs.h"
#include "worker.h"

int tr_call_path(struct tr_call *c, char *buf, size_t size)
{
	unsigned flags = tr_systab[c->sys].flags;
	ssize_t n = tr_mem_read_str(c->t->tid, arch_arg(&c->regs, SF_ARG(flags, 0)),
				    buf, size);

	if (n < 0)
		return (int)n;
	tr_log_path(c, 0, buf);
	return 0;
}

int tr_call_path_and(struct tr_call *c, char *buf, size_t size, int arg, char *s2,
		     size_t size2, int *err2)
{
	unsigned flags = tr_systab[c->sys].flags;
	const unsigned long addr[2] = { arch_arg(&c->regs, SF_ARG(flags, 0)),
					arch_arg(&c->regs, arg) };
	char *const bufs[2] = { buf, s2 };
	const size_t sizes[2] = { size, size2 };
	ssize_t len[2];

	tr_mem_read_str2(c->t->tid, addr, bufs, sizes, len);
	*err2 = len[1] < 0 ? (int)len[1] : 0;
	if (len[0] < 0)
		return (int)len[0];
	tr_log_path(c, 0, buf);
	return 0;
}

int tr_call_atflags(const struct tr_call *c)
{
	unsigned flags = tr_systab[c->sys].flags;

	return SF_HAS(flags, 8) ? (int)arch_arg(&c->regs, SF_ARG(flags, 8)) : 0;
}

int tr_call_resolve_but(struct tr_call *c, const char *path, int clear, struct tr_res *res)
{
	unsigned flags = tr_systab[c->sys].flags;
	int dirfd = SF_HAS(flags, 4) ? (int)arch_arg(&c->regs, SF_ARG(flags, 4)) : AT_FDCWD;

	return tr_resolve(c, dirfd, path, tr_at_rflags(flags, tr_call_atflags(c)) & ~clear, res);
}

int tr_call_resolve(struct tr_call *c, const char *path, struct tr_res *res)
{
	return tr_call_resolve_but(c, path, 0, res);
}

int tr_call_read_resolve(struct tr_call *c, char *path, size_t size, struct tr_res *res)
{
	int err = tr_call_path(c, path, size);

	if (err < 0)
		return err;
	if (!path[0])
		return TR_RUN;
	return tr_call_resolve(c, path, res);
}

int tr_call_existing(struct tr_call *c, char *path, size_t size, struct tr_res *res)
{
	int err = tr_call_read_resolve(c, path, size, res);

	return err ? err : tr_res_existing(c, path, res);
}

int tr_res_existing(struct tr_call *c, const char *path, const struct tr_res *res)
{
	if (!res->in_overlay)
		return tr_call_rewrite_res(c, path, res, 0);
	return res->exists ? 0 : -ENOENT;
}

void tr_call_want_exit(struct tr_call *c, tr_exit_fn fn, long arg)
{
	c->want_exit = true;
	c->t->state = TR_T_EXIT_WANTED;
	c->t->exit_fn = fn;
	c->t->exit_sys = c->sys;
	c->t->exit_arg = arg;
}

int tr_call_scratch(struct tr_call *c)
{
	if (!c->t->mm)
		return -EIO;
	return __atomic_load_n(&c->t->mm->scratch, __ATOMIC_ACQUIRE) ? 0 : TR_INJECT;
}

int tr_call_rewrite(struct tr_call *c, int arg, const char *orig, const char *real)
{
	unsigned flags = tr_systab[c->sys].flags;
	int err;

	/* The table's path argument is slot 0, another one the second path. */
	tr_log_real(c, SF_HAS(flags, 0) && arg != SF_ARG(flags, 0), real);
	if (orig && strcmp(orig, real) == 0)
		return TR_RUN;
	err = tr_mem_put_path(c, arg, real);
	if (err == -EAGAIN)
		return TR_INJECT;
	return err < 0 ? err : TR_RUN;
}

int tr_call_rewrite_res(struct tr_call *c, const char *orig,
			const struct tr_res *res, int layer)
{
	char real[PATH_MAX];
	unsigned flags = tr_systab[c->sys].flags;
	int err;

	if (!res->in_overlay) {
		if (!res->host_rewrite)
			return TR_RUN;
		return tr_call_rewrite(c, SF_ARG(flags, 0), orig, res->host);
	}
	err = tr_res_real(res, layer, real, sizeof(real));
	if (err < 0)
		return err;
	/* (dirfd, "a/b") where dirfd is the real dir D and the object is
	 * D/a/b: the kernel finds it without a rewrite. The real path is
	 * normalized and symlinks were followed in the virtual namespace, so
	 * the strings are equal only when every component of the program's
	 * path is a plain name found in that same layer. */
	size_t olen = orig ? strlen(orig) : 0;

	if (res->base_len && olen && orig[0] != '/' &&
	    res->base_len + 1 + olen == strlen(real) &&
	    memcmp(real, res->base_real, res->base_len) == 0 &&
	    real[res->base_len] == '/' &&
	    memcmp(real + res->base_len + 1, orig, olen) == 0) {
		tr_log_real(c, false, real);
		return TR_RUN;
	}
	return tr_call_rewrite(c, SF_ARG(flags, 0), orig, real);
}

int tr_call_copyup(struct tr_call *c, struct tr_res *res)
{
	int err;

	if (!tr.cfg->layer[0])
		return -EROFS;
	if ((err = tr_may_change()) < 0)
		return err;
	if (res->ent.layer == 0)
		return 0;
	struct stat low;
	bool keep = !S_ISDIR(res->ent.mode) && tr_res_lstat(res, res->ent.layer, &low) == 0;

	/* Copy-up is done with vfsd's own rights, as overlayfs uses the
	 * mounter's: the caller's credentials (a read of /proc) are not sent. */
	err = tr_vfs_change(c, SHM_OP_COPYUP, res->vrel, NULL, 0, 0, 0, false);
	if (err < 0)
		return err;
	/* The copy keeps the lower file's identity, as on overlayfs. */
	if (keep)
		tr_origin_note(res->vrel, low.st_dev, low.st_ino);
	res->ent.layer = 0;
	res->ent.layers |= 1;
	return 0;
}

int tr_check_new_name(const struct tr_res *res)
{
	const char *name = strrchr(res->vrel, '/');

	name = name ? name + 1 : res->vrel;
	/* Every layer is read in every marker format, so such a name would
	 * read back as a whiteout whatever --whiteout says. */
	if (strncmp(name, ".wh.", 4) == 0)
		return -EINVAL;
	return 0;
}

/* Once vfsd is gone nothing in the overlay changes any more, not even an
 * upper file the kernel could write without vfsd: a run fails closed. */
int tr_may_change(void)
{
	return __atomic_load_n(&tr.fail_closed, __ATOMIC_ACQUIRE) ? -EIO : 0;
}

int tr_vfsd_call(struct tr_call *c, enum shm_op op, const char *path,
		 const char *path2, uint64_t arg0, uint64_t arg1, uint64_t arg2,
		 bool creds)
{
	int w = tr_worker_id(c->w);
	struct shm_req *req = shm_worker_req(tr.shm, (uint32_t)w);
	size_t len = strlen(path), len2 = path2 ? strlen(path2) : 0;
	int err;

	if ((err = tr_may_change()) < 0)
		return err;
	if (len >= SHM_PATH_MAX || len2 >= SHM_PATH_MAX)
		return -ENAMETOOLONG;
	req->op = op;
	req->pid = (uint32_t)c->t->tid;
	req->arg0 = arg0;
	req->arg1 = arg1;
	req->arg2 = arg2;
	memset(&req->creds, 0, sizeof(req->creds));
	if (creds && (err = tr_proc_creds(c->t->tid, &req->creds, NULL)) < 0)
		return err;
	memcpy(req->path, path, len + 1);
	req->path_len = (uint32_t)len;
	memcpy(req->path2, path2 ? path2 : "", len2 + 1);
	req->path2_len = (uint32_t)len2;
	c->w->vfsd_ops[op]++;
	err = shm_req_call(tr.shm, (uint32_t)w);
	if (err == -EIO && __atomic_load_n(&tr.shm->hdr->vfsd_state, __ATOMIC_ACQUIRE) == SHM_VFSD_GONE)
		tr_fail_closed();
	fuss_debug("vfsd %d(%s%s%s) = %d", op, path, path2 ? ", " : "",
		   path2 ? path2 : "", err);
	return err;
}

int tr_dispatch_seccomp(struct tr_worker *w, struct tr_thread *t, bool *want_exit)
{
	struct tr_call c = { .w = w, .t = t, .lg = w->lg };
	int err, r;

	*want_exit = false;
	err = arch_regs_get(t->tid, &c.regs);
	if (err < 0)
		return err;
	if (c.lg)
		c.lg->orig = c.regs;
	c.sys = arch_sys_from_nr(arch_sysno(&c.regs));
	const struct tr_sys *e = &tr_systab[c.sys];

	if (tr_audit_on())
		tr_audit_begin(&c);

	if (!e->enter) {
		fuss_warn("tid %d: syscall %ld has no handler: ENOSYS", t->tid,
			  arch_sysno(&c.regs));
		r = -ENOSYS;
	} else {
		r = e->enter(&c);
	}
	if (w->observe)
		tr_observe_stop(&c, r);
	if (tr_audit_on())
		tr_audit_enter_done(&c, r);
	if (r == TR_INJECT) {
		/* Handlers may have written into regs before noticing: start
		 * from the registers of the stop. */
		err = arch_regs_get(t->tid, &c.regs);
		if (err < 0)
			return err;
		c.dirty = false;
		tr_mem_inject_scratch(&c);
	} else if (r == TR_EMU) {
		arch_skip(&c.regs, c.ret);
		c.dirty = true;
		c.want_exit = false;
	} else if (r < 0) {
		arch_skip(&c.regs, r);
		c.dirty = true;
		c.want_exit = false;
	}
	if (c.dirty && (err = arch_regs_set(t->tid, &c.regs)) < 0)
		return err;
	*want_exit = c.want_exit;
	return 0;
}

int tr_dispatch_exit(struct tr_worker *w, struct tr_thread *t)
{
	struct tr_call c = { .w = w, .t = t };
	int err = arch_regs_get(t->tid, &c.regs);

	if (err < 0)
		return err;
	if (t->state == TR_T_INJECT)
		return tr_mem_inject_done(t, &c.regs);
	if (t->state == TR_T_EXIT_WANTED && t->exit_fn) {
		c.sys = t->exit_sys;
		w->cur_sys = c.sys; /* --stats: its time goes to the syscall */
		t->state = TR_T_RUNNING;
		err = t->exit_fn(&c);
		t->exit_fn = NULL;
		if (tr_audit_on())
			tr_audit_exit(&c);
		if (err < 0)
			return err;
		if (c.dirty)
			return arch_regs_set(t->tid, &c.regs);
	}
	t->state = TR_T_RUNNING;
	return 0;
}
