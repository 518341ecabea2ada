/*
 * Tracer workers. Each worker thread is the ptrace owner of its tracees and
 * waits only for them (__WALL | __WNOTHREAD). The main thread forks the
 * command and worker 0 traces it (see spawn_root); new children are auto-attached to their parent's worker, which may hand
 * them to the least-loaded worker at their first stop (see "Hand-over"
 * below). Tracees are resumed with PTRACE_CONT, so only syscalls the
 * seccomp filter traps stop; a handler that needs the result asks for the
 * exit stop.
 *
 * Hand-over of a new thread C from worker A to worker B (--balance=fork):
 *  1. A, at C's first stop (C has just returned from clone, not run a single
 *     instruction): saves C's registers and signal mask, blocks every
 *     signal (PTRACE_SETSIGMASK), and points C back at its clone syscall
 *     instruction with the number of a blocking call, pause() or the like
 *     (arch_park).
 *  2. A detaches. C runs the one instruction and sleeps in that call, which
 *     the seccomp filter lets through untraced; with every signal blocked
 *     nothing can wake it but SIGKILL (it dies: fine) or SIGSTOP (it stops:
 *     B finds it stopped). No handler runs, no syscall of C's own is made.
 *  3. A puts C's record in B's inbox and wakes B (a signal that breaks B
 *     out of waitid, see wait_event).
 *  4. B: PTRACE_SEIZE + PTRACE_INTERRUPT. At C's next stop B restores the
 *     saved registers (the clone's return) and mask, and resumes it. C
 *     goes on as if it had never stopped; signals sent meanwhile were
 *     held pending and are delivered then.
 * Threads of one process may thus live on different workers; each record
 * is touched only by its owner, and a record that another worker must drop
 * (a leader replaced by an exec in a thread) goes to its owner's inbox.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <setjmp.h>
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
#include "audit.h"
#include "cli.h"
#include "log.h"
#include "needs.h"
#include "perm.h"
#include "vfs.h"
#include "worker.h"

struct tr_ctx tr;

#ifndef PTRACE_GETSIGMASK
#define PTRACE_GETSIGMASK 0x420a
#define PTRACE_SETSIGMASK 0x420b
#endif

#define TR_PTRACE_OPTS                                                         \
	(PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |    \
	 PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_TRACESECCOMP |    \
	 PTRACE_O_EXITKILL)

int tr_worker_id(const struct tr_worker *w)
{
	return w->id;
}

/* The one line a run prints about a dead vfsd, whoever notices first. */
void tr_fail_closed(void)
{
	if (!__atomic_exchange_n(&tr.fail_closed, 1, __ATOMIC_ACQ_REL))
		fuss_err("vfsd died: changes to the overlay fail with EIO from now on, "
			 "and fuss will exit non-zero");
}

/* FUSS_LOG_LEVEL=debug: one line per stop, what it was and what was done. */
static void trace_line(pid_t tid, const char *stop, int sig, const char *action)
{
	char buf[512];
	struct fuss_line l;

	fuss_line_start(&l, buf, sizeof(buf), FUSS_LOG_DEBUG, "stop");
	fuss_line_fmt(&l, "tid=%d", tid);
	fuss_line_str(&l, "stop", stop);
	if (sig)
		fuss_line_fmt(&l, "sig=%d", sig);
	fuss_line_str(&l, "action", action);
	fuss_line_end(&l);
}

#define trace_stop(tid, stop, sig, action)                                    \
	do {                                                                   \
		if (fuss_log_on(FUSS_LOG_DEBUG))                               \
			trace_line(tid, stop, sig, action);                    \
	} while (0)

static void resume_tid(pid_t tid, int req, int sig)
{
	if (ptrace(req, tid, 0, sig) < 0 && errno != ESRCH)
		fuss_warn("tid %d: ptrace resume: %s", tid, strerror(errno));
}

static void resume(struct tr_thread *t, int req, int sig)
{
	resume_tid(t->tid, req, sig);
}

/* The main thread waits for signals to forward and for the end of the
 * run; the worker that ends the run wakes it with this signal, blocked in
 * every thread of fuss (the command starts with none blocked). */
#define TR_DONE_SIG (SIGRTMIN + 1)
static pthread_t main_thread;

/* The run is over: every worker and the main thread see it now. */
static void mark_done(void)
{
	pthread_mutex_lock(&tr.idle_lock);
	__atomic_store_n(&tr.done, 1, __ATOMIC_RELEASE);
	pthread_cond_broadcast(&tr.idle_cond);
	pthread_mutex_unlock(&tr.idle_lock);
	pthread_kill(main_thread, TR_DONE_SIG);
}

static void mark_done_if_idle(void)
{
	if (__atomic_load_n(&tr.live, __ATOMIC_ACQUIRE) != 0)
		return;
	mark_done();
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

/* --- Hand-over ------------------------------------------------------------ */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static bool inbox_pending(struct tr_worker *w)
{
	return __atomic_load_n(&w->inbox, __ATOMIC_ACQUIRE) != NULL;
}

static void inbox_push(int to, struct tr_thread *t)
{
	struct tr_worker *d = &tr.workers[to];

	pthread_mutex_lock(&d->inbox_lock);
	t->next = d->inbox;
	__atomic_store_n(&d->inbox, t, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&d->inbox_lock);
	/* Idle workers sleep on idle_cond (they look at their inbox under
	 * idle_lock); busy ones in waitid, which the signal breaks. */
	pthread_mutex_lock(&tr.idle_lock);
	pthread_cond_broadcast(&tr.idle_cond);
	pthread_mutex_unlock(&tr.idle_lock);
	pthread_kill(d->thread, SIGRTMIN);
}

/* The worker a new thread should go to: the one owning the fewest threads,
 * this one on a tie. */
static int pick_worker(struct tr_worker *w)
{
	int best = w->id, min = __atomic_load_n(&w->load, __ATOMIC_RELAXED);

	for (int i = 0; i < tr.nworkers; i++) {
		int l = __atomic_load_n(&tr.workers[i].load, __ATOMIC_RELAXED);

		if (l < min) {
			min = l;
			best = i;
		}
	}
	return best;
}

/* A parked thread is listed in the shared header while no worker traces
 * it, so that vfsd can kill it if fuss dies meanwhile. -1: the table is
 * full (the thread then stays on its worker). */
static int park_claim(pid_t tid)
{
	for (int i = 0; i < SHM_MAX_PARKED; i++) {
		int32_t free_slot = 0;

		if (__atomic_compare_exchange_n(&tr.shm->hdr->parked[i], &free_slot, tid, false,
						__ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
			return i;
	}
	return -1;
}

static void park_release(struct tr_thread *t)
{
	__atomic_store_n(&tr.shm->hdr->parked[t->park_slot], 0, __ATOMIC_RELEASE);
}

/* Steps 1-3 of the hand-over. False when C must stay here (nothing was
 * changed in C then, or it was put back). */
static bool hand_over(struct tr_worker *w, struct tr_thread *c, int to)
{
	struct arch_regs regs;
	unsigned char insn[8];
	uint64_t all = ~0ull;

	if (arch_regs_get(c->tid, &c->park) < 0)
		return false;
	if (ptrace(PTRACE_GETSIGMASK, c->tid, sizeof(c->park_mask), &c->park_mask) < 0)
		return false;
	regs = c->park;
	if (tr_mem_read(c->tid, arch_park_insn_addr(&regs), insn, arch_park_insn_len) !=
	    (ssize_t)arch_park_insn_len || !arch_park(&regs, insn))
		return false;
	if ((c->park_slot = park_claim(c->tid)) < 0)
		return false;
	if (ptrace(PTRACE_SETSIGMASK, c->tid, sizeof(all), &all) < 0) {
		park_release(c);
		return false;
	}
	if (arch_regs_set(c->tid, &regs) < 0)
		goto put_back;
	c->adopting = true;
	__atomic_sub_fetch(&w->load, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&tr.workers[to].load, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&c->worker, to, __ATOMIC_RELEASE);
	if (ptrace(PTRACE_DETACH, c->tid, 0, 0) < 0) {
		/* Killed meanwhile: it stays ours and its death comes here. */
		__atomic_store_n(&c->worker, w->id, __ATOMIC_RELEASE);
		__atomic_sub_fetch(&tr.workers[to].load, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&w->load, 1, __ATOMIC_RELAXED);
		c->adopting = false;
		arch_regs_set(c->tid, &c->park);
		goto put_back;
	}
	/* From here on C belongs to `to`: not a field of it is touched. */
	w->handed++;
	if (fuss_log_on(FUSS_LOG_DEBUG)) {
		char what[32];

		snprintf(what, sizeof(what), "handed to w%d", to);
		trace_line(c->tid, "first-stop", 0, what);
	}
	inbox_push(to, c);
	return true;
put_back:
	ptrace(PTRACE_SETSIGMASK, c->tid, sizeof(c->park_mask), &c->park_mask);
	park_release(c);
	return false;
}

/* A new child is linked and at its first stop: start it here or there. */
static void child_ready(struct tr_worker *w, struct tr_thread *c)
{
	c->fresh = false;
	if (tr.cfg->balance == FUSS_BAL_FORK && tr.nworkers > 1) {
		int to = pick_worker(w);

		if (to != w->id && hand_over(w, c, to))
			return;
	}
	resume(c, PTRACE_CONT, 0);
	trace_stop(c->tid, "first-stop", 0, "cont");
}

/* Step 4 for every thread in our inbox; records only to be freed too. */
static void inbox_take(struct tr_worker *w)
{
	struct tr_thread *t, *next;

	if (!inbox_pending(w))
		return;
	pthread_mutex_lock(&w->inbox_lock);
	t = w->inbox;
	__atomic_store_n(&w->inbox, NULL, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&w->inbox_lock);
	for (; t; t = next) {
		next = t->next;
		if (t->reap) {
			tr_thread_free(t);
			mark_done_if_idle();
			continue;
		}
		int seized = ptrace(PTRACE_SEIZE, t->tid, 0, TR_PTRACE_OPTS);

		/* Traced again (or gone): fuss's death now kills it. */
		park_release(t);
		if (seized < 0 || ptrace(PTRACE_INTERRUPT, t->tid, 0, 0) < 0) {
			/* Killed while parked: its parent reaps it, untraced. */
			fuss_debug("tid %d: gone before it was taken over: %s", t->tid,
				   strerror(errno));
			tr_thread_del(t);
			mark_done_if_idle();
			continue;
		}
		w->adopted++;
		trace_stop(t->tid, "taken-over", 0, "seize, interrupt");
	}
}

/* The first stop of a thread taken over: give it back its own state. */
static void adopt_stop(struct tr_thread *t)
{
	t->adopting = false;
	if (arch_regs_set(t->tid, &t->park) < 0 ||
	    ptrace(PTRACE_SETSIGMASK, t->tid, sizeof(t->park_mask), &t->park_mask) < 0) {
		/* ESRCH: killed at this stop (an exec in another thread, say) */
		if (errno == ESRCH)
			fuss_debug("tid %d: killed as it was taken over", t->tid);
		else
			fuss_warn("tid %d: cannot restore its state after a hand-over: %s",
				  t->tid, strerror(errno));
	}
}

/* Drop a record that may belong to another worker. */
static void drop_record(struct tr_worker *w, struct tr_thread *t)
{
	int owner = __atomic_load_n(&t->worker, __ATOMIC_ACQUIRE);

	if (owner == w->id) {
		tr_thread_del(t);
		return;
	}
	tr_thread_unlink(t);
	t->reap = true;
	inbox_push(owner, t);
}

static void on_new_child(struct tr_worker *w, struct tr_thread *t, int event)
{
	unsigned long msg = 0;
	struct tr_thread *c;

	if (ptrace(PTRACE_GETEVENTMSG, t->tid, 0, &msg) < 0)
		return;
	c = tr_thread_find((pid_t)msg);
	if (!c) {
		c = tr_thread_add((pid_t)msg, w->id);
		if (!c) {
			fuss_err("out of memory tracking tid %lu", msg);
			return;
		}
		c->fresh = true;
	}
	/* A raw clone(CLONE_VM) with SIGCHLD is reported as a fork. */
	if (event == PTRACE_EVENT_VFORK || clone_shares_vm(t))
		c->mm = t->mm ? tr_mm_get(t->mm) : tr_mm_new();
	else
		c->mm = tr_mm_fork(t->mm);
	c->linked = true;
	if (c->stopped_new) {
		c->stopped_new = false;
		child_ready(w, c);
	}
}

/* PTRACE_EVENT_EXEC of `pid`. When a non-leader thread exec'd, it took the
 * leader's tid: `t` is then the old leader's record (maybe another
 * worker's, or NULL), and the thread's own record is under its former
 * tid. Returns the record to go on with. */
static struct tr_thread *exec_record(struct tr_worker *w, struct tr_thread *t, pid_t pid)
{
	unsigned long former = 0;
	struct tr_thread *x;

	if (ptrace(PTRACE_GETEVENTMSG, pid, 0, &former) < 0 || (pid_t)former == pid)
		return t;
	if (t)
		drop_record(w, t);
	x = tr_thread_find((pid_t)former);
	if (x)
		tr_thread_del(x);
	t = tr_thread_add(pid, w->id);
	if (t)
		t->linked = true;
	return t;
}

static void on_exec(struct tr_thread *t)
{
	if (tr_audit_on())
		tr_audit_exec(t);
	tr_thread_release_slot(t);
	tr_perm_forget(t); /* a set-id program changes them */
	if (t->mm)
		tr_mm_put(t->mm);
	t->mm = tr_mm_new();
	t->state = TR_T_RUNNING;
}

static void on_exit_status(struct tr_worker *w, struct tr_thread *t, pid_t pid, int st)
{
	trace_stop(pid, WIFEXITED(st) ? "exited" : "killed", WIFSIGNALED(st) ? WTERMSIG(st) : 0,
		   t ? "forget" : "none");
	if (pid == tr.root)
		__atomic_store_n(&tr.root_status, st, __ATOMIC_RELEASE);
	/* Another worker's record: the pid is that worker's live thread now
	 * (see handle), this was the old leader's end. */
	if (t && __atomic_load_n(&t->worker, __ATOMIC_ACQUIRE) == w->id)
		tr_thread_del(t);
	mark_done_if_idle();
}

static void on_stop(struct tr_worker *w, struct tr_thread *t, int st)
{
	int sig = WSTOPSIG(st), event = (unsigned)st >> 16;
	bool want_exit;

	/* Any stop after a group-stop means it has ended (or is reported
	 * again below). */
	__atomic_store_n(&t->group_stop, 0, __ATOMIC_RELEASE);
	if (t->adopting) {
		adopt_stop(t);
		if (event == PTRACE_EVENT_STOP && sig == SIGTRAP) {
			resume(t, PTRACE_CONT, 0); /* our interrupt */
			trace_stop(t->tid, "adopt", 0, "state restored, cont");
			return;
		}
	}
	switch (event) {
	case PTRACE_EVENT_SECCOMP:
		if (tr_dispatch_seccomp(w, t, &want_exit) < 0) {
			resume(t, PTRACE_CONT, 0);
			trace_stop(t->tid, "seccomp", 0, "not handled, cont");
			return;
		}
		resume(t, want_exit ? PTRACE_SYSCALL : PTRACE_CONT, 0);
		trace_stop(t->tid, "seccomp", 0, want_exit ? "syscall (exit stop wanted)" : "cont");
		return;
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		on_new_child(w, t, event);
		resume(t, PTRACE_CONT, 0);
		trace_stop(t->tid, event == PTRACE_EVENT_FORK ? "fork" :
			   event == PTRACE_EVENT_VFORK ? "vfork" : "clone", 0, "child linked, cont");
		return;
	case PTRACE_EVENT_EXEC:
		on_exec(t);
		resume(t, PTRACE_CONT, 0);
		trace_stop(t->tid, "exec", 0, "new address space, cont");
		return;
	case PTRACE_EVENT_STOP:
		if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) {
			/* Group-stop of a seized tracee: PTRACE_CONT would
			 * let it run on, so PTRACE_LISTEN keeps it stopped
			 * (its parent's waitpid(WUNTRACED) sees the stop)
			 * while SIGCONT still wakes it; it then traps again
			 * with SIGTRAP and is resumed below. */
			__atomic_store_n(&t->group_stop, sig, __ATOMIC_RELEASE);
			resume(t, PTRACE_LISTEN, 0);
			trace_stop(t->tid, "group-stop", sig, "listen");
			return;
		}
		if (!t->linked) {
			t->stopped_new = true;
			trace_stop(t->tid, "first-stop", 0, "held until its parent's event");
			return;
		}
		if (t->fresh) {
			child_ready(w, t);
			return;
		}
		resume(t, PTRACE_CONT, 0);
		trace_stop(t->tid, "event-stop", sig, "cont");
		return;
	case 0:
		if (sig == (SIGTRAP | 0x80)) {
			tr_dispatch_exit(w, t);
			resume(t, PTRACE_CONT, 0);
			trace_stop(t->tid, "syscall-exit", 0, "result handled, cont");
			return;
		}
		resume(t, PTRACE_CONT, sig);
		trace_stop(t->tid, "signal", sig, "delivered, cont");
		return;
	default:
		resume(t, PTRACE_CONT, 0);
		trace_stop(t->tid, "other", sig, "cont");
	}
}

/* Is tid a tracee of this thread, stopped? (ptrace refuses anything else) */
static bool stopped_here(pid_t tid)
{
	unsigned long msg;

	return ptrace(PTRACE_GETEVENTMSG, tid, 0, &msg) == 0;
}

static void handle(struct tr_worker *w, pid_t pid, int st)
{
	struct tr_thread *t = tr_thread_find(pid);

	if (WIFEXITED(st) || WIFSIGNALED(st)) {
		on_exit_status(w, t, pid, st);
		return;
	}
	if (!WIFSTOPPED(st))
		return;
	if (((unsigned)st >> 16) == PTRACE_EVENT_EXEC) {
		t = exec_record(w, t, pid);
		if (!t) {
			resume_tid(pid, PTRACE_CONT, 0);
			return;
		}
	} else if ((!t || __atomic_load_n(&t->worker, __ATOMIC_ACQUIRE) != w->id) &&
		   !stopped_here(pid)) {
		/* Another worker's record, or none, and ptrace refuses the
		 * tid: the tid was ours, a leader replaced by an exec in one of
		 * its threads that another worker traces. This stop was
		 * collected before the exec killed that leader, and the other
		 * worker has handled the exec since (or is swapping the
		 * records); the stop's thread is gone. */
		trace_stop(pid, "stale", WSTOPSIG(st), "not a stopped tracee of ours, ignored");
		return;
	}
	if (!t) {
		/* A new child whose first stop beat its parent's event: keep
		 * it stopped until the event tells us its address space. */
		t = tr_thread_add(pid, w->id);
		if (!t)
			return;
		t->fresh = true;
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

	/* Traced already: the tracer takes this status for the command's,
	 * so fuss exits with it, as when ptrace is refused. */
	char why[400];

	tr_needs_seccomp_msg(why, sizeof(why), se);
	n = snprintf(msg, sizeof(msg), "fuss: %s\n", why);
	if (n > (int)sizeof(msg) - 1)
		n = (int)sizeof(msg) - 1;
	if (write(err_fd, msg, (size_t)n) < 0) {
	}
	_exit(FUSS_EXIT_NO_PTRACE);
}

/* The command is forked by the main thread, which never waits for it: a
 * worker that was its parent would see its stops as a parent does (the
 * kernel shows the stops of a child traced by the parent's own thread
 * group to the parent), and steal them from the worker tracing it once it
 * is handed over, or once a thread of it that another worker traces execs. */
static int root_go_fd = -1;
static int root_pidfd = -1;
static pthread_barrier_t start_barrier;
static int start_err;

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
	tr.root = pid;
	root_go_fd = go[1];
	root_pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	return 0;
}

/* Worker 0: trace the command and let it go on. */
static int attach_root(void)
{
	pid_t pid = tr.root;
	int go = root_go_fd;

	root_go_fd = -1;
	if (ptrace(PTRACE_SEIZE, pid, 0, TR_PTRACE_OPTS) < 0) {
		struct tr_host host;
		char msg[512];
		int e = errno;

		tr_host_probe(&host);
		tr_needs_ptrace_msg(msg, sizeof(msg), e, &host);
		fprintf(stderr, "fuss: %s\n", msg);
		kill(pid, SIGKILL);
		close(go);
		waitpid(pid, NULL, __WALL);
		return TR_NO_PTRACE;
	}
	struct tr_thread *t = tr_thread_add(pid, 0);

	if (!t) {
		kill(pid, SIGKILL);
		close(go);
		return -ENOMEM;
	}
	t->mm = tr_mm_new();
	t->linked = true;
	if (write(go, "g", 1) != 1) {
		close(go);
		return -EIO;
	}
	close(go);
	return 0;
}

/* --- Waiting --------------------------------------------------------------- */

/* A worker blocks in waitid for its own tracees; another worker that hands
 * it a thread sends it SIGRTMIN. The handler jumps out of the wait only
 * while the worker is between its inbox check and the end of waitid and no
 * event was reported yet (waitid writes si_pid only when it reports one):
 * so a hand-over is never left waiting for an unrelated event, and an
 * event is never dropped. */
static __thread siginfo_t wait_si;
static __thread sigjmp_buf wake_jb;
static __thread volatile sig_atomic_t wake_armed;

static void on_wake(int sig)
{
	(void)sig;
	if (wake_armed && *(volatile pid_t *)&wait_si.si_pid == 0) {
		wake_armed = 0;
		siglongjmp(wake_jb, 1);
	}
}

/* The wait status waitpid would give for what waitid reported. */
static int status_of(const siginfo_t *si)
{
	switch (si->si_code) {
	case CLD_EXITED:
		return (si->si_status & 0xff) << 8;
	case CLD_KILLED:
		return si->si_status & 0x7f;
	case CLD_DUMPED:
		return (si->si_status & 0x7f) | 0x80;
	default: /* CLD_TRAPPED, CLD_STOPPED: the ptrace event is in bits 8+ */
		return (si->si_status << 8) | 0x7f;
	}
}

/*
 * Before blocking, a worker whose tracees stopped again soon after their
 * last resume polls for the next event for up to tr_spin_ns: the stop is
 * then taken without waking a sleeping thread, which on a VM costs about
 * as much as the stop itself (a cross-CPU wake-up). A poll that finds
 * nothing turns spinning off until an event again comes that soon, so a
 * workload that makes few syscalls (a compiler) costs no CPU. 1 with the
 * result of waitid in *r, 0 when nothing came, -1 when the inbox needs a
 * look.
 */
#ifdef __SANITIZE_THREAD__
/* ThreadSanitizer runs signal handlers at its own points, not when the
 * kernel delivers them: a polling worker then misses the hand-over
 * wake-up in the blocking wait that follows (make check-tsan hangs). The
 * polling path is checked by the normal build's stress runs. */
long tr_spin_ns = 0;
#else
long tr_spin_ns = 30000;
#endif

/* Polling takes a CPU, so it pays only where a CPU would idle meanwhile:
 * with more runnable threads than CPUs (this one counted: a parallel build
 * keeps every CPU busy) the poll would take its time from a program.
 * /proc/loadavg's fourth field counts them system-wide; it is read at most
 * every millisecond. Without it, polling goes on as configured. */
static int loadavg_fd = -1;
static long online_cpus = 1;

static bool cpu_to_spare(struct tr_worker *w, uint64_t now)
{
	char buf[128];
	ssize_t n;

	if (loadavg_fd < 0)
		return true;
	if (now - w->spare_at < 1000000)
		return w->spare;
	w->spare_at = now;
	n = pread(loadavg_fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return w->spare = true;
	buf[n] = '\0';
	long runnable = tr_loadavg_runnable(buf);

	w->spare = runnable < 0 || runnable <= online_cpus;
	return w->spare;
}

long tr_loadavg_runnable(const char *text)
{
	long n;

	return sscanf(text, "%*s %*s %*s %ld/", &n) == 1 ? n : -1;
}

static int spin_for(struct tr_worker *w, uint64_t t0, long *r)
{
	if (!cpu_to_spare(w, t0))
		return 0;
	do {
		*r = syscall(SYS_waitid, P_ALL, 0, &wait_si,
			     WEXITED | WSTOPPED | WNOHANG | __WALL | __WNOTHREAD, NULL);
		if (*r < 0 || wait_si.si_pid > 0)
			return 1;
		if (inbox_pending(w))
			return -1;
	} while (now_ns() - t0 < (uint64_t)tr_spin_ns);
	w->spin = false;
	return 0;
}

/* The next event of our tracees: its pid, 0 when the inbox needs a look,
 * or -errno (ECHILD: no tracee). */
static pid_t wait_event(struct tr_worker *w, int *st)
{
	long r;

	wait_si.si_pid = 0;
	if (sigsetjmp(wake_jb, 0))
		return 0;
	if (inbox_pending(w))
		return 0;
	uint64_t t0 = now_ns();
	/* Polling is not armed for the wake-up: it looks at the inbox itself
	 * (a handler jumping out of it, where a sanitizer runs handlers at
	 * its own points, could leave its state half-done). */
	int spun = w->spin ? spin_for(w, t0, &r) : 0;

	if (spun < 0)
		return 0;
	if (spun > 0)
		goto got;
	wait_si.si_pid = 0;
	wake_armed = 1;
	if (inbox_pending(w)) {
		wake_armed = 0;
		return 0;
	}
	r = syscall(SYS_waitid, P_ALL, 0, &wait_si, WEXITED | WSTOPPED | __WALL | __WNOTHREAD,
		    NULL);
	/* An event this soon after the last one: the tracees are busy with
	 * syscalls, spin next time. */
	w->spin = tr_spin_ns > 0 && now_ns() - t0 < (uint64_t)tr_spin_ns;
got:
	wake_armed = 0;
	if (r < 0)
		return -errno;
	if (wait_si.si_pid <= 0)
		return 0;
	*st = status_of(&wait_si);
	return wait_si.si_pid;
}

static void *worker_main(void *arg)
{
	struct tr_worker *w = arg;
	int st = 0;

	snprintf(w->role, sizeof(w->role), "w%d", w->id);
	strcpy(w->missed, "/");
	char tname[16];

	snprintf(tname, sizeof(tname), "fuss-w%d", w->id);
	pthread_setname_np(pthread_self(), tname);
	fuss_log_set_role(w->role);
	if (fuss_log_on(FUSS_LOG_INTERCEPT) && !(w->lg = calloc(1, sizeof(*w->lg))))
		fuss_warn("out of memory: no intercept lines from this worker");
	w->observe = tr.cfg->stats || w->lg;
	rcu_register_thread();
	/* Hand-overs need every worker's pthread_t. */
	pthread_barrier_wait(&start_barrier);
	if (w->id == 0) {
		int err = attach_root();

		if (err < 0) {
			start_err = err;
			mark_done();
		}
	}
	for (;;) {
		inbox_take(w);
		rcu_thread_offline();
		pid_t pid = wait_event(w, &st);

		rcu_thread_online();
		if (pid > 0) {
			uint64_t t0 = tr.cfg->stats ? now_ns() : 0;

			handle(w, pid, st);
			w->stops++;
			if (t0) {
				uint64_t ns = now_ns() - t0;

				w->busy_ns += ns;
				w->sys[w->cur_sys].ns += ns;
				w->cur_sys = FUSS_SYS_none;
			}
			rcu_quiescent_state();
			continue;
		}
		if (pid == 0 || pid == -EINTR)
			continue;
		/* No tracee of ours: leave when everything is over, else wait
		 * for a thread handed to us. */
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
		if (!__atomic_load_n(&tr.done, __ATOMIC_ACQUIRE) && !inbox_pending(w))
			pthread_cond_timedwait(&tr.idle_cond, &tr.idle_lock, &ts);
		pthread_mutex_unlock(&tr.idle_lock);
		rcu_thread_online();
	}
	for (int i = 0; i < TR_DIRCACHE; i++)
		if (w->dirs[i].valid)
			layer_listing_free(&w->dirs[i].list);
	tr_fdcache_drop(w);
	tr_plain_drop(w);
	free(w->lg);
	rcu_unregister_thread();
	return NULL;
}

/* SIGINT, SIGTERM, SIGHUP, SIGQUIT sent to fuss: to the command while it
 * lives (through a pidfd: its pid may be reused once it is reaped), then to
 * every process it left running, so that `timeout fuss ...` still ends a
 * run kept alive by orphans. */
static void forward_signal(int sig)
{
	struct cds_lfht_iter it;
	struct cds_lfht_node *n;

	if (__atomic_load_n(&tr.root_status, __ATOMIC_ACQUIRE) == -1) {
		if (root_pidfd >= 0 ? syscall(SYS_pidfd_send_signal, root_pidfd, sig, NULL, 0) == 0
				    : kill(tr.root, sig) == 0)
			return;
	}
	rcu_thread_online();
	rcu_read_lock();
	/* Not cds_lfht_for_each_entry: its end test comes after a
	 * container_of of NULL, which is undefined (UBSan stops there). */
	cds_lfht_first(tr.threads, &it);
	while ((n = cds_lfht_iter_get_node(&it))) {
		kill(caa_container_of(n, struct tr_thread, node)->tid, sig);
		cds_lfht_next(tr.threads, &it);
	}
	rcu_read_unlock();
	rcu_thread_offline();
}

/* --- Job control ----------------------------------------------------------
 *
 * A stop signal from the terminal (Ctrl-Z, a background read or write) or
 * from killpg reaches every process of the job's process group: fuss and,
 * unless the command made its own group, the command. If fuss stopped at
 * once (the default action), its workers would stop with it, and a tracee
 * whose stop signal was still to be delivered (a signal-delivery-stop the
 * stopped tracer cannot answer) would take it only after the shell's fg
 * sent SIGCONT: a program that catches SIGTSTP (less, vim) then runs its
 * handler, which restores the terminal and stops itself for real, after
 * the SIGCONT meant to wake it; it stays stopped and the shell waits for
 * fuss forever. So fuss blocks these signals and stops itself only when its
 * command has stopped, as the shell would have seen the command stop
 * without fuss: once the root tracee and every tracee of fuss's process
 * group are in a group-stop (or 1 s after the root stopped, when some
 * process ignores the signal), with the root's stop signal. If the root
 * does not stop within 2 s (it ignores the signal), neither does fuss. */
struct job_stop {
	int sig;          /* the stop signal fuss got, 0 = none pending */
	uint64_t since;   /* when it came */
	uint64_t root_at; /* when the root was first seen stopped, 0 = not yet */
};

static bool stop_signal(int sig)
{
	return sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

/* The root's stop signal (0 if it is not in a group-stop); *all: every
 * tracee of fuss's process group is in a group-stop. */
static int job_scan(bool *all)
{
	struct cds_lfht_iter it;
	struct cds_lfht_node *n;
	pid_t pgrp = getpgrp();
	int root_sig = 0;

	*all = true;
	rcu_thread_online();
	rcu_read_lock();
	cds_lfht_first(tr.threads, &it);
	while ((n = cds_lfht_iter_get_node(&it))) {
		struct tr_thread *t = caa_container_of(n, struct tr_thread, node);
		int sig = __atomic_load_n(&t->group_stop, __ATOMIC_ACQUIRE);

		if (t->tid == tr.root)
			root_sig = sig;
		if (!sig && *all && getpgid(t->tid) == pgrp)
			*all = false;
		cds_lfht_next(tr.threads, &it);
	}
	rcu_read_unlock();
	rcu_thread_offline();
	return root_sig;
}

/* Stop the whole of fuss with sig, as the default action would have;
 * returns once fuss is continued. A stop signal to an orphaned process
 * group is discarded by the kernel, for fuss as for the command. */
static void stop_self(int sig)
{
	sigset_t one;

	if (sig == SIGSTOP) {
		kill(getpid(), SIGSTOP);
		return;
	}
	sigemptyset(&one);
	sigaddset(&one, sig);
	raise(sig); /* pending on this thread, where it is blocked */
	pthread_sigmask(SIG_UNBLOCK, &one, NULL);
	pthread_sigmask(SIG_BLOCK, &one, NULL);
}

static void job_stop_step(struct job_stop *js)
{
	uint64_t now = now_ns();
	bool all;
	int root_sig = job_scan(&all);

	if (!root_sig) {
		js->root_at = 0;
		if (now - js->since > 2000000000ull)
			js->sig = 0;
		return;
	}
	if (!js->root_at)
		js->root_at = now;
	if (!all && now - js->root_at < 1000000000ull)
		return;
	js->sig = 0;
	stop_self(root_sig);
}

/* A signal the terminal sent (Ctrl-C, Ctrl-\, a hangup: SI_KERNEL) went
 * to fuss's whole process group: if the command is in it, it has its own
 * copy, and a forwarded second one could run its handler twice. */
static bool tty_reached_root(const siginfo_t *si)
{
	return si->si_code == SI_KERNEL &&
	       __atomic_load_n(&tr.root_status, __ATOMIC_ACQUIRE) == -1 &&
	       getpgid(tr.root) == getpgrp();
}

/* vfsd died (reaped here, once): fail closed from now on. */
static void check_vfsd(pid_t vfsd_pid)
{
	if (vfsd_pid > 0 && !__atomic_load_n(&tr.fail_closed, __ATOMIC_ACQUIRE) &&
	    waitpid(vfsd_pid, NULL, WNOHANG) == vfsd_pid) {
		__atomic_store_n(&tr.shm->hdr->vfsd_state, SHM_VFSD_GONE, __ATOMIC_RELEASE);
		tr_fail_closed();
	}
}

static void forward_signals_until_done(const sigset_t *fwd, pid_t vfsd_pid)
{
	const struct timespec idle = { 0, 100 * 1000 * 1000 }, stopping = { 0, 10 * 1000 * 1000 };
	struct job_stop js = { 0 };
	sigset_t set = *fwd;

	sigaddset(&set, TR_DONE_SIG);
	while (!__atomic_load_n(&tr.done, __ATOMIC_ACQUIRE)) {
		siginfo_t si;
		int sig = sigtimedwait(&set, &si, js.sig ? &stopping : &idle);

		if (sig == TR_DONE_SIG)
			continue;

		if (stop_signal(sig) && !js.sig)
			js = (struct job_stop){ sig, now_ns(), 0 };
		else if (sig > 0 && !stop_signal(sig) && !tty_reached_root(&si))
			forward_signal(sig);
		if (js.sig)
			job_stop_step(&js);
		/* A hand-over whose wake-up was missed (it cannot be, but a
		 * sanitizer may defer signals) is picked up within 100 ms. */
		for (int i = 0; i < tr.nworkers; i++)
			if (inbox_pending(&tr.workers[i]))
				pthread_kill(tr.workers[i].thread, SIGRTMIN);
		check_vfsd(vfsd_pid);
	}
	/* A death since the last look still fails the run. */
	check_vfsd(vfsd_pid);
}

int tr_run_workers(const struct fuss_config *cfg, struct shm_region *shm,
		   const sigset_t *fwd, pid_t vfsd_pid, int *fail_closed)
{
	int err;

	tr_spin_ns = shm_spin_env_ns(tr_spin_ns);
	if (tr_spin_ns > 0) {
		cpu_set_t set;

		loadavg_fd = open("/proc/loadavg", O_RDONLY | O_CLOEXEC);
		online_cpus = sched_getaffinity(0, sizeof(set), &set) == 0 ? CPU_COUNT(&set)
									 : sysconf(_SC_NPROCESSORS_ONLN);
		if (online_cpus < 1)
			online_cpus = 1;
	}
	tr.cfg = cfg;
	tr.vfs = tr_vfs_find(cfg->vfs ? cfg->vfs : "overlay");
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
	struct sigaction sa = { .sa_handler = on_wake, .sa_flags = SA_NODEFER };
	sigset_t done_sig;

	sigemptyset(&done_sig);
	sigaddset(&done_sig, TR_DONE_SIG);
	pthread_sigmask(SIG_BLOCK, &done_sig, NULL);
	main_thread = pthread_self();

	/* No SA_RESTART: the wake-up must break waitid. SA_NODEFER: the
	 * handler jumps out, so the signal must not stay blocked. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGRTMIN, &sa, NULL);
	err = spawn_root(cfg->argv);
	if (err < 0)
		return err;
	for (int i = 0; i < tr.nworkers; i++)
		pthread_mutex_init(&tr.workers[i].inbox_lock, NULL);
	pthread_barrier_init(&start_barrier, NULL, (unsigned)tr.nworkers + 1);
	for (int i = 0; i < tr.nworkers; i++) {
		tr.workers[i].id = i;
		err = pthread_create(&tr.workers[i].thread, NULL, worker_main, &tr.workers[i]);
		if (err) {
			fuss_err("cannot start worker %d: %s", i, strerror(err));
			kill(tr.root, SIGKILL);
			_exit(1);
		}
	}
	pthread_barrier_wait(&start_barrier);
	rcu_register_thread();
	rcu_thread_offline();
	forward_signals_until_done(fwd, vfsd_pid);
	rcu_thread_online();
	rcu_unregister_thread();
	if (root_pidfd >= 0)
		close(root_pidfd);
	for (int i = 0; i < tr.nworkers; i++)
		pthread_join(tr.workers[i].thread, NULL);
	if (cfg->stats)
		tr_stats_print();
	*fail_closed = __atomic_load_n(&tr.fail_closed, __ATOMIC_ACQUIRE);
	if (start_err)
		return start_err;
	return tr.root_status;
}
