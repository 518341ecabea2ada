/*
 * Logging for every fuss process (CLI, tracer workers, vfsd). Level from
 * FUSS_LOG_LEVEL (error, warn, info, intercept, debug) or FUSS_DEBUG=1.
 * Lines go to stderr as one write(2) each, so workers never interleave.
 */
#ifndef FUSS_LOG_H
#define FUSS_LOG_H

enum fuss_log_level {
	FUSS_LOG_ERROR = 0,
	FUSS_LOG_WARN,
	FUSS_LOG_INFO,
	FUSS_LOG_INTERCEPT,
	FUSS_LOG_DEBUG,
};

extern int fuss_log_level;
/* Role shown in every line: "fuss", "vfsd", "w0", ... (thread-local). */
void fuss_log_set_role(const char *role);
void fuss_log_init(void);
void fuss_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define fuss_log_on(level) ((level) <= fuss_log_level)
#define fuss_err(...) fuss_log(FUSS_LOG_ERROR, __VA_ARGS__)
#define fuss_warn(...) fuss_log(FUSS_LOG_WARN, __VA_ARGS__)
#define fuss_info(...) fuss_log(FUSS_LOG_INFO, __VA_ARGS__)
#define fuss_debug(...) do { if (fuss_log_on(FUSS_LOG_DEBUG)) fuss_log(FUSS_LOG_DEBUG, __VA_ARGS__); } while (0)

#endif
