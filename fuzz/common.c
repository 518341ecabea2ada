/*
 * Shared helpers of the fuzz targets (see common.h). Failures to build a
 * fixture abort: the target cannot say anything about a broken setup.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>
#include "common.h"
#include "fuzz.h"

uint8_t fz_u8(struct fz_in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

uint32_t fz_u32(struct fz_in *in)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++)
		v |= (uint32_t)fz_u8(in) << (8 * i);
	return v;
}

uint64_t fz_u64(struct fz_in *in)
{
	return fz_u32(in) | (uint64_t)fz_u32(in) << 32;
}

size_t fz_words_path(struct fz_in *in, const char *const *words, size_t nwords,
		     size_t max, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < max && in->n; i++) {
		uint8_t b = fz_u8(in);

		if (b == 0xff)
			break;
		const char *w = words[b % nwords];
		size_t wl = strlen(w);

		if (len + (i > 0) + wl + 1 > size)
			break;
		if (i > 0)
			out[len++] = '/';
		memcpy(out + len, w, wl + 1);
		len += wl;
	}
	return len;
}

static const char *fz_built;

static int fz_rm_all(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	/* a directory may have lost its write bit; never chmod through a
	 * symlink (the fixtures hold links to / and beyond) */
	if (flag == FTW_DP)
		chmod(path, 0700);
	remove(path);
	return 0;
}

static void fz_tree_remove(void)
{
	if (fz_built)
		nftw(fz_built, fz_rm_all, 16, FTW_DEPTH | FTW_PHYS);
}

void fz_tree_build(char *tmpl, const struct fz_node *nodes, size_t n)
{
	char p[4096];
	int fd;

	FZ_CHECK(!fz_built);   /* one fixture per process */
	FZ_CHECK(mkdtemp(tmpl));
	fz_built = tmpl;
	atexit(fz_tree_remove);
	for (size_t i = 0; i < n; i++) {
		const struct fz_node *e = &nodes[i];

		snprintf(p, sizeof(p), "%s/%s", tmpl, e->path);
		switch (e->type) {
		case 'd':
			FZ_CHECK(mkdir(p, 0755) == 0);
			break;
		case 'f':
			fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0644);
			FZ_CHECK(fd >= 0);
			if (e->text)
				FZ_CHECK(write(fd, e->text, strlen(e->text)) ==
					 (ssize_t)strlen(e->text));
			close(fd);
			break;
		case 'l':
			if (e->text[0] == '@') {
				char t[4096];

				snprintf(t, sizeof(t), "%s%s", tmpl, e->text + 1);
				FZ_CHECK(symlink(t, p) == 0);
			} else {
				FZ_CHECK(symlink(e->text, p) == 0);
			}
			break;
		case 'c':
			FZ_CHECK(mknod(p, S_IFCHR | 0, makedev(0, 0)) == 0);
			break;
		case 'o':
			FZ_CHECK(setxattr(p, "trusted.overlay.opaque", e->text,
					  strlen(e->text), 0) == 0);
			break;
		default:
			FZ_CHECK(!"unknown node type");
		}
	}
}

static int fz_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	if (ftw->level > 0 && remove(path) < 0)
		FZ_CHECK(!"cannot empty the fixture");
	return 0;
}

void fz_tree_empty(const char *dir)
{
	chmod(dir, 0755);
	nftw(dir, fz_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static uint64_t fz_hash;
static const char *fz_prefix;
static bool fz_found;

static void fz_mix(const void *data, size_t len)
{
	for (size_t i = 0; i < len; i++)
		fz_hash = (fz_hash ^ ((const uint8_t *)data)[i]) * 1099511628211ull;
}

static int fz_print_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	char xl[1024];
	ssize_t n = llistxattr(path, xl, sizeof(xl));

	(void)flag;
	(void)ftw;
	fz_mix(path, strlen(path) + 1);
	fz_mix(&st->st_mode, sizeof(st->st_mode));
	fz_mix(&st->st_ino, sizeof(st->st_ino));
	fz_mix(&st->st_size, sizeof(st->st_size));
	fz_mix(&st->st_uid, sizeof(st->st_uid));
	fz_mix(&st->st_rdev, sizeof(st->st_rdev));
	fz_mix(&st->st_mtim, sizeof(st->st_mtim));
	fz_mix(&st->st_ctim, sizeof(st->st_ctim));
	if (n > 0)
		fz_mix(xl, (size_t)n);
	return 0;
}

uint64_t fz_tree_print(const char *path)
{
	fz_hash = 14695981039346656037ull;
	FZ_CHECK(nftw(path, fz_print_one, 16, FTW_PHYS) == 0);
	return fz_hash;
}

static int fz_prefix_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	if (ftw->level > 0 && strncmp(path + ftw->base, fz_prefix, strlen(fz_prefix)) == 0)
		fz_found = true;
	return 0;
}

bool fz_tree_has_prefix(const char *dir, const char *prefix)
{
	fz_prefix = prefix;
	fz_found = false;
	nftw(dir, fz_prefix_one, 16, FTW_PHYS);
	return fz_found;
}
