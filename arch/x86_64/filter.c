/*
 * The x86_64 seccomp filter, built once from the syscall tables: wrong
 * architecture -> ENOSYS (exit calls of i386 allowed so a 32-bit program can
 * at least end); x32 -> ENOSYS; io_uring_setup -> ENOSYS (io_uring would
 * open files behind ptrace's back); ptrace -> EPERM (a tracee that could
 * trace would run its tracees' path syscalls unrewritten, and a thread
 * being handed between workers is briefly untraced); every syscall fuss
 * knows -> TRACE; everything else -> ALLOW at native speed.
 */
#include <errno.h>
#include <stddef.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include "../arch.h"

#define I386_NR_EXIT 1
#define I386_NR_EXIT_GROUP 252
#define X32_SYSCALL_BIT 0x40000000u

#define LD_ARCH (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch))
#define LD_NR (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))
#define RET(v) (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, (v))

enum { FILTER_MAX = 8 + 2 * FUSS_SYS_MAX + 8 };
static struct sock_filter filter_insns[FILTER_MAX];
static struct sock_fprog filter_prog;

const struct sock_fprog *arch_filter(void)
{
	struct sock_filter *f = filter_insns;
	unsigned short n = 0;

	if (filter_prog.len)
		return &filter_prog;
	f[n++] = LD_ARCH;
	/* native: skip the non-native block (5 insns) */
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 5, 0);
	f[n++] = LD_NR;
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, I386_NR_EXIT, 1, 0);
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, I386_NR_EXIT_GROUP, 0, 1);
	f[n++] = RET(SECCOMP_RET_ALLOW);
	f[n++] = RET(SECCOMP_RET_ERRNO | ENOSYS);
	/* native x86_64 from here */
	f[n++] = LD_NR;
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, X32_SYSCALL_BIT, 0, 1);
	f[n++] = RET(SECCOMP_RET_ERRNO | ENOSYS);
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_setup, 0, 1);
	f[n++] = RET(SECCOMP_RET_ERRNO | ENOSYS);
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_ptrace, 0, 1);
	f[n++] = RET(SECCOMP_RET_ERRNO | EPERM);
	for (int sys = FUSS_SYS_none + 1; sys < FUSS_SYS_MAX; sys++) {
		long nr = arch_nr_from_sys(sys);

		if (nr < 0 || arch_sys_filtered(sys))
			continue;
		/* jump to the TRACE return placed right after the ALLOW */
		f[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr, 0, 0);
		n++;
	}
	unsigned short allow = n;
	f[n++] = RET(SECCOMP_RET_ALLOW);
	f[n++] = RET(SECCOMP_RET_TRACE);
	for (unsigned short i = 0; i < allow; i++) {
		if (f[i].code == (BPF_JMP | BPF_JEQ | BPF_K) && f[i].jt == 0 && f[i].jf == 0)
			f[i].jt = (unsigned char)(allow + 1 - (i + 1));
	}
	filter_prog.len = n;
	filter_prog.filter = filter_insns;
	return &filter_prog;
}
