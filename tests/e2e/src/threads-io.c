/*
 * threads-io: 8 threads doing file I/O in the overlay at once. Thread i
 * creates, writes, reads back and renames its own files under M/thr, appends
 * to the lower file M/proj/part(i+1).c (concurrent copy-ups) and sums the
 * lower file M/big.txt. The main thread prints every thread's results in
 * thread order, so the output does not depend on scheduling.
 *   threads-io M
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NTHREADS 8
#define NFILES 10

static const char *m;

struct result {
	int index;
	int created;
	int verified;
	int renamed;
	long long bigsum;
	char err[160];
};

static void fail(struct result *r, const char *what, const char *path)
{
	if (!r->err[0])
		snprintf(r->err, sizeof(r->err), "%s %s: %s", what,
			 path + strlen(m), strerror(errno));
}

static void *worker(void *arg)
{
	struct result *r = arg;
	char path[4096], path2[4096], buf[256], want[256];
	int i, fd;
	ssize_t n;
	FILE *f;
	long long v;

	for (i = 0; i < NFILES; i++) {
		snprintf(path, sizeof(path), "%s/thr/t%d-%d.tmp", m, r->index,
			 i);
		snprintf(want, sizeof(want), "thread %d file %d\n", r->index,
			 i);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0) {
			fail(r, "create", path);
			continue;
		}
		if (write(fd, want, strlen(want)) != (ssize_t)strlen(want))
			fail(r, "write", path);
		close(fd);
		r->created++;
		fd = open(path, O_RDONLY);
		if (fd < 0) {
			fail(r, "reopen", path);
			continue;
		}
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n == (ssize_t)strlen(want) && memcmp(buf, want, n) == 0)
			r->verified++;
		snprintf(path2, sizeof(path2), "%s/thr/t%d-%d.txt", m,
			 r->index, i);
		if (rename(path, path2) == 0)
			r->renamed++;
		else
			fail(r, "rename", path);
		/* every other file is removed again */
		if (i % 2 && unlink(path2) < 0)
			fail(r, "unlink", path2);
	}

	snprintf(path, sizeof(path), "%s/proj/part%d.c", m, r->index + 1);
	fd = open(path, O_WRONLY | O_APPEND);
	if (fd < 0) {
		fail(r, "append-open", path);
	} else {
		snprintf(buf, sizeof(buf), "/* touched by thread %d */\n",
			 r->index);
		if (write(fd, buf, strlen(buf)) < 0)
			fail(r, "append", path);
		close(fd);
	}

	snprintf(path, sizeof(path), "%s/big.txt", m);
	f = fopen(path, "r");
	if (!f) {
		fail(r, "fopen", path);
		return NULL;
	}
	while (fscanf(f, "%lld", &v) == 1)
		r->bigsum += v;
	fclose(f);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t tids[NTHREADS];
	struct result res[NTHREADS];
	char path[4096];
	int i;

	if (argc != 2)
		return 2;
	m = argv[1];
	snprintf(path, sizeof(path), "%s/thr", m);
	if (mkdir(path, 0755) < 0) {
		perror("mkdir");
		return 1;
	}
	memset(res, 0, sizeof(res));
	for (i = 0; i < NTHREADS; i++) {
		res[i].index = i;
		if (pthread_create(&tids[i], NULL, worker, &res[i]) != 0) {
			fprintf(stderr, "pthread_create failed\n");
			return 1;
		}
	}
	for (i = 0; i < NTHREADS; i++)
		pthread_join(tids[i], NULL);
	for (i = 0; i < NTHREADS; i++)
		printf("thread %d: created %d verified %d renamed %d sum %lld%s%s\n",
		       i, res[i].created, res[i].verified, res[i].renamed,
		       res[i].bigsum, res[i].err[0] ? " error " : "",
		       res[i].err);
	return 0;
}
