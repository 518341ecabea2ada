/*
 * The intercept log line of a seccomp stop and the --stats counting of it
 * (see observe.h). Nothing here runs unless FUSS_LOG_LEVEL=intercept (or
 * debug) or --stats asked for it: the dispatcher tests one flag.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "log.h"
#include "observe.h"
#include "sys.h"
#include "worker.h"

static const char *const out_names[TR_OUT_N] = {
	[TR_OUT_PASSED] = "passed",
	[TR_OUT_REWRITTEN] = "rewritten",
	[TR_OUT_EMULATED] = "emulated",
	[TR_OUT_ERROR] = "error",
};

const char *tr_outcome_name(int out)
{
	return out >= 0 && out < TR_OUT_N ? out_names[out] : "?";
}

/* A path into a PATH_MAX buffer, less `skip` bytes. */
static void copy(char *dst, const char *src, size_t skip)
{
	size_t n = strnlen(src, PATH_MAX - 1 - skip);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

void tr_log_path_slow(struct tr_call *c, int i, const char *path)
{
	copy(c->lg->path[i], path, 0);
	c->lg->has_path[i] = true;
}

void tr_log_res_slow(struct tr_call *c, int i, const struct tr_res *res)
{
	struct tr_logcall *g = c->lg;

	if (g->has_vfs[i] || g->has_host[i])
		return;
	if (res->in_overlay) {
		g->vfs[i][0] = '/';
		copy(g->vfs[i] + 1, res->vrel, 1);
		g->has_vfs[i] = true;
	} else if (res->host[0]) {
		copy(g->host[i], res->host, 0);
		g->has_host[i] = true;
	}
}

void tr_log_real_slow(struct tr_call *c, int i, const char *real)
{
	copy(c->lg->real[i], real, 0);
	c->lg->has_real[i] = true;
}

/* The stop's outcome, -1 for a restart (the scratch area is mapped first;
 * the call stops again and is counted then). */
static int outcome(const struct tr_call *c, int r)
{
	if (r == TR_INJECT)
		return -1;
	if (r < 0)
		return TR_OUT_ERROR;
	if (r == TR_EMU)
		return TR_OUT_EMULATED;
	return c->dirty || c->want_exit ? TR_OUT_REWRITTEN : TR_OUT_PASSED;
}

/* path= (or fd= for a call on an fd), resolved=, vfs= of slot i. */
static void put_names(struct fuss_line *l, const struct tr_call *c, int i)
{
	const struct tr_logcall *g = c->lg;
	unsigned flags = tr_systab[c->sys].flags;
	int fd_arg = -1;

	if (i == 0 && g->has_path[0] && !g->path[0][0] && SF_HAS(flags, 4))
		fd_arg = SF_ARG(flags, 4); /* AT_EMPTY_PATH: the dirfd is the file */
	else if (i == 0 && !g->has_path[0] && SF_HAS(flags, 16))
		fd_arg = SF_ARG(flags, 16);
	if (fd_arg >= 0)
		fuss_line_fmt(l, "fd=%d", (int)arch_arg(&g->orig, fd_arg));
	else if (g->has_path[i])
		fuss_line_str(l, i ? "path2" : "path", g->path[i]);
	fuss_line_str(l, i ? "resolved2" : "resolved",
		      g->has_real[i] ? g->real[i] : g->has_host[i] ? g->host[i] : "-");
	fuss_line_str(l, i ? "vfs2" : "vfs", g->has_vfs[i] ? g->vfs[i] : "-");
}

static void log_line(const struct tr_call *c, int out, int r)
{
	/* Room for the usual lines; a longer one is cut at a value and still
	 * parses (fuss_line_str). */
	char buf[16 * PATH_MAX];
	struct fuss_line l;

	fuss_line_start(&l, buf, sizeof(buf), FUSS_LOG_INTERCEPT, "intercept");
	fuss_line_fmt(&l, "pid=%d", c->t->tid);
	fuss_line_str(&l, "syscall", arch_sys_name(c->sys));
	put_names(&l, c, 0);
	if (c->lg->has_path[1])
		put_names(&l, c, 1);
	fuss_line_str(&l, "result", out_names[out]);
	if (out == TR_OUT_ERROR) {
		const char *name = strerrorname_np(-r);

		if (name)
			fuss_line_str(&l, "errno", name);
		else
			fuss_line_fmt(&l, "errno=%d", -r);
	}
	fuss_line_end(&l);
}

void tr_observe_stop(struct tr_call *c, int r)
{
	struct tr_worker *w = c->w;
	int out = outcome(c, r);

	if (tr.cfg->stats) {
		w->cur_sys = c->sys;
		w->sys[c->sys].stops++;
		if (out >= 0)
			w->sys[c->sys].out[out]++;
	}
	if (!c->lg)
		return;
	if (out >= 0)
		log_line(c, out, r);
	memset(c->lg, 0, offsetof(struct tr_logcall, path));
}
