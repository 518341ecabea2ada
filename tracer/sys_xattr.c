/*
 * Extended attributes. Overlay-private names (trusted.overlay.*,
 * user.overlay.*, user.fuseoverlayfs.*) are layer bookkeeping: reads give
 * ENODATA, lists leave them out (filtered at the exit stop), writes give
 * EPERM, as overlayfs does. Setting or removing an ordinary name copies the
 * file up first; removing a name the file does not have gives ENODATA
 * without a copy-up. The *xattrat forms (dirfd, path, AT_* flags, then the
 * name or list) follow the same rules; with an empty path and AT_EMPTY_PATH
 * they act on the dirfd like the f* forms.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>
#include "path.h"
#include "perm.h"
#include "sys.h"
#include "vfs.h"

static const char *const private_prefixes[] = {
	"trusted.overlay.", "user.overlay.", "user.fuseoverlayfs.",
};

static bool xattr_private(const char *name)
{
	for (size_t i = 0; i < sizeof(private_prefixes) / sizeof(private_prefixes[0]); i++)
		if (strncmp(name, private_prefixes[i], strlen(private_prefixes[i])) == 0)
			return true;
	return false;
}

static bool xattr_at(const struct tr_call *c)
{
	return c->sys == FUSS_SYS_setxattrat || c->sys == FUSS_SYS_getxattrat ||
	       c->sys == FUSS_SYS_listxattrat || c->sys == FUSS_SYS_removexattrat;
}

/* Where the name (or the list buffer) is. */
static int name_arg(const struct tr_call *c)
{
	return xattr_at(c) ? 3 : 1;
}

/* Does the call act on an fd (f* forms; *xattrat with an empty path and
 * AT_EMPTY_PATH, where the fd may be AT_FDCWD)? Which one in *fd. */
static bool xattr_fd(struct tr_call *c, int *fd)
{
	char ch = 1;

	*fd = (int)arch_arg(&c->regs, 0);
	if (c->sys == FUSS_SYS_fgetxattr || c->sys == FUSS_SYS_flistxattr ||
	    c->sys == FUSS_SYS_fsetxattr || c->sys == FUSS_SYS_fremovexattr)
		return true;
	if (!xattr_at(c) || !(arch_arg(&c->regs, 2) & AT_EMPTY_PATH))
		return false;
	return tr_mem_read(c->t->tid, arch_arg(&c->regs, 1), &ch, 1) == 1 && !ch;
}

static int read_name(struct tr_call *c, int arg, char *name, size_t size)
{
	ssize_t n = tr_mem_read_str(c->t->tid, arch_arg(&c->regs, arg), name, size);

	return n < 0 ? (int)n : 0;
}

/* The layer the tracee's fd refers into (0 = upper), -1 for none; its real
 * path in `real`. */
static int fd_layer(struct tr_call *c, int fd, char *real, size_t size)
{
	if (tr_call_fd_real(c, fd, real, size) < 0)
		return -1;
	return tr_vfs_layer_of(real);
}

static bool fd_in_layer(struct tr_call *c, int fd)
{
	char real[TR_REAL_MAX];

	return fd_layer(c, fd, real, sizeof(real)) >= 0;
}

/* A read through an fd of a lower layer sees what the merged view shows
 * now: a file copied up since it was opened, or a merged directory (opened
 * in its bottom-most layer), is read in its topmost layer. The call becomes
 * its path form on that layer's real path: TR_RUN, or 0 to let the kernel
 * act on the fd. */
static int fd_read_top(struct tr_call *c, int fd)
{
	char real[TR_REAL_MAX], vpath[PATH_MAX];
	struct tr_res res;
	int layer = fd_layer(c, fd, real, sizeof(real)), err;

	if (layer < 1)
		return 0;
	if (tr_vfs_to_virtual(real, vpath, sizeof(vpath)) <= 0)
		return 0;
	if ((err = tr_resolve(c, AT_FDCWD, vpath, 0, &res)) < 0)
		return err;
	if (!res.in_overlay || !res.exists || res.ent.layer == layer)
		return 0;
	if ((err = tr_res_top(&res, real, sizeof(real))) < 0)
		return err;
	if ((err = tr_call_scratch(c)) != 0)
		return err;
	if (xattr_at(c)) {
		/* getxattrat/listxattrat(AT_FDCWD, top, AT_SYMLINK_NOFOLLOW, ...) */
		arch_set_arg(&c->regs, 0, (unsigned long)AT_FDCWD);
		arch_set_arg(&c->regs, 2, AT_SYMLINK_NOFOLLOW);
		c->dirty = true;
		return tr_call_rewrite(c, 1, NULL, real);
	}
	long nr = arch_nr_from_sys(c->sys == FUSS_SYS_fgetxattr ? FUSS_SYS_lgetxattr
								  : FUSS_SYS_llistxattr);
	if (nr < 0)
		return 0;
	arch_set_sysno(&c->regs, nr);
	c->dirty = true;
	return tr_call_rewrite(c, 0, NULL, real);
}

/* Removing a name a lower object does not have: ENODATA, no copy-up. */
static bool remove_absent(const char *real, const char *name)
{
	return lgetxattr(real, name, NULL, 0) < 0 && errno == ENODATA;
}

static int list_exit(struct tr_call *c)
{
	long r = arch_ret(&c->regs);
	unsigned long buf = (unsigned long)c->t->exit_arg;
	char *list, *out;
	size_t used = 0;

	if (r <= 0 || !buf)
		return 0;
	list = malloc((size_t)r);
	if (!list)
		return -ENOMEM;
	if (tr_mem_read(c->t->tid, buf, list, (size_t)r) != r) {
		free(list);
		return 0;
	}
	out = list;
	for (size_t off = 0; off < (size_t)r;) {
		size_t len = strnlen(list + off, (size_t)r - off);

		if (!xattr_private(list + off)) {
			memmove(out + used, list + off, len + 1 > (size_t)r - off ? len : len + 1);
			used += len + 1;
		}
		off += len + 1;
	}
	if (used != (size_t)r) {
		if (used && tr_mem_write(c->t->tid, buf, out, used) != (ssize_t)used)
			used = 0;
		arch_set_ret(&c->regs, (long)used);
		c->dirty = true;
	}
	free(list);
	return 0;
}

static void want_list_filter(struct tr_call *c)
{
	tr_call_want_exit(c, list_exit, (long)arch_arg(&c->regs, name_arg(c)));
}

int sys_xattr_get_enter(struct tr_call *c)
{
	char path[PATH_MAX], name[XATTR_NAME_MAX + 1];
	struct tr_res res;
	int err;

	int fd;

	if (xattr_fd(c, &fd)) {
		if (read_name(c, name_arg(c), name, sizeof(name)) == 0 && xattr_private(name) &&
		    fd_in_layer(c, fd))
			return -ENODATA;
		err = fd_read_top(c, fd);
		return err ? err : TR_RUN;
	}
	int name_err;

	if ((err = tr_call_path_and(c, path, sizeof(path), name_arg(c), name, sizeof(name),
				    &name_err)) < 0)
		return err;
	if (!path[0])
		return TR_RUN;
	/* A private name is answered here: the path must be known to exist
	 * (its own error comes first), not left to the kernel. */
	bool private = name_err == 0 && xattr_private(name);

	if ((err = tr_call_resolve_but(c, path, private ? TR_RES_MAYBE : 0, &res)) != 0 ||
	    (err = tr_res_existing(c, path, &res)) != 0)
		return err;
	if (private)
		return -ENODATA;
	return tr_call_rewrite_res(c, path, &res, res.ent.layer);
}

int sys_xattr_list_enter(struct tr_call *c)
{
	char path[PATH_MAX];
	struct tr_res res;
	int err, r;

	int fd;

	if (xattr_fd(c, &fd)) {
		if (!fd_in_layer(c, fd))
			return TR_RUN;
		err = fd_read_top(c, fd);
		if (err < 0)
			return err;
		want_list_filter(c);
		return TR_RUN;
	}
	if ((err = tr_call_existing(c, path, sizeof(path), &res)) != 0)
		return err;
	r = tr_call_rewrite_res(c, path, &res, res.ent.layer);
	if (r == TR_RUN)
		want_list_filter(c);
	return r;
}

/* setxattr, lsetxattr, removexattr, lremovexattr, fsetxattr, fremovexattr. */
int sys_xattr_set_enter(struct tr_call *c)
{
	char path[PATH_MAX], name[XATTR_NAME_MAX + 1];
	struct tr_res res;
	bool remove = c->sys == FUSS_SYS_removexattr || c->sys == FUSS_SYS_lremovexattr ||
		      c->sys == FUSS_SYS_fremovexattr || c->sys == FUSS_SYS_removexattrat;
	int fd, err;

	if (read_name(c, name_arg(c), name, sizeof(name)) < 0)
		return TR_RUN;
	if (xattr_fd(c, &fd)) {
		char real[TR_REAL_MAX];
		int layer = fd_layer(c, fd, real, sizeof(real));

		if (xattr_private(name) && layer >= 0)
			return -EPERM;
		if (remove && layer > 0 && remove_absent(real, name))
			return -ENODATA;
		/* the *at form with AT_EMPTY_PATH: the copy-up class redirects it */
		return xattr_at(c) ? sys_copyup_enter(c) : sys_fd_enter(c);
	}
	if ((err = tr_call_existing(c, path, sizeof(path), &res)) != 0)
		return err;
	if (xattr_private(name))
		return -EPERM;
	if (res.ent.layer != 0 && (err = tr_perm_xattr(c, &res, name)) < 0)
		return err;
	if (remove && res.ent.layer != 0) {
		char real[PATH_MAX];

		if ((err = tr_res_real(&res, res.ent.layer, real, sizeof(real))) < 0)
			return err;
		if (remove_absent(real, name))
			return -ENODATA;
	}
	if ((err = tr_call_scratch(c)) != 0)
		return err;
	if ((err = tr_call_copyup(c, &res)) < 0)
		return err;
	return tr_call_rewrite_res(c, path, &res, 0);
}
