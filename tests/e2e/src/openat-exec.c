/*
 * openat-exec: a directory fd in the overlay, opened without O_CLOEXEC,
 * survives exec; the new program uses it with the *at() calls and fchdir.
 *   openat-exec M           open M/merged, exec "child FD"
 *   openat-exec child FD    the program after the exec
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

static void res(const char *what, int ret)
{
	if (ret < 0)
		printf("%s: %s\n", what, strerror(errno));
	else
		printf("%s: ok\n", what);
}

static void cat_at(int dfd, const char *name)
{
	char buf[256];
	int fd = openat(dfd, name, O_RDONLY);
	ssize_t n;

	if (fd < 0) {
		printf("openat %s: %s\n", name, strerror(errno));
		return;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n < 0 ? 0 : n] = 0;
	printf("openat %s: %s", name, buf);
}

static int child(int dfd)
{
	struct stat st;
	char cwd[4096];
	int fd;

	cat_at(dfd, "common.txt");
	cat_at(dfd, "../shadow.txt");
	cat_at(dfd, "sub/deep-l2.txt");
	cat_at(dfd, "link-up");
	cat_at(dfd, "../gone.txt");
	res("mkdirat newdir", mkdirat(dfd, "newdir", 0755));
	fd = openat(dfd, "newdir/made.txt", O_WRONLY | O_CREAT | O_EXCL, 0644);
	res("openat newdir/made.txt", fd);
	if (fd >= 0) {
		if (write(fd, "made via an inherited dirfd\n", 28) != 28)
			return 1;
		close(fd);
	}
	res("unlinkat a-l2.txt", unlinkat(dfd, "a-l2.txt", 0));
	res("renameat b-l1.txt", renameat(dfd, "b-l1.txt", dfd,
					   "newdir/b-moved.txt"));
	res("symlinkat", symlinkat("common.txt", dfd, "sl"));
	res("fstatat sl nofollow",
	    fstatat(dfd, "sl", &st, AT_SYMLINK_NOFOLLOW));
	printf("  type %s\n", S_ISLNK(st.st_mode) ? "symlink" : "other");
	res("fchmodat common.txt", fchmodat(dfd, "common.txt", 0600, 0));
	res("unlinkat l2dir (dir)", unlinkat(dfd, "l2dir", 0));
	res("unlinkat l1dir AT_REMOVEDIR", unlinkat(dfd, "l1dir",
						    AT_REMOVEDIR));
	res("faccessat l2dir/f.txt", faccessat(dfd, "l2dir/f.txt", R_OK, 0));
	res("fchdir", fchdir(dfd));
	if (getcwd(cwd, sizeof(cwd)))
		printf("cwd %s\n", strrchr(cwd, '/'));
	cat_at(AT_FDCWD, "newdir/made.txt");
	return 0;
}

int main(int argc, char **argv)
{
	char path[4096], self[4096], num[16];
	int dfd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && strcmp(argv[1], "child") == 0)
		return child(atoi(argv[2]));
	if (argc != 2)
		return 2;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return 1;
	self[n] = 0;
	snprintf(path, sizeof(path), "%s/merged", argv[1]);
	dfd = open(path, O_RDONLY | O_DIRECTORY);
	if (dfd < 0)
		return 1;
	/* leave the overlay before the exec: only the fd leads back */
	if (chdir("/") < 0)
		return 1;
	snprintf(num, sizeof(num), "%d", dfd);
	char *args[] = { self, "child", num, NULL };
	execve(self, args, environ);
	perror("execve");
	return 1;
}
