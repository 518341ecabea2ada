/*
 * Logging shared by every fuss process. One formatted line is written with a
 * single write(2) (O_APPEND for a --log-file) so lines from many workers and
 * vfsd never interleave; nothing here allocates, so it is safe from any
 * thread and after fork.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include "log.h"

int fuss_log_level = FUSS_LOG_WARN;
int fuss_log_fd = STDERR_FILENO;
static __thread const char *log_role = "fuss";

/* Names for FUSS_LOG_LEVEL, and as lines show them: an intercept line is
 * information, enabled by its own level. */
static const char *const level_names[] = {
	[FUSS_LOG_ERROR] = "error",
	[FUSS_LOG_WARN] = "warn",
	[FUSS_LOG_INFO] = "info",
	[FUSS_LOG_INTERCEPT] = "intercept",
	[FUSS_LOG_DEBUG] = "debug",
};
static const char *const level_shown[] = {
	[FUSS_LOG_ERROR] = "ERROR",
	[FUSS_LOG_WARN] = "WARN",
	[FUSS_LOG_INFO] = "INFO",
	[FUSS_LOG_INTERCEPT] = "INFO",
	[FUSS_LOG_DEBUG] = "DEBUG",
};

/* Room kept at the end of every line for " role=..." and the newline. */
#define LINE_TAIL 40

void fuss_log_set_role(const char *role)
{
	log_role = role;
}

void fuss_log_init(void)
{
	const char *lvl = getenv("FUSS_LOG_LEVEL");
	const char *dbg = getenv("FUSS_DEBUG");

	if (dbg && *dbg && strcmp(dbg, "0") != 0)
		fuss_log_level = FUSS_LOG_DEBUG;
	if (!lvl || !*lvl)
		return;
	for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (strcasecmp(lvl, level_names[i]) == 0) {
			fuss_log_level = (int)i;
			return;
		}
	}
}

int fuss_log_open(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);

	if (fd < 0)
		return -errno;
	fuss_log_fd = fd;
	return 0;
}

/* Append a formatted piece whole, or nothing (the line is full then). */
static bool line_vfmt(struct fuss_line *l, const char *fmt, va_list ap)
{
	size_t room = l->cap - LINE_TAIL - l->len;
	int n;

	if (l->full)
		return false;
	n = vsnprintf(l->buf + l->len, room, fmt, ap);
	if (n < 0 || (size_t)n >= room) {
		l->buf[l->len] = '\0';
		l->full = true;
		return false;
	}
	l->len += (size_t)n;
	return true;
}

static bool line_fmt(struct fuss_line *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static bool line_fmt(struct fuss_line *l, const char *fmt, ...)
{
	va_list ap;
	bool ok;

	va_start(ap, fmt);
	ok = line_vfmt(l, fmt, ap);
	va_end(ap);
	return ok;
}

void fuss_line_start(struct fuss_line *l, char *buf, size_t cap, int level,
		     const char *msg)
{
	struct timespec ts;
	struct tm tm;

	l->buf = buf;
	l->cap = cap;
	l->len = 0;
	l->full = false;
	l->level = level;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	if (level < 0)
		level = 0;
	if (level > FUSS_LOG_DEBUG)
		level = FUSS_LOG_DEBUG;
	line_fmt(l, "time=%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ level=%s", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 ts.tv_nsec / 1000, level_shown[level]);
	fuss_line_str(l, "msg", msg);
}

static bool bare_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch <= ' ' || ch >= 0x7f || ch == '"' || ch == '=' || ch == '\\')
			return false;
	}
	return true;
}

/* One byte of a quoted value, escaped; its length (at most 4). */
static size_t escape(unsigned char ch, char *out)
{
	static const char hex[] = "0123456789abcdef";

	switch (ch) {
	case '"':
	case '\\':
		out[0] = '\\';
		out[1] = (char)ch;
		return 2;
	case '\n':
		memcpy(out, "\\n", 2);
		return 2;
	case '\t':
		memcpy(out, "\\t", 2);
		return 2;
	case '\r':
		memcpy(out, "\\r", 2);
		return 2;
	}
	if (ch < ' ' || ch >= 0x7f) {
		out[0] = '\\';
		out[1] = 'x';
		out[2] = hex[ch >> 4];
		out[3] = hex[ch & 15];
		return 4;
	}
	out[0] = (char)ch;
	return 1;
}

void fuss_line_str(struct fuss_line *l, const char *key, const char *val)
{
	size_t end = l->cap - LINE_TAIL;

	/* Room for the key and at least an empty quoted value. */
	if (l->full || l->len + strlen(key) + 4 > end) {
		l->full = true;
		return;
	}
	line_fmt(l, " %s=", key);
	if (bare_ok(val) && l->len + strlen(val) < end) {
		line_fmt(l, "%s", val);
		return;
	}
	/* Quoted; a value too long for the line is cut between two escapes,
	 * and the line still parses. */
	l->buf[l->len++] = '"';
	for (; *val && l->len + 4 + 1 < end; val++)
		l->len += escape((unsigned char)*val, l->buf + l->len);
	l->buf[l->len++] = '"';
	if (*val)
		l->full = true;
}

void fuss_line_fmt(struct fuss_line *l, const char *fmt, ...)
{
	size_t len = l->len;
	va_list ap;

	if (!line_fmt(l, " "))
		return;
	va_start(ap, fmt);
	if (!line_vfmt(l, fmt, ap))
		l->buf[l->len = len] = '\0';
	va_end(ap);
}

void fuss_line_end(struct fuss_line *l)
{
	int saved = errno;
	int n = snprintf(l->buf + l->len, l->cap - l->len, " role=%s\n", log_role);

	if (n < 0 || (size_t)n >= l->cap - l->len) {
		l->len = l->cap - 1;
		l->buf[l->len - 1] = '\n';
	} else {
		l->len += (size_t)n;
	}
	ssize_t w = write(fuss_log_fd, l->buf, l->len);
	/* Errors also reach the terminal when lines go to a file. */
	if (fuss_log_fd != STDERR_FILENO && l->level == FUSS_LOG_ERROR)
		w = write(STDERR_FILENO, l->buf, l->len);
	(void)w;
	errno = saved;
}

void fuss_log(int level, const char *fmt, ...)
{
	char buf[4096], msg[768];
	struct fuss_line l;
	int saved = errno;
	va_list ap;

	if (!fuss_log_on(level))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fuss_line_start(&l, buf, sizeof(buf), level, msg);
	fuss_line_end(&l);
	errno = saved;
}
