/*
 * The small per-architecture interface the tracer uses: syscall number
 * mapping, register access at a stop, the seccomp filter, and the
 * instruction-level facts needed to inject a syscall. Nothing else in the
 * tracer knows which architecture it runs on.
 */
#ifndef FUSS_ARCH_H
#define FUSS_ARCH_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/filter.h>
#include "syscalls.h"

/* struct arch_regs, ARCH_SYSCALLS (the lists of syscalls.h the kernel
 * has) and the ABI facts the seccomp filter needs (arch/filter.c). The
 * compiler's target picks the one header; nothing else tests it. */
#if defined(__x86_64__)
#include "x86_64/regs.h"
#elif defined(__aarch64__)
#include "arm64/regs.h"
#else
#error "fuss supports x86_64 and arm64 (see arch/)"
#endif

/* Registers of a stopped tracee (owner worker only). 0 or -errno. */
int arch_regs_get(pid_t tid, struct arch_regs *regs);
int arch_regs_set(pid_t tid, const struct arch_regs *regs);

long arch_sysno(const struct arch_regs *regs);
void arch_set_sysno(struct arch_regs *regs, long nr);
unsigned long arch_arg(const struct arch_regs *regs, int i);
void arch_set_arg(struct arch_regs *regs, int i, unsigned long v);
long arch_ret(const struct arch_regs *regs);
void arch_set_ret(struct arch_regs *regs, long v);
/* At a seccomp stop: do not run the syscall; the tracee sees `ret`. */
void arch_skip(struct arch_regs *regs, long ret);
/* At a seccomp stop: skip the syscall now and make the thread execute it
 * again (it stops here again), e.g. while another thread prepares what it
 * needs. */
void arch_retry(struct arch_regs *regs);
/* Was the stop's syscall made with the native ABI? */
bool arch_native(const struct arch_regs *regs);

/* Kernel number -> enum fuss_sys (FUSS_SYS_none if not known). */
int arch_sys_from_nr(long nr);
/* enum fuss_sys -> kernel number (-1 if the architecture lacks it). */
long arch_nr_from_sys(int sys);

/* Number of mmap, lseek, and the other syscalls the tracer injects. */
extern const long arch_nr_mmap, arch_nr_lseek, arch_nr_fchmodat,
	arch_nr_fchownat, arch_nr_setxattr, arch_nr_removexattr;

/* After the exit stop of an injected syscall, make the tracee run the
 * original syscall again from its seccomp stop: restore `orig` with the
 * instruction pointer moved back over the syscall instruction. */
void arch_prepare_restart(struct arch_regs *regs, const struct arch_regs *orig);

/* Parking a new thread for a hand-over between workers. At a new thread's
 * first stop it has just returned from its clone syscall; arch_park turns
 * that syscall instruction into a blocking call without a timeout (pause,
 * or ppoll of no descriptors where there is no pause) to be run again
 * (every signal is blocked by the tracer first, so it blocks until a
 * ptrace interrupt).
 * `insn` holds the arch_park_insn_len bytes read at arch_park_insn_addr;
 * false when they are not a syscall instruction (the thread then stays). */
extern const unsigned arch_park_insn_len;
unsigned long arch_park_insn_addr(const struct arch_regs *regs);
bool arch_park(struct arch_regs *regs, const unsigned char *insn);

/* The seccomp filter (arch/filter.c): RET_TRACE for every syscall that
 * maps to a fuss_sys, except those it answers itself: ERRNO(ENOSYS) for
 * io_uring_setup and non-native ABIs (exit calls allowed), ERRNO(EPERM)
 * for ptrace. ALLOW for everything else. The program is static storage. */
const struct sock_fprog *arch_filter(void);

/* True for the syscalls the filter answers itself: they never stop. */
static inline bool arch_sys_filtered(int sys)
{
	return sys == FUSS_SYS_io_uring_setup || sys == FUSS_SYS_ptrace;
}

#endif
