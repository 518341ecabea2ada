/*
 * Unit tests of the lexical path helpers and the real -> virtual mapping of
 * layer roots (tracer/path.c).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "../../tracer/path.h"

static void norm_is(const char *in, const char *want)
{
	char buf[256];

	strcpy(buf, in);
	assert_int_equal(tr_path_normalize(buf), (int)strlen(want));
	assert_string_equal(buf, want);
}

static void test_normalize_collapses(void **state)
{
	(void)state;
	norm_is("/", "/");
	norm_is("//", "/");
	norm_is("/a//b/", "/a/b");
	norm_is("/a/./b/.", "/a/b");
	norm_is("/a/../b", "/b");
	norm_is("/../..", "/");
	norm_is("/a/b/../../..", "/");
	norm_is("/a/.../b", "/a/.../b");
	norm_is("/.hidden/..x", "/.hidden/..x");
}

static void test_normalize_relative_refused(void **state)
{
	char buf[] = "a/b";

	(void)state;
	assert_int_equal(tr_path_normalize(buf), -EINVAL);
}

static void test_join_basic(void **state)
{
	char out[16];

	(void)state;
	assert_int_equal(tr_path_join(out, sizeof(out), "/a", "b"), 4);
	assert_string_equal(out, "/a/b");
	assert_int_equal(tr_path_join(out, sizeof(out), "/", "b"), 2);
	assert_string_equal(out, "/b");
	assert_int_equal(tr_path_join(out, sizeof(out), "/a/", "b"), 4);
	assert_string_equal(out, "/a/b");
}

static void test_join_too_long(void **state)
{
	char out[8];

	(void)state;
	assert_int_equal(tr_path_join(out, sizeof(out), "/abc", "defg"), -ENAMETOOLONG);
	assert_int_equal(tr_path_join(out, sizeof(out), "/abc", "de"), 7);
}

static void test_under_prefixes(void **state)
{
	(void)state;
	assert_true(tr_path_under("/app", "/app", 4));
	assert_true(tr_path_under("/app/x", "/app", 4));
	assert_false(tr_path_under("/apple", "/app", 4));
	assert_false(tr_path_under("/ap", "/app", 4));
	assert_true(tr_path_under("/anything", "/", 1));
}

static struct fuss_config cfg_two_lowers(void)
{
	struct fuss_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.mountpoint = "/app";
	cfg.mountpoint_len = 4;
	cfg.layer[0] = "/tmp/up";
	cfg.layer_len[0] = 7;
	cfg.layer[1] = "/l/top";
	cfg.layer_len[1] = 6;
	cfg.layer[2] = "/l/bottom";
	cfg.layer_len[2] = 9;
	cfg.nlayers = 3;
	return cfg;
}

static void test_real_to_virtual_layers(void **state)
{
	struct fuss_config cfg = cfg_two_lowers();
	char out[64];

	(void)state;
	assert_int_equal(tr_path_real_to_virtual(&cfg, "/tmp/up/a/b", out, sizeof(out)), 8);
	assert_string_equal(out, "/app/a/b");
	assert_int_equal(tr_path_real_to_virtual(&cfg, "/l/bottom", out, sizeof(out)), 4);
	assert_string_equal(out, "/app");
	assert_int_equal(tr_path_real_to_virtual(&cfg, "/l/topx/a", out, sizeof(out)), 0);
	assert_int_equal(tr_path_real_to_virtual(&cfg, "/etc/passwd", out, sizeof(out)), 0);
	assert_int_equal(tr_path_layer_of(&cfg, "/l/top/z"), 1);
	assert_int_equal(tr_path_layer_of(&cfg, "/tmp/upper"), -1);
}

static void test_real_to_virtual_isolation(void **state)
{
	/* --mountpoint equal to the lower dir: real lower paths are their own
	 * virtual paths. */
	struct fuss_config cfg = cfg_two_lowers();
	char out[64];

	(void)state;
	cfg.mountpoint = "/l/top";
	cfg.mountpoint_len = 6;
	assert_int_equal(tr_path_real_to_virtual(&cfg, "/l/top/src/a.c", out, sizeof(out)), 14);
	assert_string_equal(out, "/l/top/src/a.c");
	assert_int_equal(tr_path_real_to_virtual(&cfg, "/tmp/up/a.o", out, sizeof(out)), 10);
	assert_string_equal(out, "/l/top/a.o");
}

static void test_real_to_virtual_too_long(void **state)
{
	struct fuss_config cfg = cfg_two_lowers();
	char out[6];

	(void)state;
	assert_int_equal(tr_path_real_to_virtual(&cfg, "/tmp/up/abc", out, sizeof(out)),
			 -ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize_collapses),
		cmocka_unit_test(test_normalize_relative_refused),
		cmocka_unit_test(test_join_basic),
		cmocka_unit_test(test_join_too_long),
		cmocka_unit_test(test_under_prefixes),
		cmocka_unit_test(test_real_to_virtual_layers),
		cmocka_unit_test(test_real_to_virtual_isolation),
		cmocka_unit_test(test_real_to_virtual_too_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
