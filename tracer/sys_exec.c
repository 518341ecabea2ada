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
 *
 * An ELF program whose PT_INTERP (its dynamic loader) names a path inside
 * the overlay cannot be loaded by the kernel, which would read that path on
 * the host. fuss runs the loader itself the way `ld.so PROGRAM` works:
 * execve(real loader, [argv[0], "--argv0", argv[0], program's overlay path,
 * argv[1]...]); the loader then opens the program (and its libraries)
 * through the overlay, and the program sees its own argv[0].
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "log.h"
#include "perm.h"
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

/* Finish an exec the tracer rebuilt: argv = head[0..n) + the program's
 * argv[1..argc), run as execve(real, argv, envp). head must have room for
 * argc more entries. TR_RUN, TR_INJECT or -errno. */
static int exec_as(struct tr_call *c, const char *real, unsigned long *head, size_t n,
		   const unsigned long *args, size_t argc)
{
	unsigned long a_real;
	int err;

	for (size_t i = 1; i < argc; i++)
		head[n++] = args[i];
	head[n++] = 0;
	if ((err = put_str(c, real, &a_real)) < 0 ||
	    (err = tr_mem_put(c, 1, head, n * sizeof(head[0]))) < 0)
		return err == -EAGAIN ? TR_INJECT : err;
	if (c->sys == FUSS_SYS_execveat) {
		/* execveat(dirfd, path, argv, envp, flags) -> execve */
		long nr = arch_nr_from_sys(FUSS_SYS_execve);

		if (nr < 0)
			return -ENOSYS;
		arch_set_arg(&c->regs, 2, arch_arg(&c->regs, 3));
		arch_set_sysno(&c->regs, nr);
	}
	arch_set_arg(&c->regs, 0, a_real);
	c->dirty = true;
	return TR_RUN;
}

static int exec_script(struct tr_call *c, const char *path, const struct tr_res *res,
		       const char *real)
{
	struct shebang sb;
	struct tr_res ir;
	char ireal[PATH_MAX];
	unsigned long args[ARGV_MAX], argv[ARGV_MAX + 3], a;
	size_t argc, n = 0;
	int err = shebang_read(real, &sb);

	if (err <= 0)
		return err;
	if (!(res->ent.mode & 0111))
		return -EACCES;
	if ((err = tr_perm_may(c, res, TR_MAY_EXEC)) < 0)
		return err;
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
	return exec_as(c, ireal, argv, n, args, argc);
out:
	return err == -EAGAIN ? TR_INJECT : err;
}

/* PT_INTERP of the ELF file `real` into interp: 1, 0 when it has none (or
 * is no ELF file: the kernel answers), -errno. */
static int elf_interp(const char *real, char *interp, size_t size)
{
	Elf64_Ehdr eh;
	int fd = open(real, O_RDONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return 0;
	if (pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum > 4096)
		goto out;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		if (pread(fd, &ph, sizeof(ph), (off_t)(eh.e_phoff + i * sizeof(ph))) != sizeof(ph))
			goto out;
		if (ph.p_type != PT_INTERP)
			continue;
		if (ph.p_filesz < 2 || ph.p_filesz > size) {
			ret = -ENOEXEC;
			goto out;
		}
		if (pread(fd, interp, ph.p_filesz, (off_t)ph.p_offset) != (ssize_t)ph.p_filesz ||
		    interp[ph.p_filesz - 1] != '\0') {
			ret = -ENOEXEC;
			goto out;
		}
		ret = 1;
		break;
	}
out:
	close(fd);
	return ret;
}

/* 0 when the kernel can load the program itself; TR_RUN once the call was
 * turned into a run of the loader from the overlay; -errno. */
static int exec_elf(struct tr_call *c, const struct tr_res *res, const char *real)
{
	char interp[PATH_MAX], ireal[PATH_MAX], vpath[PATH_MAX];
	unsigned long args[ARGV_MAX], argv[ARGV_MAX + 4], a;
	struct tr_res ir;
	size_t argc, n = 0;
	int argv_arg = c->sys == FUSS_SYS_execveat ? 2 : 1;
	int err = elf_interp(real, interp, sizeof(interp));

	if (err <= 0)
		return err;
	if ((err = tr_resolve(c, AT_FDCWD, interp, TR_RES_FOLLOW, &ir)) < 0)
		return err;
	if (!ir.in_overlay)
		return 0;
	if (!ir.exists)
		return -ENOENT;
	if (!(res->ent.mode & 0111))
		return -EACCES;
	if ((err = tr_perm_may(c, res, TR_MAY_EXEC)) < 0)
		return err;
	if ((err = tr_res_real(&ir, ir.ent.layer, ireal, sizeof(ireal))) < 0)
		return err;
	err = snprintf(vpath, sizeof(vpath), "%s/%s",
		       tr.cfg->mountpoint_len == 1 ? "" : tr.cfg->mountpoint, res->vrel);
	if (err < 0 || (size_t)err >= sizeof(vpath))
		return -ENAMETOOLONG;
	if ((err = argv_read(c, arch_arg(&c->regs, argv_arg), args, &argc)) < 0)
		return err;
	if ((err = tr_call_scratch(c)) != 0)
		return err;
	if (argc) {
		argv[n++] = args[0];
		if ((err = put_str(c, "--argv0", &a)) < 0)
			goto out;
		argv[n++] = a;
		argv[n++] = args[0];
	} else {
		if ((err = put_str(c, interp, &a)) < 0)
			goto out;
		argv[n++] = a;
	}
	if ((err = put_str(c, vpath, &a)) < 0)
		goto out;
	argv[n++] = a;
	return exec_as(c, ireal, argv, n, args, argc);
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
	if (S_ISREG(res.ent.mode)) {
		if ((r = tr_res_real(&res, res.ent.layer, real, sizeof(real))) < 0)
			return r;
		if ((r = exec_elf(c, &res, real)) != 0)
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
