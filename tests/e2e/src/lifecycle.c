/*
 * lifecycle: process shapes that stress a tracer's handling of process
 * life and death. M is the overlay's mountpoint; M/f must hold "top\n".
 *   lifecycle exec-thread M N PAR   N processes (PAR at a time) whose
 *                                   non-leader thread execs while the
 *                                   leader and a sibling make path calls
 *   lifecycle burst M N PAR         N children (PAR at a time), forking and
 *                                   exec'ing `true` or stat-one; each exit
 *                                   status is checked
 *   lifecycle zombies M N           children that exit before being waited
 *                                   (all seen as zombies first), then
 *                                   children of a parent ignoring SIGCHLD
 *   lifecycle subreaper M           a double-fork orphan reparented to this
 *                                   process (a child subreaper) and reaped
 *   lifecycle sigwait M             handlers for TERM/INT/HUP; writes
 *                                   M/ready, then on a signal writes its
 *                                   name to M/got-signal, exits 40+n
 *                                   (TERM 41, INT 42, HUP 43)
 *   lifecycle spin M NAME           writes its pid to M/NAME.pid, then
 *                                   stats M/f forever
 *   lifecycle threads-fifo M N      N threads, half blocked opening the
 *                                   FIFO M/fifo, half stating M/f; the pid
 *                                   goes to M/tf.pid once they all started
 *   lifecycle jobctl M N            a child appends N lines to M/work.txt
 *                                   (20 ms apart), its pid in M/job.pid;
 *                                   the parent writes every wait event of
 *                                   it (stopped/continued/exited) to
 *                                   M/events
 * Internal: after-exec M I, stat-one M I.
 * Prints what went wrong on stdout; exits 0 when everything held.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static char self[4096];
static const char *m;

static void msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
	}
}

static void path_of(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", m, name);
}

/* Reads M/f and checks it holds "top\n". */
static int read_top(void)
{
	char p[4096], buf[16];
	int fd;
	ssize_t r;

	path_of(p, sizeof(p), "f");
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	r = read(fd, buf, sizeof(buf));
	close(fd);
	return r == 4 && memcmp(buf, "top\n", 4) == 0 ? 0 : -1;
}

static int write_file(const char *name, const char *text)
{
	char p[4096];
	int fd;
	size_t len = strlen(text);

	path_of(p, sizeof(p), name);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	if (write(fd, text, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	return close(fd);
}

static int append_line(const char *name, const char *text)
{
	char p[4096], line[256];
	int fd, n;

	path_of(p, sizeof(p), name);
	n = snprintf(line, sizeof(line), "%s\n", text);
	fd = open(p, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	if (write(fd, line, (size_t)n) != n) {
		close(fd);
		return -1;
	}
	return close(fd);
}

static void describe(char *buf, size_t n, int st)
{
	if (WIFEXITED(st))
		snprintf(buf, n, "exit %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, n, "signal %d", WTERMSIG(st));
	else
		snprintf(buf, n, "status 0x%x", st);
}

/*
 * Runs n children, at most par at a time: start(i) forks child i and
 * returns its pid; want(i) is the exit status it must end with. Returns the
 * number of children that ended otherwise.
 */
static int run_pool(int n, int par, pid_t (*start)(int), int (*want)(int))
{
	pid_t *pids = calloc((size_t)n, sizeof(*pids));
	int next = 0, running = 0, done = 0, bad = 0;

	if (!pids)
		return n;
	while (done < n) {
		while (running < par && next < n) {
			pids[next] = start(next);
			if (pids[next] < 0) {
				printf("child %d: fork: %s\n", next, strerror(errno));
				bad++;
				done++;
			} else {
				running++;
			}
			next++;
		}
		if (running == 0)
			continue;
		int st;
		pid_t p = wait(&st);

		if (p < 0) {
			printf("wait: %s with %d children running\n", strerror(errno), running);
			bad += running;
			break;
		}
		int i;

		for (i = 0; i < next; i++)
			if (pids[i] == p)
				break;
		if (i == next) {
			printf("wait returned an unknown pid %d\n", (int)p);
			continue;
		}
		pids[i] = 0;
		running--;
		done++;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != want(i)) {
			char d[64];

			describe(d, sizeof(d), st);
			printf("child %d: %s, want exit %d\n", i, d, want(i));
			bad++;
		}
	}
	free(pids);
	return bad;
}

/* ---- exec from a non-leader thread ---- */

static void *stat_forever(void *arg)
{
	char p[4096];
	struct stat st;

	(void)arg;
	path_of(p, sizeof(p), "f");
	for (;;)
		stat(p, &st);
	return NULL;
}

static int exec_index;

static void *execer(void *arg)
{
	char idx[16];
	char *args[] = { self, "after-exec", (char *)m, idx, NULL };

	(void)arg;
	snprintf(idx, sizeof(idx), "%d", exec_index);
	/* let the leader and the sibling get into their path calls */
	msleep(1 + exec_index % 4);
	execve(self, args, environ);
	printf("execve: %s\n", strerror(errno));
	_exit(20);
	return NULL;
}

static pid_t start_exec_thread(int i)
{
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	char env[32], p[4096];
	pthread_t t1, t2;
	struct stat st;

	exec_index = i;
	snprintf(env, sizeof(env), "%d", (int)getpid());
	setenv("LIFECYCLE_LEADER", env, 1);
	if (pthread_create(&t1, NULL, stat_forever, NULL) != 0 ||
	    pthread_create(&t2, NULL, execer, NULL) != 0)
		_exit(21);
	path_of(p, sizeof(p), "f");
	for (;;)
		stat(p, &st);
}

static int want_zero(int i)
{
	(void)i;
	return 0;
}

static int after_exec(int i)
{
	const char *leader = getenv("LIFECYCLE_LEADER");
	char name[64], text[64], p[4096];
	struct stat st;

	if (!leader || atoi(leader) != (int)getpid()) {
		printf("exec %d: pid %d is not the leader's %s\n", i, (int)getpid(),
		       leader ? leader : "?");
		return 10;
	}
	if ((pid_t)syscall(SYS_gettid) != getpid()) {
		printf("exec %d: tid is not the pid\n", i);
		return 11;
	}
	if (read_top() < 0) {
		printf("exec %d: reading %s/f: %s\n", i, m, strerror(errno));
		return 12;
	}
	snprintf(name, sizeof(name), "exec/e%d", i);
	snprintf(text, sizeof(text), "exec %d\n", i);
	if (write_file(name, text) < 0) {
		printf("exec %d: writing %s: %s\n", i, name, strerror(errno));
		return 13;
	}
	path_of(p, sizeof(p), name);
	if (stat(p, &st) < 0 || st.st_size != (off_t)strlen(text)) {
		printf("exec %d: %s does not read back\n", i, name);
		return 14;
	}
	return 0;
}

static int cmd_exec_thread(int n, int par)
{
	char p[4096];

	path_of(p, sizeof(p), "exec");
	if (mkdir(p, 0755) < 0 && errno != EEXIST) {
		printf("mkdir %s: %s\n", p, strerror(errno));
		return 1;
	}
	int bad = run_pool(n, par, start_exec_thread, want_zero);

	printf("exec-thread: %d of %d processes ok\n", n - bad, n);
	return bad ? 1 : 0;
}

/* ---- burst of short-lived children ---- */

static int want_burst(int i)
{
	return i % 2 == 0 ? 0 : i % 50 + 1;
}

static pid_t start_burst(int i)
{
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	if (i % 2 == 0) {
		execlp("true", "true", (char *)NULL);
		_exit(126);
	}
	char idx[16];

	snprintf(idx, sizeof(idx), "%d", i);
	execl(self, self, "stat-one", m, idx, (char *)NULL);
	_exit(127);
}

static int stat_one(int i)
{
	char p[4096];
	struct stat st;

	path_of(p, sizeof(p), "f");
	if (stat(p, &st) < 0 || st.st_size != 4 || !S_ISREG(st.st_mode))
		return 200;
	if (read_top() < 0)
		return 201;
	return i % 50 + 1;
}

static int cmd_burst(int n, int par)
{
	int bad = run_pool(n, par, start_burst, want_burst);

	printf("burst: %d of %d children ok\n", n - bad, n);
	return bad ? 1 : 0;
}

/* ---- zombies ---- */

static char proc_state(pid_t pid)
{
	char p[64], buf[512];
	int fd;
	ssize_t r;

	snprintf(p, sizeof(p), "/proc/%d/stat", (int)pid);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return '?';
	r = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (r <= 0)
		return '?';
	buf[r] = 0;
	char *e = strrchr(buf, ')');

	return e && e[1] == ' ' ? e[2] : '?';
}

static int cmd_zombies(int n)
{
	pid_t *pids = calloc((size_t)n, sizeof(*pids));
	int bad = 0;

	if (!pids)
		return 1;
	for (int i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			printf("fork: %s\n", strerror(errno));
			return 1;
		}
		if (pids[i] == 0)
			_exit(read_top() < 0 ? 100 : i + 1);
	}
	/* every child must have exited (a zombie) before anyone waits */
	for (int i = 0; i < n; i++) {
		int tries = 0;

		while (proc_state(pids[i]) != 'Z' && tries++ < 10000)
			msleep(1);
		if (proc_state(pids[i]) != 'Z') {
			printf("child %d: state %c, never a zombie\n", i, proc_state(pids[i]));
			bad++;
		}
	}
	for (int i = n - 1; i >= 0; i--) {
		int st;

		if (waitpid(pids[i], &st, 0) != pids[i]) {
			printf("waitpid child %d: %s\n", i, strerror(errno));
			bad++;
		} else if (!WIFEXITED(st) || WEXITSTATUS(st) != i + 1) {
			char d[64];

			describe(d, sizeof(d), st);
			printf("child %d: %s, want exit %d\n", i, d, i + 1);
			bad++;
		}
	}
	/* with SIGCHLD ignored the kernel reaps them; wait() returns ECHILD
	 * once the last one is gone */
	signal(SIGCHLD, SIG_IGN);
	for (int i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			printf("fork: %s\n", strerror(errno));
			return 1;
		}
		if (pids[i] == 0) {
			if (i % 3 == 0)
				msleep(20);
			_exit(read_top() < 0 ? 100 : 0);
		}
	}
	errno = 0;
	if (wait(NULL) != -1 || errno != ECHILD) {
		printf("wait with SIGCHLD ignored: %s\n", errno ? strerror(errno) : "a child");
		bad++;
	}
	for (int i = 0; i < n; i++)
		if (kill(pids[i], 0) == 0 && proc_state(pids[i]) != '?') {
			printf("auto-reaped child %d still exists (state %c)\n", i,
			       proc_state(pids[i]));
			bad++;
		}
	free(pids);
	printf("zombies: %s\n", bad ? "failed" : "ok");
	return bad ? 1 : 0;
}

/* ---- double-fork orphan reparented to a subreaper ---- */

static int cmd_subreaper(void)
{
	int fds[2], st;
	pid_t me = getpid(), a, b = 0;

	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0 || pipe(fds) < 0) {
		printf("setup: %s\n", strerror(errno));
		return 1;
	}
	a = fork();
	if (a < 0)
		return 1;
	if (a == 0) {
		pid_t g = fork();

		if (g == 0) {
			int tries = 0;

			close(fds[0]);
			close(fds[1]);
			/* wait for the middle process to die and for this one
			 * to be handed to the subreaper */
			while (getppid() != me && tries++ < 5000)
				msleep(1);
			if (getppid() != me)
				_exit(30);
			if (read_top() < 0 || write_file("orphan-sub", "reparented\n") < 0)
				_exit(31);
			_exit(3);
		}
		if (write(fds[1], &g, sizeof(g)) != sizeof(g))
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	if (read(fds[0], &b, sizeof(b)) != sizeof(b)) {
		printf("no grandchild pid\n");
		return 1;
	}
	if (waitpid(a, &st, 0) != a || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		printf("middle process: bad status\n");
		return 1;
	}
	pid_t r = wait(&st);

	if (r != b) {
		printf("wait returned %d, want the orphan %d (%s)\n", (int)r, (int)b,
		       r < 0 ? strerror(errno) : "another pid");
		return 1;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 3) {
		char d[64];

		describe(d, sizeof(d), st);
		printf("orphan: %s, want exit 3\n", d);
		return 1;
	}
	printf("subreaper: ok\n");
	return 0;
}

/* ---- signals ---- */

static volatile sig_atomic_t got;

static void on_signal(int sig)
{
	got = sig;
}

static int cmd_sigwait(void)
{
	struct sigaction sa;
	sigset_t set, old;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, &old);
	if (sigaction(SIGTERM, &sa, NULL) < 0 || sigaction(SIGINT, &sa, NULL) < 0 ||
	    sigaction(SIGHUP, &sa, NULL) < 0)
		return 1;
	if (write_file("ready", "ready\n") < 0) {
		printf("writing ready: %s\n", strerror(errno));
		return 1;
	}
	sigdelset(&old, SIGTERM);
	sigdelset(&old, SIGINT);
	sigdelset(&old, SIGHUP);
	while (!got)
		sigsuspend(&old);
	const char *name = got == SIGTERM ? "TERM\n" : got == SIGINT ? "INT\n" : "HUP\n";

	if (write_file("got-signal", name) < 0)
		return 2;
	return got == SIGTERM ? 41 : got == SIGINT ? 42 : 43;
}

static int cmd_spin(const char *name)
{
	char p[4096], file[256], pid[32];
	struct stat st;

	snprintf(file, sizeof(file), "%s.pid", name);
	snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	if (write_file(file, pid) < 0) {
		printf("writing %s: %s\n", file, strerror(errno));
		return 1;
	}
	path_of(p, sizeof(p), "f");
	for (;;) {
		if (stat(p, &st) < 0)
			return 2;
		msleep(1);
	}
}

/* ---- many threads, some blocked in a FIFO open ---- */

static int started;

static void *fifo_opener(void *arg)
{
	char p[4096];

	(void)arg;
	path_of(p, sizeof(p), "fifo");
	__atomic_add_fetch(&started, 1, __ATOMIC_SEQ_CST);
	open(p, O_RDONLY); /* blocks: nobody opens it for writing */
	return NULL;
}

static void *stat_loop(void *arg)
{
	__atomic_add_fetch(&started, 1, __ATOMIC_SEQ_CST);
	return stat_forever(arg);
}

static int cmd_threads_fifo(int n)
{
	char pid[32];

	for (int i = 0; i < n; i++) {
		pthread_t t;

		if (pthread_create(&t, NULL, i % 2 ? stat_loop : fifo_opener, NULL) != 0)
			return 1;
	}
	while (__atomic_load_n(&started, __ATOMIC_SEQ_CST) < n)
		msleep(1);
	snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	if (write_file("tf.pid", pid) < 0)
		return 1;
	for (;;)
		pause();
}

/* ---- job control seen by a traced parent ---- */

static int cmd_jobctl(int n)
{
	pid_t c = fork();
	char line[64];
	int st;

	if (c < 0)
		return 1;
	if (c == 0) {
		snprintf(line, sizeof(line), "%d\n", (int)getpid());
		if (write_file("job.pid", line) < 0)
			_exit(1);
		for (int i = 0; i < n; i++) {
			snprintf(line, sizeof(line), "%d", i);
			if (append_line("work.txt", line) < 0)
				_exit(2);
			msleep(20);
		}
		_exit(0);
	}
	for (;;) {
		pid_t r = waitpid(c, &st, WUNTRACED | WCONTINUED);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			printf("waitpid: %s\n", strerror(errno));
			return 1;
		}
		if (WIFSTOPPED(st))
			snprintf(line, sizeof(line), "stopped %d", WSTOPSIG(st));
		else if (WIFCONTINUED(st))
			snprintf(line, sizeof(line), "continued");
		else
			describe(line, sizeof(line), st);
		if (append_line("events", line) < 0)
			return 1;
		if (WIFEXITED(st) || WIFSIGNALED(st))
			return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
	}
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	m = argv[2];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n < 0)
		return 2;
	self[n] = 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	const char *c = argv[1];
	int a = argc > 3 ? atoi(argv[3]) : 0, b = argc > 4 ? atoi(argv[4]) : 0;

	if (strcmp(c, "exec-thread") == 0 && argc == 5)
		return cmd_exec_thread(a, b);
	if (strcmp(c, "after-exec") == 0 && argc == 4)
		return after_exec(a);
	if (strcmp(c, "burst") == 0 && argc == 5)
		return cmd_burst(a, b);
	if (strcmp(c, "stat-one") == 0 && argc == 4)
		return stat_one(a);
	if (strcmp(c, "zombies") == 0 && argc == 4)
		return cmd_zombies(a);
	if (strcmp(c, "subreaper") == 0 && argc == 3)
		return cmd_subreaper();
	if (strcmp(c, "sigwait") == 0 && argc == 3)
		return cmd_sigwait();
	if (strcmp(c, "spin") == 0 && argc == 4)
		return cmd_spin(argv[3]);
	if (strcmp(c, "threads-fifo") == 0 && argc == 4)
		return cmd_threads_fifo(a);
	if (strcmp(c, "jobctl") == 0 && argc == 4)
		return cmd_jobctl(a);
	return 2;
}
