/*
 * getcwd: when the real cwd lies in a layer, answer with the virtual path
 * (the kernel would name the layer). Outside the layers the kernel's answer
 * is already right. Also the set*id calls, which only mark the thread's
 * cached rights stale.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "path.h"
#include "perm.h"
#include "sys.h"
#include "vfs.h"

#define DELETED_SUFFIX " (deleted)"

/* setuid and friends: the thread's cached rights are stale afterwards. */
int sys_creds_enter(struct tr_call *c)
{
	tr_perm_forget(c->t);
	return TR_RUN;
}

int sys_getcwd_enter(struct tr_call *c)
{
	char real[TR_REAL_MAX], vpath[PATH_MAX];
	unsigned long buf = arch_arg(&c->regs, 0), size = arch_arg(&c->regs, 1);
	int len;

	/* also a cwd deeper than the kernel can name (a layer's path plus
	 * the virtual path), whose virtual path may well fit */
	if (tr_fd_real(c->t->tid, AT_FDCWD, real, sizeof(real)) < 0)
		return TR_RUN;
	len = tr_vfs_to_virtual(real, vpath, sizeof(vpath));
	if (len <= 0)
		return len < 0 ? len : TR_RUN;
	size_t sl = strlen(DELETED_SUFFIX);
	if ((size_t)len > sl && strcmp(vpath + len - sl, DELETED_SUFFIX) == 0)
		return -ENOENT;
	/* Removed in the merged view (whited out, or an emptied merged dir
	 * removed) while its real directory in a lower layer still exists. */
	struct tr_res res;
	int err = tr_resolve(c, AT_FDCWD, vpath, 0, &res);

	if (err == -ENOENT || (err == 0 && res.in_overlay && !res.exists))
		return -ENOENT;
	if ((unsigned long)len + 1 > size)
		return -ERANGE;
	if (tr_mem_write(c->t->tid, buf, vpath, (size_t)len + 1) != len + 1)
		return -EFAULT;
	c->ret = len + 1;
	return TR_EMU;
}
