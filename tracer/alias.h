/*
 * Short names for real paths longer than the kernel takes (see alias.c).
 */
#ifndef FUSS_ALIAS_H
#define FUSS_ALIAS_H

#include <stddef.h>

/* `real` (absolute) as a path shorter than `size`: itself when it fits,
 * else through a symlink to its parent directory. The length, or
 * -ENAMETOOLONG. */
int tr_alias_path(const char *real, char *out, size_t size);

#endif
