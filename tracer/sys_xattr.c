/*
 * Extended attributes. Overlay-private names (trusted.overlay.*,
 * user.overlay.*, user.fuseoverlayfs.*) are layer bookkeeping: reads give
 * ENODATA, lists leave them out (filtered at the exit stop), writes give
 * EPERM, as overlayfs does. Setting or removing an ordinary name copies the
 * file up first; removing a name the file does not have gives ENODATA
 * without a copy-up.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>
#include "path.h"
#include "sys.h"

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

static int read_name(struct tr_call *c, int arg, char *name, size_t size)
{
	ssize_t n = tr_mem_read_str(c->t->tid, arch_arg(&c->regs, arg), name, size);

	return n < 0 ? (int)n : 0;
}

/* Does the tracee's fd refer to something inside a layer? */
static bool fd_in_layer(struct tr_call *c, int fd)
{
	char real[PATH_MAX];

	if (tr_fd_real(c->t->tid, fd, real, sizeof(real)) < 0)
		return false;
	return tr_path_layer_of(tr.cfg, real) >= 0;
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
	tr_call_want_exit(c, list_exit, (long)arch_arg(&c->regs, 1));
}

int sys_xattr_get_enter(struct tr_call *c)
{
	char path[PATH_MAX], name[XATTR_NAME_MAX + 1];
	struct tr_res res;
	int err;

	if (c->sys == FUSS_SYS_fgetxattr) {
		if (read_name(c, 1, name, sizeof(name)) == 0 && xattr_private(name) &&
		    fd_in_layer(c, (int)arch_arg(&c->regs, 0)))
			return -ENODATA;
		return TR_RUN;
	}
	if ((err = tr_call_existing(c, path, sizeof(path), &res)) != 0)
		return err;
	if (read_name(c, 1, name, sizeof(name)) == 0 && xattr_private(name))
		return -ENODATA;
	return tr_call_rewrite_res(c, path, &res, res.ent.layer);
}

int sys_xattr_list_enter(struct tr_call *c)
{
	char path[PATH_MAX];
	struct tr_res res;
	int err, r;

	if (c->sys == FUSS_SYS_flistxattr) {
		if (fd_in_layer(c, (int)arch_arg(&c->regs, 0)))
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
	bool fd_form = c->sys == FUSS_SYS_fsetxattr || c->sys == FUSS_SYS_fremovexattr;
	bool remove = c->sys == FUSS_SYS_removexattr || c->sys == FUSS_SYS_lremovexattr ||
		      c->sys == FUSS_SYS_fremovexattr;
	int err;

	if (read_name(c, 1, name, sizeof(name)) < 0)
		return TR_RUN;
	if (fd_form) {
		if (xattr_private(name) && fd_in_layer(c, (int)arch_arg(&c->regs, 0)))
			return -EPERM;
		return sys_fd_enter(c);
	}
	if ((err = tr_call_existing(c, path, sizeof(path), &res)) != 0)
		return err;
	if (xattr_private(name))
		return -EPERM;
	if (remove && res.ent.layer != 0) {
		char real[PATH_MAX];

		if ((err = tr_res_real(&res, res.ent.layer, real, sizeof(real))) < 0)
			return err;
		if (lgetxattr(real, name, NULL, 0) < 0 && errno == ENODATA)
			return -ENODATA;
	}
	if ((err = tr_call_scratch(c)) != 0)
		return err;
	if ((err = tr_call_copyup(c, &res)) < 0)
		return err;
	return tr_call_rewrite_res(c, path, &res, 0);
}
