/*
 * clone-fs: which processes and threads share the cwd. Threads (and a
 * clone with CLONE_FS) share it; fork, a clone without CLONE_FS and a
 * thread after unshare(CLONE_FS) have their own.
 *   clone-fs M
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *m;

static void show(const char *who)
{
	char cwd[4096];

	if (!getcwd(cwd, sizeof(cwd))) {
		printf("%s: getcwd: %s\n", who, strerror(errno));
		return;
	}
	if (strncmp(cwd, m, strlen(m)) == 0)
		printf("%s: cwd <M>%s\n", who, cwd + strlen(m));
	else
		printf("%s: cwd outside\n", who);
}

/* Opens NAME relative to the cwd and prints its first line. */
static void readrel(const char *who, const char *name)
{
	char buf[256];
	FILE *f = fopen(name, "r");

	if (!f) {
		printf("%s: %s: %s\n", who, name, strerror(errno));
		return;
	}
	if (fgets(buf, sizeof(buf), f))
		printf("%s: %s: %s", who, name, buf);
	fclose(f);
}

static void cd(const char *rel)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s%s", m, rel);
	if (chdir(path) < 0)
		printf("chdir %s: %s\n", rel, strerror(errno));
}

static void *thread_cd(void *arg)
{
	cd(arg);
	return NULL;
}

static void *thread_unshare_cd(void *arg)
{
	if (unshare(CLONE_FS) < 0)
		printf("unshare: %s\n", strerror(errno));
	cd(arg);
	show("unshared thread");
	readrel("unshared thread", "f.txt");
	return NULL;
}

static int clone_child(void *arg)
{
	cd(arg);
	show("clone child");
	fflush(stdout);
	return 0;
}

static void run_clone(int flags, const char *dir)
{
	static char stack[256 * 1024];
	int st;
	pid_t pid;

	fflush(stdout);
	pid = clone(clone_child, stack + sizeof(stack), flags | SIGCHLD,
		    (void *)dir);
	if (pid < 0) {
		printf("clone: %s\n", strerror(errno));
		return;
	}
	waitpid(pid, &st, 0);
}

int main(int argc, char **argv)
{
	pthread_t tid;
	pid_t pid;
	int st;

	if (argc != 2)
		return 2;
	m = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	cd("");
	show("start");

	/* a thread's chdir moves the whole process */
	pthread_create(&tid, NULL, thread_cd, "/merged/sub");
	pthread_join(tid, NULL);
	show("after thread chdir");
	readrel("main", "deep-l1.txt");

	/* a forked child's chdir does not */
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		cd("/deep/a/b");
		show("fork child");
		readrel("fork child", "mid.txt");
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	show("after fork child");

	/* clone without CLONE_FS: like fork */
	run_clone(0, "/opq");
	show("after clone");

	/* clone with CLONE_FS (own memory, shared cwd) */
	run_clone(CLONE_FS, "/opq");
	show("after clone CLONE_FS");
	readrel("main", "new-l1.txt");
	readrel("main", "old-l2.txt");

	/* a thread that unshared its fs struct keeps its chdir to itself */
	pthread_create(&tid, NULL, thread_unshare_cd, "/dir-l1only");
	pthread_join(tid, NULL);
	show("after unshared thread");
	return 0;
}
