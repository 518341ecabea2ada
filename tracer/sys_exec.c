/*
 * execve, execveat and chdir: resolve (following symlinks) and hand the
 * kernel the topmost real path. argv[0] is left as the program wrote it.
 *
 * A `#!` script inside the overlay is started the way the kernel would,
 * but by the tracer: the kernel would pass the interpreter the *real* path
 * of the script (so "$0" and dirname "$0" would name a layer), so fuss execs
 * the interpreter itself with argv = [interpreter as written, optional
 * argument, the script path as the program gave it, argv[1]...], resolving
 * an interpreter that lives in the overlay too.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "log.h"
#include "sys.h"

#define SHEBANG_MAX 256 /* what the kernel reads of a script */
#define ARGV_MAX 2048   /* argv entries the rewritten call can carry */

struct shebang {
	char interp[SHEBANG_MAX];
	char arg[SHEBANG_MAX];
	bool has_arg;
};

/* Parse the first line of `real` like the kernel: 1 if it is a #! script,
 * 0 if not, -ENOEXEC for a line the kernel would refuse. */
static int shebang_read(const char *real, struct shebang *sb)
{
	char buf[SHEBANG_MAX + 1];
	int fd = open(real, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, SHEBANG_MAX);
	close(fd);
	if (n < 2 || buf[0] != '#' || buf[1] != '!')
		return 0;
	buf[n] = '\0';
	char *end = memchr(buf, '\n', (size_t)n);
	if (end)
		*end = '\0';
	char *p = buf + 2;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return -ENOEXEC;
	char *q = p;
	while (*q && *q != ' ' && *q != '\t')
		q++;
	if (!end && !*q)
		return -ENOEXEC; /* interpreter name cut by the buffer */
	memcpy(sb->interp, p, (size_t)(q - p));
	sb->interp[q - p] = '\0';
	while (*q == ' ' || *q == '\t')
		q++;
	char *e = q + strlen(q);
	while (e > q && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	sb->has_arg = *q != '\0';
	strcpy(sb->arg, q);
	return 1;
}

/* Put a string in the scratch slot; its tracee address in *addr. */
static int put_str(struct tr_call *c, const char *s, unsigned long *addr)
{
	return tr_mem_put_at(c, s, strlen(s) + 1, addr);
}

/* Read the program's argv pointers (argv[0] included) into args. */
static int argv_read(struct tr_call *c, unsigned long argv_addr, unsigned long *args,
		     size_t *argc)
{
	*argc = 0;
	while (argv_addr) {
		unsigned long p = 0;

		if (tr_mem_read(c->t->tid, argv_addr + *argc * sizeof(p), &p, sizeof(p)) !=
		    sizeof(p))
			return -EFAULT;
		if (!p)
			return 0;
		if (*argc >= ARGV_MAX)
			return -E2BIG;
		args[(*argc)++] = p;
	}
	return 0;
}

static int exec_script(struct tr_call *c, const char *path, const struct tr_res *res,
		       const char *real)
{
	struct shebang sb;
	struct tr_res ir;
	char ireal[PATH_MAX];
	unsigned long args[ARGV_MAX], argv[ARGV_MAX + 3], a_ireal, a;
	size_t argc, n = 0;
	int err = shebang_read(real, &sb);

	if (err <= 0)
		return err;
	if (!(res->ent.mode & 0111))
		return -EACCES;
	err = tr_resolve(c, AT_FDCWD, sb.interp, TR_RES_FOLLOW, &ir);
	if (err < 0)
		return err;
	if (ir.in_overlay && !ir.exists)
		return -ENOENT;
	if (ir.in_overlay)
		err = tr_res_real(&ir, ir.ent.layer, ireal, sizeof(ireal));
	else
		err = snprintf(ireal, sizeof(ireal), "%s", ir.host_rewrite ? ir.host : sb.interp);
	if (err < 0)
		return err;
	if ((err = argv_read(c, arch_arg(&c->regs, 1), args, &argc)) < 0) {
		if (err == -E2BIG)
			fuss_warn("tid %d: %s: more than %d arguments for a #! script "
				  "in the overlay", c->t->tid, path, ARGV_MAX);
		return err;
	}
	/* argv as the kernel builds it for a script */
	if ((err = put_str(c, sb.interp, &a)) < 0)
		goto out;
	argv[n++] = a;
	if (sb.has_arg) {
		if ((err = put_str(c, sb.arg, &a)) < 0)
			goto out;
		argv[n++] = a;
	}
	argv[n++] = arch_arg(&c->regs, 0); /* the script as the program named it */
	for (size_t i = 1; i < argc; i++)
		argv[n++] = args[i];
	argv[n++] = 0;
	if ((err = put_str(c, ireal, &a_ireal)) < 0 ||
	    (err = tr_mem_put(c, 1, argv, n * sizeof(argv[0]))) < 0)
		goto out;
	arch_set_arg(&c->regs, 0, a_ireal);
	c->dirty = true;
	return TR_RUN;
out:
	return err == -EAGAIN ? TR_INJECT : err;
}

int sys_exec_enter(struct tr_call *c)
{
	char path[PATH_MAX], real[PATH_MAX];
	struct tr_res res;
	int r = tr_call_existing(c, path, sizeof(path), &res);

	if (r)
		return r;
	if (c->sys == FUSS_SYS_execve && S_ISREG(res.ent.mode)) {
		if ((r = tr_res_real(&res, res.ent.layer, real, sizeof(real))) < 0)
			return r;
		if ((r = tr_call_scratch(c)) != 0)
			return r;
		r = exec_script(c, path, &res, real);
		if (r != 0)
			return r;
	}
	return tr_call_rewrite_res(c, path, &res, res.ent.layer);
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
