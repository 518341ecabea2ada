/*
 * fuss: parse the command line, create the shared segment, fork vfsd, then
 * run the tracer (worker threads + the command) and exit with the
 * command's status.
 *
 * For developers, FUSS_VFSD_WRAP="valgrind --leak-check=full ..." runs
 * vfsd under that command: the forked child execs the wrapper on fuss
 * itself with the same arguments, and FUSS_VFSD_SHM_FD tells the new
 * process to be vfsd on the inherited segment. fuss then waits for vfsd
 * to finish its exit (a leak report) however long it takes.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "../vfsd/vfsd.h"
#include "audit.h"
#include "cli.h"
#include "log.h"
#include "tracer.h"

/* The vfsd child: sh runs `$FUSS_VFSD_WRAP fuss ARGS...`. 127 if it
 * cannot. */
static int exec_vfsd_wrapped(struct shm_region *shm, char **argv)
{
	char fdstr[16], self[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	int n = 0;

	while (argv[n])
		n++;
	char **args = calloc((size_t)n + 5, sizeof(*args));

	if (!args || len <= 0)
		return 127;
	self[len] = '\0';
	args[0] = (char *)"sh";
	args[1] = (char *)"-c";
	args[2] = (char *)"exec $FUSS_VFSD_WRAP \"$0\" \"$@\"";
	args[3] = self;
	for (int i = 1; i < n; i++)
		args[3 + i] = argv[i];
	snprintf(fdstr, sizeof(fdstr), "%d", shm->fd);
	fcntl(shm->fd, F_SETFD, 0);
	setenv("FUSS_VFSD_SHM_FD", fdstr, 1);
	execv("/bin/sh", args);
	fuss_err("cannot run FUSS_VFSD_WRAP: %s", strerror(errno));
	return 127;
}

static pid_t start_vfsd(struct fuss_config *cfg, struct shm_region *shm, char **argv)
{
	pid_t parent = getpid();
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	sigset_t none;

	/* Out of the terminal's process group: a Ctrl-C meant for the
	 * command must not kill vfsd. It stops on SIGTERM, and on SIGUSR1
	 * when fuss dies: it then ends the operation it is in, so no temp
	 * entry is left, and kills the threads fuss was handing over. */
	setpgid(0, 0);
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGTSTP, SIG_IGN);
	/* in a background group of the terminal: its log lines must not
	 * stop it under `stty tostop` */
	signal(SIGTTIN, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	prctl(PR_SET_PDEATHSIG, SIGUSR1);
	if (getppid() != parent)
		_exit(1);
	prctl(PR_SET_NAME, "fuss-vfsd");
	fuss_log_set_role("vfsd");
	if (getenv("FUSS_VFSD_WRAP"))
		_exit(exec_vfsd_wrapped(shm, argv));
	_exit(vfsd_main(cfg, shm));
}

/* main() of a process exec'd through FUSS_VFSD_WRAP: the command line was
 * checked by the parent already; the segment comes by its fd. */
static int main_vfsd(int argc, char **argv, int fd)
{
	struct fuss_config cfg;
	struct shm_region shm;
	int r;

	fuss_log_set_role("vfsd");
	if (fuss_cli_parse(argc, argv, &cfg) != 0)
		return 1;
	r = shm_region_attach(&shm, fd);
	close(fd);
	if (r == 0) {
		r = vfsd_main(&cfg, &shm);
		shm_region_detach(&shm);
	} else {
		fuss_err("cannot attach the shared segment: %s", strerror(-r));
		r = 1;
	}
	fuss_cli_free(&cfg);
	return r;
}

static int wait_vfsd_ready(struct shm_region *shm, pid_t vfsd)
{
	for (int i = 0; i < 20000; i++) {
		if (__atomic_load_n(&shm->hdr->vfsd_state, __ATOMIC_ACQUIRE) == SHM_VFSD_READY)
			return 0;
		if (waitpid(vfsd, NULL, WNOHANG) == vfsd)
			return -1;
		struct timespec ts = { 0, 500 * 1000 };
		nanosleep(&ts, NULL);
	}
	return -1;
}

static int run(struct fuss_config *cfg, char **argv);

/* Every tracee is gone: ask vfsd to stop, and make sure it does (unless
 * a wrapper is reporting on it). */
static void stop_vfsd(struct shm_region *shm, pid_t vfsd)
{
	shm_vfsd_stop(shm);
	kill(vfsd, SIGTERM);
	if (getenv("FUSS_VFSD_WRAP")) {
		waitpid(vfsd, NULL, 0);
		return;
	}
	/* It is gone within a millisecond, unless stuck: 2 s at most. */
	for (int i = 0; i < 10000; i++) {
		pid_t r = waitpid(vfsd, NULL, WNOHANG);

		if (r == vfsd || (r < 0 && errno == ECHILD))
			return;
		struct timespec ts = { 0, 200 * 1000 };
		nanosleep(&ts, NULL);
	}
	kill(vfsd, SIGKILL);
	waitpid(vfsd, NULL, 0);
}

int main(int argc, char **argv)
{
	const char *vfsd_fd = getenv("FUSS_VFSD_SHM_FD");
	struct fuss_config cfg;
	int r;

	fuss_log_init();
	if (vfsd_fd) {
		int fd = atoi(vfsd_fd);

		unsetenv("FUSS_VFSD_SHM_FD");
		return main_vfsd(argc, argv, fd);
	}
	r = fuss_cli_parse(argc, argv, &cfg);
	if (r == 0)
		r = run(&cfg, argv);
	else
		r = r > 0 ? 0 : FUSS_EXIT_USAGE;
	fuss_cli_free(&cfg);
	return r;
}

static int run(struct fuss_config *cfgp, char **argv)
{
	struct fuss_config cfg = *cfgp;
	struct shm_region shm;
	struct shm_params params = { 0 };
	sigset_t fwd;
	int r, status, fail_closed = 0;

	/* Blocked before any thread or child exists; the command and vfsd
	 * unblock them, the main thread forwards them (or, for the stop
	 * signals, follows the command's stop). */
	sigemptyset(&fwd);
	sigaddset(&fwd, SIGINT);
	sigaddset(&fwd, SIGTERM);
	sigaddset(&fwd, SIGHUP);
	sigaddset(&fwd, SIGQUIT);
	/* Stop signals: fuss stops when its command does (see worker.c). */
	sigaddset(&fwd, SIGTSTP);
	sigaddset(&fwd, SIGTTIN);
	sigaddset(&fwd, SIGTTOU);
	sigprocmask(SIG_BLOCK, &fwd, NULL);

	if (cfg.audit && (r = tr_audit_open(cfg.audit)) < 0) {
		fprintf(stderr, "fuss: --audit: %s: %s\n", cfg.audit, strerror(-r));
		return FUSS_EXIT_USAGE;
	}
	params.nworkers = (uint32_t)cfg.workers;
	params.dcache_nslots = shm_dcache_slots_for((uint64_t)cfg.cache_mb << 20);
	r = shm_region_create(&shm, &params);
	if (r < 0) {
		fprintf(stderr, "fuss: cannot create the shared segment: %s\n", strerror(-r));
		return 1;
	}
	/* vfsd inherits it through fork; the command must not see it. */
	fcntl(shm.fd, F_SETFD, FD_CLOEXEC);
	pid_t vfsd = start_vfsd(&cfg, &shm, argv);
	if (vfsd < 0) {
		fprintf(stderr, "fuss: cannot start vfsd: %s\n", strerror(errno));
		return 1;
	}
	if (wait_vfsd_ready(&shm, vfsd) < 0) {
		fprintf(stderr, "fuss: vfsd failed to start\n");
		kill(vfsd, SIGKILL);
		waitpid(vfsd, NULL, 0);
		return 1;
	}
	prctl(PR_SET_NAME, "fuss-tracer");
	status = tr_run_workers(&cfg, &shm, &fwd, vfsd, &fail_closed);
	stop_vfsd(&shm, vfsd);
	shm_alias_dir_remove(&shm); /* if vfsd could not */
	if (status == TR_NO_PTRACE)
		return FUSS_EXIT_NO_PTRACE;
	if (status < 0 && status > -4096) {
		fprintf(stderr, "fuss: cannot start %s: %s\n", cfg.argv[0], strerror(-status));
		return 1;
	}
	int code = WIFEXITED(status) ? WEXITSTATUS(status)
		   : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 1;
	/* The workers printed the one line about it when it happened. */
	if (fail_closed && code == 0)
		code = 1;
	return code;
}
