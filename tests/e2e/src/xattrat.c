/*
 * xattrat: the *xattrat syscalls (Linux 6.13) and file_getattr /
 * file_setattr (Linux 6.17) by path and by fd (AT_EMPTY_PATH):
 *   xattrat set|get|list|remove PATH NAME [VALUE]
 *   xattrat fdset|fdget|fdlist|fdremove PATH NAME [VALUE]   (opened O_RDONLY)
 *   xattrat nofollow-get PATH NAME
 *   xattrat fileattr-get|fileattr-set|fd-fileattr-set PATH
 * Prints "OK ..." or "ERR <errno>"; "ENOSYS" on kernels without them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

enum { NR_SETXATTRAT = 463, NR_GETXATTRAT, NR_LISTXATTRAT, NR_REMOVEXATTRAT,
       NR_FILE_GETATTR = 468, NR_FILE_SETATTR };

struct xargs {
	uint64_t value;
	uint32_t size;
	uint32_t flags;
};

struct fattr {
	uint32_t xflags, extsize, nextents, projid, cowextsize;
	uint32_t pad;
};

static const char *errname(int e)
{
	static const struct { int v; const char *n; } t[] = {
		{ ENOENT, "ENOENT" }, { ENODATA, "ENODATA" }, { EPERM, "EPERM" },
		{ ENOSYS, "ENOSYS" }, { ENOTDIR, "ENOTDIR" }, { ELOOP, "ELOOP" },
		{ EOPNOTSUPP, "EOPNOTSUPP" }, { EINVAL, "EINVAL" }, { EBADF, "EBADF" },
		{ ENOTTY, "ENOTTY" }, { ERANGE, "ERANGE" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].v == e)
			return t[i].n;
	return "other";
}

static int report(long r)
{
	if (r < 0)
		printf("ERR %s\n", errname(errno));
	return r < 0;
}

int main(int argc, char **argv)
{
	const char *op, *path, *name;
	int dfd = AT_FDCWD, at = 0;
	char buf[256] = "";
	long r;

	if (argc < 3)
		return 2;
	op = argv[1];
	path = argv[2];
	name = argc > 3 ? argv[3] : "";
	if (strncmp(op, "fd", 2) == 0) {
		dfd = open(path, O_RDONLY | O_CLOEXEC);
		if (dfd < 0)
			return report(-1), 0;
		path = "";
		at = AT_EMPTY_PATH;
		op += strncmp(op, "fd-", 3) == 0 ? 3 : 2;
	}
	if (strcmp(op, "set") == 0) {
		const char *v = argc > 4 ? argv[4] : "";
		struct xargs a = { (uintptr_t)v, (uint32_t)strlen(v), 0 };

		r = syscall(NR_SETXATTRAT, dfd, path, at, name, &a, sizeof(a));
		if (!report(r))
			printf("OK\n");
	} else if (strcmp(op, "get") == 0 || strcmp(op, "nofollow-get") == 0) {
		struct xargs a = { (uintptr_t)buf, sizeof(buf) - 1, 0 };

		if (op[0] == 'n')
			at |= AT_SYMLINK_NOFOLLOW;
		r = syscall(NR_GETXATTRAT, dfd, path, at, name, &a, sizeof(a));
		if (!report(r))
			printf("OK %.*s\n", (int)r, buf);
	} else if (strcmp(op, "list") == 0) {
		r = syscall(NR_LISTXATTRAT, dfd, path, at, buf, sizeof(buf));
		if (!report(r)) {
			printf("OK");
			for (long i = 0; i < r; i += (long)strlen(buf + i) + 1)
				printf(" %s", buf + i);
			printf("\n");
		}
	} else if (strcmp(op, "remove") == 0) {
		r = syscall(NR_REMOVEXATTRAT, dfd, path, at, name);
		if (!report(r))
			printf("OK\n");
	} else if (strcmp(op, "fileattr-get") == 0) {
		struct fattr fa = { 0 };

		r = syscall(NR_FILE_GETATTR, dfd, path, &fa, 24, at);
		if (!report(r))
			printf("OK xflags=%#x\n", fa.xflags);
	} else if (strcmp(op, "fileattr-set") == 0) {
		struct fattr fa = { 0 };

		r = syscall(NR_FILE_GETATTR, dfd, path, &fa, 24, at);
		if (!report(r)) {
			r = syscall(NR_FILE_SETATTR, dfd, path, &fa, 24, at);
			if (!report(r))
				printf("OK\n");
		}
	} else {
		return 2;
	}
	return 0;
}
