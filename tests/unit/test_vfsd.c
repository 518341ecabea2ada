/*
 * Unit tests for vfsd's operations, called directly on a real shm region and
 * temp layer trees (up, l1, l2 under a mkdtemp dir): what lookups cache,
 * copy-up fidelity without touching the lower, whiteouts and opaque dirs in
 * both formats, rename rules, permission checks and request validation.
 * Tests needing 0:0 devices or chown run as root and skip otherwise.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <signal.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <cmocka.h>
#include "tree.h"
#include "../../vfsd/layer.h"
#include "../../vfsd/vfsd.h"
#include "../../vfsd/ops.h"
#include "../../tracer/log.h"

struct fixture {
	char base[64];
	char up[128], l1[128], l2[128];
	struct fuss_config cfg;
	struct shm_region r;
	struct vfsd v;
	bool started;
};

static const struct shm_creds root_creds = { .fsuid = 0, .fsgid = 0, .umask = 022 };


static bool exists(struct fixture *f, const char *rel, struct stat *st)
{
	struct stat tmp;

	return lstat(P(f, rel), st ? st : &tmp) == 0;
}

static bool is_chardev00(struct fixture *f, const char *rel)
{
	struct stat st;

	return exists(f, rel, &st) && S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0);
}

static int setup_common(void **state, bool upper)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct shm_params p = { .dcache_nslots = 4096, .nworkers = 1 };

	strcpy(f->base, "/tmp/fuss-test-vfsd.XXXXXX");
	assert_non_null(mkdtemp(f->base));
	mk_dir(f, "up");
	mk_dir(f, "l1");
	mk_dir(f, "l2");
	snprintf(f->up, sizeof(f->up), "%s/up", f->base);
	snprintf(f->l1, sizeof(f->l1), "%s/l1", f->base);
	snprintf(f->l2, sizeof(f->l2), "%s/l2", f->base);
	f->cfg.layer[0] = upper ? f->up : NULL;
	f->cfg.layer[1] = f->l1;
	f->cfg.layer[2] = f->l2;
	f->cfg.nlayers = 3;
	f->cfg.whiteout = FUSS_WH_FILEPREFIX;
	assert_int_equal(shm_region_create(&f->r, &p), 0);
	*state = f;
	return 0;
}

static int setup(void **state)
{
	return setup_common(state, true);
}

static int setup_ro(void **state)
{
	return setup_common(state, false);
}

/* Layers are built by each test first, then vfsd starts on them. */
static void start(struct fixture *f)
{
	assert_int_equal(vfsd_init(&f->v, &f->cfg, &f->r), 0);
	assert_int_equal(vfsd_root_fill(&f->v), 0);
	f->started = true;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	if (f->started)
		vfsd_fini(&f->v);
	shm_region_detach(&f->r);
	chmod(P(f, "up"), 0755);
	nftw(f->base, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

/* The cached value of an overlay path, walking the cache like the tracer. */
static int cached(struct fixture *f, const char *path, struct shm_dval *out)
{
	char buf[512], *save = NULL, *comp;
	struct shm_dval cur;
	int err = shm_dcache_root(&f->r, &cur);

	if (err)
		return err;
	snprintf(buf, sizeof(buf), "%s", path);
	for (comp = strtok_r(buf, "/", &save); comp; comp = strtok_r(NULL, "/", &save)) {
		err = shm_dcache_lookup(&f->r, cur.ref, comp, strlen(comp), &cur);
		if (err)
			return err;
	}
	*out = cur;
	return 0;
}

static struct shm_dval cached_ok(struct fixture *f, const char *path)
{
	struct shm_dval v;

	assert_int_equal(cached(f, path, &v), 0);
	return v;
}

static uint64_t hash_file(const char *path)
{
	uint64_t h = 1469598103934665603ull;
	unsigned char buf[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++)
			h = (h ^ buf[i]) * 1099511628211ull;
	}
	close(fd);
	return h;
}

static bool chardev_ok(struct fixture *f)
{
	bool ok = mknod(P(f, "probe"), S_IFCHR, makedev(0, 0)) == 0;

	unlink(P(f, "probe"));
	return ok;
}

/* --- lookup ---------------------------------------------------------------- */

static void test_vfsd_init_sweeps_temp_names(void **state)
{
	struct fixture *f = *state;

	mk_file(f, "up/.fuss-tmp.1.1", "partial");
	mk_dir(f, "up/.fuss-tmp.2.2");
	mk_file(f, "up/.fuss-tmp.2.2/" LAYER_OPQ_NAME, NULL);
	mk_file(f, "up/keep", NULL);
	start(f);
	assert_false(exists(f, "up/.fuss-tmp.1.1", NULL));
	assert_false(exists(f, "up/.fuss-tmp.2.2", NULL));
	assert_true(exists(f, "up/keep", NULL));
}

/* A run that did not end cleanly left its in-use mark: temps anywhere in
 * the upper tree go, temp dirs with all they hold; nothing else does. */
static void test_vfsd_init_sweeps_deep_temps_after_a_kill(void **state)
{
	struct fixture *f = *state;

	mk_file(f, "up/" VFSD_INUSE_NAME, NULL);
	mk_dir(f, "up/d");
	mk_dir(f, "up/d/e");
	mk_file(f, "up/d/keep", "x");
	mk_file(f, "up/d/.fuss-tmp.3.3", "partial");
	mk_dir(f, "up/d/e/.fuss-tmp.4.4");
	mk_dir(f, "up/d/e/.fuss-tmp.4.4/sub");
	mk_file(f, "up/d/e/.fuss-tmp.4.4/sub/.wh.x", NULL);
	mk_file(f, "up/d/e/.fuss-tmp.4.4/" LAYER_OPQ_NAME, NULL);
	assert_int_equal(symlink("/nowhere", P(f, "up/d/e/.fuss-tmp.5.5")), 0);
	start(f);
	assert_false(exists(f, "up/" VFSD_INUSE_NAME, NULL));
	assert_false(exists(f, "up/d/.fuss-tmp.3.3", NULL));
	assert_false(exists(f, "up/d/e/.fuss-tmp.4.4", NULL));
	assert_false(exists(f, "up/d/e/.fuss-tmp.5.5", NULL));
	assert_true(exists(f, "up/d/keep", NULL));
	assert_true(exists(f, "up/d/e", NULL));
}

/* Without the mark the last run ended cleanly: only the root is swept. */
static void test_vfsd_init_sweeps_root_only_after_a_clean_run(void **state)
{
	struct fixture *f = *state;

	mk_dir(f, "up/d");
	mk_file(f, "up/d/.fuss-tmp.3.3", "old");
	start(f);
	assert_true(exists(f, "up/d/.fuss-tmp.3.3", NULL));
}

/* A temp entry that cannot be removed is remembered (the mark then stays);
 * one that is already gone is not. */
static void test_vfsd_tmp_drop_remembers_a_leftover(void **state)
{
	struct fixture *f = *state;
	int dfd;

	mk_dir(f, "up/.fuss-tmp.9.9");
	mk_file(f, "up/.fuss-tmp.9.9/x", NULL);
	dfd = open(P(f, "up"), O_PATH | O_DIRECTORY);
	assert_true(dfd >= 0);
	vfsd_tmp_left = false;
	vfsd_tmp_drop(dfd, ".fuss-tmp.8.8", false);
	assert_false(vfsd_tmp_left);
	vfsd_tmp_drop(dfd, ".fuss-tmp.9.9", true);
	assert_true(vfsd_tmp_left);
	vfsd_tmp_left = false;
	close(dfd);
}

static void test_vfsd_root_fill_all_layers(void **state)
{
	struct fixture *f = *state;
	struct shm_dval v;

	start(f);
	assert_int_equal(shm_dcache_root(&f->r, &v), 0);
	assert_int_equal(v.layers, 7);
	assert_int_equal(v.layer, 0);
	assert_true(S_ISDIR(v.mode));
}

static void test_vfsd_lookup_caches_merged_values(void **state)
{
	struct fixture *f = *state;
	struct shm_dval v;

	mk_dir(f, "l1/a");
	mk_dir(f, "l2/a");
	mk_dir(f, "l2/a/b");
	mk_file(f, "l2/a/b/f", "x");
	mk_file(f, "l1/a/file", "1");
	mk_dir(f, "l2/a/file");  /* hidden by l1's non-dir */
	start(f);
	assert_int_equal(vfsd_op_lookup(&f->v, "a/b/f", 0), 0);
	v = cached_ok(f, "a");
	assert_int_equal(v.layers, 6);
	assert_int_equal(v.layer, 1);
	assert_true(S_ISDIR(v.mode));
	assert_int_equal(v.flags, 0);
	v = cached_ok(f, "a/b");
	assert_int_equal(v.layers, 4);
	assert_int_equal(v.layer, 2);
	v = cached_ok(f, "a/b/f");
	assert_int_equal(v.layer, 2);
	assert_int_equal(v.layers, 4);
	assert_true(S_ISREG(v.mode));

	assert_int_equal(vfsd_op_lookup(&f->v, "a/file", 0), 0);
	v = cached_ok(f, "a/file");
	assert_true(S_ISREG(v.mode));
	assert_int_equal(v.layer, 1);
	assert_int_equal(v.layers, 2);

	assert_int_equal(vfsd_op_lookup(&f->v, "a/none", 0), 0);
	v = cached_ok(f, "a/none");
	assert_int_equal(v.flags, SHM_DF_NEG);
	assert_int_equal(v.layer, SHM_LAYER_NONE);
	/* a negative intermediate is cached and reported */
	assert_int_equal(vfsd_op_lookup(&f->v, "zz/y", 0), -ENOENT);
	assert_int_equal(cached_ok(f, "zz").flags, SHM_DF_NEG);
	assert_int_equal(vfsd_op_lookup(&f->v, "a/file/x", 0), -ENOTDIR);
}

static void test_vfsd_lookup_whiteouts_and_opaque(void **state)
{
	struct fixture *f = *state;
	struct shm_dval v;

	mk_file(f, "up/.wh.gone", NULL);
	mk_file(f, "l1/gone", "g");
	mk_dir(f, "up/o");
	mk_dir(f, "l1/o");
	mk_file(f, "up/o/" LAYER_OPQ_NAME, NULL);
	mk_file(f, "l1/.wh.mid", NULL);
	mk_file(f, "l2/mid", "m");
	mk_dir(f, "l1/stop");
	assert_int_equal(setxattr(P(f, "l1/stop"), geteuid() ? "user.overlay.opaque" :
				  "trusted.overlay.opaque", "y", 1, 0), 0);
	mk_dir(f, "l2/stop");
	mk_file(f, "l2/.hidden-not", NULL);
	start(f);
	assert_int_equal(vfsd_op_lookup(&f->v, "gone", 0), 0);
	v = cached_ok(f, "gone");
	assert_int_equal(v.flags, SHM_DF_NEG | SHM_DF_WHITEOUT_UP);
	assert_int_equal(vfsd_op_lookup(&f->v, "o", 0), 0);
	v = cached_ok(f, "o");
	assert_int_equal(v.flags, SHM_DF_OPAQUE);
	assert_int_equal(v.layers, 1);
	assert_int_equal(vfsd_op_lookup(&f->v, "mid", 0), 0);
	assert_int_equal(cached_ok(f, "mid").flags, SHM_DF_NEG);
	assert_int_equal(vfsd_op_lookup(&f->v, "stop", 0), 0);
	v = cached_ok(f, "stop");
	assert_int_equal(v.layers, 2);
	assert_int_equal(v.flags, SHM_DF_OPAQUE);
	/* markers are never names */
	assert_int_equal(vfsd_op_lookup(&f->v, ".wh.gone", 0), 0);
	assert_int_equal(cached_ok(f, ".wh.gone").flags, SHM_DF_NEG);
}

/* A lookup with SHM_LOOKUP_SIBLINGS caches every name of the directory, as
 * single lookups would; whited-out names and markers stay uncached, and a
 * directory above the limit caches only the name asked for. */
static void test_vfsd_lookup_siblings(void **state)
{
	struct fixture *f = *state;
	struct shm_dval v, none;
	char name[64];

	mk_dir(f, "up/d");
	mk_dir(f, "l1/d");
	mk_file(f, "up/d/top", "t");
	mk_file(f, "l1/d/low", "l");
	mk_dir(f, "l1/d/sub");
	mk_file(f, "l1/d/gone", "g");
	mk_file(f, "up/d/.wh.gone", NULL);
	mk_dir(f, "l1/big");
	for (unsigned i = 0; i <= SHM_LOOKUP_SIBLINGS_MAX; i++) {
		snprintf(name, sizeof(name), "l1/big/n%u", i);
		mk_file(f, name, NULL);
	}
	start(f);
	assert_int_equal(vfsd_op_lookup(&f->v, "d/top", SHM_LOOKUP_SIBLINGS), 0);
	v = cached_ok(f, "d/top");
	assert_int_equal(v.layer, 0);
	v = cached_ok(f, "d/sub");
	assert_true(S_ISDIR(v.mode));
	assert_int_equal(v.layers, 2);
	v = cached_ok(f, "d/low");
	assert_int_equal(v.layer, 1);
	assert_true(S_ISREG(v.mode));
	assert_int_equal(cached(f, "d/gone", &none), -ENOENT);
	assert_int_equal(cached(f, "d/.wh.gone", &none), -ENOENT);
	/* the same values a lookup of its own gives */
	assert_int_equal(vfsd_op_lookup(&f->v, "d/low", 0), 0);
	none = cached_ok(f, "d/low");
	assert_int_equal(none.mode, v.mode);
	assert_int_equal(none.layer, v.layer);
	assert_int_equal(none.layers, v.layers);
	assert_int_equal(vfsd_op_lookup(&f->v, "big/n0", SHM_LOOKUP_SIBLINGS), 0);
	cached_ok(f, "big/n0");
	assert_int_equal(cached(f, "big/n1", &none), -ENOENT);
}

/* Walks start at the dirs the last walk went through: what happens to
 * those dirs in between (copy-up, removal and a new opaque dir in their
 * place, a rename) shows in the next lookup as in a walk from the root. */
static void test_vfsd_walk_resume_sees_changes(void **state)
{
	struct fixture *f = *state;
	struct shm_dval v;

	mk_dir(f, "l1/a");
	mk_dir(f, "l1/a/b");
	mk_dir(f, "l2/a");
	mk_dir(f, "l2/a/b");
	mk_file(f, "l1/a/b/f1", "1");
	mk_file(f, "l2/a/b/f2", "2");
	mk_file(f, "l2/a/b/f3", "3");
	start(f);
	assert_int_equal(vfsd_op_lookup(&f->v, "a/b/f1", 0), 0);
	assert_int_equal(vfsd_op_lookup(&f->v, "a/b/f2", 0), 0);
	assert_int_equal(cached_ok(f, "a/b/f2").layer, 2);
	/* a copy-up under the kept dirs puts them in upper */
	assert_int_equal(vfsd_op_copyup(&f->v, "a/b/f1", NULL), 0);
	assert_true(exists(f, "up/a/b/f1", NULL));
	assert_int_equal(cached_ok(f, "a/b").layers, 7);
	assert_int_equal(vfsd_op_lookup(&f->v, "a/b/f3", 0), 0);
	assert_int_equal(cached_ok(f, "a/b/f3").layer, 2);
	/* emptied, removed, made again: the new dir is opaque */
	assert_int_equal(vfsd_op_unlink(&f->v, "a/b/f1", &root_creds), 0);
	assert_int_equal(vfsd_op_unlink(&f->v, "a/b/f2", &root_creds), 0);
	assert_int_equal(vfsd_op_unlink(&f->v, "a/b/f3", &root_creds), 0);
	assert_int_equal(vfsd_op_rmdir(&f->v, "a/b", &root_creds), 0);
	assert_int_equal(vfsd_op_lookup(&f->v, "a/b/f2", 0), -ENOENT);
	assert_int_equal(vfsd_op_mkdir(&f->v, "a/b", 0755, &root_creds), 0);
	assert_int_equal(vfsd_op_lookup(&f->v, "a/b/f2", 0), 0);
	v = cached_ok(f, "a/b/f2");
	assert_int_equal(v.flags, SHM_DF_NEG);
	/* a kept dir renamed away */
	assert_int_equal(vfsd_op_mkdir(&f->v, "a/b/c", 0755, &root_creds), 0);
	assert_int_equal(vfsd_op_mkdir(&f->v, "a/b/c/d", 0755, &root_creds), 0);
	assert_int_equal(vfsd_op_lookup(&f->v, "a/b/c/d/x", 0), 0);
	assert_int_equal(vfsd_op_rename(&f->v, "a/b/c", "a/e", 0, &root_creds), 0);
	assert_int_equal(vfsd_op_lookup(&f->v, "a/b/c/d/x", 0), -ENOENT);
	assert_int_equal(vfsd_op_lookup(&f->v, "a/e/d/x", 0), 0);
	assert_int_equal(cached_ok(f, "a/e/d").layers, 1);
	assert_int_equal(cached_ok(f, "a/e/d/x").flags, SHM_DF_NEG);
}

/* --- copy-up ----------------------------------------------------------------- */

static void test_vfsd_copyup_preserves_file(void **state)
{
	struct fixture *f = *state;
	struct timespec ts[2] = { { 1000000000, 5 }, { 1200000000, 7 } };
	const char *priv = geteuid() ? "user.overlay.origin" : "trusted.overlay.origin";
	struct stat lo, lo2, up, upd, lod;
	uint64_t before;
	char buf[16];
	int fd;

	mk_dir(f, "l1/dir");
	fd = open(P(f, "l1/dir/file"), O_WRONLY | O_CREAT, 0644);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, "head", 4, 0), 4);
	assert_int_equal(pwrite(fd, "tail", 4, 8 << 20), 4);
	close(fd);
	assert_int_equal(chmod(P(f, "l1/dir/file"), 04751), 0);
	assert_int_equal(setxattr(P(f, "l1/dir/file"), "user.keep", "v", 1, 0), 0);
	assert_int_equal(setxattr(P(f, "l1/dir/file"), priv, "o", 1, 0), 0);
	assert_int_equal(utimensat(AT_FDCWD, P(f, "l1/dir/file"), ts, 0), 0);
	assert_int_equal(chmod(P(f, "l1/dir"), 0750), 0);
	assert_int_equal(utimensat(AT_FDCWD, P(f, "l1/dir"), ts, 0), 0);
	assert_int_equal(lstat(P(f, "l1/dir/file"), &lo), 0);
	assert_int_equal(lstat(P(f, "l1/dir"), &lod), 0);
	before = hash_file(P(f, "l1/dir/file"));
	start(f);

	assert_int_equal(vfsd_op_copyup(&f->v, "dir/file", &root_creds), 0);
	assert_int_equal(lstat(P(f, "up/dir/file"), &up), 0);
	assert_int_equal(hash_file(P(f, "up/dir/file")), before);
	assert_int_equal(up.st_size, lo.st_size);
	assert_int_equal(up.st_mode, lo.st_mode);
	assert_true(up.st_blocks < 1024);   /* the 8 MiB hole stayed a hole */
	assert_int_equal(up.st_mtim.tv_sec, ts[1].tv_sec);
	assert_int_equal(up.st_mtim.tv_nsec, ts[1].tv_nsec);
	assert_int_equal(getxattr(P(f, "up/dir/file"), "user.keep", buf, sizeof(buf)), 1);
	assert_int_equal(getxattr(P(f, "up/dir/file"), priv, buf, sizeof(buf)), -1);
	assert_int_equal(lstat(P(f, "up/dir"), &upd), 0);
	assert_int_equal(upd.st_mode, lod.st_mode);
	/* the lower did not move */
	assert_int_equal(hash_file(P(f, "l1/dir/file")), before);
	assert_int_equal(lstat(P(f, "l1/dir/file"), &lo2), 0);
	assert_int_equal(lo2.st_mtim.tv_sec, lo.st_mtim.tv_sec);
	assert_int_equal(lo2.st_ctim.tv_nsec, lo.st_ctim.tv_nsec);
	/* cache follows */
	assert_int_equal(cached_ok(f, "dir/file").layer, 0);
	assert_int_equal(cached_ok(f, "dir").layers, 3);
	assert_int_equal(cached_ok(f, "dir").layer, 0);
	/* again: nothing to do */
	assert_int_equal(vfsd_op_copyup(&f->v, "dir/file", &root_creds), 0);
	assert_int_equal(vfsd_op_copyup(&f->v, "dir/none", &root_creds), -ENOENT);
}

/* A dense file without xattrs takes the short way (one copy, the mode at
 * creation): the same bytes and mode, read-only or not. */
static void test_vfsd_copyup_dense_readonly_file(void **state)
{
	struct fixture *f = *state;
	struct stat lo, up;
	char data[20000];
	uint64_t before;

	memset(data, 'x', sizeof(data) - 1);
	data[sizeof(data) - 1] = 0;
	mk_file(f, "l1/ro", data);
	mk_file(f, "l1/empty", "");
	assert_int_equal(chmod(P(f, "l1/ro"), 0444), 0);
	assert_int_equal(chmod(P(f, "l1/empty"), 0600), 0);
	assert_int_equal(lstat(P(f, "l1/ro"), &lo), 0);
	before = hash_file(P(f, "l1/ro"));
	start(f);
	assert_int_equal(vfsd_op_copyup(&f->v, "ro", &root_creds), 0);
	assert_int_equal(lstat(P(f, "up/ro"), &up), 0);
	assert_int_equal(up.st_mode, lo.st_mode);
	assert_int_equal(up.st_size, lo.st_size);
	assert_int_equal(hash_file(P(f, "up/ro")), before);
	assert_int_equal(vfsd_op_copyup(&f->v, "empty", &root_creds), 0);
	assert_int_equal(lstat(P(f, "up/empty"), &up), 0);
	assert_int_equal(up.st_mode, S_IFREG | 0600);
	assert_int_equal(up.st_size, 0);
}

/* Once a run has copied up a file, root's vfsd keeps spare unnamed files
 * in the upper root; a copy-up into any upper dir takes one: same bytes,
 * mode (suid too) and owner, and nothing else appears in upper. */
static void test_vfsd_copyup_spare_files(void **state)
{
	struct fixture *f = *state;
	struct stat lo, up;
	int n = 0;

	if (geteuid() != 0) {
		skip();
		return;
	}
	mk_dir(f, "l1/d");
	mk_file(f, "l1/first", "1");
	mk_file(f, "l1/d/second", "second file");
	assert_int_equal(chmod(P(f, "l1/d/second"), 04750), 0);
	assert_int_equal(chown(P(f, "l1/d/second"), 1234, 5678), 0);
	assert_int_equal(lstat(P(f, "l1/d/second"), &lo), 0);
	start(f);
	assert_false(vfsd_pool_fill(&f->v));   /* not before a copy-up */
	assert_int_equal(vfsd_op_copyup(&f->v, "first", &root_creds), 0);
	while (vfsd_pool_fill(&f->v))
		n++;
	assert_int_equal(n, VFSD_POOL_MAX);
	assert_int_equal(vfsd_op_copyup(&f->v, "d/second", &root_creds), 0);
	assert_int_equal(f->v.npool, VFSD_POOL_MAX - 1);
	assert_int_equal(lstat(P(f, "up/d/second"), &up), 0);
	assert_int_equal(up.st_mode, lo.st_mode);
	assert_int_equal(up.st_uid, 1234);
	assert_int_equal(up.st_gid, 5678);
	assert_int_equal(up.st_size, lo.st_size);
	assert_int_equal(hash_file(P(f, "up/d/second")), hash_file(P(f, "l1/d/second")));
	assert_true(exists(f, "up/first", NULL));
	assert_true(exists(f, "up/d", NULL));
	vfsd_pool_drain(&f->v);
	assert_int_equal(f->v.npool, 0);
}

static void test_vfsd_copyup_dir_times_and_symlink(void **state)
{
	struct fixture *f = *state;
	struct timespec ts[2] = { { 1000000000, 0 }, { 1100000000, 0 } };
	struct stat st;
	char buf[64];
	ssize_t n;

	mk_dir(f, "l2/d");
	assert_int_equal(symlink("../target", P(f, "l2/d/ln")), 0);
	assert_int_equal(utimensat(AT_FDCWD, P(f, "l2/d/ln"), ts, AT_SYMLINK_NOFOLLOW), 0);
	assert_int_equal(utimensat(AT_FDCWD, P(f, "l2/d"), ts, 0), 0);
	assert_int_equal(mkfifo(P(f, "l2/d/fifo"), 0640), 0);
	start(f);
	assert_int_equal(vfsd_op_copyup(&f->v, "d/ln", &root_creds), 0);
	assert_int_equal(vfsd_op_copyup(&f->v, "d/fifo", &root_creds), 0);
	n = readlink(P(f, "up/d/ln"), buf, sizeof(buf));
	assert_int_equal(n, 9);
	assert_memory_equal(buf, "../target", 9);
	assert_int_equal(lstat(P(f, "up/d/ln"), &st), 0);
	assert_int_equal(st.st_mtim.tv_sec, ts[1].tv_sec);
	assert_int_equal(lstat(P(f, "up/d/fifo"), &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0640);
	/* the copied dir is not opaque */
	assert_int_equal(getxattr(P(f, "up/d"), "trusted.overlay.opaque", buf, sizeof(buf)), -1);
	assert_false(exists(f, "up/d/" LAYER_OPQ_NAME, NULL));
	assert_int_equal(vfsd_op_copyup(&f->v, "d", &root_creds), 0);
	assert_int_equal(vfsd_op_copyup(&f->v, "", &root_creds), 0);
}

/* --- unlink / rmdir ------------------------------------------------------------ */

static void test_vfsd_unlink_lower_fileprefix(void **state)
{
	struct fixture *f = *state;
	struct shm_dval v;

	mk_dir(f, "l1/d");
	mk_file(f, "l1/d/f", "x");
	start(f);
	assert_int_equal(vfsd_op_unlink(&f->v, "d/f", &root_creds), 0);
	assert_true(exists(f, "up/d/.wh.f", NULL));
	assert_true(exists(f, "l1/d/f", NULL));
	v = cached_ok(f, "d/f");
	assert_int_equal(v.flags, SHM_DF_NEG | SHM_DF_WHITEOUT_UP);
	assert_int_equal(vfsd_op_unlink(&f->v, "d/f", &root_creds), -ENOENT);
	assert_int_equal(f->r.hdr->stat_whiteouts, 1);
}

static void test_vfsd_unlink_lower_chardev(void **state)
{
	struct fixture *f = *state;

	if (!chardev_ok(f))
		skip();
	f->cfg.whiteout = FUSS_WH_CHARDEV;
	mk_file(f, "l2/f", "x");
	mk_file(f, "up/g", "upper");
	mk_file(f, "l1/g", "lower");
	start(f);
	assert_int_equal(vfsd_op_unlink(&f->v, "f", &root_creds), 0);
	assert_true(is_chardev00(f, "up/f"));
	/* upper file over a lower one: the whiteout replaces it */
	assert_int_equal(vfsd_op_unlink(&f->v, "g", &root_creds), 0);
	assert_true(is_chardev00(f, "up/g"));
	assert_int_equal(cached_ok(f, "g").flags, SHM_DF_NEG | SHM_DF_WHITEOUT_UP);
}

static void test_vfsd_unlink_upper_only_leaves_nothing(void **state)
{
	struct fixture *f = *state;

	mk_file(f, "up/u", "x");
	mk_dir(f, "l1/d");
	start(f);
	assert_int_equal(vfsd_op_unlink(&f->v, "u", &root_creds), 0);
	assert_false(exists(f, "up/u", NULL));
	assert_false(exists(f, "up/.wh.u", NULL));
	assert_int_equal(cached_ok(f, "u").flags, SHM_DF_NEG);
	assert_int_equal(vfsd_op_unlink(&f->v, "d", &root_creds), -EISDIR);
	assert_int_equal(vfsd_op_unlink(&f->v, "", &root_creds), -EISDIR);
	assert_int_equal(vfsd_op_unlink(&f->v, "nope/x", &root_creds), -ENOENT);
}

static void test_vfsd_rmdir_merged_not_empty(void **state)
{
	struct fixture *f = *state;

	mk_dir(f, "up/d");
	mk_dir(f, "l1/d");
	mk_file(f, "l1/d/x", "x");
	mk_file(f, "l1/f", "x");
	start(f);
	assert_int_equal(vfsd_op_rmdir(&f->v, "d", &root_creds), -ENOTEMPTY);
	assert_int_equal(vfsd_op_rmdir(&f->v, "f", &root_creds), -ENOTDIR);
	assert_int_equal(vfsd_op_lookup(&f->v, "d/x", 0), 0);
	assert_int_equal(vfsd_op_unlink(&f->v, "d/x", &root_creds), 0);
	assert_true(exists(f, "up/d/.wh.x", NULL));
	/* only markers left in the upper part: it goes, and a whiteout stays */
	assert_int_equal(vfsd_op_rmdir(&f->v, "d", &root_creds), 0);
	assert_true(exists(f, "up/.wh.d", NULL));
	assert_false(exists(f, "up/d", NULL));
	assert_int_equal(cached_ok(f, "d").flags, SHM_DF_NEG | SHM_DF_WHITEOUT_UP);
	assert_int_equal(vfsd_op_rmdir(&f->v, "", &root_creds), -EBUSY);
}

static void test_vfsd_rmdir_chardev_replaces_upper_dir(void **state)
{
	struct fixture *f = *state;

	if (!chardev_ok(f))
		skip();
	f->cfg.whiteout = FUSS_WH_CHARDEV;
	mk_dir(f, "up/d");
	mk_dir(f, "l1/d");
	mk_file(f, "l1/d/x", "x");
	mk_dir(f, "up/e");
	start(f);
	assert_int_equal(vfsd_op_unlink(&f->v, "d/x", &root_creds), 0);
	assert_true(is_chardev00(f, "up/d/x"));
	assert_int_equal(vfsd_op_rmdir(&f->v, "d", &root_creds), 0);
	assert_true(is_chardev00(f, "up/d"));
	assert_int_equal(vfsd_op_rmdir(&f->v, "e", &root_creds), 0);
	assert_false(exists(f, "up/e", NULL));
}

/* --- create ------------------------------------------------------------------- */

static void test_vfsd_mkdir_over_whiteout_is_opaque(void **state)
{
	struct fixture *f = *state;
	struct layer_listing l;
	struct shm_dval v;

	mk_dir(f, "l1/d");
	mk_file(f, "l1/d/x", "x");
	start(f);
	assert_int_equal(vfsd_op_lookup(&f->v, "d/x", 0), 0);
	assert_int_equal(vfsd_op_unlink(&f->v, "d/x", &root_creds), 0);
	assert_int_equal(vfsd_op_rmdir(&f->v, "d", &root_creds), 0);
	assert_int_equal(vfsd_op_mkdir(&f->v, "d", 0777, &root_creds), 0);
	assert_true(exists(f, "up/d/" LAYER_OPQ_NAME, NULL));
	assert_false(exists(f, "up/.wh.d", NULL));
	v = cached_ok(f, "d");
	assert_int_equal(v.flags, SHM_DF_OPAQUE);
	assert_int_equal(v.layers, 1);
	assert_int_equal(v.mode, S_IFDIR | 0755);
	/* the old child is gone from the cache with the old dir */
	assert_int_equal(cached(f, "d/x", &v), -ENOENT);
	assert_int_equal(layer_list_merged(&f->cfg, "d", v.layers, &l), 0);
	assert_int_equal(l.n, 2);
	layer_listing_free(&l);
	assert_int_equal(vfsd_op_mkdir(&f->v, "d", 0777, &root_creds), -EEXIST);
	assert_int_equal(vfsd_op_mkdir(&f->v, "plain", 0700, &root_creds), 0);
	assert_false(exists(f, "up/plain/" LAYER_OPQ_NAME, NULL));
}

static void test_vfsd_mkdir_over_chardev_whiteout(void **state)
{
	struct fixture *f = *state;
	char buf[4];

	if (!chardev_ok(f))
		skip();
	f->cfg.whiteout = FUSS_WH_CHARDEV;
	f->cfg.opaque_xattr = geteuid() ? FUSS_OPQ_USER : FUSS_OPQ_TRUSTED;
	assert_int_equal(mknod(P(f, "up/d"), S_IFCHR, makedev(0, 0)), 0);
	mk_dir(f, "l1/d");
	start(f);
	assert_int_equal(vfsd_op_mkdir(&f->v, "d", 0755, &root_creds), 0);
	assert_int_equal(getxattr(P(f, "up/d"), geteuid() ? "user.overlay.opaque" :
				  "trusted.overlay.opaque", buf, sizeof(buf)), 1);
	assert_int_equal(cached_ok(f, "d").flags, SHM_DF_OPAQUE);
}

static void test_vfsd_create_ops_refuse_marker_names(void **state)
{
	struct fixture *f = *state;

	start(f);
	assert_int_equal(vfsd_op_mkdir(&f->v, ".wh.x", 0755, &root_creds), -EINVAL);
	assert_int_equal(vfsd_op_mknod(&f->v, ".fuss-tmp.x", S_IFIFO | 0644, 0, &root_creds), -EINVAL);
	assert_int_equal(vfsd_op_prep_create(&f->v, ".wh.y", O_CREAT, 0644, &root_creds), -EINVAL);
	assert_int_equal(vfsd_op_mknod(&f->v, "c", S_IFCHR | 0644, 0, &root_creds), -EPERM);
	assert_int_equal(vfsd_op_mknod(&f->v, "d", S_IFDIR | 0644, 0, &root_creds), -EPERM);
}

static void test_vfsd_symlink_link_mknod(void **state)
{
	struct fixture *f = *state;
	struct stat a, b;
	char buf[16];

	mk_dir(f, "l1/d");
	mk_file(f, "l1/d/src", "data");
	mk_file(f, "up/.wh.ln", NULL);
	mk_file(f, "l2/ln", "old");
	start(f);
	assert_int_equal(vfsd_op_symlink(&f->v, "d/sym", "src", &root_creds), 0);
	assert_int_equal(readlink(P(f, "up/d/sym"), buf, sizeof(buf)), 3);
	assert_int_equal(vfsd_op_symlink(&f->v, "d/sym", "x", &root_creds), -EEXIST);
	assert_int_equal(vfsd_op_link(&f->v, "d/src", "ln", &root_creds), 0);
	assert_int_equal(lstat(P(f, "up/d/src"), &a), 0);
	assert_int_equal(lstat(P(f, "up/ln"), &b), 0);
	assert_int_equal(a.st_ino, b.st_ino);
	assert_false(exists(f, "up/.wh.ln", NULL));
	assert_int_equal(cached_ok(f, "ln").layer, 0);
	assert_int_equal(vfsd_op_link(&f->v, "d", "ln2", &root_creds), -EPERM);
	assert_int_equal(vfsd_op_mknod(&f->v, "d/fifo", S_IFIFO | 0666, 0, &root_creds), 0);
	assert_int_equal(lstat(P(f, "up/d/fifo"), &a), 0);
	assert_true(S_ISFIFO(a.st_mode));
	assert_int_equal(a.st_mode & 0777, 0644);
}

static void test_vfsd_prep_create_over_whiteout(void **state)
{
	struct fixture *f = *state;
	struct stat st;
	struct shm_dval v;

	mk_file(f, "l1/f", "lower");
	mk_file(f, "up/.wh.f", NULL);
	mk_dir(f, "l1/d");
	mk_file(f, "l1/d/g", "lower");
	start(f);
	assert_int_equal(vfsd_op_prep_create(&f->v, "f", O_CREAT | O_WRONLY, 0666, &root_creds), 1);
	assert_int_equal(lstat(P(f, "up/f"), &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_size, 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	assert_false(exists(f, "up/.wh.f", NULL));
	v = cached_ok(f, "f");
	assert_int_equal(v.layer, 0);
	assert_int_equal(v.flags, 0);
	/* lower name, no whiteout: parent copied up, entry probes upper */
	assert_int_equal(vfsd_op_prep_create(&f->v, "d/g", O_CREAT, 0644, &root_creds), 0);
	assert_true(exists(f, "up/d", NULL));
	assert_false(exists(f, "up/d/g", NULL));
	v = cached_ok(f, "d/g");
	assert_int_equal(v.flags, SHM_DF_PROBE_UPPER);
	assert_int_equal(v.layer, 1);
	/* a later lookup keeps the probe flag until a notify */
	assert_int_equal(vfsd_op_lookup(&f->v, "d/g", 0), 0);
	assert_int_equal(cached_ok(f, "d/g").flags, SHM_DF_PROBE_UPPER);
	mk_file(f, "up/d/g", "new");
	assert_int_equal(vfsd_op_notify(&f->v, "d/g"), 0);
	v = cached_ok(f, "d/g");
	assert_int_equal(v.flags, 0);
	assert_int_equal(v.layer, 0);
}

/* --- rename ------------------------------------------------------------------- */

static void test_vfsd_rename_lower_dir_exdev(void **state)
{
	struct fixture *f = *state;

	mk_dir(f, "l1/d");
	mk_dir(f, "up/m");
	mk_dir(f, "l2/m");
	start(f);
	assert_int_equal(vfsd_op_rename(&f->v, "d", "e", 0, &root_creds), -EXDEV);
	assert_int_equal(vfsd_op_rename(&f->v, "m", "n", 0, &root_creds), -EXDEV);
	assert_false(exists(f, "up/d", NULL));
	assert_false(exists(f, "up/e", NULL));
}

static void test_vfsd_rename_lower_file_copies_up(void **state)
{
	struct fixture *f = *state;
	uint64_t h;

	mk_dir(f, "l1/d");
	mk_file(f, "l1/d/f", "content");
	mk_dir(f, "l2/t");
	h = hash_file(P(f, "l1/d/f"));
	start(f);
	assert_int_equal(vfsd_op_lookup(&f->v, "d/f", 0), 0);
	assert_int_equal(vfsd_op_rename(&f->v, "d/f", "t/g", 0, &root_creds), 0);
	assert_int_equal(hash_file(P(f, "up/t/g")), h);
	assert_true(exists(f, "up/d/.wh.f", NULL));
	assert_false(exists(f, "up/d/f", NULL));
	assert_int_equal(hash_file(P(f, "l1/d/f")), h);
	assert_int_equal(cached_ok(f, "d/f").flags, SHM_DF_NEG | SHM_DF_WHITEOUT_UP);
	assert_int_equal(cached_ok(f, "t/g").layer, 0);
}

static void test_vfsd_rename_chardev_whiteout_old(void **state)
{
	struct fixture *f = *state;

	if (!chardev_ok(f))
		skip();
	f->cfg.whiteout = FUSS_WH_CHARDEV;
	mk_file(f, "l1/f", "content");
	assert_int_equal(mknod(P(f, "up/g"), S_IFCHR, makedev(0, 0)), 0);
	mk_file(f, "l1/g", "old g");
	start(f);
	assert_int_equal(vfsd_op_rename(&f->v, "f", "g", 0, &root_creds), 0);
	assert_true(is_chardev00(f, "up/f"));
	assert_int_equal(hash_file(P(f, "up/g")), hash_file(P(f, "l1/f")));
}

static void test_vfsd_rename_upper_dir_into_merged_parent(void **state)
{
	struct fixture *f = *state;
	struct shm_dval v;

	mk_dir(f, "l1/low");
	mk_file(f, "l1/low/x", NULL);
	start(f);
	assert_int_equal(vfsd_op_mkdir(&f->v, "n", 0755, &root_creds), 0);
	assert_int_equal(vfsd_op_rename(&f->v, "n", "m", 0, &root_creds), 0);
	/* like the kernel: a pure upper dir moved into a merged dir is opaque */
	assert_true(exists(f, "up/m/" LAYER_OPQ_NAME, NULL));
	v = cached_ok(f, "m");
	assert_int_equal(v.flags, SHM_DF_OPAQUE);
	assert_int_equal(cached_ok(f, "n").flags, SHM_DF_NEG);
	/* over an empty lower dir: it replaces the merged one, nothing shows */
	assert_int_equal(vfsd_op_unlink(&f->v, "low/x", &root_creds), 0);
	assert_int_equal(vfsd_op_rename(&f->v, "m", "low", 0, &root_creds), 0);
	v = cached_ok(f, "low");
	assert_int_equal(v.layers, 1);
	assert_int_equal(v.flags, SHM_DF_OPAQUE);
}

static void test_vfsd_rename_errors(void **state)
{
	struct fixture *f = *state;

	mk_file(f, "l1/f", "1");
	mk_file(f, "l1/g", "2");
	mk_dir(f, "up/d");
	mk_dir(f, "up/e");
	mk_file(f, "up/e/x", NULL);
	start(f);
	assert_int_equal(vfsd_op_rename(&f->v, "f", "g", RENAME_NOREPLACE, &root_creds), -EEXIST);
	assert_int_equal(vfsd_op_rename(&f->v, "f", "d", 0, &root_creds), -EISDIR);
	assert_int_equal(vfsd_op_rename(&f->v, "d", "f", 0, &root_creds), -ENOTDIR);
	assert_int_equal(vfsd_op_rename(&f->v, "d", "e", 0, &root_creds), -ENOTEMPTY);
	assert_int_equal(vfsd_op_rename(&f->v, "d", "d/sub", 0, &root_creds), -EINVAL);
	assert_int_equal(vfsd_op_rename(&f->v, "e/x", "e", 0, &root_creds), -ENOTEMPTY);
	assert_int_equal(vfsd_op_rename(&f->v, "nope", "z", 0, &root_creds), -ENOENT);
	assert_int_equal(vfsd_op_rename(&f->v, "f", "z", RENAME_WHITEOUT, &root_creds), -EINVAL);
	assert_int_equal(vfsd_op_rename(&f->v, "f", "g", RENAME_EXCHANGE | RENAME_NOREPLACE,
					&root_creds), -EINVAL);
	assert_int_equal(vfsd_op_rename(&f->v, "f", "f", 0, &root_creds), 0);
	/* nothing was copied up by the failures */
	assert_false(exists(f, "up/f", NULL));
	/* plain rename replaces a file */
	assert_int_equal(vfsd_op_rename(&f->v, "f", "g", 0, &root_creds), 0);
	assert_int_equal(hash_file(P(f, "up/g")), hash_file(P(f, "l1/f")));
	assert_true(exists(f, "up/.wh.f", NULL));
}

static void test_vfsd_rename_exchange_upper(void **state)
{
	struct fixture *f = *state;
	struct stat st;

	mk_file(f, "up/a", "A");
	mk_file(f, "up/b", "BB");
	start(f);
	assert_int_equal(vfsd_op_lookup(&f->v, "a", 0), 0);
	assert_int_equal(vfsd_op_rename(&f->v, "a", "b", RENAME_EXCHANGE, &root_creds), 0);
	assert_int_equal(lstat(P(f, "up/a"), &st), 0);
	assert_int_equal(st.st_size, 2);
	assert_int_equal(lstat(P(f, "up/b"), &st), 0);
	assert_int_equal(st.st_size, 1);
	assert_int_equal(cached_ok(f, "a").layer, 0);
	assert_int_equal(vfsd_op_rename(&f->v, "a", "nope", RENAME_EXCHANGE, &root_creds), -ENOENT);
}

static void test_vfsd_rename_exchange_lower(void **state)
{
	struct fixture *f = *state;
	struct stat st;

	mk_file(f, "l1/a", "A");
	mk_file(f, "l1/b", "BB");
	start(f);
	assert_int_equal(vfsd_op_rename(&f->v, "a", "b", RENAME_EXCHANGE, &root_creds), 0);
	/* both were copied up and exchanged there; the lower is untouched */
	assert_int_equal(lstat(P(f, "up/a"), &st), 0);
	assert_int_equal(st.st_size, 2);
	assert_int_equal(lstat(P(f, "up/b"), &st), 0);
	assert_int_equal(st.st_size, 1);
	assert_int_equal(lstat(P(f, "l1/a"), &st), 0);
	assert_int_equal(st.st_size, 1);
	assert_false(exists(f, "up/.wh.a", NULL));
	assert_int_equal(cached_ok(f, "a").layer, 0);
	assert_int_equal(cached_ok(f, "b").layer, 0);
}

/* --- read-only, permissions, requests ------------------------------------------ */

static void test_vfsd_erofs_without_upper(void **state)
{
	struct fixture *f = *state;

	mk_file(f, "l1/f", "x");
	mk_dir(f, "l1/d");
	start(f);
	assert_int_equal(vfsd_op_lookup(&f->v, "f", 0), 0);
	assert_int_equal(cached_ok(f, "f").layer, 1);
	assert_int_equal(shm_dcache_root(&f->r, &(struct shm_dval){ 0 }), 0);
	assert_int_equal(vfsd_op_copyup(&f->v, "f", &root_creds), -EROFS);
	assert_int_equal(vfsd_op_unlink(&f->v, "f", &root_creds), -EROFS);
	assert_int_equal(vfsd_op_rmdir(&f->v, "d", &root_creds), -EROFS);
	assert_int_equal(vfsd_op_mkdir(&f->v, "n", 0755, &root_creds), -EROFS);
	assert_int_equal(vfsd_op_mknod(&f->v, "n", S_IFIFO, 0, &root_creds), -EROFS);
	assert_int_equal(vfsd_op_symlink(&f->v, "n", "t", &root_creds), -EROFS);
	assert_int_equal(vfsd_op_link(&f->v, "f", "n", &root_creds), -EROFS);
	assert_int_equal(vfsd_op_rename(&f->v, "f", "n", 0, &root_creds), -EROFS);
	assert_int_equal(vfsd_op_prep_create(&f->v, "n", O_CREAT, 0644, &root_creds), -EROFS);
	assert_true(exists(f, "l1/f", NULL));
}

static void test_vfsd_perm_checks_as_user(void **state)
{
	struct fixture *f = *state;
	struct shm_creds user = { .fsuid = 1000, .fsgid = 1000, .umask = 022 };
	struct stat st;

	if (geteuid() != 0)
		skip();
	mk_dir(f, "l1/ro");
	mk_dir(f, "l1/tmp");
	assert_int_equal(chmod(P(f, "l1/tmp"), 01777), 0);
	mk_file(f, "l1/tmp/other", "x");
	assert_int_equal(chown(P(f, "l1/tmp/other"), 1001, 1001), 0);
	mk_dir(f, "l1/mine");
	assert_int_equal(chown(P(f, "l1/mine"), 1000, 1000), 0);
	mk_dir(f, "l1/sg");
	assert_int_equal(chown(P(f, "l1/sg"), 0, 50), 0);
	assert_int_equal(chmod(P(f, "l1/sg"), 02777), 0);
	start(f);
	assert_int_equal(vfsd_op_mkdir(&f->v, "ro/x", 0777, &user), -EACCES);
	assert_int_equal(vfsd_op_unlink(&f->v, "tmp/other", &user), -EPERM);
	assert_int_equal(vfsd_op_mknod(&f->v, "tmp/dev", S_IFBLK | 0600, makedev(8, 0), &user), -EPERM);
	assert_int_equal(vfsd_op_mkdir(&f->v, "mine/x", 0777, &user), 0);
	assert_int_equal(lstat(P(f, "up/mine/x"), &st), 0);
	assert_int_equal(st.st_uid, 1000);
	assert_int_equal(st.st_gid, 1000);
	assert_int_equal(st.st_mode & 07777, 0755);
	assert_int_equal(vfsd_op_symlink(&f->v, "sg/ln", "t", &user), 0);
	assert_int_equal(lstat(P(f, "up/sg/ln"), &st), 0);
	assert_int_equal(st.st_uid, 1000);
	assert_int_equal(st.st_gid, 50);
	assert_int_equal(vfsd_op_prep_create(&f->v, "ro/new", O_CREAT, 0644, &user), -EACCES);
	/* the refusals copied nothing up */
	assert_false(exists(f, "up/ro", NULL));
	assert_false(exists(f, "up/tmp", NULL));
}

static void test_vfsd_req_check_rejects_bad_requests(void **state)
{
	static struct shm_req q;
	const char *bad[] = { "..", "a/../b", "/abs", "a//b", "a/", ".", "./a" };

	(void)state;
	memset(&q, 0, sizeof(q));
	q.op = SHM_OP_LOOKUP;
	strcpy(q.path, "a/b");
	q.path_len = 3;
	assert_int_equal(vfsd_req_check(&q), 0);
	q.path_len = 2;
	assert_int_equal(vfsd_req_check(&q), -EINVAL);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		strcpy(q.path, bad[i]);
		q.path_len = (uint32_t)strlen(bad[i]);
		assert_int_equal(vfsd_req_check(&q), -EINVAL);
	}
	strcpy(q.path, "");
	q.path_len = 0;
	assert_int_equal(vfsd_req_check(&q), 0);
	q.path_len = SHM_PATH_MAX;
	assert_int_equal(vfsd_req_check(&q), -EINVAL);
	q.path_len = 0;
	q.op = SHM_OP_MAX;
	assert_int_equal(vfsd_req_check(&q), -EINVAL);
	q.op = SHM_OP_NONE;
	assert_int_equal(vfsd_req_check(&q), -EINVAL);
	q.op = SHM_OP_LOOKUP;
	q.creds.ngroups = 33;
	assert_int_equal(vfsd_req_check(&q), -EINVAL);
	q.creds.ngroups = 0;
	q.op = SHM_OP_RENAME;
	strcpy(q.path2, "x/..");
	q.path2_len = 4;
	assert_int_equal(vfsd_req_check(&q), -EINVAL);
	memset(q.path, 'n', 300);
	q.path[300] = 0;
	q.path_len = 300;
	q.op = SHM_OP_LOOKUP;
	assert_int_equal(vfsd_req_check(&q), -ENAMETOOLONG);
}

static void test_vfsd_dispatch_runs_ops(void **state)
{
	struct fixture *f = *state;
	static struct shm_req q;

	start(f);
	memset(&q, 0, sizeof(q));
	q.op = SHM_OP_MKDIR;
	strcpy(q.path, "made");
	q.path_len = 4;
	q.arg1 = 0750;
	assert_int_equal(vfsd_req_check(&q), 0);
	assert_int_equal(vfsd_dispatch(&f->v, &q), 0);
	assert_true(exists(f, "up/made", NULL));
	q.op = SHM_OP_RENAME;
	strcpy(q.path2, "made2");
	q.path2_len = 5;
	assert_int_equal(vfsd_dispatch(&f->v, &q), 0);
	assert_true(exists(f, "up/made2", NULL));
}

static void test_vfsd_cache_flush_midway_is_safe(void **state)
{
	struct fixture *f = *state;
	struct shm_params p = { .dcache_nslots = 8, .nworkers = 1 };
	char rel[64];

	shm_region_detach(&f->r);
	assert_int_equal(shm_region_create(&f->r, &p), 0);
	mk_dir(f, "l1/a");
	mk_dir(f, "l1/a/b");
	mk_dir(f, "l1/a/b/c");
	mk_dir(f, "l1/a/b/c/d");
	mk_file(f, "l1/a/b/c/d/e", NULL);
	for (int i = 0; i < 8; i++) {
		snprintf(rel, sizeof(rel), "l1/f%d", i);
		mk_file(f, rel, NULL);
	}
	start(f);
	for (int i = 0; i < 8; i++) {
		snprintf(rel, sizeof(rel), "f%d", i);
		assert_int_equal(vfsd_op_lookup(&f->v, rel, 0), 0);
	}
	assert_int_equal(vfsd_op_lookup(&f->v, "a/b/c/d", 0), 0);
	assert_int_equal(cached_ok(f, "a/b/c/d").layer, 1);
	assert_int_equal(vfsd_op_copyup(&f->v, "a/b/c/d/e", &root_creds), 0);
	assert_true(exists(f, "up/a/b/c/d/e", NULL));
}

/* The real process: requests over the ring, malformed ones refused, and a
 * clean exit on SIGTERM. */
/* vfsd_main in a child, once it serves. */
static pid_t fork_vfsd(struct fixture *f)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		/* a failed assertion must not leave it running */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		_exit(vfsd_main(&f->cfg, &f->r));
	}
	while (!__atomic_load_n(&f->r.hdr->vfsd_state, __ATOMIC_ACQUIRE))
		usleep(1000);
	return pid;
}

static void test_vfsd_main_serves_requests(void **state)
{
	struct fixture *f = *state;
	struct shm_req *q = shm_worker_req(&f->r, 0);
	int status;
	pid_t pid;

	mk_file(f, "l1/f", "x");
	pid = fork_vfsd(f);
	memset(q, 0, sizeof(*q));
	q->op = SHM_OP_MKDIR;
	q->arg1 = 0755;
	strcpy(q->path, "viaring");
	q->path_len = 7;
	assert_int_equal(shm_req_call(&f->r, 0), 0);
	assert_true(exists(f, "up/viaring", NULL));
	q->op = SHM_OP_UNLINK;
	strcpy(q->path, "../f");
	q->path_len = 4;
	assert_int_equal(shm_req_call(&f->r, 0), -EINVAL);
	strcpy(q->path, "f");
	q->path_len = 1;
	assert_int_equal(shm_req_call(&f->r, 0), 0);
	assert_true(exists(f, "up/.wh.f", NULL));
	assert_int_equal(cached_ok(f, "f").flags, SHM_DF_NEG | SHM_DF_WHITEOUT_UP);
#ifdef __SANITIZE_THREAD__
	/* TSan defers handlers to its interceptors, which vfsd's idle loop
	 * (raw futex calls) never reaches. */
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return;
#endif
	assert_true(exists(f, "up/" VFSD_INUSE_NAME, NULL));
	kill(pid, SIGTERM);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_false(exists(f, "up/" VFSD_INUSE_NAME, NULL));
}

/* SIGUSR1 (fuss died): vfsd kills the threads listed as parked in a
 * hand-over, and still ends cleanly. */
static void test_vfsd_main_kills_parked_when_fuss_dies(void **state)
{
	struct fixture *f = *state;
	int status;
	pid_t parked, pid;

	parked = fork();
	assert_true(parked >= 0);
	if (parked == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;)
			pause();
	}
	f->r.hdr->parked[3] = parked;
	pid = fork_vfsd(f);
#ifdef __SANITIZE_THREAD__
	/* as above: the handler would not run in vfsd's idle loop */
	kill(pid, SIGKILL);
	kill(parked, SIGKILL);
	waitpid(pid, &status, 0);
	waitpid(parked, &status, 0);
	return;
#endif
	kill(pid, SIGUSR1);
	assert_int_equal(waitpid(parked, &status, 0), parked);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_vfsd_init_sweeps_temp_names),
		T(test_vfsd_init_sweeps_deep_temps_after_a_kill),
		T(test_vfsd_init_sweeps_root_only_after_a_clean_run),
		T(test_vfsd_tmp_drop_remembers_a_leftover),
		T(test_vfsd_root_fill_all_layers),
		T(test_vfsd_lookup_caches_merged_values),
		T(test_vfsd_lookup_whiteouts_and_opaque),
		T(test_vfsd_lookup_siblings),
		T(test_vfsd_walk_resume_sees_changes),
		T(test_vfsd_copyup_preserves_file),
		T(test_vfsd_copyup_dense_readonly_file),
		T(test_vfsd_copyup_spare_files),
		T(test_vfsd_copyup_dir_times_and_symlink),
		T(test_vfsd_unlink_lower_fileprefix),
		T(test_vfsd_unlink_lower_chardev),
		T(test_vfsd_unlink_upper_only_leaves_nothing),
		T(test_vfsd_rmdir_merged_not_empty),
		T(test_vfsd_rmdir_chardev_replaces_upper_dir),
		T(test_vfsd_mkdir_over_whiteout_is_opaque),
		T(test_vfsd_mkdir_over_chardev_whiteout),
		T(test_vfsd_create_ops_refuse_marker_names),
		T(test_vfsd_symlink_link_mknod),
		T(test_vfsd_prep_create_over_whiteout),
		T(test_vfsd_rename_lower_dir_exdev),
		T(test_vfsd_rename_lower_file_copies_up),
		T(test_vfsd_rename_chardev_whiteout_old),
		T(test_vfsd_rename_upper_dir_into_merged_parent),
		T(test_vfsd_rename_errors),
		T(test_vfsd_rename_exchange_upper),
		T(test_vfsd_rename_exchange_lower),
		cmocka_unit_test_setup_teardown(test_vfsd_erofs_without_upper, setup_ro, teardown),
		T(test_vfsd_perm_checks_as_user),
		cmocka_unit_test(test_vfsd_req_check_rejects_bad_requests),
		T(test_vfsd_dispatch_runs_ops),
		T(test_vfsd_cache_flush_midway_is_safe),
		T(test_vfsd_main_serves_requests),
		T(test_vfsd_main_kills_parked_when_fuss_dies),
	};

	fuss_log_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
