/*
 * dirfd-dup: a directory fd's read position is shared by its duplicates
 * and by a forked child. Entries are read with small getdents64 buffers
 * through different fds; the union must be every entry exactly once.
 *   dirfd-dup dup DIR    partial reads through dup, dup2, dup3, F_DUPFD...
 *   dirfd-dup fork DIR   the parent reads a little, a child reads the rest
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAXN 512

static char *seen[MAXN];
static int nseen;

struct d64 {
	unsigned long long ino;
	long long off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};

/* One getdents64 call of BUFSZ bytes on FD; returns the entry count. */
static int batch(int fd, size_t bufsz, FILE *log)
{
	char buf[4096];
	long n;
	int count = 0;

	n = syscall(SYS_getdents64, fd, buf, bufsz);
	if (n < 0) {
		printf("getdents64 fd %d: %s\n", fd, strerror(errno));
		return -1;
	}
	for (long off = 0; off < n;) {
		struct d64 *d = (struct d64 *)(buf + off);

		if (log)
			fprintf(log, "%s\n", d->name);
		else if (nseen < MAXN)
			seen[nseen++] = strdup(d->name);
		off += d->reclen;
		count++;
	}
	return count;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void summary(const char *what)
{
	int dups = 0;

	qsort(seen, nseen, sizeof(seen[0]), cmp);
	for (int i = 1; i < nseen; i++)
		if (strcmp(seen[i - 1], seen[i]) == 0)
			dups++;
	printf("%s: %d entries, %d duplicates:", what, nseen, dups);
	for (int i = 0; i < nseen; i++)
		printf(" %s", seen[i]);
	printf("\n");
	for (int i = 0; i < nseen; i++)
		free(seen[i]);
	nseen = 0;
}

static int do_dup(const char *dir)
{
	int fd, fds[6], i, n;
	const char *how[] = { "dup", "dup2", "dup3", "F_DUPFD",
			      "F_DUPFD_CLOEXEC" };

	fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return 1;
	/* one small read on the original, then on each duplicate */
	if (batch(fd, 64, NULL) <= 0)
		return 1;
	fds[0] = dup(fd);
	fds[1] = dup2(fd, 50);
	fds[2] = dup3(fd, 51, O_CLOEXEC);
	fds[3] = fcntl(fd, F_DUPFD, 100);
	fds[4] = fcntl(fd, F_DUPFD_CLOEXEC, 100);
	for (i = 0; i < 5; i++) {
		if (fds[i] < 0) {
			printf("%s: %s\n", how[i], strerror(errno));
			return 1;
		}
		n = batch(fds[i], 64, NULL);
		printf("%s: fd %s, read %s\n", how[i],
		       fds[i] >= 50 ? "as asked" : "new",
		       n < 0 ? "error" : "ok");
	}
	/* drain through the last duplicate */
	while ((n = batch(fds[4], 64, NULL)) > 0)
		;
	/* every fd shares the position: all are at the end now */
	for (i = 0; i < 5; i++)
		if (batch(fds[i], 4096, NULL) != 0)
			printf("%s: not at the end\n", how[i]);
	if (batch(fd, 4096, NULL) != 0)
		printf("original: not at the end\n");
	summary("through the duplicates");

	/* a rewind through one duplicate rewinds them all */
	if (lseek(fds[2], 0, SEEK_SET) != 0)
		printf("lseek: %s\n", strerror(errno));
	while ((n = batch(fd, 200, NULL)) > 0)
		;
	summary("original after a rewind through dup3");

	/* a DIR stream on another duplicate */
	if (lseek(fd, 0, SEEK_SET) != 0)
		return 1;
	DIR *d = fdopendir(fds[0]);
	struct dirent *e;

	if (!d)
		return 1;
	while ((e = readdir(d)) != NULL)
		seen[nseen++] = strdup(e->d_name);
	summary("readdir on a dup");
	closedir(d);
	close(fd);
	return 0;
}

static int do_fork(const char *dir)
{
	int fd, st;
	pid_t pid;
	FILE *log;
	char logpath[4096], line[512];

	fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return 1;
	if (batch(fd, 48, NULL) <= 0)
		return 1;
	snprintf(logpath, sizeof(logpath), "%s/dirfd-fork.log",
		 getenv("HOME"));
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		/* the child reads the rest through the inherited fd */
		log = fopen(logpath, "w");
		if (!log)
			_exit(1);
		while (batch(fd, 48, log) > 0)
			;
		fclose(log);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	printf("child exit %d\n", WEXITSTATUS(st));
	printf("parent after the child: %s\n",
	       batch(fd, 4096, NULL) == 0 ? "at the end" : "not at the end");
	log = fopen(logpath, "r");
	if (!log)
		return 1;
	while (fgets(line, sizeof(line), log)) {
		line[strcspn(line, "\n")] = 0;
		seen[nseen++] = strdup(line);
	}
	fclose(log);
	summary("parent's first read plus the child's");
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && strcmp(argv[1], "dup") == 0)
		return do_dup(argv[2]);
	if (argc == 3 && strcmp(argv[1], "fork") == 0)
		return do_fork(argv[2]);
	return 2;
}
