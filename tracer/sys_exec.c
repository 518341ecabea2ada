/*
 * execve, execveat and chdir: resolve (following symlinks) and hand the
 * kernel the topmost real path. argv[0] is left as the program wrote it.
 */
#include <errno.h>
#include <sys/stat.h>
#include "sys.h"

int sys_exec_enter(struct tr_call *c)
{
	return sys_lookup_enter(c);
}

int sys_chdir_enter(struct tr_call *c)
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
	if (!res.exists)
		return -ENOENT;
	if (!S_ISDIR(res.ent.mode))
		return -ENOTDIR;
	return tr_call_rewrite_res(c, path, &res, tr_res_id_layer(&res));
}
