/*
 * spawn: vfork and posix_spawn of a program that writes into the overlay.
 *   spawn M            run the checks (the parent)
 *   spawn write PATH TEXT   (the child) append TEXT and a newline to PATH
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int child_write(const char *path, const char *text)
{
	FILE *f = fopen(path, "a");

	if (!f) {
		printf("child: %s: %s\n", path, strerror(errno));
		return 1;
	}
	fprintf(f, "%s\n", text);
	return fclose(f) ? 1 : 0;
}

static void report(const char *what, pid_t pid)
{
	int st;

	if (pid < 0) {
		printf("%s: spawn failed\n", what);
		return;
	}
	if (waitpid(pid, &st, 0) != pid)
		printf("%s: waitpid failed\n", what);
	else if (WIFEXITED(st))
		printf("%s: exit %d\n", what, WEXITSTATUS(st));
	else
		printf("%s: signal %d\n", what, WTERMSIG(st));
}

int main(int argc, char **argv)
{
	char self[4096], path[4096], path2[4096];
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int err;

	if (argc == 4 && strcmp(argv[1], "write") == 0)
		return child_write(argv[2], argv[3]);
	if (argc != 2)
		return 2;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return 1;
	self[n] = 0;
	fflush(stdout);

	/* vfork: the child shares the memory and execs at once */
	snprintf(path, sizeof(path), "%s/merged/common.txt", argv[1]);
	pid = vfork();
	if (pid == 0) {
		char *args[] = { self, "write", path, "vfork child", NULL };

		execve(self, args, environ);
		_exit(127);
	}
	report("vfork", pid);

	/* vfork whose child fails its exec on an overlay path */
	snprintf(path2, sizeof(path2), "%s/gone.txt", argv[1]);
	pid = vfork();
	if (pid == 0) {
		char *args[] = { path2, NULL };

		execve(path2, args, environ);
		_exit(errno == ENOENT ? 42 : 43);
	}
	report("vfork exec of a whiteout", pid);

	/* posix_spawn of the program by its path */
	{
		char *args[] = { self, "write", path, "posix_spawn child",
				 NULL };

		err = posix_spawn(&pid, self, NULL, NULL, args, environ);
		report("posix_spawn", err ? -1 : pid);
	}

	/* posix_spawn with file actions: a chdir into the overlay, stdout
	 * redirected into a new file there, then a relative write */
	{
		char *args[] = { self, "write", "rel-spawn.txt",
				 "relative, after addchdir", NULL };
		char dir[4096];

		snprintf(dir, sizeof(dir), "%s/merged/sub", argv[1]);
		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_addchdir_np(&fa, dir);
		posix_spawn_file_actions_addopen(&fa, 1, "spawn-stdout.txt",
						 O_WRONLY | O_CREAT | O_TRUNC,
						 0644);
		err = posix_spawn(&pid, self, &fa, NULL, args, environ);
		report("posix_spawn file actions", err ? -1 : pid);
		posix_spawn_file_actions_destroy(&fa);
	}

	/* posix_spawnp of sh from PATH, writing through a redirection */
	{
		char cmd[4096 + 64];
		char *args[] = { "sh", "-c", cmd, NULL };

		snprintf(cmd, sizeof(cmd),
			 "echo spawnp-sh >>'%s/only-l2.txt'", argv[1]);
		err = posix_spawnp(&pid, "sh", NULL, NULL, args, environ);
		report("posix_spawnp sh", err ? -1 : pid);
	}

	/* posix_spawn of a program that does not exist in the overlay */
	{
		char *args[] = { path2, NULL };

		err = posix_spawn(&pid, path2, NULL, NULL, args, environ);
		if (err)
			printf("posix_spawn of a whiteout: %s\n",
			       err == ENOENT ? "ENOENT" : strerror(err));
		else
			report("posix_spawn of a whiteout", pid);
	}
	return 0;
}
