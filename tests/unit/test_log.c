/*
 * Unit tests of the logfmt lines (tracer/log.c): quoting and escaping of
 * values, and a line too long for its buffer still ending as a whole line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>
#include "../../tracer/log.h"

/* Write one line with `key=val` through a memfd; the text after "msg=t". */
static void line_of(const char *val, char *buf, size_t cap, char *out, size_t size)
{
	struct fuss_line l;
	int fd = memfd_create("log", 0);
	ssize_t n;

	assert_true(fd >= 0);
	fuss_log_fd = fd;
	fuss_line_start(&l, buf, cap, FUSS_LOG_WARN, "t");
	fuss_line_str(&l, "k", val);
	fuss_line_fmt(&l, "n=%d", 7);
	fuss_line_end(&l);
	n = pread(fd, out, size - 1, 0);
	assert_true(n > 0);
	out[n] = '\0';
	close(fd);
	fuss_log_fd = STDERR_FILENO;
	assert_non_null(strstr(out, " level=WARN msg=t"));
	assert_ptr_equal(strchr(out, '\n'), out + n - 1); /* one line, whole */
}

static void value_is(const char *val, const char *want)
{
	char buf[512], out[1024], exp[600];

	line_of(val, buf, sizeof(buf), out, sizeof(out));
	snprintf(exp, sizeof(exp), " msg=t k=%s n=7 role=fuss\n", want);
	assert_string_equal(strstr(out, " msg=t"), exp);
}

static void test_quoting(void **state)
{
	(void)state;
	value_is("/a/b", "/a/b");
	value_is("", "\"\"");
	value_is("a b", "\"a b\"");
	value_is("x=y", "\"x=y\"");
	value_is("q\"b\\s", "\"q\\\"b\\\\s\"");
	value_is("l\n\t\r", "\"l\\n\\t\\r\"");
	value_is("\x01\xc3\xa9\x7f", "\"\\x01\\xc3\\xa9\\x7f\"");
}

static void test_too_long_still_a_line(void **state)
{
	char buf[128], out[512], val[400];

	(void)state;
	memset(val, '"', sizeof(val) - 1);
	val[sizeof(val) - 1] = '\0';
	line_of(val, buf, sizeof(buf), out, sizeof(out));
	/* Cut between two escapes, the quote closed, the rest dropped. */
	assert_true(strlen(out) < sizeof(buf));
	assert_non_null(strstr(out, "\\\"\" role=fuss\n"));
	assert_null(strstr(out, " n=7"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_too_long_still_a_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
