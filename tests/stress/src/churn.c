/*
 * churn: NPROC processes, each running NITER iterations of create, write,
 * rename and unlink, at the same time, in one shared directory and in a
 * private directory per process.
 *   churn NPROC NITER DIR
 *
 * DIR/shared must exist and hold, for every process i and k in 0..4, the
 * file low-<i>-<k> whose content is "low <i> <k> bottom\n" for k < 3 and
 * "low <i> <k> top\n" otherwise (in the stress runner they live in the
 * lower layers). DIR/priv/p<i> exists for even i with old-0..old-2 (content
 * "old <i> <n>\n"); odd i create theirs.
 *
 * Every process only uses names that carry its own number, so the final
 * tree does not depend on scheduling. Every result is checked as it comes:
 * the first wrong one prints a line on stderr and ends that process with
 * status 1; churn exits 1 if any process failed.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define NSLOT 5 /* shared/f-<i>-<slot> */
#define NPRIV 7 /* priv/p<i>/n-<slot> */
#define NLOW 5	/* shared/low-<i>-<k> */

static const char *top;
static int me, iter;

static void die(const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	fprintf(stderr, "churn[%d] iter %d: ", me, iter);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (errno %d %s)\n", e, strerror(e));
	_exit(1);
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

static void write_file(const char *path, int flags, const char *data)
{
	size_t len = strlen(data);
	int fd = open(path, O_WRONLY | flags, 0644);

	if (fd < 0)
		die("open %s", path);
	if (write(fd, data, len) != (ssize_t)len)
		die("write %s", path);
	if (close(fd) < 0)
		die("close %s", path);
}

/* The file must exist and hold exactly `want`. */
static void check_content(const char *path, const char *want)
{
	char buf[8192];
	size_t len = strlen(want);
	struct stat st;
	ssize_t n;
	int fd;

	if (stat(path, &st) < 0)
		die("stat %s", path);
	if (!S_ISREG(st.st_mode) || (size_t)st.st_size != len)
		die("stat %s: mode %o size %lld, want a file of %zu", path,
		    st.st_mode, (long long)st.st_size, len);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die("open %s", path);
	n = read(fd, buf, sizeof(buf));
	if (n != (ssize_t)len || memcmp(buf, want, len) != 0)
		die("read %s: got %zd bytes, want [%s]", path, n, want);
	close(fd);
}

/* The name must not exist, for stat and for open. */
static void check_gone(const char *path)
{
	struct stat st;
	int fd;

	errno = 0;
	if (lstat(path, &st) == 0 || errno != ENOENT)
		die("lstat %s: want ENOENT", path);
	fd = open(path, O_RDONLY);
	if (fd >= 0 || errno != ENOENT)
		die("open %s: want ENOENT", path);
}

static void expect_unlink(const char *path, int exists)
{
	errno = 0;
	if (unlink(path) == 0) {
		if (!exists)
			die("unlink %s succeeded, want ENOENT", path);
	} else if (exists || errno != ENOENT) {
		die("unlink %s", path);
	}
	check_gone(path);
}

/* The content iteration j of process i writes (a few lines, so sizes vary). */
static void content(char *buf, size_t size, int i, int j)
{
	size_t n = 0;
	int r;

	for (r = 0; r <= j % 7; r++)
		n += snprintf(buf + n, size - n, "proc %d iter %d line %d\n", i,
			      j, r);
}

/* Own entries of DIR/shared in a listing must match what this process made. */
static void check_listing(const int slot_iter[NSLOT], const int low_state[NLOW])
{
	char path[4096], fpre[32], lpre[32], tpre[32];
	int seen_slot[NSLOT] = { 0 }, seen_low[NLOW] = { 0 };
	size_t flen, llen, tlen;
	struct dirent *de;
	DIR *d;
	int k;

	flen = snprintf(fpre, sizeof(fpre), "f-%d-", me);
	llen = snprintf(lpre, sizeof(lpre), "low-%d-", me);
	tlen = snprintf(tpre, sizeof(tpre), ".tmp-%d-", me);
	pathf(path, "shared");
	d = opendir(path);
	if (!d)
		die("opendir %s", path);
	errno = 0;
	while ((de = readdir(d))) {
		if (!strncmp(de->d_name, fpre, flen)) {
			k = atoi(de->d_name + flen);
			if (k < 0 || k >= NSLOT || seen_slot[k]++)
				die("listing: unexpected or double %s",
				    de->d_name);
		} else if (!strncmp(de->d_name, lpre, llen)) {
			k = atoi(de->d_name + llen);
			if (k < 0 || k >= NLOW || seen_low[k]++)
				die("listing: unexpected or double %s",
				    de->d_name);
		} else if (!strncmp(de->d_name, tpre, tlen)) {
			die("listing: leftover %s", de->d_name);
		}
		errno = 0;
	}
	if (errno)
		die("readdir %s", path);
	closedir(d);
	for (k = 0; k < NSLOT; k++)
		if (seen_slot[k] != (slot_iter[k] >= 0))
			die("listing: f-%d-%d seen %d times, want %d", me, k,
			    seen_slot[k], slot_iter[k] >= 0);
	for (k = 0; k < NLOW; k++)
		if (seen_low[k] != low_state[k])
			die("listing: low-%d-%d seen %d times, want %d", me, k,
			    seen_low[k], low_state[k]);
}

/* Operations on the files this process owns in the lower layers. */
static void lower_step(int k, int low_state[NLOW])
{
	char path[4096], path2[4096], want[256], buf[256];
	const char *layer = k < 3 ? "bottom" : "top";

	pathf(path, "shared/low-%d-%d", me, k);
	snprintf(want, sizeof(want), "low %d %d %s\n", me, k, layer);
	check_content(path, want);
	switch (k) {
	case 0: /* append: copy-up, then the old content plus the new line */
		snprintf(buf, sizeof(buf), "appended by %d\n", me);
		write_file(path, O_APPEND, buf);
		strcat(want, buf);
		check_content(path, want);
		break;
	case 1: /* rename away: copy-up, whiteout at the old name */
		pathf(path2, "shared/moved-%d-1", me);
		if (rename(path, path2) < 0)
			die("rename %s", path);
		low_state[k] = 0;
		check_gone(path);
		check_content(path2, want);
		break;
	case 2: /* unlink: a whiteout */
		expect_unlink(path, 1);
		low_state[k] = 0;
		break;
	case 3: /* away and back: the name ends in the upper layer again */
		pathf(path2, "shared/.tmp-%d-low3", me);
		if (rename(path, path2) < 0)
			die("rename %s", path);
		check_gone(path);
		if (rename(path2, path) < 0)
			die("rename back %s", path2);
		check_gone(path2);
		check_content(path, want);
		break;
	case 4: /* truncate, unlink, create again over the whiteout */
		if (truncate(path, 3) < 0)
			die("truncate %s", path);
		want[3] = 0;
		check_content(path, want);
		expect_unlink(path, 1);
		snprintf(want, sizeof(want), "recreated by %d\n", me);
		write_file(path, O_CREAT | O_EXCL, want);
		check_content(path, want);
		break;
	}
}

/* Operations on the private dir's lower files (even processes only). */
static void private_lower_step(int k)
{
	char path[4096], path2[4096], want[128];

	pathf(path, "priv/p%d/old-%d", me, k);
	snprintf(want, sizeof(want), "old %d %d\n", me, k);
	check_content(path, want);
	switch (k) {
	case 0:
		expect_unlink(path, 1);
		break;
	case 1:
		pathf(path2, "priv/p%d/renamed-1", me);
		if (rename(path, path2) < 0)
			die("rename %s", path);
		check_gone(path);
		check_content(path2, want);
		break;
	case 2:
		write_file(path, O_APPEND, "more\n");
		strcat(want, "more\n");
		check_content(path, want);
		break;
	}
}

static void run(int niter)
{
	char path[4096], path2[4096], buf[1024];
	int slot_iter[NSLOT], priv_iter[NPRIV], low_state[NLOW];
	int j, k, s;
	struct stat st;

	for (k = 0; k < NSLOT; k++)
		slot_iter[k] = -1;
	for (k = 0; k < NPRIV; k++)
		priv_iter[k] = -1;
	for (k = 0; k < NLOW; k++)
		low_state[k] = 1;

	pathf(path, "priv/p%d", me);
	if (me % 2) {
		if (mkdir(path, 0755) < 0)
			die("mkdir %s", path);
	} else if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
		die("stat %s: want a directory", path);
	}

	for (j = 0; j < niter; j++) {
		iter = j;
		/* shared dir: temp name, then rename over the slot */
		pathf(path, "shared/.tmp-%d-%d", me, j);
		content(buf, sizeof(buf), me, j);
		write_file(path, O_CREAT | O_EXCL, buf);
		s = j % NSLOT;
		pathf(path2, "shared/f-%d-%d", me, s);
		if (rename(path, path2) < 0)
			die("rename %s", path);
		slot_iter[s] = j;
		check_gone(path);
		check_content(path2, buf);
		if (j % 6 == 5) {
			s = (j + 1) % NSLOT;
			pathf(path, "shared/f-%d-%d", me, s);
			expect_unlink(path, slot_iter[s] >= 0);
			slot_iter[s] = -1;
		}

		/* private dir */
		pathf(path, "priv/p%d/t-%d", me, j);
		write_file(path, O_CREAT | O_EXCL, buf);
		s = j % NPRIV;
		pathf(path2, "priv/p%d/n-%d", me, s);
		if (rename(path, path2) < 0)
			die("rename %s", path);
		priv_iter[s] = j;
		check_content(path2, buf);
		if (j % 3 == 0) {
			s = (j + 4) % NPRIV;
			pathf(path, "priv/p%d/n-%d", me, s);
			expect_unlink(path, priv_iter[s] >= 0);
			priv_iter[s] = -1;
		}
		if (j % 50 == 0) {
			pathf(path, "priv/p%d/d%d", me, j / 50);
			if (mkdir(path, 0755) < 0)
				die("mkdir %s", path);
			pathf(path, "priv/p%d/d%d/x", me, j / 50);
			write_file(path, O_CREAT | O_EXCL, buf);
		}
		if (j % 50 == 25 && (j / 50) % 2) {
			pathf(path, "priv/p%d/d%d/x", me, j / 50);
			expect_unlink(path, 1);
			pathf(path, "priv/p%d/d%d", me, j / 50);
			if (rmdir(path) < 0)
				die("rmdir %s", path);
			check_gone(path);
		}

		/* lower files */
		if (j % 40 == 10 && j / 40 < NLOW)
			lower_step(j / 40, low_state);
		if (me % 2 == 0 && j % 40 == 30 && j / 40 < 3)
			private_lower_step(j / 40);
		if (j % 20 == 19)
			check_listing(slot_iter, low_state);
	}
	iter = niter;
	check_listing(slot_iter, low_state);
}

int main(int argc, char **argv)
{
	int nproc, niter, i, st, failed = 0;
	pid_t pid;

	if (argc != 4) {
		fprintf(stderr, "usage: churn NPROC NITER DIR\n");
		return 2;
	}
	top = argv[3];
	nproc = atoi(argv[1]);
	niter = atoi(argv[2]);
	if (nproc < 1 || niter < 1) {
		fprintf(stderr, "churn: bad NPROC or NITER\n");
		return 2;
	}
	for (i = 0; i < nproc; i++) {
		pid = fork();
		if (pid < 0) {
			perror("churn: fork");
			return 1;
		}
		if (pid == 0) {
			me = i;
			run(niter);
			_exit(0);
		}
	}
	while ((pid = wait(&st)) > 0)
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			failed++;
	if (failed) {
		fprintf(stderr, "churn: %d of %d processes failed\n", failed,
			nproc);
		return 1;
	}
	printf("churn: %d processes x %d iterations ok\n", nproc, niter);
	return 0;
}
