/*
 * fd-inherit: fds opened on overlay files, with and without O_CLOEXEC,
 * across fork and then exec. Offsets are shared with the parent.
 *   fd-inherit M                    parent
 *   fd-inherit exec FD...           the program after the exec
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void check(const char *who, const char *name, int fd)
{
	int fl = fcntl(fd, F_GETFD);

	if (fl < 0)
		printf("%s: %s: %s\n", who, name,
		       errno == EBADF ? "EBADF" : strerror(errno));
	else
		printf("%s: %s: open%s\n", who, name,
		       fl & FD_CLOEXEC ? " cloexec" : "");
}

/* Reads up to N bytes at the current offset and prints them. */
static void readn(const char *who, const char *name, int fd, size_t n)
{
	char buf[64];
	ssize_t r;

	if (n > sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	r = read(fd, buf, n);
	if (r < 0) {
		printf("%s: read %s: %s\n", who, name,
		       errno == EBADF ? "EBADF" : strerror(errno));
		return;
	}
	buf[r] = 0;
	printf("%s: read %s at %ld: [%s]\n", who, name,
	       (long)lseek(fd, 0, SEEK_CUR) - (long)r, buf);
}

static const char *names[] = { "plain", "cloexec", "dir", "out" };

static int after_exec(int argc, char **argv)
{
	int fds[4], i;
	char line[64];

	for (i = 0; i < 4 && i + 2 < argc; i++)
		fds[i] = atoi(argv[i + 2]);
	for (i = 0; i < 4; i++)
		check("exec", names[i], fds[i]);
	readn("exec", "plain", fds[0], 9);
	readn("exec", "cloexec", fds[1], 4);
	snprintf(line, sizeof(line), "line from the exec'd program\n");
	if (write(fds[3], line, strlen(line)) < 0)
		printf("exec: write out: %s\n", strerror(errno));
	return 0;
}

int main(int argc, char **argv)
{
	char path[4096], self[4096], a[4][16];
	int fds[4], i, st;
	pid_t pid;
	const char *m;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 2 && strcmp(argv[1], "exec") == 0)
		return after_exec(argc, argv);
	if (argc != 2)
		return 2;
	m = argv[1];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return 1;
	self[n] = 0;

	snprintf(path, sizeof(path), "%s/shadow.txt", m);
	fds[0] = open(path, O_RDONLY);
	snprintf(path, sizeof(path), "%s/only-l2.txt", m);
	fds[1] = open(path, O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof(path), "%s/merged", m);
	fds[2] = open(path, O_RDONLY | O_DIRECTORY);
	snprintf(path, sizeof(path), "%s/merged/fd-out.txt", m);
	fds[3] = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
	for (i = 0; i < 4; i++)
		if (fds[i] < 0) {
			printf("open %s: %s\n", names[i], strerror(errno));
			return 1;
		}
	readn("parent", "plain", fds[0], 5);
	readn("parent", "cloexec", fds[1], 5);
	if (write(fds[3], "parent line\n", 12) != 12)
		return 1;

	pid = fork();
	if (pid == 0) {
		for (i = 0; i < 4; i++)
			check("fork", names[i], fds[i]);
		readn("fork", "plain", fds[0], 4);
		readn("fork", "cloexec", fds[1], 4);
		if (write(fds[3], "fork child line\n", 16) != 16)
			_exit(1);
		for (i = 0; i < 4; i++)
			snprintf(a[i], sizeof(a[i]), "%d", fds[i]);
		char *args[] = { self, "exec", a[0], a[1], a[2], a[3], NULL };
		execve(self, args, environ);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	printf("parent: child exit %d\n", WEXITSTATUS(st));
	/* the offsets moved in the children */
	readn("parent", "plain", fds[0], 64);
	readn("parent", "cloexec", fds[1], 64);
	return 0;
}
