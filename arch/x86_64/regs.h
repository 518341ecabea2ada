/*
 * x86_64: the registers as PTRACE_GETREGS gives them, the syscalls the
 * kernel has (the *at forms and the legacy path calls) and the other ABIs
 * a process can call the kernel with: i386 (int 0x80, its own audit
 * architecture) and x32 (the native audit architecture, numbers with
 * bit 30 set).
 */
#ifndef FUSS_ARCH_X86_64_REGS_H
#define FUSS_ARCH_X86_64_REGS_H

#include <linux/audit.h>
#include <sys/user.h>

struct arch_regs {
	struct user_regs_struct r;
};

#define ARCH_SYSCALLS(X) FUSS_SYSCALLS_GENERIC(X) FUSS_SYSCALLS_LEGACY(X)

#define ARCH_AUDIT AUDIT_ARCH_X86_64
/* The compat ABI may still end: i386 exit and exit_group. */
#define ARCH_COMPAT_NR_EXIT 1
#define ARCH_COMPAT_NR_EXIT_GROUP 252
/* Native numbers at or above this are x32 calls (0: no such ABI). */
#define ARCH_NR_FOREIGN 0x40000000u

#endif
