/*
 * Unit tests of the syscall number tables (arch/table.c) of the
 * architecture built for, against numbers typed from each kernel's ABI
 * (not from the headers the table is built from): a few known numbers both
 * ways, the legacy path calls present on x86_64 and absent (-1) on arm64,
 * every mapped number mapping back, and numbers fuss does not know.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "../../arch/arch.h"

struct known {
	int sys;
	long nr;
};

static const struct known known_x86_64[] = {
	{ FUSS_SYS_openat, 257 }, { FUSS_SYS_newfstatat, 262 }, { FUSS_SYS_execve, 59 },
	{ FUSS_SYS_getdents64, 217 }, { FUSS_SYS_statx, 332 }, { FUSS_SYS_open, 2 },
	{ FUSS_SYS_stat, 4 }, { FUSS_SYS_mkdir, 83 }, { FUSS_SYS_getdents, 78 },
	{ FUSS_SYS_none, 0 },
};

static const struct known known_arm64[] = {
	{ FUSS_SYS_openat, 56 }, { FUSS_SYS_newfstatat, 79 }, { FUSS_SYS_execve, 221 },
	{ FUSS_SYS_getdents64, 61 }, { FUSS_SYS_statx, 291 }, { FUSS_SYS_mkdirat, 34 },
	{ FUSS_SYS_unlinkat, 35 }, { FUSS_SYS_renameat2, 276 }, { FUSS_SYS_setxattr, 5 },
	{ FUSS_SYS_none, 0 },
};

static bool is_arm64(void)
{
	return ARCH_AUDIT == AUDIT_ARCH_AARCH64;
}

static void test_known_numbers(void **state)
{
	const struct known *k = is_arm64() ? known_arm64 : known_x86_64;

	(void)state;
	for (; k->sys != FUSS_SYS_none; k++) {
		assert_int_equal(arch_nr_from_sys(k->sys), k->nr);
		assert_int_equal(arch_sys_from_nr(k->nr), k->sys);
	}
	/* what the tracer injects */
	assert_int_equal(arch_nr_mmap, is_arm64() ? 222 : 9);
	assert_int_equal(arch_nr_lseek, is_arm64() ? 62 : 8);
}

static void test_legacy(void **state)
{
	static const int legacy[] = {
#define LEGACY_SYS(name) FUSS_SYS_##name,
		FUSS_SYSCALLS_LEGACY(LEGACY_SYS)
#undef LEGACY_SYS
	};

	(void)state;
	for (size_t i = 0; i < sizeof(legacy) / sizeof(legacy[0]); i++) {
		if (is_arm64())
			assert_int_equal(arch_nr_from_sys(legacy[i]), -1);
		else
			assert_true(arch_nr_from_sys(legacy[i]) >= 0);
		assert_string_not_equal(arch_sys_name(legacy[i]), "?");
	}
}

static void test_round_trip(void **state)
{
	int mapped = 0;

	(void)state;
	for (int sys = FUSS_SYS_none + 1; sys < FUSS_SYS_MAX; sys++) {
		long nr = arch_nr_from_sys(sys);

		if (nr < 0)
			continue;
		assert_int_equal(arch_sys_from_nr(nr), sys);
		mapped++;
	}
	/* every generic syscall exists on both architectures */
#define COUNT_SYS(name) +1
	assert_true(mapped >= 0 FUSS_SYSCALLS_GENERIC(COUNT_SYS));
#undef COUNT_SYS
}

static void test_unknown(void **state)
{
	(void)state;
	assert_int_equal(arch_sys_from_nr(-1), FUSS_SYS_none);
	assert_int_equal(arch_sys_from_nr(100000), FUSS_SYS_none);
	/* 0 is read on x86_64 and io_setup on arm64: neither is fuss's */
	assert_int_equal(arch_sys_from_nr(0), FUSS_SYS_none);
	assert_int_equal(arch_nr_from_sys(FUSS_SYS_none), -1);
	assert_int_equal(arch_nr_from_sys(FUSS_SYS_MAX), -1);
	assert_string_equal(arch_sys_name(FUSS_SYS_MAX), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_numbers),
		cmocka_unit_test(test_legacy),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_unknown),
	};

	return cmocka_run_group_tests_name("table", tests, NULL, NULL);
}
