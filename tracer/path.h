/*
 * Pure path helpers (no syscalls): lexical normalisation, joining, prefix
 * tests and the mapping of a real path inside a layer back to the virtual
 * path the program sees.
 */
#ifndef FUSS_PATH_H
#define FUSS_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "config.h"

/* Collapse "//", "." and ".." of an absolute path in place (".." at "/"
 * stays "/"); no trailing '/' except for "/" itself. Returns the new length,
 * or -EINVAL when the path is not absolute. */
int tr_path_normalize(char *path);
/* out = base + "/" + rel (rel relative); -ENAMETOOLONG if it does not fit
 * in `size`. Returns the length. */
int tr_path_join(char *out, size_t size, const char *base, const char *rel);
/* Is `path` equal to `prefix` or below it? Both normalized; prefix "/"
 * contains everything. */
bool tr_path_under(const char *path, const char *prefix, size_t prefix_len);
/* If `real` (absolute, normalized) is a layer root or below one, write the
 * virtual path (under the mountpoint) to out and return its length; else
 * return 0 and leave out untouched. -ENAMETOOLONG if it does not fit. */
int tr_path_real_to_virtual(const struct fuss_config *cfg, const char *real,
			    char *out, size_t size);
/* Which layer root holds `real`: the layer index, or -1. */
int tr_path_layer_of(const struct fuss_config *cfg, const char *real);
/* FNV-1a of `len` bytes of `s` (names kept on disk depend on it). */
uint64_t tr_path_hash(const char *s, size_t len);

#endif
