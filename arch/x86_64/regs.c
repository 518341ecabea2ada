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
