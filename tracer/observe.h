/*
 * Observing a run: the intercept log line of each seccomp stop
 * (FUSS_LOG_LEVEL=intercept) and the --stats counters. The helpers that
 * read, resolve and rewrite a call's paths note what they saw in the
 * worker's struct tr_logcall, only while intercept logging is on (c->lg set
 * for the stop); the dispatcher then writes one line and counts the stop.
 */
#ifndef FUSS_OBSERVE_H
#define FUSS_OBSERVE_H

#include "resolve.h"

/* What outcome a stop had, for the log and --stats. */
enum tr_outcome {
	TR_OUT_PASSED = 0,     /* the kernel ran the call as the program made it */
	TR_OUT_REWRITTEN,      /* arguments changed, or the result fixed up */
	TR_OUT_EMULATED,       /* answered by fuss (or vfsd), not run */
	TR_OUT_ERROR,          /* refused with an errno */
	TR_OUT_N
};

/* Slot 0: the call's path (or what its fd names); slot 1: the second path
 * of rename, link (the new name) and symlink (the target text). */
struct tr_logcall {
	bool has_path[2], has_vfs[2], has_real[2], has_host[2];
	char path[2][PATH_MAX];
	char vfs[2][PATH_MAX];    /* "/" + the overlay-relative path */
	char real[2][PATH_MAX];   /* handed to the kernel */
	char host[2][PATH_MAX];   /* outside the overlay */
	struct arch_regs orig;    /* the stop's registers, before the handler */
};

/* Per-syscall --stats counters of one worker. */
struct tr_sysstat {
	uint64_t stops;           /* seccomp stops, restarts included */
	uint64_t out[TR_OUT_N];
	uint64_t ns;              /* tracer time, its exit stops included */
};

void tr_log_path_slow(struct tr_call *c, int i, const char *path);
void tr_log_res_slow(struct tr_call *c, int i, const struct tr_res *res);
void tr_log_real_slow(struct tr_call *c, int i, const char *real);

/* Note the program's path i, its resolution, the real path given to the
 * kernel (the first resolution of a slot wins: later ones are internal,
 * an interpreter's say; the last real path wins). */
static inline void tr_log_path(struct tr_call *c, int i, const char *path)
{
	if (c->lg)
		tr_log_path_slow(c, i, path);
}

static inline void tr_log_res(struct tr_call *c, int i, const struct tr_res *res)
{
	if (c->lg)
		tr_log_res_slow(c, i, res);
}

static inline void tr_log_real(struct tr_call *c, int i, const char *real)
{
	if (c->lg)
		tr_log_real_slow(c, i, real);
}

const char *tr_outcome_name(int out);

/* After the enter handler answered r: count the stop, write its line
 * (dispatcher only, when logging or --stats is on). */
void tr_observe_stop(struct tr_call *c, int r);

/* --stats: print what every worker counted, after they are joined. */
void tr_stats_print(void);

#endif
