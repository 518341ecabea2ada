/*
 * Fuzz target: reading and writing overlay markers (vfsd/layer.c).
 *
 * Each input lays out one directory `d` in three layers (upper, l1, l2):
 * per layer an opaque marker or none (`.wh..wh..opq`, trusted.overlay.opaque
 * "y", or "x" for a dir holding xattr whiteouts) and up to 8 entries, each
 * a name from a small set (plain names, `.wh.NAME`, the opaque file name,
 * `.fuss-tmp.*`) and a kind (file, empty file, dir, 0:0 or other char
 * device, symlink, empty file with trusted.overlay.whiteout). Checks, beyond
 * "no crash":
 *   - the merged listing equals a reference model of the overlay rules,
 *     with "." and ".." first and no name twice;
 *   - layer_is_whiteout agrees with the model for every name in every
 *     layer, so a name is a whiteout for exactly the name it decodes to;
 *   - writing a whiteout for a plain name in upper (in the format the
 *     input picks) makes it read as a whiteout and vanish from the
 *     listing; removing the whiteout makes it read as absent again.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>
#include "common.h"
#include "fuzz.h"
#include "../tracer/log.h"
#include "../vfsd/layer.h"
#include "../vfsd/ops.h"

#define NL 3
#define MAXE 8

static char base[] = "/tmp/fuss-fuzz-marker.XXXXXX";
static char lpath[NL][128];
static struct fuss_config cfg;

static const struct fz_node tree[] = {
	{ 'd', "up", NULL }, { 'd', "l1", NULL }, { 'd', "l2", NULL },
};

static const char *const names[] = {
	"a", "b", "c", ".wh.a", ".wh.b", ".wh.c", LAYER_OPQ_NAME, ".fuss-tmp.a",
	".wh.", ".wh..wh.a",
};
#define NNAMES (sizeof(names) / sizeof(names[0]))

enum kind { K_FILE, K_EMPTY, K_DIR, K_WHDEV, K_DEV, K_LINK, K_XWH, K_MAX };
enum opq { O_NONE, O_FILE, O_XATTR_Y, O_XATTR_X, O_MAX };

struct layer_spec {
	enum opq opq;
	int kind[NNAMES];    /* -1: absent */
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuss_log_level = -1;
	fz_tree_build(base, tree, sizeof(tree) / sizeof(tree[0]));
	snprintf(lpath[0], sizeof(lpath[0]), "%s/up", base);
	snprintf(lpath[1], sizeof(lpath[1]), "%s/l1", base);
	snprintf(lpath[2], sizeof(lpath[2]), "%s/l2", base);
	for (int i = 0; i < NL; i++) {
		cfg.layer[i] = lpath[i];
		cfg.layer_len[i] = strlen(lpath[i]);
	}
	cfg.nlayers = NL;
	return 0;
}

static void make_entry(int dfd, const char *name, enum kind k)
{
	int fd;

	switch (k) {
	case K_DIR:
		FZ_CHECK(mkdirat(dfd, name, 0755) == 0);
		return;
	case K_WHDEV:
		FZ_CHECK(mknodat(dfd, name, S_IFCHR, makedev(0, 0)) == 0);
		return;
	case K_DEV:
		FZ_CHECK(mknodat(dfd, name, S_IFCHR, makedev(1, 3)) == 0);
		return;
	case K_LINK:
		FZ_CHECK(symlinkat("a", dfd, name) == 0);
		return;
	default:
		break;
	}
	fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	FZ_CHECK(fd >= 0);
	if (k == K_FILE)
		FZ_CHECK(write(fd, "x", 1) == 1);
	if (k == K_XWH)
		FZ_CHECK(fsetxattr(fd, "trusted.overlay.whiteout", "", 0, 0) == 0);
	close(fd);
}

static int open_d(int l)
{
	char p[256];
	int fd;

	snprintf(p, sizeof(p), "%s/d", lpath[l]);
	fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	FZ_CHECK(fd >= 0);
	return fd;
}

static void build(const struct layer_spec *spec)
{
	char p[256];

	for (int l = 0; l < NL; l++) {
		fz_tree_empty(lpath[l]);
		snprintf(p, sizeof(p), "%s/d", lpath[l]);
		FZ_CHECK(mkdir(p, 0755) == 0);
		int fd = open_d(l);

		for (size_t i = 0; i < NNAMES; i++) {
			if (spec[l].kind[i] >= 0)
				make_entry(fd, names[i], spec[l].kind[i]);
		}
		if (spec[l].opq == O_FILE && spec[l].kind[6] < 0)
			make_entry(fd, LAYER_OPQ_NAME, K_EMPTY);
		if (spec[l].opq == O_XATTR_Y || spec[l].opq == O_XATTR_X)
			FZ_CHECK(fsetxattr(fd, "trusted.overlay.opaque",
					   spec[l].opq == O_XATTR_Y ? "y" : "x", 1, 0) == 0);
		close(fd);
	}
}

static bool is_plain(size_t i)
{
	return strncmp(names[i], ".wh.", 4) != 0 && strncmp(names[i], ".fuss-tmp.", 10) != 0;
}

/* Does entry i of layer l, as an entry, hide the name (0:0 or xattr)? */
static bool model_entry_wh(const struct layer_spec *s, size_t i)
{
	return s->kind[i] == K_WHDEV || (s->kind[i] == K_XWH && s->opq == O_XATTR_X);
}

/* Index of ".wh.NAME" for plain name i, or -1. */
static int wh_of(size_t i)
{
	char wh[32];

	snprintf(wh, sizeof(wh), ".wh.%s", names[i]);
	for (size_t j = 0; j < NNAMES; j++)
		if (strcmp(names[j], wh) == 0)
			return (int)j;
	return -1;
}

/* layer_is_whiteout for name i in layer l, per the model. */
static bool model_is_whiteout(const struct layer_spec *s, size_t i)
{
	int w = wh_of(i);

	if (s->kind[i] >= 0)
		return model_entry_wh(s, i);
	return w >= 0 && s->kind[w] >= 0;
}

static bool model_opaque(const struct layer_spec *s)
{
	return s->opq == O_FILE || s->opq == O_XATTR_Y || s->kind[6] >= 0;
}

/* Which names the merged listing shows: listed[i]. */
static void model_listing(const struct layer_spec *spec, bool *listed)
{
	bool seen[NNAMES] = { false };

	memset(listed, 0, NNAMES * sizeof(*listed));
	for (int l = 0; l < NL; l++) {
		bool below[NNAMES] = { false };

		for (size_t i = 0; i < NNAMES; i++) {
			if (spec[l].kind[i] < 0 || !is_plain(i))
				continue;
			if (!seen[i] && !model_entry_wh(&spec[l], i))
				listed[i] = true;
			seen[i] = true;
			/* a dir hides nothing of its own name below... as any entry */
		}
		for (size_t i = 0; i < NNAMES; i++) {
			int w = is_plain(i) ? wh_of(i) : -1;

			if (w >= 0 && spec[l].kind[w] >= 0)
				below[i] = true;
		}
		for (size_t i = 0; i < NNAMES; i++)
			seen[i] |= below[i];
		if (model_opaque(&spec[l]))
			break;
	}
}

static void check_listing(const struct layer_spec *spec)
{
	struct layer_listing out;
	bool listed[NNAMES], got[NNAMES] = { false };

	model_listing(spec, listed);
	FZ_CHECK(layer_list_merged(&cfg, "d", 7, &out) == 0);
	FZ_CHECK(out.n >= 2 && strcmp(out.ents[0].name, ".") == 0 &&
		 strcmp(out.ents[1].name, "..") == 0);
	for (size_t e = 2; e < out.n; e++) {
		size_t i;

		for (i = 0; i < NNAMES && strcmp(names[i], out.ents[e].name); i++)
			;
		FZ_CHECK(i < NNAMES);
		FZ_CHECK(!got[i]);
		FZ_CHECK(out.ents[e].namelen == strlen(names[i]));
		got[i] = true;
	}
	for (size_t i = 0; i < NNAMES; i++) {
		if (listed[i] != got[i])
			fprintf(stderr, "name %s: model %d, listing %d\n", names[i],
				listed[i], got[i]);
		FZ_CHECK(listed[i] == got[i]);
	}
	layer_listing_free(&out);
}

static void check_whiteouts(const struct layer_spec *spec)
{
	for (int l = 0; l < NL; l++) {
		int fd = open_d(l);

		for (size_t i = 0; i < NNAMES; i++) {
			if (!is_plain(i))
				continue;
			int got = layer_is_whiteout(fd, names[i], DT_UNKNOWN);

			FZ_CHECK(got == (int)model_is_whiteout(&spec[l], i));
		}
		close(fd);
	}
}

/* Write then remove a whiteout of plain name i in upper. */
static void check_roundtrip(struct layer_spec *spec, size_t i, enum fuss_whiteout fmt)
{
	int fd = open_d(0);
	int err;

	cfg.whiteout = fmt;
	err = layer_write_whiteout(&cfg, fd, names[i]);
	if (err) {
		/* only a non-empty dir in the way may refuse */
		FZ_CHECK(spec[0].kind[i] == K_DIR && err == -ENOTEMPTY);
		close(fd);
		return;
	}
	FZ_CHECK(layer_is_whiteout(fd, names[i], DT_UNKNOWN) == 1);
	spec[0].kind[i] = fmt == FUSS_WH_CHARDEV ? K_WHDEV : -1;
	if (fmt == FUSS_WH_FILEPREFIX && spec[0].kind[wh_of(i)] < 0)
		spec[0].kind[wh_of(i)] = K_EMPTY;
	check_listing(spec);
	FZ_CHECK(layer_remove_whiteout(fd, names[i]) == 0);
	FZ_CHECK(layer_is_whiteout(fd, names[i], DT_UNKNOWN) == 0);
	spec[0].kind[i] = -1;
	if (wh_of(i) >= 0)
		spec[0].kind[wh_of(i)] = -1;
	close(fd);
	check_listing(spec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size };
	struct layer_spec spec[NL];

	for (int l = 0; l < NL; l++) {
		uint8_t b = fz_u8(&in);
		int n = b % (MAXE + 1);

		spec[l].opq = (enum opq)((b >> 4) % O_MAX);
		for (size_t i = 0; i < NNAMES; i++)
			spec[l].kind[i] = -1;
		for (int e = 0; e < n; e++) {
			uint8_t x = fz_u8(&in);

			spec[l].kind[x % NNAMES] = (x / NNAMES) % K_MAX;
		}
	}
	build(spec);
	check_listing(spec);
	check_whiteouts(spec);
	uint8_t r = fz_u8(&in);

	if (r & 0x80) {
		size_t i = r % 3;   /* a, b or c */

		check_roundtrip(spec, i, (r & 0x40) ? FUSS_WH_CHARDEV : FUSS_WH_FILEPREFIX);
	}
	return 0;
}
