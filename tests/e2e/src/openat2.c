/*
 * openat2 probe: opens PATH relative to DIRFD-PATH (opened O_PATH, or "-"
 * for AT_FDCWD) with the given RESOLVE_* flags and prints "OK <first line>"
 * of the file (or "OK dir" for a directory), or "ERR <errno name>".
 *   openat2 DIRFD-PATH PATH FLAG[,FLAG...]|none [nofollow|path]...
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static const struct {
	const char *name;
	unsigned long long v;
} resolve_names[] = {
	{ "NO_XDEV", RESOLVE_NO_XDEV },     { "NO_MAGICLINKS", RESOLVE_NO_MAGICLINKS },
	{ "NO_SYMLINKS", RESOLVE_NO_SYMLINKS }, { "BENEATH", RESOLVE_BENEATH },
	{ "IN_ROOT", RESOLVE_IN_ROOT },
};

static const struct {
	const char *name;
	int v;
} errnos[] = {
	{ "ENOENT", ENOENT }, { "ELOOP", ELOOP }, { "EXDEV", EXDEV },
	{ "ENOTDIR", ENOTDIR }, { "EINVAL", EINVAL }, { "EAGAIN", EAGAIN },
	{ "EEXIST", EEXIST }, { "EACCES", EACCES }, { "EISDIR", EISDIR },
};

static const char *errname(int e)
{
	static char buf[32];

	for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (errnos[i].v == e)
			return errnos[i].name;
	snprintf(buf, sizeof(buf), "E%d", e);
	return buf;
}

int main(int argc, char **argv)
{
	struct open_how how = { .flags = O_RDONLY | O_CLOEXEC };
	int dirfd = AT_FDCWD;

	if (argc < 4) {
		fprintf(stderr, "usage: openat2 DIRFD-PATH PATH FLAGS [nofollow|path|creat]...\n");
		return 2;
	}
	if (strcmp(argv[1], "-") != 0) {
		dirfd = open(argv[1], O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (dirfd < 0) {
			printf("dirfd ERR %s\n", errname(errno));
			return 0;
		}
	}
	if (strcmp(argv[3], "none") != 0) {
		char flags[256], *save, *tok;

		snprintf(flags, sizeof(flags), "%s", argv[3]);
		for (tok = strtok_r(flags, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			size_t i;

			for (i = 0; i < sizeof(resolve_names) / sizeof(resolve_names[0]); i++)
				if (strcmp(tok, resolve_names[i].name) == 0)
					break;
			if (i == sizeof(resolve_names) / sizeof(resolve_names[0])) {
				fprintf(stderr, "openat2: unknown flag %s\n", tok);
				return 2;
			}
			how.resolve |= resolve_names[i].v;
		}
	}
	for (int i = 4; i < argc; i++) {
		if (strcmp(argv[i], "nofollow") == 0)
			how.flags |= O_NOFOLLOW;
		else if (strcmp(argv[i], "path") == 0)
			how.flags |= O_PATH;
		else if (strcmp(argv[i], "creat") == 0) {
			how.flags |= O_CREAT | O_WRONLY;
			how.mode = 0644;
		}
	}
	long fd = syscall(SYS_openat2, dirfd, argv[2], &how, sizeof(how));
	if (fd < 0) {
		printf("ERR %s\n", errname(errno));
		return 0;
	}
	struct stat st;
	char line[128] = "";
	if (fstat((int)fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		printf("OK dir\n");
	} else if (S_ISLNK(st.st_mode)) {
		printf("OK symlink\n");
	} else if (how.flags & (O_PATH | O_WRONLY)) {
		printf("OK\n");
	} else {
		ssize_t n = read((int)fd, line, sizeof(line) - 1);
		line[n > 0 ? n : 0] = '\0';
		line[strcspn(line, "\n")] = '\0';
		printf("OK %s\n", line);
	}
	return 0;
}
