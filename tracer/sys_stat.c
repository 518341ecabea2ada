/*
 * The lookup class (stat, access, readlink, getxattr, statfs, ...): resolve
 * in the virtual namespace and hand the kernel the topmost real path; and
 * the calls that are refused when they name the overlay.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "log.h"
#include "origin.h"
#include "path.h"
#include "sys.h"
#include "vfs.h"

int sys_pass_enter(struct tr_call *c)
{
	(void)c;
	return TR_RUN;
}

int sys_eopnotsupp_enter(struct tr_call *c)
{
	(void)c;
	return -EOPNOTSUPP;
}

int sys_lookup_enter(struct tr_call *c)
{
	char path[PATH_MAX];
	struct tr_res res;
	int r = tr_call_existing(c, path, sizeof(path), &res);

	return r ? r : tr_call_rewrite_res(c, path, &res, res.ent.layer);
}

/* access(W_OK) answers for the merged view: on a read-only overlay a
 * writable-looking file gives EROFS (after the permission check, as the
 * kernel orders them); a lower file on a read-only filesystem is still
 * writable through the overlay (a write would copy it up). */
static int access_exit(struct tr_call *c)
{
	long r = arch_ret(&c->regs), want = r;

	if (!tr.cfg->layer[0] && r == 0)
		want = -EROFS;
	else if (tr.cfg->layer[0] && r == -EROFS)
		want = 0;
	if (want != r) {
		arch_set_ret(&c->regs, want);
		c->dirty = true;
	}
	return 0;
}

int sys_access_enter(struct tr_call *c)
{
	char path[PATH_MAX];
	struct tr_res res;
	int mode_arg = c->sys == FUSS_SYS_access ? 1 : 2;
	int r = tr_call_existing(c, path, sizeof(path), &res);
	mode_t type;

	if (r)
		return r;
	r = tr_call_rewrite_res(c, path, &res, res.ent.layer);
	type = res.ent.mode & S_IFMT;
	if (r == TR_RUN && (arch_arg(&c->regs, mode_arg) & W_OK) &&
	    (res.ent.layer != 0 || !tr.cfg->layer[0]) &&
	    (type == S_IFREG || type == S_IFDIR || type == S_IFLNK))
		tr_call_want_exit(c, access_exit, 0);
	return r;
}

/* fanotify_mark(fd, flags, mask, dirfd, path): a lookup, the mark goes on
 * the topmost real object (as inotify_add_watch); a NULL path marks the
 * dirfd's own object. */
int sys_fanotify_mark_enter(struct tr_call *c)
{
	char path[PATH_MAX];
	struct tr_res res;
	int follow = (arch_arg(&c->regs, 1) & FAN_MARK_DONT_FOLLOW) ? 0 : TR_RES_FOLLOW;
	int err;

	if (!arch_arg(&c->regs, 4))
		return TR_RUN;
	if ((err = tr_call_path(c, path, sizeof(path))) < 0)
		return err;
	if (!path[0])
		return TR_RUN;
	if ((err = tr_resolve(c, (int)arch_arg(&c->regs, 3), path, follow, &res)) < 0)
		return err;
	if ((err = tr_res_existing(c, path, &res)) != 0)
		return err;
	return tr_call_rewrite_res(c, path, &res, res.ent.layer);
}

/* inotify_add_watch(fd, path, mask): IN_DONT_FOLLOW in the mask. */
int sys_inotify_add_watch_enter(struct tr_call *c)
{
	char path[PATH_MAX];
	struct tr_res res;
	int follow = (arch_arg(&c->regs, 2) & IN_DONT_FOLLOW) ? 0 : TR_RES_FOLLOW;
	int err;

	if ((err = tr_call_path(c, path, sizeof(path))) < 0)
		return err;
	if (!path[0])
		return TR_RUN;
	if ((err = tr_resolve(c, AT_FDCWD, path, follow, &res)) < 0)
		return err;
	if ((err = tr_res_existing(c, path, &res)) != 0)
		return err;
	return tr_call_rewrite_res(c, path, &res, res.ent.layer);
}

/* Calls that must never reach a layer unmediated and that fuss does not
 * emulate: refused inside the overlay, untouched outside. */
static int refuse_in_overlay(struct tr_call *c, int errnum)
{
	char path[PATH_MAX];
	struct tr_res res;
	int err;

	if ((err = tr_call_read_resolve(c, path, sizeof(path), &res)) != 0)
		return err;
	if (!res.in_overlay)
		return tr_call_rewrite_res(c, path, &res, 0);
	fuss_warn("tid %d: %s on %s inside the overlay is not supported: %s",
		  c->t->tid, arch_sys_name(c->sys), path, strerror(errnum));
	return -errnum;
}

int sys_deny_overlay_enter(struct tr_call *c)
{
	return refuse_in_overlay(c, c->sys == FUSS_SYS_name_to_handle_at ? EOPNOTSUPP : ENOSYS);
}

int sys_mount_enter(struct tr_call *c)
{
	return refuse_in_overlay(c, EPERM);
}

/* stat of a directory inside the overlay, answered by the tracer: identity
 * (st_dev, st_ino) from the directory's bottom-most layer, everything else
 * from its topmost layer, st_nlink 1 for a merged directory (as overlayfs
 * reports it). A file copied up during the run (`origin`) is answered the
 * same way, with the identity it had in its lower layer. */
static int stat_emulate(struct tr_call *c, const struct tr_res *res, const struct stat *origin)
{
	char top[PATH_MAX], id[PATH_MAX];
	unsigned long buf;
	bool merged = S_ISDIR(res->ent.mode) && __builtin_popcountll(res->ent.layers) > 1;
	struct stat ist;
	int err;

	if ((err = tr_res_real(res, res->ent.layer, top, sizeof(top))) < 0)
		return err;
	if (origin) {
		ist = *origin;
	} else {
		if ((err = tr_res_real(res, tr_res_id_layer(res), id, sizeof(id))) < 0)
			return err;
		if (stat(id, &ist) < 0)
			return -errno;
	}
	if (c->sys == FUSS_SYS_statx) {
		struct statx sx;
		unsigned mask = (unsigned)arch_arg(&c->regs, 3);

		buf = arch_arg(&c->regs, 4);
		if (statx(AT_FDCWD, top, AT_STATX_SYNC_AS_STAT | AT_SYMLINK_NOFOLLOW, mask,
			  &sx) < 0)
			return -errno;
		sx.stx_dev_major = major(ist.st_dev);
		sx.stx_dev_minor = minor(ist.st_dev);
		sx.stx_ino = ist.st_ino;
		if (merged)
			sx.stx_nlink = 1;
		if (tr_mem_write(c->t->tid, buf, &sx, sizeof(sx)) != sizeof(sx))
			return -EFAULT;
	} else {
		struct stat st;

		buf = arch_arg(&c->regs, c->sys == FUSS_SYS_newfstatat ? 2 : 1);
		if (lstat(top, &st) < 0)
			return -errno;
		st.st_dev = ist.st_dev;
		st.st_ino = ist.st_ino;
		if (merged)
			st.st_nlink = 1;
		if (tr_mem_write(c->t->tid, buf, &st, sizeof(st)) != sizeof(st))
			return -EFAULT;
	}
	c->ret = 0;
	return TR_EMU;
}

/* A directory in one layer only (and open there, fd_layer, or -1 for a
 * path) is what the kernel shows of it: identity, link count and all. */
static bool dir_single(const struct tr_res *res, int fd_layer)
{
	return __builtin_popcountll(res->ent.layers) == 1 &&
	       (fd_layer < 0 || fd_layer == res->ent.layer);
}

/* A file copied up during the run shows the identity it had below
 * (origin.c): answered here, else 0. */
static int stat_origin(struct tr_call *c, const struct tr_res *res)
{
	struct stat origin;

	if (res->ent.layer != 0 || !tr_origin_get(res->vrel, &origin.st_dev, &origin.st_ino))
		return 0;
	return stat_emulate(c, res, &origin);
}

/* fstat, i.e. newfstatat/statx(fd, "", AT_EMPTY_PATH), of an fd into a
 * layer shows what a stat by name shows now: a directory (open in its
 * bottom-most layer) gets the merged attributes, a file opened in a lower
 * layer and copied up since shows the upper copy. */
static int stat_fd_enter(struct tr_call *c, int fd)
{
	char real[TR_REAL_MAX], vpath[PATH_MAX];
	struct tr_res res;
	int layer, err;

	if (tr_call_fd_real(c, fd, real, sizeof(real)) < 0)
		return TR_RUN;
	if ((layer = tr_vfs_layer_of(real)) < 0)
		return TR_RUN;
	if (tr_vfs_to_virtual(real, vpath, sizeof(vpath)) <= 0)
		return TR_RUN;
	if ((err = tr_resolve(c, AT_FDCWD, vpath, TR_RES_MAYBE, &res)) < 0 || !res.in_overlay ||
	    !res.exists)
		return TR_RUN; /* removed from the merged view: the kernel answers */
	if (res.ent.flags & TR_DF_MAYBE)
		return TR_RUN; /* one-layer, and open in that layer */
	if (S_ISDIR(res.ent.mode))
		return dir_single(&res, layer) ? TR_RUN : stat_emulate(c, &res, NULL);
	if ((err = stat_origin(c, &res)) != 0)
		return err;
	if (res.ent.layer == layer)
		return TR_RUN;
	if ((err = tr_res_real(&res, res.ent.layer, real, sizeof(real))) < 0)
		return err;
	if ((err = tr_call_scratch(c)) != 0)
		return err;
	/* newfstatat/statx(AT_FDCWD, top, ..., AT_SYMLINK_NOFOLLOW) */
	unsigned flags = tr_systab[c->sys].flags;
	int fl = SF_ARG(flags, 8);

	arch_set_arg(&c->regs, SF_ARG(flags, 4), (unsigned long)AT_FDCWD);
	arch_set_arg(&c->regs, fl, (arch_arg(&c->regs, fl) & ~(unsigned long)AT_EMPTY_PATH) |
				   AT_SYMLINK_NOFOLLOW);
	c->dirty = true;
	return tr_call_rewrite(c, SF_ARG(flags, 0), NULL, real);
}

int sys_stat_enter(struct tr_call *c)
{
	char path[PATH_MAX];
	struct tr_res res;
	unsigned flags = tr_systab[c->sys].flags;
	bool empty_ok = SF_HAS(flags, 8) && (arch_arg(&c->regs, SF_ARG(flags, 8)) & AT_EMPTY_PATH);
	int r;

	/* With AT_EMPTY_PATH an empty (or, since Linux 6.11, NULL) path is
	 * fstat of the dirfd. */
	if (empty_ok && !arch_arg(&c->regs, SF_ARG(flags, 0)))
		return stat_fd_enter(c, (int)arch_arg(&c->regs, SF_ARG(flags, 4)));
	r = tr_call_existing(c, path, sizeof(path), &res);
	if (r == TR_RUN && empty_ok && !path[0])
		return stat_fd_enter(c, (int)arch_arg(&c->regs, SF_ARG(flags, 4)));
	if (r)
		return r;
	if (S_ISDIR(res.ent.mode) && !dir_single(&res, -1))
		return stat_emulate(c, &res, NULL);
	if ((r = stat_origin(c, &res)) != 0)
		return r;
	return tr_call_rewrite_res(c, path, &res, res.ent.layer);
}
