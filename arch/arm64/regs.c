/*
 * arm64 registers. Arguments are x0..x5 and the result comes back in x0,
 * so at a syscall's entry stop x0 is its first argument (the kernel keeps
 * the original aside only for its own restarts). The number is in x8 as
 * the program made the call; the kernel runs the one it keeps apart, which
 * a tracer reads and writes with NT_ARM_SYSTEM_CALL: setting it to -1
 * skips the call, leaving x0 as the tracer wrote it. The syscall
 * instruction is `svc #0`, 4 bytes.
 */
#include <elf.h>
#include <errno.h>
#include <stddef.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include "../arch.h"

#define ARM64_SVC_LEN 4
static const unsigned char arm64_svc0[ARM64_SVC_LEN] = { 0x01, 0x00, 0x00, 0xd4 };

int arch_regs_get(pid_t tid, struct arch_regs *regs)
{
	struct iovec iov = { &regs->r, sizeof(regs->r) };

	if (ptrace(PTRACE_GETREGSET, tid, NT_PRSTATUS, &iov) < 0)
		return -errno;
	/* An AArch32 thread has a smaller set (r0..r15, cpsr). */
	regs->native = iov.iov_len == sizeof(regs->r);
	/* At a syscall stop x8 is the number the kernel took from it. */
	regs->sysno = (int)regs->r.regs[8];
	regs->sysno_dirty = false;
	return 0;
}

int arch_regs_set(pid_t tid, const struct arch_regs *regs)
{
	struct iovec iov = { (void *)&regs->r, sizeof(regs->r) };
	int nr = regs->sysno;
	struct iovec nr_iov = { &nr, sizeof(nr) };

	if (ptrace(PTRACE_SETREGSET, tid, NT_PRSTATUS, &iov) < 0)
		return -errno;
	if (regs->sysno_dirty && ptrace(PTRACE_SETREGSET, tid, NT_ARM_SYSTEM_CALL, &nr_iov) < 0)
		return -errno;
	return 0;
}

long arch_sysno(const struct arch_regs *regs)
{
	return regs->sysno;
}

/* The number the kernel runs, and x8 too: a call the kernel restarts after
 * a signal runs its instruction again and stops here again, with the
 * rewritten number and arguments as on x86_64, but for x0, which the
 * kernel puts back from its own copy of the program's. */
void arch_set_sysno(struct arch_regs *regs, long nr)
{
	regs->sysno = (int)nr;
	regs->sysno_dirty = true;
	if (nr >= 0)
		regs->r.regs[8] = (unsigned long long)nr;
}

unsigned long arch_arg(const struct arch_regs *regs, int i)
{
	return i >= 0 && i < 6 ? regs->r.regs[i] : 0;
}

void arch_set_arg(struct arch_regs *regs, int i, unsigned long v)
{
	if (i >= 0 && i < 6)
		regs->r.regs[i] = v;
}

long arch_ret(const struct arch_regs *regs)
{
	return (long)regs->r.regs[0];
}

void arch_set_ret(struct arch_regs *regs, long v)
{
	regs->r.regs[0] = (unsigned long long)v;
}

void arch_skip(struct arch_regs *regs, long ret)
{
	arch_set_sysno(regs, -1);
	regs->r.regs[0] = (unsigned long long)ret;
}

/* x0 is still the first argument and x8 the number: the instruction run
 * again makes the same call. */
void arch_retry(struct arch_regs *regs)
{
	arch_set_sysno(regs, -1);
	regs->r.pc -= ARM64_SVC_LEN;
}

bool arch_native(const struct arch_regs *regs)
{
	return regs->native;
}

const unsigned arch_park_insn_len = ARM64_SVC_LEN;

unsigned long arch_park_insn_addr(const struct arch_regs *regs)
{
	return regs->r.pc - ARM64_SVC_LEN;
}

/* arm64 has no pause(): ppoll(NULL, 0, NULL, NULL) blocks the same way. */
bool arch_park(struct arch_regs *regs, const unsigned char *insn)
{
	for (unsigned i = 0; i < ARM64_SVC_LEN; i++)
		if (insn[i] != arm64_svc0[i])
			return false;
	regs->r.pc -= ARM64_SVC_LEN;
	regs->r.regs[8] = __NR_ppoll;
	for (int i = 0; i < 4; i++)
		regs->r.regs[i] = 0;
	/* No syscall to restart: the first stop's own clone result is gone. */
	arch_set_sysno(regs, -1);
	return true;
}

/* At the exit stop of the injected call: the original registers (its
 * arguments and number as at its seccomp stop) with pc back on its `svc`;
 * the injected call is over, so nothing of it may be restarted. */
void arch_prepare_restart(struct arch_regs *regs, const struct arch_regs *orig)
{
	*regs = *orig;
	regs->r.pc -= ARM64_SVC_LEN;
	arch_set_sysno(regs, -1);
}
