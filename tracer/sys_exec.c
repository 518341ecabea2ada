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
	int r = tr_call_existing(c, path, sizeof(path), &res);

	if (r)
		return r;
	if (!S_ISDIR(res.ent.mode))
		return -ENOTDIR;
	return tr_call_rewrite_res(c, path, &res, tr_res_id_layer(&res));
}
