/*
 * Helpers for unit tests that build small layer trees under a temporary
 * directory: paths below a base, directories and files with content.
 */
#ifndef FUSS_TEST_TREE_H
#define FUSS_TEST_TREE_H

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char tree_pbuf[8][512];
static int tree_pidx;

/* base/rel; up to eight results stay valid at once. */
static inline const char *tree_path(const char *base, const char *rel)
{
	char *b = tree_pbuf[tree_pidx++ & 7];

	snprintf(b, sizeof(tree_pbuf[0]), "%s/%s", base, rel);
	return b;
}

static inline void tree_mkdir(const char *base, const char *rel)
{
	assert_int_equal(mkdir(tree_path(base, rel), 0755), 0);
}

static inline void tree_mkfile(const char *base, const char *rel, const char *data)
{
	int fd = open(tree_path(base, rel), O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	if (data)
		assert_int_equal(write(fd, data, strlen(data)), (ssize_t)strlen(data));
	close(fd);
}

#define P(f, rel) tree_path((f)->base, (rel))
#define mk_dir(f, rel) tree_mkdir((f)->base, (rel))
#define mk_file(f, rel, data) tree_mkfile((f)->base, (rel), (data))

#endif
