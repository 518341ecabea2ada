/*
 * --audit=FILE: one JSON line per call that names a file by path, written
 * when its result is known (at the exit stop for a call the kernel runs):
 *
 *   {"time":1764624000.123456,"pid":41,"tid":41,"exe":"/usr/bin/cc",
 *    "syscall":"openat","path":"x.h","vpath":"/app/include/x.h","layer":1,
 *    "real":"/layers/base/include/x.h","result":3}
 *
 * `path` is the name as the program gave it, `vpath` where it led (absolute,
 * as the program sees it; null when the resolution failed), `layer` the
 * layer holding it (0 upper, 1.. the lower dirs in --lowerdir order; null
 * when outside the overlay or absent), `real` its real path then. A second
 * name (rename's and link's target, a script's interpreter) comes as
 * path2/vpath2/layer2/real2. `result` is the return value, or the errno's
 * name. Strings are bytes: `"`, `\`, control bytes and every byte above
 * 0x7f are written as escapes (\u00XX for the latter two), so decoding the
 * string and encoding it as Latin-1 gives the exact bytes back.
 *
 * Each line is one write(2) to a file opened O_APPEND, so the workers'
 * lines never mix. Calls on a descriptor (read, fstat, getdents) are not
 * listed: the call that opened it was.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "audit.h"
#include "path.h"
#include "resolve.h"
#include "sys.h"
#include "vfs.h"

int tr_audit_fd = -1;

struct tr_audit_name {
	int layer;                /* -1: none */
	bool resolved;
	char given[PATH_MAX];
	char vpath[PATH_MAX];
	char real[PATH_MAX];
};

struct tr_audit {
	pid_t tgid;
	bool pending;             /* the line waits for the exit stop */
	int sys;
	int n;                    /* names kept */
	struct tr_audit_name name[2];
};

int tr_audit_open(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);

	if (fd < 0)
		return -errno;
	tr_audit_fd = fd;
	return 0;
}

static pid_t tgid_of(pid_t tid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return tid;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return tid;
	buf[n] = '\0';
	p = strstr(buf, "\nTgid:");
	return p ? (pid_t)atoi(p + 6) : tid;
}

/* The program's path as it sees it, cached per address space. */
static const char *exe_of(struct tr_thread *t)
{
	char proc[64], real[PATH_MAX], vpath[PATH_MAX];
	const char *exe;
	ssize_t n;

	if (!t->mm)
		return NULL;
	pthread_mutex_lock(&t->mm->lock);
	if (!t->mm->exe) {
		snprintf(proc, sizeof(proc), "/proc/%d/exe", t->tid);
		n = readlink(proc, real, sizeof(real) - 1);
		if (n > 0) {
			real[n] = '\0';
			t->mm->exe = strdup(tr_vfs_to_virtual(real, vpath, sizeof(vpath)) > 0 ? vpath
												: real);
		}
	}
	exe = t->mm->exe;
	pthread_mutex_unlock(&t->mm->lock);
	return exe;
}

void tr_audit_begin(struct tr_call *c)
{
	struct tr_audit *a = c->t->aud;

	if (a) {
		a->n = 0;
		a->pending = false;
	}
}

/* An absolute path for a name outside the overlay given relative to a
 * dirfd or the cwd. */
static void absolute(struct tr_call *c, int dirfd, const char *host, char *out, size_t size)
{
	char base[TR_REAL_MAX];

	out[0] = '\0';
	if (host[0] == '/') {
		snprintf(out, size, "%s", host);
		return;
	}
	if (tr_fd_real(c->t->tid, dirfd, base, sizeof(base)) < 0 || base[0] != '/')
		return;
	if (tr_path_join(out, size, base, host) < 0 || tr_path_normalize(out) < 0)
		out[0] = '\0';
}

void tr_audit_name(struct tr_call *c, int dirfd, const char *path,
		   const struct tr_res *res, int err)
{
	struct tr_thread *t = c->t;
	struct tr_audit *a = t->aud;

	if (!a) {
		if (!(a = t->aud = calloc(1, sizeof(*a))))
			return;
		a->tgid = tgid_of(t->tid);
	}
	if (a->n >= 2)
		return;
	if (a->n == 0) {
		a->sys = c->sys;
		exe_of(t); /* before an execve replaces it */
	}
	struct tr_audit_name *nm = &a->name[a->n++];

	snprintf(nm->given, sizeof(nm->given), "%s", path);
	nm->resolved = err >= 0;
	nm->layer = -1;
	nm->vpath[0] = nm->real[0] = '\0';
	if (err < 0)
		return;
	if (!res->in_overlay) {
		absolute(c, dirfd, res->host, nm->vpath, sizeof(nm->vpath));
		memcpy(nm->real, nm->vpath, sizeof(nm->real));
		return;
	}
	int n = snprintf(nm->vpath, sizeof(nm->vpath), "%s%s%s", tr.cfg->mountpoint,
			 res->vrel_len ? "/" : "", res->vrel);

	if (n < 0 || (size_t)n >= sizeof(nm->vpath))
		nm->vpath[0] = '\0';
	if (res->exists) {
		nm->layer = res->ent.layer;
		if (tr_res_real(res, nm->layer, nm->real, sizeof(nm->real)) < 0)
			nm->real[0] = '\0';
	}
}

void tr_audit_changed(struct tr_call *c, enum shm_op op, const char *vrel,
		      const char *vrel2)
{
	struct tr_audit *a = c->t->aud;
	const char *made = NULL;
	char vpath[PATH_MAX];
	struct tr_res res;

	switch (op) {
	case SHM_OP_COPYUP:
	case SHM_OP_PREP_CREATE:
	case SHM_OP_MKDIR:
	case SHM_OP_MKNOD:
	case SHM_OP_SYMLINK:
		made = vrel;
		break;
	case SHM_OP_LINK:
	case SHM_OP_RENAME:
		made = vrel2;
		break;
	default:
		return;
	}
	if (!a || !made)
		return;
	int n = snprintf(vpath, sizeof(vpath), "%s%s%s", tr.cfg->mountpoint, *made ? "/" : "",
			 made);

	if (n < 0 || (size_t)n >= sizeof(vpath))
		return;
	memset(&res, 0, sizeof(res));
	res.vrel_len = strlen(made);
	if (res.vrel_len >= sizeof(res.vrel))
		return;
	memcpy(res.vrel, made, res.vrel_len + 1);
	for (int i = 0; i < a->n; i++) {
		struct tr_audit_name *nm = &a->name[i];

		if (!nm->resolved || strcmp(nm->vpath, vpath) != 0)
			continue;
		nm->layer = 0;
		if (tr_res_real(&res, 0, nm->real, sizeof(nm->real)) < 0)
			nm->real[0] = '\0';
	}
}

/* JSON string of `s` at `p` (room for 6 bytes per byte + 2 is there). */
static char *json_str(char *p, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	if (!s) {
		memcpy(p, "null", 4);
		return p + 4;
	}
	*p++ = '"';
	for (const unsigned char *q = (const unsigned char *)s; *q; q++) {
		if (*q == '"' || *q == '\\') {
			*p++ = '\\';
			*p++ = (char)*q;
		} else if (*q < 0x20 || *q >= 0x7f) {
			memcpy(p, "\\u00", 4);
			p[4] = hex[*q >> 4];
			p[5] = hex[*q & 15];
			p += 6;
		} else {
			*p++ = (char)*q;
		}
	}
	*p++ = '"';
	return p;
}

static char *json_name(char *p, const struct tr_audit_name *nm, const char *suffix)
{
	p += sprintf(p, ",\"path%s\":", suffix);
	p = json_str(p, nm->given);
	p += sprintf(p, ",\"vpath%s\":", suffix);
	p = json_str(p, nm->resolved && nm->vpath[0] ? nm->vpath : NULL);
	if (nm->layer >= 0)
		p += sprintf(p, ",\"layer%s\":%d,\"real%s\":", suffix, nm->layer, suffix);
	else
		p += sprintf(p, ",\"layer%s\":null,\"real%s\":", suffix, suffix);
	return json_str(p, nm->real[0] ? nm->real : NULL);
}

static void audit_write(struct tr_thread *t, long result)
{
	struct tr_audit *a = t->aud;
	const char *exe = t->mm ? t->mm->exe : NULL;
	size_t need = 512 + 6 * ((exe ? strlen(exe) : 0) + 6 * PATH_MAX);
	char *buf = malloc(need), *p;
	struct timespec ts;

	if (!buf)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	p = buf + sprintf(buf, "{\"time\":%lld.%06ld,\"pid\":%d,\"tid\":%d,\"exe\":",
			  (long long)ts.tv_sec, ts.tv_nsec / 1000, a->tgid, t->tid);
	p = json_str(p, exe);
	p += sprintf(p, ",\"syscall\":\"%s\"", arch_sys_name(a->sys));
	for (int i = 0; i < a->n; i++)
		p = json_name(p, &a->name[i], i ? "2" : "");
	const char *ename = result < 0 ? strerrorname_np((int)-result) : NULL;

	if (result >= 0 || !ename)
		p += sprintf(p, ",\"result\":%ld}\n", result);
	else
		p += sprintf(p, ",\"result\":\"%s\"}\n", ename);
	ssize_t w = write(tr_audit_fd, buf, (size_t)(p - buf));

	(void)w;
	free(buf);
	a->n = 0;
	a->pending = false;
}

static int audit_exit_only(struct tr_call *c)
{
	(void)c;
	return 0;
}

void tr_audit_enter_done(struct tr_call *c, int r)
{
	struct tr_audit *a = c->t->aud;

	if (!a || a->n == 0 || r == TR_INJECT)
		return; /* no name; or the stop comes again */
	if (r < 0) {
		audit_write(c->t, r);
	} else if (r == TR_EMU) {
		audit_write(c->t, c->ret);
	} else {
		if (!c->want_exit)
			tr_call_want_exit(c, audit_exit_only, 0);
		a->pending = true;
	}
}

void tr_audit_exit(struct tr_call *c)
{
	struct tr_audit *a = c->t->aud;
	long ret = arch_ret(&c->regs);

	if (!a || !a->pending)
		return;
	/* Interrupted, to be restarted: its stop comes again. */
	if (ret <= -512 && ret >= -516) {
		a->pending = false;
		return;
	}
	audit_write(c->t, ret);
}

void tr_audit_exec(struct tr_thread *t)
{
	if (t->aud && t->aud->pending)
		audit_write(t, 0);
}

void tr_audit_free(struct tr_thread *t)
{
	free(t->aud);
	t->aud = NULL;
}
