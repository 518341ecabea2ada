/*
 * denysys: runs a command under a seccomp filter that makes the named
 * syscalls fail with an errno, so start-up checks can meet what an older
 * kernel, a container's seccomp profile or a security module would do:
 *   denysys EPERM mknod,mknodat COMMAND [ARG...]   (kernels before 5.8
 *                                                  without CAP_MKNOD)
 *   denysys EPERM ptrace COMMAND [ARG...]
 *   denysys ENOSYS seccomp COMMAND [ARG...]
 *   denysys EIO fdatasync COMMAND [ARG...]   (--volatile: never called)
 * The filter stays on the command and everything it starts.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_CALLS 8

static const struct { const char *name; int nr; } calls[] = {
	{ "mknod", __NR_mknod }, { "mknodat", __NR_mknodat },
	{ "ptrace", __NR_ptrace }, { "seccomp", __NR_seccomp },
	{ "fdatasync", __NR_fdatasync },
};
static const struct { const char *name; int err; } errs[] = {
	{ "EPERM", EPERM }, { "EACCES", EACCES }, { "EINVAL", EINVAL }, { "ENOSYS", ENOSYS },
	{ "EIO", EIO },
};

static int call_nr(const char *name)
{
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		if (strcmp(calls[i].name, name) == 0)
			return calls[i].nr;
	return -1;
}

static int err_num(const char *name)
{
	for (size_t i = 0; i < sizeof(errs) / sizeof(errs[0]); i++)
		if (strcmp(errs[i].name, name) == 0)
			return errs[i].err;
	return -1;
}

int main(int argc, char **argv)
{
	/* arch check, load nr, one test per call, errno, allow */
	struct sock_filter f[3 + MAX_CALLS + 2];
	unsigned n = 0, ncalls = 0;
	int nrs[MAX_CALLS], err;

	if (argc < 4) {
		fprintf(stderr, "usage: denysys ERRNO SYSCALL[,SYSCALL...] COMMAND [ARG...]\n");
		return 2;
	}
	err = err_num(argv[1]);
	if (err < 0) {
		fprintf(stderr, "denysys: %s: unknown errno name\n", argv[1]);
		return 2;
	}
	for (char *save = NULL, *tok = strtok_r(argv[2], ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (ncalls == MAX_CALLS || (nrs[ncalls] = call_nr(tok)) < 0) {
			fprintf(stderr, "denysys: %s: unknown syscall or too many\n", tok);
			return 2;
		}
		ncalls++;
	}
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, arch));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64,
					      0, (unsigned char)(ncalls + 1));
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, nr));
	for (unsigned i = 0; i < ncalls; i++)
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nrs[i],
						      (unsigned char)(ncalls - i), 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
					      SECCOMP_RET_ERRNO | (unsigned)err);

	struct sock_fprog prog = { .len = (unsigned short)n, .filter = f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
		perror("denysys: seccomp");
		return 1;
	}
	execvp(argv[3], argv + 3);
	perror("denysys: exec");
	return 127;
}
