/*
 * Fuzz target: vfsd's handling of request slots (vfsd/main.c validation,
 * vfsd/ops.c operations) against real layers.
 *
 * Each input is a short series of requests, each with every field of the
 * slot from the input: op, args (modes, devices, rename and open flags),
 * credentials and group count, lengths that may not match the strings, and
 * paths either drawn from the fixture's names (to reach the operations)
 * or raw bytes (unterminated, with "." / ".." / empty components, over
 * NAME_MAX). Every input starts from the same layers: the upper dir is
 * emptied and the dentry cache flushed. Checks, beyond "no crash":
 *   - vfsd_req_check accepts exactly the requests a reference check does;
 *   - an operation answers 0, 1 or -errno;
 *   - the lower layers and a directory beside them (the target of
 *     symlinks in the layers and in requests) are never changed;
 *   - no half-built `.fuss-tmp.*` object is left in the upper dir.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"
#include "fuzz.h"
#include "../tracer/log.h"
#include "../vfsd/ops.h"

static char base[] = "/tmp/fuss-fuzz-vfsd.XXXXXX";
static char up[128], l1[128], l2[128], outside[128];
static struct fuss_config cfg;
static struct shm_region shm;
static struct vfsd v;
static struct shm_req req;
static uint64_t print_l1, print_l2, print_out;

static const struct fz_node tree[] = {
	{ 'd', "up", NULL }, { 'd', "l1", NULL }, { 'd', "l2", NULL },
	{ 'd', "outside", NULL }, { 'f', "outside/secret", "s" },
	{ 'd', "l2/d", NULL }, { 'f', "l2/d/low", "low" }, { 'f', "l2/d/gone", "g" },
	{ 'd', "l2/opq", NULL }, { 'f', "l2/opq/hidden", "h" },
	{ 'f', "l2/f", "bottom" }, { 'd', "l2/sub", NULL }, { 'd', "l2/sub/deep", NULL },
	{ 'f', "l2/sub/deep/x", "x" }, { 'd', "l2/e", NULL },
	{ 'd', "l1/d", NULL }, { 'f', "l1/d/top", "top" }, { 'f', "l1/d/.wh.gone", "" },
	{ 'd', "l1/opq", NULL }, { 'f', "l1/opq/.wh..wh..opq", "" },
	{ 'f', "l1/f", "top" }, { 'l', "l1/link", "f" },
	{ 'l', "l1/esc", "../../outside/secret" }, { 'd', "l1/sub", NULL },
	{ 'c', "l1/e", NULL }, { 'd', "l1/x", NULL }, { 'o', "l1/x", "y" },
};

static const char *const words[] = {
	"d", "f", "low", "top", "gone", "opq", "hidden", "sub", "deep", "x",
	"e", "link", "esc", "new", "n2", ".wh.x", ".wh..wh..opq", ".fuss-tmp.1",
	"..", ".", "", "outside", "secret",
};

/* Symlink targets a request may ask for. */
static const char *const targets[] = {
	"f", "../../outside/secret", "/etc/passwd", "d/low", "..", "",
	"x/../../../outside",
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct shm_params p = { .dcache_nslots = 1024, .nworkers = 1 };

	(void)argc;
	(void)argv;
	fuss_log_level = -1;    /* refused requests are expected, quietly */
	fz_tree_build(base, tree, sizeof(tree) / sizeof(tree[0]));
	snprintf(up, sizeof(up), "%s/up", base);
	snprintf(l1, sizeof(l1), "%s/l1", base);
	snprintf(l2, sizeof(l2), "%s/l2", base);
	snprintf(outside, sizeof(outside), "%s/outside", base);
	cfg.layer[0] = up;
	cfg.layer[1] = l1;
	cfg.layer[2] = l2;
	for (int i = 0; i < 3; i++)
		cfg.layer_len[i] = strlen(cfg.layer[i]);
	cfg.nlayers = 3;
	FZ_CHECK(shm_region_create(&shm, &p) == 0);
	FZ_CHECK(vfsd_init(&v, &cfg, &shm) == 0);
	print_l1 = fz_tree_print(l1);
	print_l2 = fz_tree_print(l2);
	print_out = fz_tree_print(outside);
	return 0;
}

/* Reference of vfsd_req_check's path rule. */
static int ref_path(const char *p, uint32_t len)
{
	if (len >= SHM_PATH_MAX || memchr(p, 0, len) || p[len])
		return -EINVAL;
	for (uint32_t i = 0, start = 0; i <= len; i++) {
		if (i < len && p[i] != '/')
			continue;
		uint32_t n = i - start;

		if (len && (n == 0 || (n == 1 && p[start] == '.') ||
			    (n == 2 && p[start] == '.' && p[start + 1] == '.')))
			return -EINVAL;
		if (n > NAME_MAX)
			return -ENAMETOOLONG;
		start = i + 1;
	}
	return 0;
}

static int ref_check(const struct shm_req *q)
{
	int err;

	if (q->op == SHM_OP_NONE || q->op >= SHM_OP_MAX || q->creds.ngroups > 32)
		return -EINVAL;
	if ((err = ref_path(q->path, q->path_len)))
		return err;
	if (q->op == SHM_OP_SYMLINK)
		return q->path2_len < SHM_PATH_MAX && !memchr(q->path2, 0, q->path2_len) &&
		       !q->path2[q->path2_len] ? 0 : -EINVAL;
	if (q->op == SHM_OP_LINK || q->op == SHM_OP_RENAME)
		return ref_path(q->path2, q->path2_len);
	return 0;
}

/* A path field: words (mode 0-2), raw bytes (3), or a long name (4). */
static void fill_path(struct fz_in *in, char *path, uint32_t *len)
{
	uint8_t mode = fz_u8(in) % 5;
	size_t n;

	memset(path, 0, SHM_PATH_MAX);
	if (mode <= 2) {
		*len = (uint32_t)fz_words_path(in, words, sizeof(words) / sizeof(words[0]),
					       6, path, SHM_PATH_MAX);
	} else if (mode == 3) {
		n = fz_u8(in);
		for (size_t i = 0; i < n; i++)
			path[i] = (char)fz_u8(in);
		if (fz_u8(in) & 1)   /* unterminated: the slot full of bytes */
			memset(path + n, 'a', SHM_PATH_MAX - n);
		*len = (fz_u8(in) & 1) ? (uint32_t)n : fz_u32(in);
	} else {
		n = (size_t)fz_u8(in) * 2 + 1;
		memset(path, 'n', n);
		*len = (uint32_t)n;
	}
	if (fz_u8(in) == 0xfe)   /* a length that lies */
		*len = fz_u32(in);
}

static void one_request(struct fz_in *in)
{
	struct shm_req *q = &req;
	uint8_t op = fz_u8(in), sel = fz_u8(in);
	int res, want;

	q->state = SHM_REQ_POSTED;
	q->op = op < 0xf0 ? op % SHM_OP_MAX : fz_u32(in);
	q->pid = 1;
	q->arg0 = (sel & 1) ? fz_u64(in) : fz_u8(in);
	q->arg1 = (sel & 2) ? fz_u64(in) : 0100000u | (fz_u8(in) * 7u);
	q->arg2 = (sel & 4) ? fz_u64(in) : 0;
	q->creds.fsuid = (sel & 8) ? 1000 : 0;
	q->creds.fsgid = q->creds.fsuid;
	q->creds.umask = fz_u8(in) & 077;
	q->creds.ngroups = (sel & 16) ? fz_u32(in) : fz_u8(in) % 4;
	for (int i = 0; i < 32; i++)
		q->creds.groups[i] = (uint32_t)i * 100;
	fill_path(in, q->path, &q->path_len);
	if (q->op == SHM_OP_SYMLINK && !(sel & 32)) {
		const char *t = targets[fz_u8(in) % (sizeof(targets) / sizeof(targets[0]))];

		memset(q->path2, 0, SHM_PATH_MAX);
		strcpy(q->path2, t);
		q->path2_len = (uint32_t)strlen(t);
	} else {
		fill_path(in, q->path2, &q->path2_len);
	}
	cfg.whiteout = (sel & 64) ? FUSS_WH_CHARDEV : FUSS_WH_FILEPREFIX;

	want = ref_check(q);
	res = vfsd_req_check(q);
	FZ_CHECK(res == want);
	if (res)
		return;
	res = vfsd_dispatch(&v, q);
	FZ_CHECK(res <= 1 && res > -4096);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };

	fz_tree_empty(up);
	shm_dcache_flush(&shm);
	FZ_CHECK(vfsd_root_fill(&v) == 0);
	for (int i = 0; i < 8 && in.n; i++)
		one_request(&in);
	FZ_CHECK(fz_tree_print(l1) == print_l1);
	FZ_CHECK(fz_tree_print(l2) == print_l2);
	FZ_CHECK(fz_tree_print(outside) == print_out);
	FZ_CHECK(!fz_tree_has_prefix(up, ".fuss-tmp."));
	return 0;
}
