/*
 * Unit tests of the seccomp filter (arch/filter.c) of the architecture
 * built for, run through a small classic-BPF evaluator so every rule is
 * checked whatever the machine can execute: a compat call (i386 on x86_64,
 * AArch32 on arm64) or an x32 call never reaches the kernel except
 * exit/exit_group, io_uring_setup gets ENOSYS, ptrace gets EPERM, every
 * syscall fuss knows stops, anything else runs.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <cmocka.h>
#include "../../arch/arch.h"

/* Evaluates the subset of classic BPF the filter uses. */
static uint32_t run_filter(const struct sock_fprog *prog, uint32_t arch, uint32_t nr)
{
	struct seccomp_data d = { .nr = (int)nr, .arch = arch };
	uint32_t acc = 0;

	for (unsigned pc = 0; pc < prog->len; pc++) {
		const struct sock_filter *f = &prog->filter[pc];

		switch (f->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			assert_true(f->k + 4 <= sizeof(d));
			memcpy(&acc, (const char *)&d + f->k, 4);
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
			pc += acc == f->k ? f->jt : f->jf;
			break;
		case BPF_JMP | BPF_JGE | BPF_K:
			pc += acc >= f->k ? f->jt : f->jf;
			break;
		case BPF_RET | BPF_K:
			return f->k;
		default:
			fail_msg("unexpected BPF instruction %#x at %u", f->code, pc);
		}
	}
	fail_msg("the filter fell off its end");
	return 0;
}

#define ENOSYS_RET (SECCOMP_RET_ERRNO | ENOSYS)

/* The compat ABI of the architecture: i386 on x86_64, AArch32 on arm64. */
static uint32_t compat_audit(void)
{
	return ARCH_AUDIT == AUDIT_ARCH_X86_64 ? AUDIT_ARCH_I386 : AUDIT_ARCH_ARM;
}

static void test_compat_denied(void **state)
{
	const struct sock_fprog *p = arch_filter();
	uint32_t compat = compat_audit();

	(void)state;
	/* open (5), execve (11) on both; openat, io_uring_setup */
	assert_int_equal(run_filter(p, compat, 5), ENOSYS_RET);
	assert_int_equal(run_filter(p, compat, 11), ENOSYS_RET);
	assert_int_equal(run_filter(p, compat, compat == AUDIT_ARCH_I386 ? 295 : 322), ENOSYS_RET);
	assert_int_equal(run_filter(p, compat, 425), ENOSYS_RET);
	/* exit and exit_group still work, so a 32-bit program can end */
	assert_int_equal(run_filter(p, compat, 1), SECCOMP_RET_ALLOW);
	assert_int_equal(run_filter(p, compat, ARCH_COMPAT_NR_EXIT_GROUP), SECCOMP_RET_ALLOW);
	for (uint32_t nr = 2; nr < 460; nr++)
		if (nr != ARCH_COMPAT_NR_EXIT_GROUP)
			assert_int_equal(run_filter(p, compat, nr), ENOSYS_RET);
}

static void test_x32_denied(void **state)
{
	const struct sock_fprog *p = arch_filter();

	(void)state;
	if (!ARCH_NR_FOREIGN)
		skip(); /* no x32-like ABI on this architecture */
	assert_int_equal(run_filter(p, ARCH_AUDIT, ARCH_NR_FOREIGN | SYS_openat), ENOSYS_RET);
	assert_int_equal(run_filter(p, ARCH_AUDIT, ARCH_NR_FOREIGN | SYS_getpid), ENOSYS_RET);
}

static void test_native(void **state)
{
	const struct sock_fprog *p = arch_filter();

	(void)state;
	assert_int_equal(run_filter(p, ARCH_AUDIT, SYS_io_uring_setup), ENOSYS_RET);
	assert_int_equal(run_filter(p, ARCH_AUDIT, SYS_ptrace), SECCOMP_RET_ERRNO | EPERM);
	/* compat ptrace (26) is refused with the rest of the 32-bit ABI */
	assert_int_equal(run_filter(p, compat_audit(), 26), ENOSYS_RET);
	assert_int_equal(run_filter(p, ARCH_AUDIT, SYS_getpid), SECCOMP_RET_ALLOW);
	assert_int_equal(run_filter(p, ARCH_AUDIT, SYS_read), SECCOMP_RET_ALLOW);
	assert_int_equal(run_filter(p, ARCH_AUDIT, SYS_io_uring_enter), SECCOMP_RET_ALLOW);
	/* every syscall of the table stops, and only those */
	for (int sys = FUSS_SYS_none + 1; sys < FUSS_SYS_MAX; sys++) {
		long nr = arch_nr_from_sys(sys);

		if (nr < 0 || arch_sys_filtered(sys))
			continue;
		assert_int_equal(run_filter(p, ARCH_AUDIT, (uint32_t)nr), SECCOMP_RET_TRACE);
	}
	for (uint32_t nr = 0; nr < 512; nr++) {
		int sys = arch_sys_from_nr(nr);
		uint32_t r = run_filter(p, ARCH_AUDIT, nr);

		if (sys == FUSS_SYS_none)
			assert_true(r == SECCOMP_RET_ALLOW);
		else if (arch_sys_filtered(sys))
			assert_true((r & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compat_denied),
		cmocka_unit_test(test_x32_denied),
		cmocka_unit_test(test_native),
	};

	return cmocka_run_group_tests_name("filter", tests, NULL, NULL);
}
