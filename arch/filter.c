/*
 * The seccomp filter, built once from the syscall table and the ABI facts
 * of arch/<arch>/regs.h: another audit architecture (i386 on x86_64,
 * AArch32 on arm64) -> ENOSYS, its exit and exit_group allowed so that such
 * a program can at least end; a second ABI behind the native audit
 * architecture (x32) -> ENOSYS; io_uring_setup -> ENOSYS (io_uring would
 * open files behind ptrace's back); ptrace -> EPERM (a tracee that could
 * trace would run its tracees' path syscalls unrewritten, and a thread
 * being handed between workers is briefly untraced); every syscall fuss
 * knows -> TRACE; everything else -> ALLOW at native speed.
 */
#include <errno.h>
#include <stddef.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include "arch.h"

#define LD_ARCH (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch))
#define LD_NR (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))
#define RET(v) (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, (v))
#define JEQ(k, jt, jf) (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (k), (jt), (jf))

enum { FILTER_MAX = 8 + 2 * FUSS_SYS_MAX + 8 };
static struct sock_filter filter_insns[FILTER_MAX];
static struct sock_fprog filter_prog;

/* Jump over the compat block to the native part. */
static unsigned short filter_compat(struct sock_filter *f, unsigned short n)
{
	f[n++] = LD_ARCH;
	f[n++] = JEQ(ARCH_AUDIT, 5, 0);
	f[n++] = LD_NR;
	f[n++] = JEQ(ARCH_COMPAT_NR_EXIT, 1, 0);
	f[n++] = JEQ(ARCH_COMPAT_NR_EXIT_GROUP, 0, 1);
	f[n++] = RET(SECCOMP_RET_ALLOW);
	f[n++] = RET(SECCOMP_RET_ERRNO | ENOSYS);
	return n;
}

/* The calls the filter answers itself (arch_sys_filtered). */
static unsigned short filter_refused(struct sock_filter *f, unsigned short n)
{
	f[n++] = LD_NR;
	if (ARCH_NR_FOREIGN) {
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, ARCH_NR_FOREIGN, 0, 1);
		f[n++] = RET(SECCOMP_RET_ERRNO | ENOSYS);
	}
	f[n++] = JEQ((unsigned)arch_nr_from_sys(FUSS_SYS_io_uring_setup), 0, 1);
	f[n++] = RET(SECCOMP_RET_ERRNO | ENOSYS);
	f[n++] = JEQ((unsigned)arch_nr_from_sys(FUSS_SYS_ptrace), 0, 1);
	f[n++] = RET(SECCOMP_RET_ERRNO | EPERM);
	return n;
}

const struct sock_fprog *arch_filter(void)
{
	struct sock_filter *f = filter_insns;
	unsigned short n, first;

	if (filter_prog.len)
		return &filter_prog;
	n = filter_refused(f, filter_compat(f, 0));
	first = n;
	for (int sys = FUSS_SYS_none + 1; sys < FUSS_SYS_MAX; sys++) {
		long nr = arch_nr_from_sys(sys);

		if (nr < 0 || arch_sys_filtered(sys))
			continue;
		/* its jump target, the TRACE return, is set below */
		f[n++] = JEQ((unsigned)nr, 0, 0);
	}
	unsigned short allow = n;
	f[n++] = RET(SECCOMP_RET_ALLOW);
	f[n++] = RET(SECCOMP_RET_TRACE);
	for (unsigned short i = first; i < allow; i++)
		f[i].jt = (unsigned char)(allow - i);
	filter_prog.len = n;
	filter_prog.filter = filter_insns;
	return &filter_prog;
}
