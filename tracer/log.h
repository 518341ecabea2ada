/*
 * Logging for every fuss process (CLI, tracer workers, vfsd). Level from
 * FUSS_LOG_LEVEL (error, warn, info, intercept, debug) or FUSS_DEBUG=1.
 * Lines are logfmt (`time=... level=WARN msg="..." role=w0`), written to
 * stderr or the --log-file as one write(2) each, so workers never
 * interleave.
 */
#ifndef FUSS_LOG_H
#define FUSS_LOG_H

#include <stdbool.h>
#include <stddef.h>

enum fuss_log_level {
	FUSS_LOG_ERROR = 0,
	FUSS_LOG_WARN,
	FUSS_LOG_INFO,
	FUSS_LOG_INTERCEPT,
	FUSS_LOG_DEBUG,
};

extern int fuss_log_level;
/* Where lines go: stderr, or the --log-file. */
extern int fuss_log_fd;
/* Role shown in every line: "fuss", "vfsd", "w0", ... (thread-local). */
void fuss_log_set_role(const char *role);
void fuss_log_init(void);
/* --log-file: append every line to `path` (created 0644). 0 or -errno. */
int fuss_log_open(const char *path);
void fuss_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A line being built: bounded, always ends as a whole logfmt line. */
struct fuss_line {
	char *buf;
	size_t len, cap;
	int level;
	bool full;                /* a piece did not fit: the rest is dropped */
};

/* Start a line (time, level, msg) in buf[cap]. */
void fuss_line_start(struct fuss_line *l, char *buf, size_t cap, int level,
		     const char *msg);
/* Append ` key=value`, the value quoted and escaped when it needs it (spaces,
 * `"`, `=`, `\`, control and non-ASCII bytes; an empty value is ""). */
void fuss_line_str(struct fuss_line *l, const char *key, const char *val);
/* Append ` key=value` with a value that needs no quoting (numbers, names). */
void fuss_line_fmt(struct fuss_line *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Add the role, the newline, and write the line. */
void fuss_line_end(struct fuss_line *l);

#define fuss_log_on(level) ((level) <= fuss_log_level)
#define fuss_err(...) fuss_log(FUSS_LOG_ERROR, __VA_ARGS__)
#define fuss_warn(...) fuss_log(FUSS_LOG_WARN, __VA_ARGS__)
#define fuss_info(...) fuss_log(FUSS_LOG_INFO, __VA_ARGS__)
#define fuss_debug(...) do { if (fuss_log_on(FUSS_LOG_DEBUG)) fuss_log(FUSS_LOG_DEBUG, __VA_ARGS__); } while (0)

#endif
