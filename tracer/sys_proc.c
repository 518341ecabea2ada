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

/* Is `path` (absolute, lexically normal) /proc/{self,thread-self,PID}/X with
 * X one of cwd, exe, root or fd/N? Then write the tracer's own name for it
 * (with the tracee's tid for self and thread-self) to out. */
static bool proc_magic_link(pid_t tid, const char *path, char *out, size_t size)
{
	const char *p;
	char *end;
	long pid;

	if (strncmp(path, "/proc/", 6) != 0)
		return false;
	p = path + 6;
	if (strncmp(p, "self/", 5) == 0) {
		pid = tid;
		p += 5;
	} else if (strncmp(p, "thread-self/", 12) == 0) {
		pid = tid;
		p += 12;
	} else {
		pid = strtol(p, &end, 10);
		if (end == p || *end != '/' || pid <= 0)
			return false;
		p = end + 1;
	}
	if (strcmp(p, "cwd") && strcmp(p, "exe") && strcmp(p, "root")) {
		if (strncmp(p, "fd/", 3) != 0)
			return false;
		strtol(p + 3, &end, 10);
		if (end == p + 3 || *end)
			return false;
	}
	return snprintf(out, size, "/proc/%ld/%s", pid, p) < (int)size;
}

int sys_readlink_enter(struct tr_call *c)
{
	char path[PATH_MAX], proc[PATH_MAX], real[PATH_MAX], vpath[PATH_MAX];
	struct tr_res res;
	bool at = c->sys == FUSS_SYS_readlinkat;
	unsigned long buf = arch_arg(&c->regs, at ? 2 : 1);
	size_t bufsiz = arch_arg(&c->regs, at ? 3 : 2);
	int err;

	if (tr_call_path(c, path, sizeof(path)) < 0 || !path[0])
		return TR_RUN;
	err = tr_call_resolve(c, path, &res);
	if (err < 0)
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
	if (!proc_magic_link(c->t->tid, norm, proc, sizeof(proc)))
		return tr_call_rewrite_res(c, path, &res, 0);
	ssize_t n = readlink(proc, real, sizeof(real) - 1);
	if (n < 0)
		return tr_call_rewrite_res(c, path, &res, 0);
	real[n] = '\0';
	int len = tr_path_real_to_virtual(tr.cfg, real, vpath, sizeof(vpath));
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
