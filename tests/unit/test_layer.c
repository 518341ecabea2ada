/*
 * Unit tests for vfsd/layer.c: every marker format read, both write formats,
 * and the merged listing over three layers built under a mkdtemp dir.
 * 0:0 character devices need root or Linux >= 5.8; tests that need one are
 * skipped where mknod refuses.
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
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <cmocka.h>
#include "tree.h"
#include "../../vfsd/layer.h"
#include "../../vfsd/ops.h"

struct fixture {
	char base[64];
	char up[128], l1[128], l2[128];
	struct fuss_config cfg;
};


static bool mk_chardev(struct fixture *f, const char *rel)
{
	return mknod(P(f, rel), S_IFCHR | 0600, makedev(0, 0)) == 0;
}

/* trusted.* needs CAP_SYS_ADMIN: without it the test cannot build its tree. */
static void set_x(struct fixture *f, const char *rel, const char *name, const char *val)
{
	if (lsetxattr(P(f, rel), name, val, strlen(val), 0) < 0 && errno == EPERM &&
	    strncmp(name, "trusted.", 8) == 0)
		skip();
	assert_int_equal(lgetxattr(P(f, rel), name, NULL, 0), (ssize_t)strlen(val));
}

static int open_dir(struct fixture *f, const char *rel)
{
	int fd = open(P(f, rel), O_PATH | O_DIRECTORY);

	assert_true(fd >= 0);
	return fd;
}

static bool exists(struct fixture *f, const char *rel, struct stat *st)
{
	struct stat tmp;

	return lstat(P(f, rel), st ? st : &tmp) == 0;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	strcpy(f->base, "/tmp/fuss-test-layer.XXXXXX");
	assert_non_null(mkdtemp(f->base));
	mk_dir(f, "up");
	mk_dir(f, "l1");
	mk_dir(f, "l2");
	snprintf(f->up, sizeof(f->up), "%s/up", f->base);
	snprintf(f->l1, sizeof(f->l1), "%s/l1", f->base);
	snprintf(f->l2, sizeof(f->l2), "%s/l2", f->base);
	f->cfg.layer[0] = f->up;
	f->cfg.layer[1] = f->l1;
	f->cfg.layer[2] = f->l2;
	f->cfg.nlayers = 3;
	*state = f;
	return 0;
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

	nftw(f->base, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

/* --- reading ------------------------------------------------------------ */

static void test_layer_is_whiteout_chardev(void **state)
{
	struct fixture *f = *state;
	int fd;

	if (!mk_chardev(f, "l1/w"))
		skip();
	fd = open_dir(f, "l1");
	assert_int_equal(layer_is_whiteout(fd, "w", DT_UNKNOWN), 1);
	assert_int_equal(layer_is_whiteout(fd, "w", DT_CHR), 1);
	assert_int_equal(layer_is_marker(fd, "w", DT_CHR), 1);
	close(fd);
}

static void test_layer_is_whiteout_other_chardev(void **state)
{
	struct fixture *f = *state;
	int fd;

	if (mknod(P(f, "l1/null"), S_IFCHR | 0600, makedev(1, 3)) < 0)
		skip();
	fd = open_dir(f, "l1");
	assert_int_equal(layer_is_whiteout(fd, "null", DT_CHR), 0);
	assert_int_equal(layer_is_marker(fd, "null", DT_CHR), 0);
	close(fd);
}

static void test_layer_is_whiteout_whfile(void **state)
{
	struct fixture *f = *state;
	int fd;

	mk_file(f, "l1/.wh.gone", NULL);
	fd = open_dir(f, "l1");
	assert_int_equal(layer_is_whiteout(fd, "gone", DT_UNKNOWN), 1);
	assert_int_equal(layer_is_marker(fd, ".wh.gone", DT_REG), 1);
	assert_int_equal(layer_is_whiteout(fd, "other", DT_UNKNOWN), 0);
	close(fd);
}

static void test_layer_is_whiteout_real_beside_whfile(void **state)
{
	struct fixture *f = *state;
	int fd;

	mk_file(f, "l1/both", "x");
	mk_file(f, "l1/.wh.both", NULL);
	fd = open_dir(f, "l1");
	assert_int_equal(layer_is_whiteout(fd, "both", DT_UNKNOWN), 0);
	assert_int_equal(layer_has_wh_file(fd, "both"), 1);
	close(fd);
}

static void test_layer_is_whiteout_xattr_in_x_dir(void **state)
{
	struct fixture *f = *state;
	int fd;

	mk_dir(f, "l1/d");
	mk_file(f, "l1/d/xw", NULL);
	set_x(f, "l1/d/xw", "trusted.overlay.whiteout", "");
	mk_file(f, "l1/d/plain", NULL);
	fd = open_dir(f, "l1/d");
	/* without the dir's "x" it is an ordinary empty file */
	assert_int_equal(layer_is_whiteout(fd, "xw", DT_REG), 0);
	set_x(f, "l1/d", "trusted.overlay.opaque", "x");
	assert_int_equal(layer_is_whiteout(fd, "xw", DT_REG), 1);
	assert_int_equal(layer_is_marker(fd, "xw", DT_REG), 1);
	assert_int_equal(layer_is_whiteout(fd, "plain", DT_REG), 0);
	/* "x" is not opaque */
	assert_int_equal(layer_dir_is_opaque(fd), 0);
	close(fd);
}

static void test_layer_is_whiteout_user_xattr_in_x_dir(void **state)
{
	struct fixture *f = *state;
	int fd;

	mk_dir(f, "l1/d");
	mk_file(f, "l1/d/xw", NULL);
	set_x(f, "l1/d/xw", "user.overlay.whiteout", "");
	set_x(f, "l1/d", "user.overlay.opaque", "x");
	fd = open_dir(f, "l1/d");
	assert_int_equal(layer_is_whiteout(fd, "xw", DT_UNKNOWN), 1);
	close(fd);
}

static void test_layer_is_marker_names(void **state)
{
	struct fixture *f = *state;
	int fd;

	mk_file(f, "l1/.fuss-tmp.1.2", NULL);
	mk_file(f, "l1/normal", NULL);
	mk_dir(f, "l1/sub");
	fd = open_dir(f, "l1");
	assert_int_equal(layer_is_marker(fd, ".fuss-tmp.1.2", DT_REG), 1);
	assert_int_equal(layer_is_marker(fd, LAYER_OPQ_NAME, DT_REG), 1);
	assert_int_equal(layer_is_marker(fd, "normal", DT_REG), 0);
	assert_int_equal(layer_is_marker(fd, "normal", DT_UNKNOWN), 0);
	assert_int_equal(layer_is_marker(fd, "sub", DT_DIR), 0);
	close(fd);
}

static void test_layer_dir_is_opaque_formats(void **state)
{
	struct fixture *f = *state;
	const char *dirs[] = { "l1/t", "l1/u", "l1/fu", "l1/w", "l1/plain", "l1/n" };
	const int want[] = { 1, 1, 1, 1, 0, 0 };

	for (size_t i = 0; i < 6; i++)
		mk_dir(f, dirs[i]);
	set_x(f, "l1/t", "trusted.overlay.opaque", "y");
	set_x(f, "l1/u", "user.overlay.opaque", "y");
	set_x(f, "l1/fu", "user.fuseoverlayfs.opaque", "1");
	mk_file(f, "l1/w/" LAYER_OPQ_NAME, NULL);
	set_x(f, "l1/n", "trusted.overlay.opaque", "n");
	for (size_t i = 0; i < 6; i++) {
		int fd = open_dir(f, dirs[i]);

		assert_int_equal(layer_dir_is_opaque(fd), want[i]);
		close(fd);
	}
}

/* --- writing ------------------------------------------------------------ */

static void test_layer_write_whiteout_fileprefix(void **state)
{
	struct fixture *f = *state;
	struct stat st;
	int fd;

	f->cfg.whiteout = FUSS_WH_FILEPREFIX;
	mk_file(f, "up/file", "data");
	mk_dir(f, "up/dir");
	fd = open_dir(f, "up");
	assert_int_equal(layer_write_whiteout(&f->cfg, fd, "absent"), 0);
	assert_int_equal(layer_write_whiteout(&f->cfg, fd, "file"), 0);
	assert_int_equal(layer_write_whiteout(&f->cfg, fd, "dir"), 0);
	for (size_t i = 0; i < 3; i++) {
		const char *n[] = { "absent", "file", "dir" };

		assert_int_equal(layer_is_whiteout(fd, n[i], DT_UNKNOWN), 1);
	}
	assert_true(exists(f, "up/.wh.file", &st));
	assert_true(S_ISREG(st.st_mode) && st.st_size == 0);
	assert_false(exists(f, "up/file", NULL));
	assert_false(exists(f, "up/dir", NULL));
	assert_int_equal(layer_remove_whiteout(fd, "file"), 0);
	assert_false(exists(f, "up/.wh.file", NULL));
	assert_int_equal(layer_is_whiteout(fd, "file", DT_UNKNOWN), 0);
	close(fd);
}

/* A `.wh.` entry another tool left as a FIFO or a dir is the marker
 * already: writing keeps it (opening the FIFO would block vfsd), removing
 * takes the dir away too. */
static void test_layer_write_whiteout_odd_whfile(void **state)
{
	struct fixture *f = *state;
	int fd;

	f->cfg.whiteout = FUSS_WH_FILEPREFIX;
	assert_int_equal(mkfifo(P(f, "up/.wh.fifo"), 0644), 0);
	mk_dir(f, "up/.wh.dir");
	fd = open_dir(f, "up");
	assert_int_equal(layer_write_whiteout(&f->cfg, fd, "fifo"), 0);
	assert_int_equal(layer_write_whiteout(&f->cfg, fd, "dir"), 0);
	assert_int_equal(layer_set_opaque(&f->cfg, fd), 0);
	assert_int_equal(layer_is_whiteout(fd, "fifo", DT_UNKNOWN), 1);
	assert_int_equal(layer_remove_whiteout(fd, "dir"), 0);
	assert_false(exists(f, "up/.wh.dir", NULL));
	assert_int_equal(layer_remove_whiteout(fd, "fifo"), 0);
	assert_int_equal(layer_is_whiteout(fd, "fifo", DT_UNKNOWN), 0);
	close(fd);
}

static void test_layer_write_whiteout_chardev(void **state)
{
	struct fixture *f = *state;
	struct stat st;
	int fd;

	if (!mk_chardev(f, "up/probe"))
		skip();
	f->cfg.whiteout = FUSS_WH_CHARDEV;
	mk_file(f, "up/file", "data");
	mk_dir(f, "up/dir");
	fd = open_dir(f, "up");
	assert_int_equal(layer_write_whiteout(&f->cfg, fd, "absent"), 0);
	assert_int_equal(layer_write_whiteout(&f->cfg, fd, "file"), 0);
	assert_int_equal(layer_write_whiteout(&f->cfg, fd, "dir"), 0);
	for (size_t i = 0; i < 3; i++) {
		const char *n[] = { "up/absent", "up/file", "up/dir" };

		assert_true(exists(f, n[i], &st));
		assert_true(S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0));
	}
	assert_false(exists(f, "up/.wh.file", NULL));
	assert_int_equal(layer_remove_whiteout(fd, "file"), 0);
	assert_false(exists(f, "up/file", NULL));
	close(fd);
	/* nothing half-built left behind */
	DIR *d = opendir(f->up);
	struct dirent *de;

	while ((de = readdir(d)))
		assert_true(strncmp(de->d_name, ".fuss-tmp.", 10) != 0);
	closedir(d);
}

static void test_layer_set_opaque_each_format(void **state)
{
	struct fixture *f = *state;
	char buf[4];
	int fd;

	mk_dir(f, "up/a");
	mk_dir(f, "up/b");
	mk_dir(f, "up/c");
	f->cfg.whiteout = FUSS_WH_FILEPREFIX;
	fd = open_dir(f, "up/a");
	assert_int_equal(layer_set_opaque(&f->cfg, fd), 0);
	assert_int_equal(layer_dir_is_opaque(fd), 1);
	close(fd);
	assert_true(exists(f, "up/a/" LAYER_OPQ_NAME, NULL));

	f->cfg.whiteout = FUSS_WH_CHARDEV;
	f->cfg.opaque_xattr = FUSS_OPQ_TRUSTED;
	if (geteuid() != 0)
		skip();
	fd = open_dir(f, "up/b");
	assert_int_equal(layer_set_opaque(&f->cfg, fd), 0);
	close(fd);
	assert_int_equal(lgetxattr(P(f, "up/b"), "trusted.overlay.opaque", buf, sizeof(buf)), 1);
	assert_int_equal(buf[0], 'y');

	f->cfg.opaque_xattr = FUSS_OPQ_USER;
	fd = open_dir(f, "up/c");
	assert_int_equal(layer_set_opaque(&f->cfg, fd), 0);
	assert_int_equal(layer_dir_is_opaque(fd), 1);
	close(fd);
	assert_int_equal(lgetxattr(P(f, "up/c"), "user.overlay.opaque", buf, sizeof(buf)), 1);
}

/* --- merged listing ------------------------------------------------------- */

static const struct layer_dirent *find(const struct layer_listing *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++) {
		if (strcmp(l->ents[i].name, name) == 0)
			return &l->ents[i];
	}
	return NULL;
}

/*
 * d over three layers:
 *   up/d:  new, .wh.f2, .fuss-tmp.9
 *   l1/d:  a (shadows l2's), .wh.b, c as 0:0 or xattr whiteout, sub (a file
 *          over l2's dir), only1
 *   l2/d:  a, b, c, f2, sub/, hid
 */
static void build_d(struct fixture *f)
{
	mk_dir(f, "up/d");
	mk_dir(f, "l1/d");
	mk_dir(f, "l2/d");
	mk_file(f, "up/d/new", "n");
	mk_file(f, "up/d/.wh.f2", NULL);
	mk_file(f, "up/d/.fuss-tmp.9", NULL);
	mk_file(f, "l1/d/a", "a1");
	mk_file(f, "l1/d/.wh.b", NULL);
	if (!mk_chardev(f, "l1/d/c")) {
		mk_file(f, "l1/d/c", NULL);
		set_x(f, "l1/d/c", "trusted.overlay.whiteout", "");
		set_x(f, "l1/d", "trusted.overlay.opaque", "x");
	}
	mk_file(f, "l1/d/sub", "file");
	mk_file(f, "l1/d/only1", "1");
	for (size_t i = 0; i < 5; i++) {
		const char *n[] = { "l2/d/a", "l2/d/b", "l2/d/c", "l2/d/f2", "l2/d/hid" };

		mk_file(f, n[i], "2");
	}
	mk_dir(f, "l2/d/sub");
	mk_file(f, "l2/d/sub/deep", "2");
}

static void test_layer_list_merged_three_layers(void **state)
{
	struct fixture *f = *state;
	struct layer_listing l, l2;
	const struct layer_dirent *e;
	struct stat st;

	build_d(f);
	assert_int_equal(layer_list_merged(&f->cfg, "d", 7, &l), 0);
	assert_string_equal(l.ents[0].name, ".");
	assert_string_equal(l.ents[1].name, "..");
	assert_int_equal(lstat(P(f, "up/d"), &st), 0);
	assert_int_equal(l.ents[0].ino, st.st_ino);
	assert_int_equal(l.n, 2 + 5);   /* new a sub only1 hid */
	assert_non_null(find(&l, "new"));
	assert_non_null(find(&l, "only1"));
	assert_non_null(find(&l, "hid"));
	e = find(&l, "a");
	assert_non_null(e);
	assert_int_equal(lstat(P(f, "l1/d/a"), &st), 0);
	assert_int_equal(e->ino, st.st_ino);
	e = find(&l, "sub");
	assert_non_null(e);
	assert_int_equal(e->d_type, DT_REG);
	assert_null(find(&l, "b"));
	assert_null(find(&l, "c"));
	assert_null(find(&l, "f2"));
	assert_null(find(&l, ".wh.f2"));
	assert_null(find(&l, ".fuss-tmp.9"));
	/* same order every time */
	assert_int_equal(layer_list_merged(&f->cfg, "d", 7, &l2), 0);
	assert_int_equal(l.n, l2.n);
	for (size_t i = 0; i < l.n; i++)
		assert_string_equal(l.ents[i].name, l2.ents[i].name);
	layer_listing_free(&l);
	layer_listing_free(&l2);
}

static void test_layer_list_merged_layer_mask(void **state)
{
	struct fixture *f = *state;
	struct layer_listing l;

	build_d(f);
	/* lowers only: l1's whiteouts still apply to l2 */
	assert_int_equal(layer_list_merged(&f->cfg, "d", 6, &l), 0);
	assert_non_null(find(&l, "f2"));
	assert_null(find(&l, "new"));
	assert_null(find(&l, "b"));
	layer_listing_free(&l);
	/* l2 only */
	assert_int_equal(layer_list_merged(&f->cfg, "d", 4, &l), 0);
	assert_non_null(find(&l, "b"));
	assert_non_null(find(&l, "c"));
	layer_listing_free(&l);
}

static void test_layer_list_merged_opaque_stops(void **state)
{
	struct fixture *f = *state;
	struct layer_listing l;

	mk_dir(f, "up/o");
	mk_dir(f, "l1/o");
	mk_dir(f, "l2/o");
	mk_file(f, "up/o/u", NULL);
	mk_file(f, "l1/o/one", NULL);
	mk_file(f, "l1/o/" LAYER_OPQ_NAME, NULL);
	mk_file(f, "l2/o/two", NULL);
	assert_int_equal(layer_list_merged(&f->cfg, "o", 7, &l), 0);
	assert_int_equal(l.n, 4);
	assert_non_null(find(&l, "u"));
	assert_non_null(find(&l, "one"));
	layer_listing_free(&l);
	set_x(f, "up/o", "trusted.overlay.opaque", "y");
	assert_int_equal(layer_list_merged(&f->cfg, "o", 7, &l), 0);
	assert_int_equal(l.n, 3);
	layer_listing_free(&l);
}

static void test_layer_list_merged_nondir_stops(void **state)
{
	struct fixture *f = *state;
	struct layer_listing l;

	mk_dir(f, "up/q");
	mk_file(f, "up/q/u", NULL);
	mk_file(f, "l1/q", "file");
	mk_dir(f, "l2/q");
	mk_file(f, "l2/q/z", NULL);
	assert_int_equal(layer_list_merged(&f->cfg, "q", 7, &l), 0);
	assert_int_equal(l.n, 3);
	assert_non_null(find(&l, "u"));
	layer_listing_free(&l);
	assert_int_equal(layer_list_merged(&f->cfg, "q", 6, &l), -ENOENT);
}

static void test_layer_list_merged_root_ignores_opaque(void **state)
{
	struct fixture *f = *state;
	struct layer_listing l;

	set_x(f, "l1", "trusted.overlay.opaque", "y");
	mk_file(f, "l2/bottom", NULL);
	assert_int_equal(layer_list_merged(&f->cfg, "", 7, &l), 0);
	assert_non_null(find(&l, "bottom"));
	layer_listing_free(&l);
}

static void test_layer_list_merged_missing(void **state)
{
	struct fixture *f = *state;
	struct layer_listing l;

	assert_int_equal(layer_list_merged(&f->cfg, "nope", 7, &l), -ENOENT);
	assert_int_equal(l.n, 0);
}

static void test_layer_list_merged_many_names(void **state)
{
	struct fixture *f = *state;
	struct layer_listing l;
	char rel[64];

	mk_dir(f, "l1/big");
	mk_dir(f, "l2/big");
	for (int i = 0; i < 500; i++) {
		snprintf(rel, sizeof(rel), "l%d/big/n%d", 1 + (i & 1), i % 300);
		if (!exists(f, rel, NULL))
			mk_file(f, rel, NULL);
	}
	assert_int_equal(layer_list_merged(&f->cfg, "big", 7, &l), 0);
	assert_int_equal(l.n, 2 + 300);
	layer_listing_free(&l);
}

/* layer_dir_plain of l1/REL (a fresh fd at its start), *n its count;
 * `links` whether it said the directory holds a symlink. */
static bool links;

static int plain(struct fixture *f, const char *rel, size_t *n)
{
	int fd = open(P(f, rel), O_RDONLY | O_DIRECTORY), r;

	assert_true(fd >= 0);
	links = false;
	r = layer_dir_plain(fd, n, &links);
	close(fd);
	return r;
}

/* A directory lists as the merged view only without marker names, vfsd
 * temporaries, devices (a 0:0 one is a whiteout) or xattr-whiteout
 * marking; the count leaves out "." and "..", a symlink is reported. */
static void test_layer_dir_plain(void **state)
{
	struct fixture *f = *state;
	char rel[64];
	size_t n = 99;

	mk_dir(f, "l1/empty");
	assert_int_equal(plain(f, "l1/empty", &n), 1);
	assert_int_equal(n, 0);
	mk_dir(f, "l1/d");
	for (int i = 0; i < 2000; i++) {
		snprintf(rel, sizeof(rel), "l1/d/a-longer-name-to-need-several-reads-%d", i);
		mk_file(f, rel, NULL);
	}
	mk_dir(f, "l1/d/sub");
	assert_int_equal(plain(f, "l1/d", &n), 1);
	assert_int_equal(n, 2001);
	assert_false(links);
	assert_int_equal(symlink("sub", P(f, "l1/d/link")), 0);
	assert_int_equal(plain(f, "l1/d", &n), 1);
	assert_int_equal(n, 2002);
	assert_true(links);
	mk_dir(f, "l1/wh");
	mk_file(f, "l1/wh/a", NULL);
	mk_file(f, "l1/wh/.wh.b", NULL);
	assert_int_equal(plain(f, "l1/wh", &n), 0);
	mk_dir(f, "l1/opq");
	mk_file(f, "l1/opq/" LAYER_OPQ_NAME, NULL);
	assert_int_equal(plain(f, "l1/opq", &n), 0);
	mk_dir(f, "l1/tmp");
	mk_file(f, "l1/tmp/.fuss-tmp.1.2", NULL);
	assert_int_equal(plain(f, "l1/tmp", &n), 0);
	mk_dir(f, "l1/x");
	mk_file(f, "l1/x/f", NULL);
	assert_int_equal(plain(f, "l1/x", &n), 1);
	set_x(f, "l1/x", "user.overlay.opaque", "x");
	assert_int_equal(plain(f, "l1/x", &n), 0);
	mk_dir(f, "l1/dev");
	if (!mk_chardev(f, "l1/dev/c"))
		skip();
	assert_int_equal(plain(f, "l1/dev", &n), 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_layer_is_whiteout_chardev),
		T(test_layer_is_whiteout_other_chardev),
		T(test_layer_is_whiteout_whfile),
		T(test_layer_is_whiteout_real_beside_whfile),
		T(test_layer_is_whiteout_xattr_in_x_dir),
		T(test_layer_is_whiteout_user_xattr_in_x_dir),
		T(test_layer_is_marker_names),
		T(test_layer_dir_is_opaque_formats),
		T(test_layer_write_whiteout_fileprefix),
		T(test_layer_write_whiteout_odd_whfile),
		T(test_layer_write_whiteout_chardev),
		T(test_layer_set_opaque_each_format),
		T(test_layer_list_merged_three_layers),
		T(test_layer_list_merged_layer_mask),
		T(test_layer_list_merged_opaque_stops),
		T(test_layer_list_merged_nondir_stops),
		T(test_layer_list_merged_root_ignores_opaque),
		T(test_layer_list_merged_missing),
		T(test_layer_list_merged_many_names),
		T(test_layer_dir_plain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
