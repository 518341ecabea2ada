/*
 * Unit tests of path resolution in the virtual namespace (tracer/resolve.c)
 * against a real vfsd process and temporary layers: lookups through the
 * dentry cache, symlinks (relative, absolute, chains, loops), "..", trailing
 * slashes, whiteouts and opaque dirs, relative paths from a cwd that lies in
 * a layer. The calling process plays the traced thread (its own /proc
 * entries give the cwd).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "../../tracer/resolve.h"
#include "../../tracer/worker.h"
#include "../../vfsd/vfsd.h"

#define MNT "/virt/m"

static char root[64];
static struct fuss_config cfg;
static struct shm_region shm;
static pid_t vfsd;
static struct tr_worker worker;
static struct tr_thread thread;
static struct tr_call call;

static void put(const char *rel, const char *data)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(data, f);
	fclose(f);
}

static void dir(const char *rel)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	assert_int_equal(mkdir(p, 0755), 0);
}

static void link_to(const char *target, const char *rel)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	assert_int_equal(symlink(target, p), 0);
}

static char *layer(const char *name)
{
	char *p = malloc(128);

	snprintf(p, 128, "%s/%s", root, name);
	return p;
}

static int setup(void **state)
{
	(void)state;
	strcpy(root, "/tmp/fuss-resolve.XXXXXX");
	assert_non_null(mkdtemp(root));
	dir("up");
	dir("l1");
	dir("l2");
	/* l2 (bottom) */
	dir("l2/d");
	put("l2/d/low", "low");
	put("l2/d/gone", "gone");
	dir("l2/opq");
	put("l2/opq/hidden", "h");
	put("l2/f", "bottom");
	/* l1 (top) */
	dir("l1/d");
	put("l1/d/top", "top");
	put("l1/d/.wh.gone", "");
	dir("l1/opq");
	put("l1/opq/.wh..wh..opq", "");
	put("l1/f", "top");
	link_to("f", "l1/rel");
	link_to(MNT "/d", "l1/abs");
	link_to("rel", "l1/chain");
	link_to("loop2", "l1/loop1");
	link_to("loop1", "l1/loop2");
	link_to("../f", "l1/d/up");
	link_to("/etc", "l1/out");
	link_to("missing", "l1/dangling");

	memset(&cfg, 0, sizeof(cfg));
	cfg.mountpoint = MNT;
	cfg.mountpoint_len = strlen(MNT);
	cfg.layer[0] = layer("up");
	cfg.layer[1] = layer("l1");
	cfg.layer[2] = layer("l2");
	cfg.nlayers = 3;
	for (int i = 0; i < 3; i++)
		cfg.layer_len[i] = strlen(cfg.layer[i]);
	cfg.workers = 1;

	struct shm_params p = { .nworkers = 1 };
	assert_int_equal(shm_region_create(&shm, &p), 0);
	vfsd = fork();
	if (vfsd == 0)
		_exit(vfsd_main(&cfg, &shm));
	for (int i = 0; i < 5000 && __atomic_load_n(&shm.hdr->vfsd_state, __ATOMIC_ACQUIRE) != 1; i++)
		usleep(1000);
	assert_int_equal(shm.hdr->vfsd_state, 1);

	tr.cfg = &cfg;
	tr.shm = &shm;
	for (int i = 0; i < SHM_MAX_LAYERS; i++)
		tr.layer_fd[i] = i < 3 ? open(cfg.layer[i], O_PATH | O_DIRECTORY) : -1;
	thread.tid = getpid();
	thread.slot = -1;
	call.w = &worker;
	call.t = &thread;
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	kill(vfsd, SIGKILL);
	waitpid(vfsd, NULL, 0);
	shm_region_detach(&shm);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	return system(cmd) == 0 ? 0 : -1;
}

static int res(const char *path, int flags, struct tr_res *r)
{
	return tr_resolve(&call, AT_FDCWD, path, flags, r);
}

/* The real path of an existing resolved name, relative to the test root. */
static const char *real_of(const struct tr_res *r)
{
	static char buf[PATH_MAX];

	assert_true(r->in_overlay);
	assert_true(r->exists);
	assert_true(tr_res_top(r, buf, sizeof(buf)) > 0);
	return buf + strlen(root) + 1;
}

static void test_resolve_topmost_layer(void **state)
{
	struct tr_res r;

	(void)state;
	assert_int_equal(res(MNT "/f", 0, &r), 0);
	assert_string_equal(real_of(&r), "l1/f");
	assert_string_equal(r.vrel, "f");
	assert_int_equal(res(MNT "/d/low", 0, &r), 0);
	assert_string_equal(real_of(&r), "l2/d/low");
	assert_int_equal(res(MNT "/d", 0, &r), 0);
	assert_true(S_ISDIR(r.ent.mode));
	assert_int_equal(r.ent.layers, 0x6); /* merged: l1 and l2 */
	assert_int_equal(tr_res_id_layer(&r), 2);
}

static void test_resolve_outside_overlay(void **state)
{
	struct tr_res r;

	(void)state;
	assert_int_equal(res("/etc/passwd", 0, &r), 0);
	assert_false(r.in_overlay);
	assert_false(r.host_rewrite);
	assert_int_equal(res("/virt/mx", 0, &r), 0);
	assert_false(r.in_overlay);
	/* ".." at the mountpoint leaves the overlay */
	assert_int_equal(res(MNT "/d/../../x", 0, &r), 0);
	assert_false(r.in_overlay);
	assert_true(r.host_rewrite);
	assert_string_equal(r.host, "/virt/x");
	/* a missing host dir or a file on the way stops the walk there */
	assert_int_equal(res("/virt/none/../m/f", 0, &r), -ENOENT);
	assert_int_equal(res("/etc/passwd/../../virt/m/f", 0, &r), -ENOTDIR);
}

static void test_resolve_whiteout_and_opaque(void **state)
{
	struct tr_res r;

	(void)state;
	assert_int_equal(res(MNT "/d/gone", 0, &r), 0);
	assert_true(r.in_overlay);
	assert_false(r.exists);
	assert_int_equal(res(MNT "/opq/hidden", 0, &r), 0);
	assert_false(r.exists);
	assert_int_equal(res(MNT "/opq", 0, &r), 0);
	assert_int_equal(r.ent.layers, 0x2); /* opaque in l1: l2 hidden */
}

static void test_resolve_missing_parts(void **state)
{
	struct tr_res r;

	(void)state;
	assert_int_equal(res(MNT "/nope", 0, &r), 0);
	assert_false(r.exists);
	assert_string_equal(r.vrel, "nope");
	assert_int_equal(res(MNT "/nope/x", 0, &r), -ENOENT);
	assert_int_equal(res(MNT "/f/x", 0, &r), -ENOTDIR);
	assert_int_equal(res(MNT "/f/", 0, &r), -ENOTDIR);
	assert_int_equal(res(MNT "/d/", 0, &r), 0);
	assert_true(r.trailing_slash);
}

static void test_resolve_symlinks(void **state)
{
	struct tr_res r;

	(void)state;
	assert_int_equal(res(MNT "/rel", TR_RES_FOLLOW, &r), 0);
	assert_string_equal(real_of(&r), "l1/f");
	assert_int_equal(res(MNT "/rel", 0, &r), 0);
	assert_true(S_ISLNK(r.ent.mode));
	assert_int_equal(res(MNT "/chain", TR_RES_FOLLOW, &r), 0);
	assert_string_equal(r.vrel, "f");
	assert_int_equal(res(MNT "/abs/low", 0, &r), 0);
	assert_string_equal(real_of(&r), "l2/d/low");
	assert_int_equal(res(MNT "/d/up", TR_RES_FOLLOW, &r), 0);
	assert_string_equal(r.vrel, "f");
	assert_int_equal(res(MNT "/loop1", TR_RES_FOLLOW, &r), -ELOOP);
	assert_int_equal(res(MNT "/loop1", 0, &r), 0);
	assert_int_equal(res(MNT "/out/passwd", 0, &r), 0);
	assert_false(r.in_overlay);
	assert_string_equal(r.host, "/etc/passwd");
	/* a dangling link followed names its target, absent */
	assert_int_equal(res(MNT "/dangling", TR_RES_FOLLOW, &r), 0);
	assert_false(r.exists);
	assert_string_equal(r.vrel, "missing");
	/* a trailing slash follows the final link */
	assert_int_equal(res(MNT "/abs/", 0, &r), 0);
	assert_string_equal(r.vrel, "d");
}

static void test_resolve_relative_from_layer_cwd(void **state)
{
	char cwd[PATH_MAX], dirp[PATH_MAX];
	struct tr_res r;

	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	snprintf(dirp, sizeof(dirp), "%s/l2/d", root);
	assert_int_equal(chdir(dirp), 0);
	/* the real cwd is l2/d: relative names resolve in the merged d */
	assert_int_equal(res("top", 0, &r), 0);
	assert_string_equal(real_of(&r), "l1/d/top");
	assert_int_equal(res("../f", 0, &r), 0);
	assert_string_equal(real_of(&r), "l1/f");
	assert_int_equal(res("../../elsewhere", 0, &r), 0);
	assert_false(r.in_overlay);
	assert_true(r.host_rewrite);
	assert_string_equal(r.host, "/virt/elsewhere");
	assert_int_equal(chdir(cwd), 0);
}

static void test_resolve_fd_of_layer_dir(void **state)
{
	char dirp[PATH_MAX], out[PATH_MAX];
	struct tr_res r;
	int fd;

	(void)state;
	snprintf(dirp, sizeof(dirp), "%s/l1/d", root);
	fd = open(dirp, O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	assert_int_equal(tr_resolve(&call, fd, "low", 0, &r), 0);
	assert_string_equal(real_of(&r), "l2/d/low");
	assert_int_equal(tr_resolve_fd(&call, fd, out, sizeof(out), &r), 1);
	assert_string_equal(r.vrel, "d");
	close(fd);
}

/* The count a worker polls by: /proc/loadavg's runnable threads. */
static void test_loadavg_runnable(void **state)
{
	char own[128];
	FILE *f = fopen("/proc/loadavg", "r");

	(void)state;
	assert_int_equal(tr_loadavg_runnable("0.52 0.58 0.59 3/345 12345\n"), 3);
	assert_int_equal(tr_loadavg_runnable("12.00 9.10 4.00 17/1024 99"), 17);
	assert_int_equal(tr_loadavg_runnable("0.00 0.00 0.00 /12 1"), -1);
	assert_int_equal(tr_loadavg_runnable(""), -1);
	/* this machine's own: at least this thread runs */
	assert_non_null(f);
	assert_non_null(fgets(own, sizeof(own), f));
	fclose(f);
	assert_true(tr_loadavg_runnable(own) >= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve_topmost_layer),
		cmocka_unit_test(test_resolve_outside_overlay),
		cmocka_unit_test(test_resolve_whiteout_and_opaque),
		cmocka_unit_test(test_resolve_missing_parts),
		cmocka_unit_test(test_resolve_symlinks),
		cmocka_unit_test(test_resolve_relative_from_layer_cwd),
		cmocka_unit_test(test_resolve_fd_of_layer_dir),
		cmocka_unit_test(test_loadavg_runnable),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
