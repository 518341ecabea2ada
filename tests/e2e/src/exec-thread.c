/*
 * exec-thread: a thread other than the leader calls execve while the leader
 * keeps making path syscalls in the overlay; the new program (this one
 * again) reads and writes the overlay.
 *   exec-thread M          start: leader loops on stat, a thread execs
 *   exec-thread child M    the program after the exec
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

static char self[4096];
static const char *m;
static pid_t leader;

static void *execer(void *arg)
{
	char *args[] = { self, "child", (char *)m, NULL };
	char dir[4096];

	(void)arg;
	/* the cwd is per process: the program after the exec keeps it */
	snprintf(dir, sizeof(dir), "%s/merged", m);
	if (chdir(dir) < 0)
		perror("chdir");
	usleep(50000);
	execve(self, args, environ);
	perror("execve");
	exit(1);
	return NULL;
}

static int child(void)
{
	char buf[256], cwd[4096];
	FILE *f;

	/* the exec'ing thread took over the leader's thread id */
	printf("child: pid kept: %s\n", getpid() == leader ? "yes" : "no");
	printf("child: tid is pid: %s\n",
	       (pid_t)syscall(SYS_gettid) == getpid() ? "yes" : "no");
	if (!getcwd(cwd, sizeof(cwd)))
		return 1;
	printf("child: cwd %s\n", cwd + strlen(m));
	f = fopen("common.txt", "r");
	if (!f || !fgets(buf, sizeof(buf), f))
		return 1;
	fclose(f);
	printf("child: read %s", buf);
	f = fopen("../shadow.txt", "a");
	if (!f)
		return 1;
	fprintf(f, "appended after exec from a thread\n");
	fclose(f);
	f = fopen("exec-thread.txt", "w");
	if (!f)
		return 1;
	fprintf(f, "written after exec\n");
	return fclose(f) ? 1 : 0;
}

int main(int argc, char **argv)
{
	pthread_t tid;
	char path[4096], env[32];
	struct stat st;
	unsigned long loops = 0;

	if (argc == 3 && strcmp(argv[1], "child") == 0) {
		m = argv[2];
		leader = atoi(getenv("EXEC_THREAD_LEADER"));
		return child();
	}
	if (argc != 2)
		return 2;
	m = argv[1];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return 1;
	self[n] = 0;
	snprintf(env, sizeof(env), "%d", (int)getpid());
	setenv("EXEC_THREAD_LEADER", env, 1);
	snprintf(path, sizeof(path), "%s/twice.txt", m);
	if (pthread_create(&tid, NULL, execer, NULL) != 0)
		return 1;
	/* never returns: the exec in the other thread ends this loop */
	for (;;) {
		if (stat(path, &st) < 0) {
			perror("stat");
			return 1;
		}
		loops++;
	}
	return 0;
}
