/*
 * Reading and writing overlay markers in one layer directory, and the merged
 * listing of a directory across layers. Read-only functions here are used by
 * the tracer too (merged getdents64); the writing ones by vfsd only.
 *
 * Marker formats read in every layer (whatever --whiteout says):
 *   whiteout: a 0:0 character device; a `.wh.<name>` entry; a zero-size
 *             regular file with xattr trusted.overlay.whiteout inside a dir
 *             whose trusted.overlay.opaque (or user.overlay.opaque) is "x".
 *   opaque:   trusted.overlay.opaque="y", user.overlay.opaque="y",
 *             user.fuseoverlayfs.opaque (any value), a `.wh..wh..opq` entry.
 * Marker entries (`.wh.*`, 0:0 devices, xattr whiteouts) never appear in a
 * merged listing.
 */
#ifndef FUSS_VFSD_LAYER_H
#define FUSS_VFSD_LAYER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "../tracer/config.h"

#define LAYER_WH_PREFIX ".wh."
#define LAYER_WH_PREFIX_LEN 4
#define LAYER_OPQ_NAME ".wh..wh..opq"

/* Is `name` in the directory dirfd a whiteout (any format)? d_type may be
 * DT_UNKNOWN. Checks the entry itself, and `.wh.<name>` beside it. 1 yes,
 * 0 no, -errno on an I/O error. */
int layer_is_whiteout(int dirfd, const char *name, unsigned char d_type);
/* Is the entry itself a marker that must be hidden (`.wh.*` name, 0:0
 * chardev, xattr whiteout)? Used while listing. 1/0/-errno. */
int layer_is_marker(int dirfd, const char *name, unsigned char d_type);
/* Is the directory open at fd opaque (any format)? 1/0/-errno. */
int layer_dir_is_opaque(int fd);
/* fd: a directory open for reading, at its start. 1 when its listing is
 * what the merged view shows of it where it is the only layer: no marker
 * or vfsd temporary name, no device that could be a whiteout, no type the
 * filesystem leaves unknown, no xattr-whiteout marking; *count then gets
 * its number of entries besides "." and "..", *links whether one is a
 * symlink. 0 otherwise, or -errno. The fd's position is left at the end. */
int layer_dir_plain(int fd, size_t *count, bool *links);

/* vfsd only. Write a whiteout for `name` in dirfd in the configured format;
 * replaces an existing entry of that name atomically where the format
 * allows (chardev: mknod under a temp name + renameat). */
int layer_write_whiteout(const struct fuss_config *cfg, int dirfd, const char *name);
/* vfsd only. Remove a whiteout of `name` (both formats), if any. */
int layer_remove_whiteout(int dirfd, const char *name);
/* vfsd only. Mark the directory open at fd opaque in the configured format. */
int layer_set_opaque(const struct fuss_config *cfg, int fd);

/* One entry of a merged listing. */
struct layer_dirent {
	uint64_t ino;
	unsigned char d_type;
	uint16_t namelen;
	char *name;             /* points into the listing's own storage */
};

struct layer_listing {
	struct layer_dirent *ents;
	size_t n, cap;
	char *names;            /* storage for names */
	size_t names_len, names_cap;
};

/*
 * Merged listing of the directory at relative path `rel` ("" = root) over
 * the layers whose bits are set in `layers` (lowest index = topmost first):
 * union of names, the topmost occurrence wins, whiteouts in a layer hide the
 * name in every layer below, markers removed. "." and ".." first. The order
 * is stable for an unchanged directory. 0 or -errno.
 */
int layer_list_merged(const struct fuss_config *cfg, const char *rel,
		      uint64_t layers, struct layer_listing *out);
void layer_listing_free(struct layer_listing *l);

#endif
