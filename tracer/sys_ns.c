/*
 * Namespace changes: mkdir, mknod, symlink, link, unlink, rmdir, rename. The
 * tracer resolves the names and vfsd performs the whole operation in the
 * layers (whiteouts, opaque dirs, merged-emptiness checks) with the
 * caller's credentials; the syscall is skipped with vfsd's result. Outside
 * the overlay the kernel runs them; across its boundary they give EXDEV.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "log.h"
#include "observe.h"
#include "origin.h"
#include "path.h"
#include "perm.h"
#include "sys.h"
#include "vfs.h"

/* A new name about to be created by vfsd; only a directory may be named
 * with a trailing slash. */
static int new_name_check(const struct tr_res *res, bool dir)
{
	if (res->exists || res->last_dot || !res->vrel_len)
		return -EEXIST;
	if (res->trailing_slash && !dir)
		return -ENOENT;
	if (!tr.cfg->layer[0])
		return -EROFS;
	return tr_check_new_name(res);
}

/* A new name resolved: "file/" (ENOTDIR from the resolver for an existing
 * non-directory) is a taken name for the create calls. */
static int new_name_resolved(int err, const struct tr_res *res)
{
	return err == -ENOTDIR && res->in_overlay && res->exists ? -EEXIST : err;
}

static int emulated(struct tr_call *c, int result)
{
	if (result < 0)
		return result;
	c->ret = 0;
	return TR_EMU;
}

int sys_mkdir_enter(struct tr_call *c)
{
	char path[PATH_MAX];
	struct tr_res res;
	int err, mode_arg = c->sys == FUSS_SYS_mkdir ? 1 : 2;

	if ((err = tr_call_path(c, path, sizeof(path))) < 0)
		return err;
	if (!path[0])
		return TR_RUN;
	err = tr_call_resolve(c, path, &res);
	err = new_name_resolved(err, &res);
	if (err < 0)
		return err;
	if (!res.in_overlay)
		return tr_call_rewrite_res(c, path, &res, 0);
	if ((err = new_name_check(&res, true)) < 0)
		return err;
	err = tr_vfs_change(c, SHM_OP_MKDIR, res.vrel, NULL, 0,
			   arch_arg(&c->regs, mode_arg) & 07777, 0, true);
	return emulated(c, err);
}

int sys_mknod_enter(struct tr_call *c)
{
	char path[PATH_MAX];
	struct tr_res res;
	int err, a = c->sys == FUSS_SYS_mknod ? 1 : 2;

	err = tr_call_read_resolve(c, path, sizeof(path), &res);
	err = new_name_resolved(err, &res);
	if (err)
		return err;
	if (!res.in_overlay)
		return tr_call_rewrite_res(c, path, &res, 0);
	if ((err = new_name_check(&res, false)) < 0)
		return err;
	err = tr_vfs_change(c, SHM_OP_MKNOD, res.vrel, NULL, 0,
			   arch_arg(&c->regs, a), arch_arg(&c->regs, a + 1), true);
	return emulated(c, err);
}

int sys_symlink_enter(struct tr_call *c)
{
	char path[PATH_MAX], target[PATH_MAX];
	struct tr_res res;
	int err;

	if ((err = tr_call_path(c, path, sizeof(path))) < 0)
		return err;
	if (!path[0])
		return TR_RUN;
	if ((err = (int)tr_mem_read_str(c->t->tid, arch_arg(&c->regs, 0), target, sizeof(target))) < 0)
		return err;
	tr_log_path(c, 1, target);
	err = tr_call_resolve(c, path, &res);
	err = new_name_resolved(err, &res);
	if (err < 0)
		return err;
	if (!res.in_overlay)
		return tr_call_rewrite_res(c, path, &res, 0);
	if (!target[0])
		return -ENOENT;
	if ((err = new_name_check(&res, false)) < 0)
		return err;
	err = tr_vfs_change(c, SHM_OP_SYMLINK, res.vrel, target, 0, 0, 0, true);
	return emulated(c, err);
}

/* Rewrite both names of a two-path call that stays outside the overlay
 * but whose dirfds live in a layer. */
static int rewrite_two_host(struct tr_call *c, const struct tr_res *a, int a_arg,
			    int a_dirfd, const struct tr_res *b, int b_arg, int b_dirfd)
{
	int r = TR_RUN;

	if (a->host_rewrite) {
		r = tr_call_rewrite(c, a_arg, NULL, a->host);
		if (r != TR_RUN)
			return r;
		if (a_dirfd >= 0)
			arch_set_arg(&c->regs, a_dirfd, (unsigned long)AT_FDCWD);
	}
	if (b->host_rewrite) {
		r = tr_call_rewrite(c, b_arg, NULL, b->host);
		if (r != TR_RUN)
			return r;
		if (b_dirfd >= 0)
			arch_set_arg(&c->regs, b_dirfd, (unsigned long)AT_FDCWD);
	}
	return r;
}

/* linkat of an object that has no name in the merged view (an fd given with
 * AT_EMPTY_PATH, or /proc/self/fd/N of an O_TMPFILE) to a new name: an
 * object in upper is linked there by the kernel; anything else stays where
 * the kernel would put it, or is refused across the overlay's boundary. */
static int link_object_into(struct tr_call *c, const char *real,
			    const struct tr_res *n, const char *newp)
{
	bool at = c->sys == FUSS_SYS_linkat;
	char up[PATH_MAX];
	int layer = tr_vfs_layer_of(real), err;

	if (!n->in_overlay) {
		if (layer >= 0)
			return -EXDEV;
		if (!n->host_rewrite)
			return TR_RUN;
		if ((err = tr_call_scratch(c)) != 0)
			return err;
		arch_set_arg(&c->regs, 2, (unsigned long)AT_FDCWD);
		return tr_call_rewrite(c, 3, newp, n->host);
	}
	if (layer != 0)
		return -EXDEV; /* a lower object or a host file */
	if (n->exists || n->last_dot)
		return -EEXIST;
	if ((err = tr_check_new_name(n)) < 0)
		return err;
	if ((err = tr_call_scratch(c)) != 0)
		return err;
	err = tr_vfs_change(c, SHM_OP_PREP_CREATE, n->vrel, NULL, 0, 0, 0, true);
	if (err < 0)
		return err;
	if ((err = tr_res_real(n, 0, up, sizeof(up))) < 0)
		return err;
	if (at)
		arch_set_arg(&c->regs, 2, (unsigned long)AT_FDCWD);
	c->dirty = true;
	return tr_call_rewrite(c, at ? 3 : 1, NULL, up);
}

/* The new name of link(2): looked up after the source, as the kernel does,
 * so the source's lookup errors come first. */
static int link_new_name(struct tr_call *c, bool at, const char *newp, struct tr_res *n)
{
	int err;

	if (!newp[0])
		return -ENOENT;
	c->log_slot = 1;
	err = tr_resolve(c, at ? (int)arch_arg(&c->regs, 2) : AT_FDCWD, newp, TR_RES_NAME, n);
	c->log_slot = 0;
	return new_name_resolved(err, n);
}

int sys_link_enter(struct tr_call *c)
{
	char oldp[PATH_MAX], newp[PATH_MAX];
	struct tr_res o, n;
	bool at = c->sys == FUSS_SYS_linkat;
	int err;

	if (at && (arch_arg(&c->regs, 4) & ~(unsigned long)(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)))
		return -EINVAL;
	if ((err = tr_call_path(c, oldp, sizeof(oldp))) < 0)
		return err;
	if ((err = (int)tr_mem_read_str(c->t->tid, arch_arg(&c->regs, at ? 3 : 1), newp, sizeof(newp))) < 0)
		return err;
	tr_log_path(c, 1, newp);
	int flags = at ? (int)arch_arg(&c->regs, 4) : 0;
	char proc[64], real[TR_REAL_MAX];
	int plen;

	if (!oldp[0]) {
		if (!at || !(flags & AT_EMPTY_PATH))
			return -ENOENT;
		if (tr_call_fd_real(c, (int)arch_arg(&c->regs, 0), real, sizeof(real)) < 0)
			return -EBADF;
		if ((err = link_new_name(c, at, newp, &n)) < 0)
			return err;
		/* An fd of a lower layer: the object the merged view shows under
		 * its name, linked the usual way (copy-up first). */
		if (tr_vfs_layer_of(real) > 0 &&
		    tr_vfs_to_virtual(real, oldp, sizeof(oldp)) > 0) {
			if ((err = tr_resolve(c, AT_FDCWD, oldp, 0, &o)) < 0)
				return err;
			goto named;
		}
		return link_object_into(c, real, &n, newp);
	}
	if ((flags & AT_SYMLINK_FOLLOW) &&
	    (plen = tr_proc_magic(c->t->tid, oldp, proc, sizeof(proc))) > 0 && !oldp[plen]) {
		ssize_t rl = readlink(proc, real, sizeof(real) - 1);

		if (rl > 0 && real[0] == '/') {
			real[rl] = '\0';
			if (strstr(real, " (deleted)")) {
				if ((err = link_new_name(c, at, newp, &n)) < 0)
					return err;
				return link_object_into(c, real, &n, newp);
			}
		}
	}
	err = tr_call_resolve(c, oldp, &o);
	if (err < 0)
		return err;
	if (o.in_overlay && !o.exists)
		return -ENOENT;
	if ((err = link_new_name(c, at, newp, &n)) < 0)
		return err;
named:
	if (!o.in_overlay && !n.in_overlay) {
		if ((err = tr_call_scratch(c)) != 0)
			return err;
		return rewrite_two_host(c, &o, at ? 1 : 0, at ? 0 : -1, &n, at ? 3 : 1,
					at ? 2 : -1);
	}
	if (o.in_overlay != n.in_overlay)
		return -EXDEV;
	if (!o.exists)
		return -ENOENT;
	/* The kernel looks the new name up before it refuses a directory. */
	if ((err = new_name_check(&n, false)) < 0)
		return err;
	if (S_ISDIR(o.ent.mode))
		return -EPERM;
	err = tr_vfs_change(c, SHM_OP_LINK, o.vrel, n.vrel, 0, 0, 0, true);
	return emulated(c, err);
}

int sys_unlink_enter(struct tr_call *c)
{
	char path[PATH_MAX];
	struct tr_res res;
	bool rmdir = c->sys == FUSS_SYS_rmdir ||
		     (c->sys == FUSS_SYS_unlinkat && (arch_arg(&c->regs, 2) & AT_REMOVEDIR));
	int err;

	if ((err = tr_call_path(c, path, sizeof(path))) < 0)
		return err;
	if (!path[0])
		return TR_RUN;
	if (c->sys == FUSS_SYS_unlinkat && (arch_arg(&c->regs, 2) & ~(unsigned long)AT_REMOVEDIR))
		return -EINVAL;
	err = tr_call_resolve(c, path, &res);
	if (err < 0)
		return err;
	if (!res.in_overlay)
		return tr_call_rewrite_res(c, path, &res, 0);
	if (res.last_dot == 1)
		return rmdir ? -EINVAL : -EISDIR;
	if (res.last_dot == 2)
		return rmdir ? -ENOTEMPTY : -EISDIR;
	if (!res.vrel_len && res.exists) {
		/* unlink("M/") is EISDIR before any permission check. */
		if (!rmdir && res.trailing_slash)
			return -EISDIR;
		return tr_perm_delete_mountpoint(c) ?: (rmdir ? -EBUSY : -EISDIR);
	}
	if (!tr.cfg->layer[0])
		return -EROFS; /* before the name is even looked at */
	if (!res.exists)
		return -ENOENT;
	if (rmdir && !S_ISDIR(res.ent.mode))
		return -ENOTDIR;
	if (!rmdir && S_ISDIR(res.ent.mode))
		return -EISDIR;
	err = tr_vfs_change(c, rmdir ? SHM_OP_RMDIR : SHM_OP_UNLINK, res.vrel, NULL,
			   0, 0, 0, true);
	if (err >= 0 && !rmdir)
		tr_origin_drop(res.vrel);
	return emulated(c, err);
}

int sys_rename_enter(struct tr_call *c)
{
	char oldp[PATH_MAX], newp[PATH_MAX];
	struct tr_res o, n;
	bool two_dirfd = c->sys != FUSS_SYS_rename;
	unsigned long flags = c->sys == FUSS_SYS_renameat2 ? arch_arg(&c->regs, 4) : 0;
	int err;

	if ((err = tr_call_path(c, oldp, sizeof(oldp))) < 0)
		return err;
	if ((err = (int)tr_mem_read_str(c->t->tid, arch_arg(&c->regs, two_dirfd ? 3 : 1), newp,
			    sizeof(newp))) < 0)
		return err;
	tr_log_path(c, 1, newp);
	if (!oldp[0] || !newp[0])
		return TR_RUN;
	err = tr_call_resolve(c, oldp, &o);
	if (err < 0)
		return err;
	c->log_slot = 1;
	err = tr_resolve(c, two_dirfd ? (int)arch_arg(&c->regs, 2) : AT_FDCWD, newp,
			 TR_RES_NAME, &n);
	c->log_slot = 0;
	if (err == -ENOTDIR && n.in_overlay && n.exists)
		err = 0; /* "file/" as the target: vfsd answers like rename(2) */
	if (err < 0)
		return err;
	if (!o.in_overlay && !n.in_overlay) {
		if ((err = tr_call_scratch(c)) != 0)
			return err;
		return rewrite_two_host(c, &o, 0, two_dirfd ? 0 : -1, &n,
					two_dirfd ? 3 : 1, two_dirfd ? 2 : -1);
	}
	if (o.in_overlay != n.in_overlay)
		return -EXDEV;
	if (flags & ~(unsigned long)(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	/* The mountpoint itself is named in its parent, on the host. */
	if ((!o.vrel_len && !o.last_dot) || (!n.vrel_len && !n.last_dot))
		return -EXDEV;
	if (o.last_dot || n.last_dot)
		return -EBUSY;
	if (!tr.cfg->layer[0])
		return -EROFS; /* before the names are even looked at */
	if (!o.exists)
		return -ENOENT;
	if (!S_ISDIR(o.ent.mode) && (o.trailing_slash || n.trailing_slash))
		return -ENOTDIR;
	if (!n.exists && (err = tr_check_new_name(&n)) < 0)
		return err;
	/* A lower file renamed is copied up first: it keeps its identity
	 * (origin.c), and so does one already copied up. */
	struct stat olow, nlow;
	bool okeep = !S_ISDIR(o.ent.mode) && o.ent.layer != 0 &&
		     tr_res_lstat(&o, o.ent.layer, &olow) == 0;
	bool nkeep = (flags & RENAME_EXCHANGE) && n.exists && !S_ISDIR(n.ent.mode) &&
		     n.ent.layer != 0 && tr_res_lstat(&n, n.ent.layer, &nlow) == 0;

	err = tr_vfs_change(c, SHM_OP_RENAME, o.vrel, n.vrel, flags, 0, 0, true);
	if (err >= 0) {
		tr_origin_rename(o.vrel, n.vrel, flags & RENAME_EXCHANGE);
		if (okeep)
			tr_origin_note(n.vrel, olow.st_dev, olow.st_ino);
		if (nkeep)
			tr_origin_note(o.vrel, nlow.st_dev, nlow.st_ino);
	}
	return emulated(c, err);
}
