/*
 * Helpers of the fuzz targets that work on real directories: reading the
 * input as fields, overlay-relative paths drawn from a small vocabulary,
 * trees built from a table, and a fingerprint of a tree to prove it was
 * left alone.
 */
#ifndef FUSS_FUZZ_COMMON_H
#define FUSS_FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The input, consumed front to back; reads past the end give zeros. */
struct fz_in {
	const uint8_t *p;
	size_t n;
};

uint8_t fz_u8(struct fz_in *in);
uint32_t fz_u32(struct fz_in *in);
uint64_t fz_u64(struct fz_in *in);
/* A path of up to `max` components taken from `words` (a byte each, 0xff
 * ends it), joined by '/'. Returns its length. */
size_t fz_words_path(struct fz_in *in, const char *const *words, size_t nwords,
		     size_t max, char *out, size_t size);

/* One entry of a tree: 'd' dir, 'f' file (text = content), 'l' symlink
 * (text = target, a leading '@' standing for the tree's root), 'c' 0:0 char device, 'o' a dir's trusted.overlay.opaque
 * = text. */
struct fz_node {
	char type;
	const char *path;
	const char *text;
};

/* mkdtemp(`tmpl`), then each node below it; aborts on failure. Removed
 * at exit; one per process. */
void fz_tree_build(char *tmpl, const struct fz_node *nodes, size_t n);
/* Remove everything below dir (not dir itself). */
void fz_tree_empty(const char *dir);
/* Names, types, sizes, times, inode numbers and xattrs of everything at or
 * below path, folded into one number. */
uint64_t fz_tree_print(const char *path);
/* Is there an entry whose name starts with prefix at or below dir? */
bool fz_tree_has_prefix(const char *dir, const char *prefix);

#endif
