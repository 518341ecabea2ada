/*
 * W5 micro benchmark: nanoseconds per stat inside a directory, stat of a
 * path outside it, open+close inside it, and getpid (a syscall the seccomp
 * filter lets through), printed as "OP NS" lines. Each timed loop follows one
 * untimed call, so the figures are those of a cached name. Run on every
 * system compared by perf/w5.sh.
 * usage: micro DIR ITERATIONS
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	char path[4096];
	struct stat st;
	long n;
	double t0;

	if (argc != 3) {
		fprintf(stderr, "usage: micro DIR ITERATIONS\n");
		return 2;
	}
	n = atol(argv[2]);
	snprintf(path, sizeof(path), "%s/micro-file", argv[1]);
	stat("/etc/hostname", &st);
	close(open(path, O_RDONLY));

	t0 = now_ns();
	for (long i = 0; i < n; i++)
		if (stat(path, &st) < 0)
			return perror(path), 1;
	printf("stat_in %.0f\n", (now_ns() - t0) / (double)n);

	t0 = now_ns();
	for (long i = 0; i < n; i++)
		stat("/etc/hostname", &st);
	printf("stat_out %.0f\n", (now_ns() - t0) / (double)n);

	t0 = now_ns();
	for (long i = 0; i < n; i++) {
		int fd = open(path, O_RDONLY);

		if (fd < 0)
			return perror(path), 1;
		close(fd);
	}
	printf("open_close_in %.0f\n", (now_ns() - t0) / (double)n);

	t0 = now_ns();
	for (long i = 0; i < n; i++)
		syscall(SYS_getpid);
	printf("getpid %.0f\n", (now_ns() - t0) / (double)n);
	return 0;
}
