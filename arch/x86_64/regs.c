/*
 * x86_64 registers and syscall numbers. At a seccomp stop orig_rax holds the
 * syscall number and rax the future return value; orig_rax = -1 skips the
 * syscall. Arguments: rdi, rsi, rdx, r10, r8, r9.
 */
#include <errno.h>
#include <stddef.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include "../arch.h"

#define X86_SYSCALL_INSN_LEN 2 /* 0f 05 */

int arch_regs_get(pid_t tid, struct arch_regs *regs)
{
	if (ptrace(PTRACE_GETREGS, tid, NULL, &regs->r) < 0)
		return -errno;
	return 0;
}

int arch_regs_set(pid_t tid, const struct arch_regs *regs)
{
	if (ptrace(PTRACE_SETREGS, tid, NULL, &regs->r) < 0)
		return -errno;
	return 0;
}

long arch_sysno(const struct arch_regs *regs)
{
	return (long)regs->r.orig_rax;
}

void arch_set_sysno(struct arch_regs *regs, long nr)
{
	regs->r.orig_rax = (unsigned long long)nr;
}

unsigned long arch_arg(const struct arch_regs *regs, int i)
{
	switch (i) {
	case 0: return regs->r.rdi;
	case 1: return regs->r.rsi;
	case 2: return regs->r.rdx;
	case 3: return regs->r.r10;
	case 4: return regs->r.r8;
	case 5: return regs->r.r9;
	}
	return 0;
}

void arch_set_arg(struct arch_regs *regs, int i, unsigned long v)
{
	switch (i) {
	case 0: regs->r.rdi = v; break;
	case 1: regs->r.rsi = v; break;
	case 2: regs->r.rdx = v; break;
	case 3: regs->r.r10 = v; break;
	case 4: regs->r.r8 = v; break;
	case 5: regs->r.r9 = v; break;
	}
}

long arch_ret(const struct arch_regs *regs)
{
	return (long)regs->r.rax;
}

void arch_set_ret(struct arch_regs *regs, long v)
{
	regs->r.rax = (unsigned long long)v;
}

void arch_skip(struct arch_regs *regs, long ret)
{
	regs->r.orig_rax = (unsigned long long)-1;
	regs->r.rax = (unsigned long long)ret;
}

void arch_retry(struct arch_regs *regs)
{
	regs->r.rax = regs->r.orig_rax;
	regs->r.orig_rax = (unsigned long long)-1;
	regs->r.rip -= X86_SYSCALL_INSN_LEN;
}

bool arch_native(const struct arch_regs *regs)
{
	/* 0x33 is the 64-bit user code segment; x32 calls are denied by the
	 * filter, so a native stop here is a plain x86_64 call. */
	return regs->r.cs == 0x33;
}

const unsigned arch_park_insn_len = X86_SYSCALL_INSN_LEN;

unsigned long arch_park_insn_addr(const struct arch_regs *regs)
{
	return regs->r.rip - X86_SYSCALL_INSN_LEN;
}

bool arch_park(struct arch_regs *regs, const unsigned char *insn)
{
	if (insn[0] != 0x0f || insn[1] != 0x05)
		return false;
	regs->r.rip -= X86_SYSCALL_INSN_LEN;
	regs->r.rax = __NR_pause;
	/* No syscall to restart: the first stop's own clone result is gone. */
	regs->r.orig_rax = (unsigned long long)-1;
	return true;
}

void arch_prepare_restart(struct arch_regs *regs, const struct arch_regs *orig)
{
	*regs = *orig;
	regs->r.rip -= X86_SYSCALL_INSN_LEN;
	regs->r.rax = orig->r.orig_rax;
}

const long arch_nr_mmap = __NR_mmap, arch_nr_lseek = __NR_lseek,
	   arch_nr_fchmodat = __NR_fchmodat, arch_nr_fchownat = __NR_fchownat,
	   arch_nr_setxattr = __NR_setxattr, arch_nr_removexattr = __NR_removexattr;

#ifndef __NR_fchmodat2
#define __NR_fchmodat2 452
#endif
/* Newer than the build host's headers may be (Linux 6.13 and 6.17). */
#ifndef __NR_setxattrat
#define __NR_setxattrat 463
#define __NR_getxattrat 464
#define __NR_listxattrat 465
#define __NR_removexattrat 466
#endif
#ifndef __NR_file_getattr
#define __NR_file_getattr 468
#define __NR_file_setattr 469
#endif
#ifndef __NR_mount_setattr
#define __NR_mount_setattr 442
#endif

static const unsigned short sys_from_nr[] = {
#define ARCH_MAP(name) [__NR_##name] = FUSS_SYS_##name,
	FUSS_SYSCALLS_GENERIC(ARCH_MAP)
	FUSS_SYSCALLS_LEGACY(ARCH_MAP)
#undef ARCH_MAP
};

static const short nr_from_sys[FUSS_SYS_MAX] = {
#define ARCH_RMAP(name) [FUSS_SYS_##name] = __NR_##name,
	FUSS_SYSCALLS_GENERIC(ARCH_RMAP)
	FUSS_SYSCALLS_LEGACY(ARCH_RMAP)
#undef ARCH_RMAP
};

int arch_sys_from_nr(long nr)
{
	if (nr < 0 || (size_t)nr >= sizeof(sys_from_nr) / sizeof(sys_from_nr[0]))
		return FUSS_SYS_none;
	return sys_from_nr[nr];
}

long arch_nr_from_sys(int sys)
{
	if (sys <= FUSS_SYS_none || sys >= FUSS_SYS_MAX)
		return -1;
	return nr_from_sys[sys];
}

static const char *const sys_names[FUSS_SYS_MAX] = {
	[FUSS_SYS_none] = "?",
#define ARCH_NAME(name) [FUSS_SYS_##name] = #name,
	FUSS_SYSCALLS_GENERIC(ARCH_NAME)
	FUSS_SYSCALLS_LEGACY(ARCH_NAME)
#undef ARCH_NAME
};

const char *arch_sys_name(int sys)
{
	if (sys <= FUSS_SYS_none || sys >= FUSS_SYS_MAX)
		return "?";
	return sys_names[sys];
}
