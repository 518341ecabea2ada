/*
 * floor: the cheapest possible ptrace tracer, so fuss's figures can be shown
 * next to the cost of a bare ptrace stop on the same machine at the same
 * moment. The program runs under a seccomp filter that stops it (RET_TRACE)
 * on the stat family only (stat, lstat, newfstatat, statx: glibc's stat()
 * is newfstatat) and lets every other syscall through; the tracer's loop is
 * waitpid + PTRACE_CONT and nothing else.
 *
 * usage: floor [--regs] [--same-cpu] [--count] -- PROGRAM ARGS...
 *   --regs      at each stop also PTRACE_GETREGS and read the path argument
 *               with one process_vm_readv, the least work fuss does per stop
 *   --same-cpu  pin the tracer and the program to the CPU floor starts on
 *               (a stop then needs no wake-up across CPUs)
 *   --count     print "floor: N stops, M paths, last PATH" to stderr at exit
 *               (paths read by --regs; PATH is the last non-empty one)
 * Exits with the program's status (128 + signal if a signal killed it).
 */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>

#ifndef __x86_64__
#error "floor reads x86_64 registers"
#endif

#define OPTS (PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL | PTRACE_O_TRACECLONE | \
	      PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK)
/* a match jumps to the TRACE return, JUMP instructions further on */
#define JEQ(nr, jump) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), (jump), 0)

static bool opt_regs, opt_count;
static unsigned long stops, paths;
static char last_path[PATH_MAX];

/* Child side: wait until the tracer has seized us (a stop before that would
 * fail the syscall with ENOSYS), install the filter, exec. */
static void __attribute__((noreturn)) child(int go_fd, char **argv)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		/* i386 calls are allowed (their numbers differ) */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 5),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		JEQ(__NR_stat, 4), JEQ(__NR_lstat, 3), JEQ(__NR_newfstatat, 2), JEQ(__NR_statx, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };
	char c;

	if (read(go_fd, &c, 1) != 1)
		_exit(127);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) {
		perror("floor: seccomp");
		_exit(126);
	}
	execvp(argv[0], argv);
	fprintf(stderr, "floor: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

/* --regs: what fuss does at least at every stop before deciding anything:
 * fetch the registers, read the path in one process_vm_readv (up to the end
 * of its page, as fuss never reads across a page). stat and lstat take the
 * path first, newfstatat and statx second. */
static void read_path(pid_t pid)
{
	struct user_regs_struct r;
	char buf[PATH_MAX];

	if (ptrace(PTRACE_GETREGS, pid, NULL, &r) < 0)
		return;
	unsigned long addr = r.orig_rax == __NR_stat || r.orig_rax == __NR_lstat ? r.rdi : r.rsi;
	size_t len = 4096 - addr % 4096;
	struct iovec local = { buf, len }, remote = { (void *)addr, len };
	ssize_t got = process_vm_readv(pid, &local, 1, &remote, 1, 0);

	if (got > 0 && memchr(buf, '\0', (size_t)got)) {
		paths++;
		/* fstat's empty name says nothing: keep the last real one */
		if (opt_count && buf[0])
			memcpy(last_path, buf, strlen(buf) + 1);
	}
}

/* Runs until every traced process has gone; returns the program's status. */
static int trace(pid_t root)
{
	int status, ret = 1;
	pid_t pid;

	while ((pid = waitpid(-1, &status, __WALL)) > 0) {
		int sig = 0;

		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (pid == root)
				ret = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
			continue;
		}
		if (status >> 8 == (SIGTRAP | PTRACE_EVENT_SECCOMP << 8)) {
			stops++;
			if (opt_regs)
				read_path(pid);
		} else if (status >> 16 == 0) {
			/* a signal for the program: deliver it */
			sig = WSTOPSIG(status);
		}
		/* other events (clone, fork, a new child's first stop) go on, and so
		 * does a group-stop: floor is for benchmarks, not job control */
		ptrace(PTRACE_CONT, pid, 0, sig);
	}
	return ret;
}

static int usage(void)
{
	fprintf(stderr, "usage: floor [--regs] [--same-cpu] [--count] -- PROGRAM ARGS...\n");
	return 2;
}

int main(int argc, char **argv)
{
	bool same_cpu = false;
	int i, go[2];

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--regs") == 0)
			opt_regs = true;
		else if (strcmp(argv[i], "--same-cpu") == 0)
			same_cpu = true;
		else if (strcmp(argv[i], "--count") == 0)
			opt_count = true;
		else
			return usage();
	}
	if (i + 1 >= argc)
		return usage();
	if (same_cpu) {
		/* set before fork: the child inherits the mask */
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(sched_getcpu(), &set);
		if (sched_setaffinity(0, sizeof(set), &set) < 0)
			return perror("floor: sched_setaffinity"), 1;
	}
	if (pipe(go) < 0)
		return perror("floor: pipe"), 1;
	pid_t pid = fork();

	if (pid < 0)
		return perror("floor: fork"), 1;
	if (pid == 0) {
		close(go[1]);
		child(go[0], argv + i + 1);
	}
	close(go[0]);
	if (ptrace(PTRACE_SEIZE, pid, 0, OPTS) < 0) {
		perror("floor: PTRACE_SEIZE");
		kill(pid, SIGKILL);
		return 1;
	}
	if (write(go[1], "g", 1) != 1)
		return perror("floor: write"), 1;
	close(go[1]);
	int ret = trace(pid);

	if (opt_count)
		fprintf(stderr, "floor: %lu stops, %lu paths, last %s\n", stops, paths,
			last_path[0] ? last_path : "-");
	return ret;
}
