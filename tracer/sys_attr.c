/*
 * The copy-up class (chmod, chown, truncate, utimes, setxattr, ...): the
 * object is copied to upper by vfsd first, then the kernel changes the
 * upper copy. And the fd class (fchmod, fchown, fsetxattr, fremovexattr,
 * utimensat with a NULL path): when the fd's file lives in a lower layer,
 * it is copied up and the call redirected to the upper path, so a lower
 * layer never changes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "log.h"
#include "path.h"
#include "perm.h"
#include "sys.h"
#include "vfs.h"

/* The name an fd of a lower layer refers to; 1 if the call must go to the
 * upper copy (made when needed), 0 if the kernel may act on the fd. A
 * directory is opened in its bottom-most layer and a file may have been
 * copied up after it was opened: either way the lower object itself must
 * never change. */
static int fd_lower(struct tr_call *c, int fd, struct tr_res *res)
{
	char real[TR_REAL_MAX], vpath[PATH_MAX];
	int err;

	if (tr_call_fd_real(c, fd, real, sizeof(real)) < 0)
		return 0;
	int layer = tr_vfs_layer_of(real);
	if (layer < 1)
		return 0;
	err = tr_vfs_to_virtual(real, vpath, sizeof(vpath));
	if (err <= 0)
		return err < 0 ? err : 0;
	err = tr_resolve(c, AT_FDCWD, vpath, 0, res);
	if (err < 0)
		return err;
	if (!res->in_overlay || !res->exists)
		return -ESTALE; /* the name is gone from the merged view */
	return 1;
}

/* The times a utime-family call sets: 1 for "now" (or no change), 0 for
 * explicit times (only the owner may set those). */
static int times_now(struct tr_call *c)
{
	unsigned long p;

	switch (c->sys) {
	case FUSS_SYS_utime:
	case FUSS_SYS_utimes:
		return arch_arg(&c->regs, 1) == 0;
	case FUSS_SYS_futimesat:
		return arch_arg(&c->regs, 2) == 0;
	case FUSS_SYS_utimensat: {
		struct timespec ts[2];

		p = arch_arg(&c->regs, 2);
		if (!p)
			return 1;
		if (tr_mem_read(c->t->tid, p, ts, sizeof(ts)) != sizeof(ts))
			return 1; /* the kernel answers EFAULT */
		for (int i = 0; i < 2; i++)
			if (ts[i].tv_nsec != UTIME_NOW && ts[i].tv_nsec != UTIME_OMIT)
				return 0;
		return 1;
	}
	}
	return 1;
}

/* The caller's right to make the change, checked before the copy-up (which
 * fuss makes with its own rights). fchown's ids are read where sys_fd_enter
 * moved them (fchownat's places). */
static int may_change(struct tr_call *c, const struct tr_res *res)
{
	switch (c->sys) {
	case FUSS_SYS_chmod:
	case FUSS_SYS_fchmodat:
	case FUSS_SYS_fchmodat2:
	case FUSS_SYS_fchmod:
	case FUSS_SYS_file_setattr:
		return tr_perm_may(c, res, TR_MAY_OWNER);
	case FUSS_SYS_chown:
	case FUSS_SYS_lchown:
		return tr_perm_chown(c, res, (uint32_t)arch_arg(&c->regs, 1),
				     (uint32_t)arch_arg(&c->regs, 2));
	case FUSS_SYS_fchownat:
	case FUSS_SYS_fchown:
		return tr_perm_chown(c, res, (uint32_t)arch_arg(&c->regs, 2),
				     (uint32_t)arch_arg(&c->regs, 3));
	case FUSS_SYS_truncate:
		return tr_perm_may(c, res, TR_MAY_WRITE);
	case FUSS_SYS_utime:
	case FUSS_SYS_utimes:
	case FUSS_SYS_futimesat:
	case FUSS_SYS_utimensat:
		return tr_perm_may(c, res, times_now(c) ? TR_MAY_TIMES_NOW : TR_MAY_OWNER);
	case FUSS_SYS_fsetxattr:
	case FUSS_SYS_fremovexattr:
	case FUSS_SYS_setxattrat:
	case FUSS_SYS_removexattrat: {
		char name[256];
		int arg = c->sys == FUSS_SYS_fsetxattr || c->sys == FUSS_SYS_fremovexattr ? 1 : 3;

		if (tr_mem_read_str(c->t->tid, arch_arg(&c->regs, arg), name, sizeof(name)) < 0)
			return 0; /* the kernel answers */
		return tr_perm_xattr(c, res, name);
	}
	}
	return 0;
}

/* Copy the fd's lower file up and make the call act on the upper path:
 * `nr` is the path form of the call, path_arg where its path goes; `pure`
 * for the calls that take no path at all (they refuse O_PATH fds). */
static int fd_redirect(struct tr_call *c, int fd, bool pure, long nr, int path_arg,
		       int dirfd_arg)
{
	struct tr_res res;
	char real[PATH_MAX];
	int err = fd_lower(c, fd, &res);

	if (err <= 0)
		return err < 0 ? err : TR_RUN;
	/* `pure` fd calls (fchmod, futimens, ...) refuse an O_PATH fd (EBADF)
	 * by themselves; the AT_EMPTY_PATH forms act on it. */
	unsigned oflags;
	if (pure && tr_fdinfo(c->t->tid, fd, NULL, &oflags) == 0 && (oflags & O_PATH))
		return TR_RUN;
	if ((err = may_change(c, &res)) < 0)
		return err;
	if ((err = tr_call_scratch(c)) != 0)
		return err;
	if ((err = tr_call_copyup(c, &res)) < 0)
		return err;
	if ((err = tr_res_real(&res, 0, real, sizeof(real))) < 0)
		return err;
	if (nr >= 0)
		arch_set_sysno(&c->regs, nr);
	if (dirfd_arg >= 0)
		arch_set_arg(&c->regs, dirfd_arg, (unsigned long)AT_FDCWD);
	c->dirty = true;
	return tr_call_rewrite(c, path_arg, NULL, real);
}

int sys_fd_enter(struct tr_call *c)
{
	int fd = (int)arch_arg(&c->regs, 0);
	unsigned long a1 = arch_arg(&c->regs, 1), a2 = arch_arg(&c->regs, 2),
		      a3 = arch_arg(&c->regs, 3), a4 = arch_arg(&c->regs, 4);

	switch (c->sys) {
	case FUSS_SYS_fchmod:
		/* fchmodat(AT_FDCWD, upper, mode) */
		arch_set_arg(&c->regs, 2, a1);
		return fd_redirect(c, fd, true, arch_nr_fchmodat, 1, 0);
	case FUSS_SYS_fchown:
		/* fchownat(AT_FDCWD, upper, uid, gid, 0) */
		arch_set_arg(&c->regs, 2, a1);
		arch_set_arg(&c->regs, 3, a2);
		arch_set_arg(&c->regs, 4, 0);
		return fd_redirect(c, fd, true, arch_nr_fchownat, 1, 0);
	case FUSS_SYS_fsetxattr:
		/* setxattr(upper, name, value, size, flags) */
		(void)a1; (void)a3; (void)a4;
		return fd_redirect(c, fd, true, arch_nr_setxattr, 0, -1);
	case FUSS_SYS_fremovexattr:
		return fd_redirect(c, fd, true, arch_nr_removexattr, 0, -1);
	case FUSS_SYS_ftruncate:
	default:
		/* A lower file can only be open read-only (opening it for
		 * writing copies it up), and the kernel refuses ftruncate on
		 * such an fd by itself. */
		return TR_RUN;
	}
}

/* AT_* flags the kernel refuses with EINVAL before it looks the path up
 * (fchmodat2, fchownat, utimensat, file_setattr take only these two): the
 * call must fail with nothing copied up. */
static bool bad_at_flags(const struct tr_call *c)
{
	return (unsigned)tr_call_atflags(c) & ~(unsigned)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH);
}

int sys_copyup_enter(struct tr_call *c)
{
	char path[PATH_MAX];
	struct tr_res res;
	unsigned flags = tr_systab[c->sys].flags;
	int err;

	if (bad_at_flags(c))
		return -EINVAL;
	if ((err = tr_call_read_resolve(c, path, sizeof(path), &res)) == TR_RUN) {
		/* An empty path: with AT_EMPTY_PATH the call acts on the dirfd. */
		if (SF_HAS(flags, 4) && SF_HAS(flags, 8) &&
		    (arch_arg(&c->regs, SF_ARG(flags, 8)) & AT_EMPTY_PATH))
			return fd_redirect(c, (int)arch_arg(&c->regs, SF_ARG(flags, 4)), false, -1,
					   SF_ARG(flags, 0), SF_ARG(flags, 4));
		return TR_RUN;
	}
	if (err || (err = tr_res_existing(c, path, &res)) != 0)
		return err;
	if (c->sys == FUSS_SYS_truncate && S_ISDIR(res.ent.mode))
		return -EISDIR;
	if (c->sys == FUSS_SYS_truncate && (long)arch_arg(&c->regs, 1) < 0)
		return -EINVAL;
	if (c->sys == FUSS_SYS_fchmodat2 && S_ISLNK(res.ent.mode))
		return -EOPNOTSUPP; /* no modes on symlinks: nothing to copy up */
	if (res.ent.layer != 0 && (err = may_change(c, &res)) < 0)
		return err;
	if ((err = tr_call_scratch(c)) != 0)
		return err;
	if ((err = tr_call_copyup(c, &res)) < 0)
		return err;
	return tr_call_rewrite_res(c, path, &res, 0);
}

int sys_utimensat_enter(struct tr_call *c)
{
	struct timespec ts[2];
	unsigned long times = arch_arg(&c->regs, 2);

	if (bad_at_flags(c))
		return -EINVAL;
	/* Both times UTIME_OMIT: the kernel does nothing, not even a lookup. */
	if (times && tr_mem_read(c->t->tid, times, ts, sizeof(ts)) == sizeof(ts) &&
	    ts[0].tv_nsec == UTIME_OMIT && ts[1].tv_nsec == UTIME_OMIT) {
		c->ret = 0;
		return TR_EMU;
	}
	/* utimensat(fd, NULL, times, flags) is futimens(fd, times). */
	if (arch_arg(&c->regs, 1) == 0)
		return fd_redirect(c, (int)arch_arg(&c->regs, 0), true, -1, 1, 0);
	return sys_copyup_enter(c);
}
