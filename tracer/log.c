/*
 * Logging shared by every fuss process. One formatted line is written with a
 * single write(2) so lines from many workers never interleave; nothing here
 * allocates, so it is safe from any thread and after fork.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include "log.h"

int fuss_log_level = FUSS_LOG_WARN;
static __thread const char *log_role = "fuss";

static const char *const level_names[] = {
	[FUSS_LOG_ERROR] = "error",
	[FUSS_LOG_WARN] = "warn",
	[FUSS_LOG_INFO] = "info",
	[FUSS_LOG_INTERCEPT] = "intercept",
	[FUSS_LOG_DEBUG] = "debug",
};

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

void fuss_log(int level, const char *fmt, ...)
{
	char buf[1024];
	int saved = errno;
	int n;
	va_list ap;

	if (!fuss_log_on(level))
		return;
	n = snprintf(buf, sizeof(buf), "fuss[%s] %s: ", log_role,
		     level_names[level < 0 ? 0 : level > FUSS_LOG_DEBUG ? FUSS_LOG_DEBUG : level]);
	if (n < 0)
		n = 0;
	va_start(ap, fmt);
	int m = vsnprintf(buf + n, sizeof(buf) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (m < 0)
		m = 0;
	n += m;
	if ((size_t)n > sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	buf[n++] = '\n';
	ssize_t w = write(STDERR_FILENO, buf, (size_t)n);
	(void)w;
	errno = saved;
}
