/*
 * arm64: the general registers as PTRACE_GETREGSET NT_PRSTATUS gives them,
 * and the syscall number the kernel will run, which lives apart from them
 * (NT_ARM_SYSTEM_CALL). The kernel has only the generic syscalls (no
 * legacy path calls); an AArch32 process calls it with the ARM EABI.
 */
#ifndef FUSS_ARCH_ARM64_REGS_H
#define FUSS_ARCH_ARM64_REGS_H

#include <linux/audit.h>
#include <stdbool.h>
#include <sys/user.h>

struct arch_regs {
	struct user_regs_struct r;
	int sysno;        /* the syscall the kernel runs (-1: none) */
	bool sysno_dirty; /* sysno to be written with NT_ARM_SYSTEM_CALL */
	bool native;      /* an AArch64 register set (not AArch32) */
};

#define ARCH_SYSCALLS(X) FUSS_SYSCALLS_GENERIC(X)

#define ARCH_AUDIT AUDIT_ARCH_AARCH64
/* The compat ABI may still end: ARM EABI exit and exit_group. */
#define ARCH_COMPAT_NR_EXIT 1
#define ARCH_COMPAT_NR_EXIT_GROUP 248
/* No second ABI behind the native audit architecture. */
#define ARCH_NR_FOREIGN 0u

#endif
