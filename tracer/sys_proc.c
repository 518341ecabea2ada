/*
 * readlink of a traced process's /proc magic links (cwd, exe, root, fd/N):
 * the kernel would name the real object in a layer; the program sees the
 * virtual path under the mountpoint instead. Links that point outside the
 * layers are left to the kernel.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "path.h"
#include "sys.h"
#include "vfs.h"

int sys_readlink_enter(struct tr_call *c)
{
	char path[PATH_MAX], proc[PATH_MAX], real[PATH_MAX], vpath[PATH_MAX];
	struct tr_res res;
	bool at = c->sys == FUSS_SYS_readlinkat;
	unsigned long buf = arch_arg(&c->regs, at ? 2 : 1);
	size_t bufsiz = arch_arg(&c->regs, at ? 3 : 2);
	int err;

	if ((err = tr_call_read_resolve(c, path, sizeof(path), &res)) != 0)
		return err;
	if (res.in_overlay) {
		if (!res.exists)
			return -ENOENT;
		return tr_call_rewrite_res(c, path, &res, res.ent.layer);
	}
	const char *host = res.host_rewrite ? res.host : path;
	char norm[PATH_MAX];

	if (host[0] != '/' || strlen(host) >= sizeof(norm))
		return tr_call_rewrite_res(c, path, &res, 0);
	strcpy(norm, host);
	tr_path_normalize(norm);
	int plen = tr_proc_magic(c->t->tid, norm, proc, sizeof(proc));

	if (plen <= 0 || norm[plen] != '\0')
		return tr_call_rewrite_res(c, path, &res, 0);
	ssize_t n = readlink(proc, real, sizeof(real) - 1);
	if (n < 0)
		return tr_call_rewrite_res(c, path, &res, 0);
	real[n] = '\0';
	int len = tr_vfs_to_virtual(real, vpath, sizeof(vpath));
	if (len <= 0)
		return len < 0 ? len : tr_call_rewrite_res(c, path, &res, 0);
	if ((int)bufsiz <= 0)
		return -EINVAL;
	if ((size_t)len > bufsiz)
		len = (int)bufsiz; /* readlink truncates silently */
	if (tr_mem_write(c->t->tid, buf, vpath, (size_t)len) != len)
		return -EFAULT;
	c->ret = len;
	return TR_EMU;
}
