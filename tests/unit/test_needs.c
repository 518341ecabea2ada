/*
 * Unit tests of the exit-status-3 explanations (tracer/needs.c): each host
 * situation names its cause and what to change, in one line.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "../../tracer/needs.h"

static char msg[512];

static const char *ptrace_msg(int err, int yama, bool filtered, bool cap)
{
	struct tr_host h = { .yama_scope = yama, .filtered = filtered, .cap_sys_ptrace = cap };
	int n = tr_needs_ptrace_msg(msg, sizeof(msg), err, &h);

	assert_true(n > 0 && n < (int)sizeof(msg));
	assert_null(strchr(msg, '\n'));
	return msg;
}

static void test_ptrace_msg_yama3_wins(void **state)
{
	(void)state;
	/* Even with the capability and a filter: 3 refuses everyone. */
	ptrace_msg(EPERM, 3, true, true);
	assert_non_null(strstr(msg, "ptrace is not permitted here (EPERM)"));
	assert_non_null(strstr(msg, "kernel.yama.ptrace_scope is 3"));
	assert_non_null(strstr(msg, "reboot"));
}

static void test_ptrace_msg_yama2_needs_cap(void **state)
{
	(void)state;
	ptrace_msg(EPERM, 2, false, false);
	assert_non_null(strstr(msg, "kernel.yama.ptrace_scope is 2"));
	assert_non_null(strstr(msg, "CAP_SYS_PTRACE"));
	/* With the capability scope 2 is no obstacle: look elsewhere. */
	ptrace_msg(EPERM, 2, true, true);
	assert_null(strstr(msg, "ptrace_scope"));
	assert_non_null(strstr(msg, "seccomp"));
}

static void test_ptrace_msg_filter(void **state)
{
	(void)state;
	ptrace_msg(EPERM, 1, true, false);
	assert_non_null(strstr(msg, "a seccomp filter on fuss refuses it"));
	ptrace_msg(ENOSYS, -1, true, false);
	assert_non_null(strstr(msg, "ptrace is not available here (ENOSYS)"));
}

static void test_ptrace_msg_security_module(void **state)
{
	(void)state;
	ptrace_msg(EACCES, 0, false, false);
	assert_non_null(strstr(msg, "ptrace is not permitted here (EACCES)"));
	assert_non_null(strstr(msg, "security module"));
}

static void test_seccomp_msg_names_errno(void **state)
{
	(void)state;
	assert_true(tr_needs_seccomp_msg(msg, sizeof(msg), EINVAL) > 0);
	assert_non_null(strstr(msg, "seccomp filters are not available here (EINVAL)"));
	assert_non_null(strstr(msg, "CONFIG_SECCOMP_FILTER"));
	tr_needs_seccomp_msg(msg, sizeof(msg), 4000);
	assert_non_null(strstr(msg, "(errno 4000)"));
}

static void test_host_probe_reads_self(void **state)
{
	struct tr_host h;

	(void)state;
	tr_host_probe(&h);
	assert_true(h.yama_scope >= -1 && h.yama_scope <= 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ptrace_msg_yama3_wins),
		cmocka_unit_test(test_ptrace_msg_yama2_needs_cap),
		cmocka_unit_test(test_ptrace_msg_filter),
		cmocka_unit_test(test_ptrace_msg_security_module),
		cmocka_unit_test(test_seccomp_msg_names_errno),
		cmocka_unit_test(test_host_probe_reads_self),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
