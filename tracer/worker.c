/*
 * Tracer workers. Each worker thread is the ptrace owner of its tracees and
 * waits only for them (__WALL | __WNOTHREAD). Worker 0 starts the command;
 * new children are auto-attached to their parent's worker. Tracees are
 * resumed with PTRACE_CONT, so only syscalls the seccomp filter traps stop;
 * a handler that needs the result asks for the exit stop.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "log.h"
#include "perm.h"
#include "worker.h"

struct tr_ctx tr;

#define TR_PTRACE_OPTS                                                         \
	(PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |    \
	 PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_TRACESECCOMP |    \
	 PTRACE_O_EXITKILL)

int tr_worker_id(const struct tr_worker *w)
{
	return w->id;
}

void tr_fail_closed(void)
{
	if (!__atomic_exchange_n(&tr.fail_closed, 1, __ATOMIC_ACQ_REL))
		fuss_err("vfsd is gone: changes to the overlay now fail with EIO");
}

static void resume(struct tr_thread *t, int req, int sig)
{
	if (ptrace(req, t->tid, 0, sig) < 0 && errno != ESRCH)
		fuss_warn("tid %d: ptrace resume: %s", t->tid, strerror(errno));
}

static void mark_done_if_idle(void)
{
	if (__atomic_load_n(&tr.live, __ATOMIC_ACQUIRE) != 0)
		return;
	pthread_mutex_lock(&tr.idle_lock);
	__atomic_store_n(&tr.done, 1, __ATOMIC_RELEASE);
	pthread_cond_broadcast(&tr.idle_cond);
	pthread_mutex_unlock(&tr.idle_lock);
}

/* Does the clone that produced this event share the address space? */
static bool clone_shares_vm(struct tr_thread *parent)
{
	struct arch_regs regs;

	if (arch_regs_get(parent->tid, &regs) < 0)
		return true;
	long nr = arch_sysno(&regs);
	unsigned long flags = arch_arg(&regs, 0);

#ifdef __NR_clone3
	if (nr == __NR_clone3) {
		uint64_t f;

		if (tr_mem_read(parent->tid, arch_arg(&regs, 0), &f, sizeof(f)) != sizeof(f))
			return true;
		flags = f;
	}
#endif
	return (flags & CLONE_VM) != 0;
}

static void on_new_child(struct tr_worker *w, struct tr_thread *t, int event)
{
	unsigned long msg = 0;
	struct tr_thread *c;

	if (ptrace(PTRACE_GETEVENTMSG, t->tid, 0, &msg) < 0)
		return;
	c = tr_thread_find((pid_t)msg);
	if (!c && !(c = tr_thread_add((pid_t)msg, w->id))) {
		fuss_err("out of memory tracking tid %lu", msg);
		return;
	}
	/* A raw clone(CLONE_VM) with SIGCHLD is reported as a fork. */
	if (event == PTRACE_EVENT_VFORK || clone_shares_vm(t))
		c->mm = t->mm ? tr_mm_get(t->mm) : tr_mm_new();
	else
		c->mm = tr_mm_fork(t->mm);
	c->linked = true;
	if (c->stopped_new) {
		c->stopped_new = false;
		resume(c, PTRACE_CONT, 0);
	}
}

static void on_exec(struct tr_thread *t)
{
	unsigned long former = 0;

	if (ptrace(PTRACE_GETEVENTMSG, t->tid, 0, &former) == 0 &&
	    (pid_t)former != t->tid) {
		/* A non-leader thread exec'd and took the leader's tid. */
		struct tr_thread *old = tr_thread_find((pid_t)former);

		if (old)
			tr_thread_del(old);
	}
	tr_thread_release_slot(t);
	tr_perm_forget(t); /* a set-id program changes them */
	if (t->mm)
		tr_mm_put(t->mm);
	t->mm = tr_mm_new();
	t->state = TR_T_RUNNING;
}

static void on_exit_status(struct tr_thread *t, pid_t pid, int st)
{
	if (pid == tr.root)
		__atomic_store_n(&tr.root_status, st, __ATOMIC_RELEASE);
	if (t)
		tr_thread_del(t);
	mark_done_if_idle();
}

static void on_stop(struct tr_worker *w, struct tr_thread *t, int st)
{
	int sig = WSTOPSIG(st), event = (unsigned)st >> 16;
	bool want_exit;

	switch (event) {
	case PTRACE_EVENT_SECCOMP:
		if (tr_dispatch_seccomp(w, t, &want_exit) < 0) {
			resume(t, PTRACE_CONT, 0);
			return;
		}
		resume(t, want_exit ? PTRACE_SYSCALL : PTRACE_CONT, 0);
		return;
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		on_new_child(w, t, event);
		resume(t, PTRACE_CONT, 0);
		return;
	case PTRACE_EVENT_EXEC:
		on_exec(t);
		resume(t, PTRACE_CONT, 0);
		return;
	case PTRACE_EVENT_STOP:
		if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) {
			/* group-stop: stay stopped, but let SIGCONT through */
			resume(t, PTRACE_LISTEN, 0);
			return;
		}
		if (!t->linked) {
			t->stopped_new = true;
			return;
		}
		resume(t, PTRACE_CONT, 0);
		return;
	case 0:
		if (sig == (SIGTRAP | 0x80)) {
			tr_dispatch_exit(w, t);
			resume(t, PTRACE_CONT, 0);
			return;
		}
		resume(t, PTRACE_CONT, sig);
		return;
	default:
		resume(t, PTRACE_CONT, 0);
	}
}

static void handle(struct tr_worker *w, pid_t pid, int st)
{
	struct tr_thread *t = tr_thread_find(pid);

	if (WIFEXITED(st) || WIFSIGNALED(st)) {
		on_exit_status(t, pid, st);
		return;
	}
	if (!WIFSTOPPED(st))
		return;
	if (!t) {
		/* A new child whose first stop beat its parent's event: keep
		 * it stopped until the event tells us its address space. */
		t = tr_thread_add(pid, w->id);
		if (!t)
			return;
		t->stopped_new = true;
		if (((unsigned)st >> 16) == PTRACE_EVENT_STOP)
			return;
	}
	on_stop(w, t, st);
}

static bool has_cap_sys_admin(void)
{
	cap_t caps = cap_get_proc();
	cap_flag_value_t v = CAP_CLEAR;

	if (caps) {
		cap_get_flag(caps, CAP_SYS_ADMIN, CAP_EFFECTIVE, &v);
		cap_free(caps);
	}
	return v == CAP_SET;
}

/* The child side of the start: wait until the tracer has seized us, then
 * install the filter and exec. Only async-signal-safe calls. */
static void __attribute__((noreturn)) child_start(int go_fd, int err_fd, char **argv,
						  bool admin)
{
	char c = 0;
	sigset_t none;

	if (read(go_fd, &c, 1) != 1 || c != 'g')
		_exit(127);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (!admin && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		goto fail_setup;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, arch_filter()) < 0)
		goto fail_setup;
	execvp(argv[0], argv);
	int e = errno;
	char msg[512];
	int n = snprintf(msg, sizeof(msg), "fuss: cannot run %s: %s\n", argv[0], strerror(e));
	if (write(err_fd, msg, (size_t)n) < 0) {
	}
	_exit(e == ENOENT ? 127 : 126);
fail_setup:;
	int se = errno;
	n = snprintf(msg, sizeof(msg),
		     "fuss: cannot install the seccomp filter: %s "
		     "(seccomp must be available: check the container's seccomp profile)\n",
		     strerror(se));
	if (write(err_fd, msg, (size_t)n) < 0) {
	}
	_exit(3);
}

static int spawn_root(char **argv)
{
	int go[2];
	pid_t pid;
	bool admin = has_cap_sys_admin();

	arch_filter(); /* build it before fork: the child must not allocate */
	if (pipe2(go, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		int e = errno;

		close(go[0]);
		close(go[1]);
		return -e;
	}
	if (pid == 0) {
		close(go[1]);
		child_start(go[0], STDERR_FILENO, argv, admin);
	}
	close(go[0]);
	if (ptrace(PTRACE_SEIZE, pid, 0, TR_PTRACE_OPTS) < 0) {
		int e = errno;

		fuss_err("cannot trace the command: ptrace: %s (fuss needs "
			 "ptrace: check kernel.yama.ptrace_scope and the "
			 "container's CAP_SYS_PTRACE / seccomp profile)", strerror(e));
		kill(pid, SIGKILL);
		close(go[1]);
		waitpid(pid, NULL, __WALL);
		return -e;
	}
	struct tr_thread *t = tr_thread_add(pid, 0);

	if (!t)
		return -ENOMEM;
	t->mm = tr_mm_new();
	t->linked = true;
	tr.root = pid;
	if (write(go[1], "g", 1) != 1) {
		close(go[1]);
		return -EIO;
	}
	close(go[1]);
	return 0;
}

static int start_err;

static void *worker_main(void *arg)
{
	struct tr_worker *w = arg;
	int st;

	snprintf(w->role, sizeof(w->role), "w%d", w->id);
	char tname[16];

	snprintf(tname, sizeof(tname), "fuss-w%d", w->id);
	pthread_setname_np(pthread_self(), tname);
	fuss_log_set_role(w->role);
	rcu_register_thread();
	if (w->id == 0) {
		int err = spawn_root(tr.cfg->argv);

		if (err < 0) {
			start_err = err;
			__atomic_store_n(&tr.done, 1, __ATOMIC_RELEASE);
			pthread_mutex_lock(&tr.idle_lock);
			pthread_cond_broadcast(&tr.idle_cond);
			pthread_mutex_unlock(&tr.idle_lock);
		}
	}
	for (;;) {
		rcu_thread_offline();
		pid_t pid = waitpid(-1, &st, __WALL | __WNOTHREAD);
		int e = errno;

		rcu_thread_online();
		if (pid > 0) {
			handle(w, pid, st);
			rcu_quiescent_state();
			continue;
		}
		if (e == EINTR)
			continue;
		/* No tracee of ours: leave when everything is over, else wait
		 * for work (a later balancing step may hand us tracees). */
		if (__atomic_load_n(&tr.done, __ATOMIC_ACQUIRE))
			break;
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 50 * 1000 * 1000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		rcu_thread_offline();
		pthread_mutex_lock(&tr.idle_lock);
		if (!__atomic_load_n(&tr.done, __ATOMIC_ACQUIRE))
			pthread_cond_timedwait(&tr.idle_cond, &tr.idle_lock, &ts);
		pthread_mutex_unlock(&tr.idle_lock);
		rcu_thread_online();
	}
	for (int i = 0; i < TR_DIRCACHE; i++)
		if (w->dirs[i].valid)
			layer_listing_free(&w->dirs[i].list);
	rcu_unregister_thread();
	return NULL;
}

static void forward_signals_until_done(const sigset_t *fwd, pid_t vfsd_pid)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	bool vfsd_reported = false;

	while (!__atomic_load_n(&tr.done, __ATOMIC_ACQUIRE)) {
		int sig = sigtimedwait(fwd, NULL, &ts);

		if (sig > 0 && tr.root > 0)
			kill(tr.root, sig);
		if (!vfsd_reported && vfsd_pid > 0 && waitpid(vfsd_pid, NULL, WNOHANG) == vfsd_pid) {
			vfsd_reported = true;
			__atomic_store_n(&tr.shm->hdr->vfsd_state, 2, __ATOMIC_RELEASE);
			tr_fail_closed();
		}
	}
}

int tr_run_workers(const struct fuss_config *cfg, struct shm_region *shm,
		   const sigset_t *fwd, pid_t vfsd_pid, int *fail_closed)
{
	int err;

	tr.cfg = cfg;
	tr.shm = shm;
	tr.nworkers = cfg->workers;
	tr.root_status = -1;
	pthread_mutex_init(&tr.idle_lock, NULL);
	pthread_cond_init(&tr.idle_cond, NULL);
	for (int i = 0; i < SHM_MAX_LAYERS; i++)
		tr.layer_fd[i] = -1;
	for (int i = 0; i < cfg->nlayers; i++) {
		if (!cfg->layer[i])
			continue;
		tr.layer_fd[i] = open(cfg->layer[i], O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (tr.layer_fd[i] < 0) {
			fuss_err("cannot open layer %s: %s", cfg->layer[i], strerror(errno));
			return -errno;
		}
	}
	err = tr_threads_init();
	if (err < 0)
		return err;
	/* Start liburcu's call_rcu thread here, so it is not named after
	 * (and counted as) the worker that would start it lazily. */
	get_default_call_rcu_data();
	tr.workers = calloc((size_t)tr.nworkers, sizeof(*tr.workers));
	if (!tr.workers)
		return -ENOMEM;
	for (int i = 0; i < tr.nworkers; i++) {
		tr.workers[i].id = i;
		err = pthread_create(&tr.workers[i].thread, NULL, worker_main, &tr.workers[i]);
		if (err) {
			fuss_err("cannot start worker %d: %s", i, strerror(err));
			return -err;
		}
	}
	forward_signals_until_done(fwd, vfsd_pid);
	for (int i = 0; i < tr.nworkers; i++)
		pthread_join(tr.workers[i].thread, NULL);
	*fail_closed = __atomic_load_n(&tr.fail_closed, __ATOMIC_ACQUIRE);
	if (start_err)
		return start_err;
	return tr.root_status;
}
