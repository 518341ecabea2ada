/*
 * open, creat, openat, openat2. By flags: a read of an existing name goes to
 * its topmost layer; a write (O_WRONLY, O_RDWR, O_TRUNC) of a lower regular
 * file copies it up first; a create goes to upper after vfsd prepared the
 * parent chain (and, over a whiteout, created the file atomically itself);
 * O_TMPFILE opens the upper copy of the directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include "args.h"
#include "log.h"
#include "perm.h"
#include "sys.h"
#include "vfs.h"

struct open_args {
	int flags_arg;     /* register holding the flags, -1 for openat2/creat */
	uint64_t flags;
	uint64_t mode;
	struct open_how how;
	size_t how_size;
	bool how_dirty;    /* openat2: our copy of how must replace the tracee's */
};

static int open_args_read(struct tr_call *c, struct open_args *a)
{
	a->flags_arg = -1;
	a->how_dirty = false;
	memset(&a->how, 0, sizeof(a->how));
	switch (c->sys) {
	case FUSS_SYS_open:
		a->flags_arg = 1;
		a->flags = (unsigned)arch_arg(&c->regs, 1);
		a->mode = arch_arg(&c->regs, 2);
		return 0;
	case FUSS_SYS_creat:
		a->flags = O_CREAT | O_WRONLY | O_TRUNC;
		a->mode = arch_arg(&c->regs, 1);
		return 0;
	case FUSS_SYS_openat:
		a->flags_arg = 2;
		a->flags = (unsigned)arch_arg(&c->regs, 2);
		a->mode = arch_arg(&c->regs, 3);
		return 0;
	case FUSS_SYS_openat2:
		a->how_size = arch_arg(&c->regs, 3);
		if (a->how_size < sizeof(a->how))
			return -EINVAL;
		if (tr_mem_read(c->t->tid, arch_arg(&c->regs, 2), &a->how,
				sizeof(a->how)) != sizeof(a->how))
			return -EFAULT;
		a->flags = a->how.flags;
		a->mode = a->how.mode;
		return 0;
	}
	return -ENOSYS;
}

/* vfsd created the file: open it without O_CREAT/O_EXCL. */
static int open_strip_create(struct tr_call *c, struct open_args *a)
{
	a->flags &= ~(uint64_t)(O_CREAT | O_EXCL);
	if (c->sys == FUSS_SYS_creat) {
		/* creat(path, mode) -> open(path, O_WRONLY|O_TRUNC); both are
		 * legacy calls: an architecture has both or neither */
		long nr = arch_nr_from_sys(FUSS_SYS_open);

		if (nr < 0)
			return -ENOSYS;
		arch_set_sysno(&c->regs, nr);
		arch_set_arg(&c->regs, 1, a->flags);
	} else if (a->flags_arg >= 0) {
		arch_set_arg(&c->regs, a->flags_arg, a->flags);
	} else {
		a->how.flags = a->flags;
		a->how_dirty = true;
	}
	c->dirty = true;
	return 0;
}

/* Hand the kernel the real path in `layer` (and, for openat2, our copy of
 * the how struct, in the scratch slot beside the path). */
static int open_finish(struct tr_call *c, struct open_args *a, const char *path,
		       const struct tr_res *res, int layer)
{
	int err;

	if (a->how_dirty) {
		if ((err = tr_call_scratch(c)) != 0)
			return err;
		err = tr_mem_put(c, 2, &a->how, sizeof(a->how));
		if (err < 0)
			return err == -EAGAIN ? TR_INJECT : err;
		arch_set_arg(&c->regs, 3, sizeof(a->how));
		c->dirty = true;
	}
	return tr_call_rewrite_res(c, path, res, layer);
}

/* After the tracer walked the path under the RESOLVE_* rules, the kernel
 * gets a real path: the scoping flags no longer apply to it (and inside the
 * overlay, the layer's own path is not the program's business). */
static int open_resolve_done(struct open_args *a, const struct tr_res *res)
{
	if (!a->how.resolve)
		return 0;
	if ((a->how.resolve & RESOLVE_NO_XDEV) && res->xdev)
		return -EXDEV;
	/* fuss's own lookups are not the kernel's cache: the caller is told
	 * to retry without RESOLVE_CACHED, as the kernel may always say. */
	if ((a->how.resolve & RESOLVE_CACHED) && res->in_overlay)
		return -EAGAIN;
	if (!res->in_overlay && !res->host_rewrite)
		return 0; /* the kernel walks the same path under the same rules */
	if (res->in_overlay)
		a->how.resolve &= RESOLVE_CACHED;
	else
		a->how.resolve &= ~(uint64_t)(RESOLVE_BENEATH | RESOLVE_IN_ROOT);
	a->how_dirty = true;
	return 0;
}

int sys_open_enter(struct tr_call *c)
{
	char path[PATH_MAX];
	struct tr_open_mode m;
	struct open_args a;
	struct tr_res res;
	int err;

	if ((err = tr_call_path(c, path, sizeof(path))) < 0)
		return err;
	if (!path[0])
		return TR_RUN;
	if ((err = open_args_read(c, &a)) < 0)
		return err;
	if ((err = tr_open_decode(a.flags, a.how.resolve,
				  c->sys == FUSS_SYS_openat2, &m)) < 0)
		return err;
	bool creat = m.creat, tmpfile = m.tmpfile, writing = m.writing;
	unsigned sf = tr_systab[c->sys].flags;

	/* Opened for reading as it is: the kernel's answer on the real path
	 * (openat2's own rules are checked along a looked-up walk). */
	if (!creat && !tmpfile && !writing && c->sys != FUSS_SYS_openat2)
		m.rflags |= TR_RES_MAYBE;
	int dirfd = SF_HAS(sf, 4) ? (int)arch_arg(&c->regs, SF_ARG(sf, 4)) : AT_FDCWD;

	err = tr_resolve(c, dirfd, path, m.rflags, &res);
	if (creat && res.in_overlay && res.trailing_slash && !tmpfile &&
	    (err == 0 || (err == -ENOTDIR && res.exists)))
		return -EISDIR; /* O_CREAT never creates or opens "name/" */
	if (err < 0)
		return err;
	if (c->sys == FUSS_SYS_openat2 && (err = open_resolve_done(&a, &res)) < 0)
		return err;
	if (!res.in_overlay)
		return open_finish(c, &a, path, &res, 0);
	if (tmpfile) {
		if (!res.exists)
			return -ENOENT;
		if (!S_ISDIR(res.ent.mode))
			return -ENOTDIR;
		if ((a.flags & O_ACCMODE) == O_RDONLY)
			return -EINVAL; /* O_TMPFILE needs write access */
		if ((err = tr_perm_may(c, &res, TR_MAY_WRITE)) < 0)
			return err;
		if ((err = tr_call_scratch(c)) != 0)
			return err;
		if ((err = tr_call_copyup(c, &res)) < 0)
			return err;
		return open_finish(c, &a, path, &res, 0);
	}
	if (res.exists) {
		if (m.excl)
			return -EEXIST;
		if (writing && !tr.cfg->layer[0] && !S_ISDIR(res.ent.mode))
			return -EROFS;
		if (writing && S_ISREG(res.ent.mode) && (err = tr_may_change()) < 0)
			return err;
		if (writing && S_ISREG(res.ent.mode) && res.ent.layer != 0) {
			if ((err = tr_perm_may(c, &res, TR_MAY_WRITE)) < 0)
				return err;
			if ((err = tr_call_scratch(c)) != 0)
				return err;
			if ((err = tr_call_copyup(c, &res)) < 0)
				return err;
		}
		return open_finish(c, &a, path, &res, tr_res_id_layer(&res));
	}
	if (!creat)
		return -ENOENT;
	if (res.trailing_slash || res.last_dot)
		return -EISDIR;
	if (!tr.cfg->layer[0])
		return -EROFS;
	if ((err = tr_check_new_name(&res)) < 0)
		return err;
	if ((err = tr_call_scratch(c)) != 0)
		return err;
	err = tr_vfs_change(c, SHM_OP_PREP_CREATE, res.vrel, NULL, a.flags,
			   a.mode & 07777, 0, true);
	if (err < 0)
		return err;
	if (err == 1 && (err = open_strip_create(c, &a)) < 0)
		return err;
	return open_finish(c, &a, path, &res, 0);
}
