/*
 * The lookup class (stat, access, readlink, getxattr, statfs, ...): resolve
 * in the virtual namespace and hand the kernel the topmost real path; and
 * the calls that are refused when they name the overlay.
 */
#include <errno.h>
#include <string.h>
#include "log.h"
#include "sys.h"

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
	int err;

	if (tr_call_path(c, path, sizeof(path)) < 0 || !path[0])
		return TR_RUN; /* the kernel gives EFAULT/ENOENT, or uses the fd */
	err = tr_call_resolve(c, path, &res);
	if (err < 0)
		return err;
	if (res.in_overlay && !res.exists)
		return -ENOENT;
	return tr_call_rewrite_res(c, path, &res, res.ent.layer);
}

/* Calls that must never reach a layer unmediated and that fuss does not
 * emulate: refused inside the overlay, untouched outside. */
static int refuse_in_overlay(struct tr_call *c, int errnum)
{
	char path[PATH_MAX];
	struct tr_res res;
	int err;

	if (tr_call_path(c, path, sizeof(path)) < 0 || !path[0])
		return TR_RUN;
	err = tr_call_resolve(c, path, &res);
	if (err < 0)
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
