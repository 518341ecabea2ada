/*
 * threads: NTHREADS threads of one process doing open, stat, unlink,
 * create, write and read-back in loops, at the same time, on files of the
 * lower layers and on new files.
 *   threads NTHREADS NITER DIR
 *
 * DIR/tl must exist and hold common-0..common-3 (content "common <c>
 * bottom\n", except common-2: "common 2 top\n") and, for every thread t and
 * k in 0..2, own-<t>-<k> with "own <t> <k>\n"; DIR/tw must exist. In the
 * stress runner both live in the lower layers.
 *
 * Thread t, at each iteration j:
 *  - opens, reads and stats one common file through its path and through a
 *    directory fd (fstatat, openat), and checks access();
 *  - creates DIR/tw/t<t>-<j%3>, writes, stats, reads back, and on odd j
 *    unlinks it again and checks that stat and open give ENOENT;
 *  - stats its own lower files and checks that each one is there or gone,
 *    as this thread's own changes say: at j == NITER/8 own-<t>-0 is
 *    unlinked (a whiteout) and at j == NITER/4 made again with O_EXCL;
 *    at 3*NITER/8 own-<t>-1 is opened O_RDWR and written in place (a
 *    copy-up); at NITER/2 own-<t>-2 is renamed to tw/moved-<t>.
 * The first wrong result prints a line on stderr and exits 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NCOMMON 4
#define NOWN 3

static const char *top;
static int niter;
static pthread_barrier_t start;

struct thr {
	pthread_t tid;
	int t, j;
	int dfd; /* DIR/tl */
	char own[NOWN][128];
};

static void die(struct thr *th, const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	flockfile(stderr);
	fprintf(stderr, "threads[%d] iter %d: ", th->t, th->j);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (errno %d %s)\n", e, strerror(e));
	funlockfile(stderr);
	exit(1);
}

static void pathf(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(buf, 4096, "%s/", top);
	va_start(ap, fmt);
	vsnprintf(buf + n, 4096 - n, fmt, ap);
	va_end(ap);
}

static void read_fd(struct thr *th, int fd, const char *what, const char *want)
{
	char buf[4096];
	size_t len = strlen(want);
	ssize_t n;

	n = pread(fd, buf, sizeof(buf), 0);
	if (n != (ssize_t)len || memcmp(buf, want, len) != 0)
		die(th, "read %s: got %zd bytes, want [%s]", what, n, want);
}

static void check_stat(struct thr *th, const struct stat *st, const char *what,
		       const char *want)
{
	if (!S_ISREG(st->st_mode) || (size_t)st->st_size != strlen(want))
		die(th, "stat %s: mode %o size %lld, want a file of %zu", what,
		    st->st_mode, (long long)st->st_size, strlen(want));
}

/* PATH must hold exactly WANT: stat, open + fstat + read. */
static void check_content(struct thr *th, const char *path, const char *want)
{
	struct stat st;
	int fd;

	if (stat(path, &st) < 0)
		die(th, "stat %s", path);
	check_stat(th, &st, path, want);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die(th, "open %s", path);
	if (fstat(fd, &st) < 0)
		die(th, "fstat %s", path);
	check_stat(th, &st, path, want);
	read_fd(th, fd, path, want);
	close(fd);
}

static void check_gone(struct thr *th, const char *path)
{
	struct stat st;
	int fd;

	errno = 0;
	if (stat(path, &st) == 0 || errno != ENOENT)
		die(th, "stat %s: want ENOENT", path);
	errno = 0;
	if (access(path, F_OK) == 0 || errno != ENOENT)
		die(th, "access %s: want ENOENT", path);
	fd = open(path, O_RDONLY);
	if (fd >= 0 || errno != ENOENT)
		die(th, "open %s: want ENOENT", path);
}

static void write_new(struct thr *th, const char *path, int flags,
		      const char *data)
{
	size_t len = strlen(data);
	int fd = open(path, O_WRONLY | O_CREAT | flags, 0644);

	if (fd < 0)
		die(th, "create %s", path);
	if (write(fd, data, len) != (ssize_t)len)
		die(th, "write %s", path);
	if (close(fd) < 0)
		die(th, "close %s", path);
}

static void common_step(struct thr *th)
{
	char path[4096], name[32], want[64];
	int c = (th->j + th->t) % NCOMMON;
	struct stat st;
	int fd;

	snprintf(want, sizeof(want), "common %d %s\n", c,
		 c == 2 ? "top" : "bottom");
	pathf(path, "tl/common-%d", c);
	check_content(th, path, want);
	if (access(path, R_OK) < 0)
		die(th, "access %s", path);
	snprintf(name, sizeof(name), "common-%d", c);
	if (fstatat(th->dfd, name, &st, 0) < 0)
		die(th, "fstatat tl/%s", name);
	check_stat(th, &st, name, want);
	fd = openat(th->dfd, name, O_RDONLY);
	if (fd < 0)
		die(th, "openat tl/%s", name);
	read_fd(th, fd, name, want);
	close(fd);
}

static void work_step(struct thr *th)
{
	char path[4096], want[128];
	int j = th->j;

	pathf(path, "tw/t%d-%d", th->t, j % 3);
	snprintf(want, sizeof(want), "thread %d iter %d%*s\n", th->t, j, j % 13,
		 "");
	write_new(th, path, O_TRUNC, want);
	check_content(th, path, want);
	if (j % 2) {
		if (unlink(path) < 0)
			die(th, "unlink %s", path);
		check_gone(th, path);
	}
}

/* own-<t>-k: there with its content, or gone, as this thread left it. */
static void own_check(struct thr *th, int gone0, int gone2)
{
	char path[4096];
	int k;

	for (k = 0; k < NOWN; k++) {
		pathf(path, "tl/own-%d-%d", th->t, k);
		if ((k == 0 && gone0) || (k == 2 && gone2))
			check_gone(th, path);
		else
			check_content(th, path, th->own[k]);
	}
}

static void *thread_main(void *arg)
{
	struct thr *th = arg;
	char path[4096], path2[4096];
	int gone0 = 0, gone2 = 0, k, fd;

	for (k = 0; k < NOWN; k++)
		snprintf(th->own[k], sizeof(th->own[k]), "own %d %d\n", th->t,
			 k);
	pathf(path, "tl");
	th->dfd = open(path, O_RDONLY | O_DIRECTORY);
	if (th->dfd < 0)
		die(th, "open %s", path);
	pthread_barrier_wait(&start);

	for (th->j = 0; th->j < niter; th->j++) {
		int j = th->j;

		common_step(th);
		work_step(th);
		if (j == niter / 8) {
			pathf(path, "tl/own-%d-0", th->t);
			if (unlink(path) < 0)
				die(th, "unlink %s", path);
			gone0 = 1;
		} else if (j == niter / 4) {
			pathf(path, "tl/own-%d-0", th->t);
			snprintf(th->own[0], sizeof(th->own[0]),
				 "own %d 0 made again\n", th->t);
			write_new(th, path, O_EXCL, th->own[0]);
			gone0 = 0;
		} else if (j == 3 * niter / 8) {
			pathf(path, "tl/own-%d-1", th->t);
			fd = open(path, O_RDWR);
			if (fd < 0)
				die(th, "open O_RDWR %s", path);
			if (pwrite(fd, "OWN", 3, 0) != 3)
				die(th, "pwrite %s", path);
			memcpy(th->own[1], "OWN", 3);
			read_fd(th, fd, path, th->own[1]);
			close(fd);
		} else if (j == niter / 2) {
			pathf(path, "tl/own-%d-2", th->t);
			pathf(path2, "tw/moved-%d", th->t);
			if (rename(path, path2) < 0)
				die(th, "rename %s", path);
			gone2 = 1;
			check_content(th, path2, th->own[2]);
		}
		own_check(th, gone0, gone2);
	}
	close(th->dfd);
	return NULL;
}

int main(int argc, char **argv)
{
	struct thr *ths;
	int n, i;

	if (argc != 4) {
		fprintf(stderr, "usage: threads NTHREADS NITER DIR\n");
		return 2;
	}
	top = argv[3];
	n = atoi(argv[1]);
	niter = atoi(argv[2]);
	if (n < 1 || niter < 8) {
		fprintf(stderr, "threads: bad NTHREADS or NITER\n");
		return 2;
	}
	ths = calloc(n, sizeof(*ths));
	if (!ths || pthread_barrier_init(&start, NULL, n) != 0) {
		fprintf(stderr, "threads: out of memory\n");
		return 1;
	}
	for (i = 0; i < n; i++) {
		ths[i].t = i;
		if (pthread_create(&ths[i].tid, NULL, thread_main, &ths[i])) {
			fprintf(stderr, "threads: pthread_create failed\n");
			return 1;
		}
	}
	for (i = 0; i < n; i++)
		pthread_join(ths[i].tid, NULL);
	printf("threads: %d threads x %d iterations ok\n", n, niter);
	return 0;
}
