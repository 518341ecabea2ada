/*
 * The command line: `fuss [options] -- command [args...]`. Every problem is
 * reported as one line and nothing on disk is created or changed, except
 * the chardev probe, which makes and removes one entry in the upper dir.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>
#include "../shm/shm.h"
#include "cli.h"
#include "log.h"
#include "path.h"
#include "vfs.h"

#ifndef FUSS_VERSION
#error "FUSS_VERSION comes from the Makefile's VERSION"
#endif

/* --cache-mb's ceiling: the largest table the segment accepts. */
#define FUSS_CACHE_MB_MAX ((int)(((uint64_t)SHM_DCACHE_MAX_SLOTS * sizeof(struct shm_dent)) >> 20))
_Static_assert(FUSS_CACHE_MB_MAX == 304, "--help says 1-304");

static const char usage[] =
	"usage: fuss --mountpoint=PATH --lowerdir=DIR[:DIR...] [--upperdir=DIR]\n"
	"            [--whiteout=fileprefix|chardev] [--workers=N]\n"
	"            [--balance=fork|none] [--cache-mb=N] [--stats[=table|json]]\n"
	"            [--log-file=PATH] [--audit=FILE] [--volatile] -- COMMAND [ARG...]\n"
	"       fuss --vfs=passthrough [options] -- COMMAND [ARG...]\n"
	"\n"
	"Run COMMAND so that PATH and everything below it is an overlay of the\n"
	"layers, like a Linux overlayfs mount, without mounting anything.\n"
	"\n"
	"  --mountpoint=PATH   where the overlay appears (absolute; need not exist)\n"
	"  --lowerdir=A:B:C    read-only layers, leftmost on top (at least one)\n"
	"  --upperdir=DIR      writable layer; without it the overlay is read-only\n"
	"  --whiteout=FORMAT   how deletions are recorded in DIR: fileprefix\n"
	"                      (.wh.NAME files, default) or chardev (0:0 devices,\n"
	"                      the kernel's format)\n"
	"  --workers=N         tracer worker threads (default: online CPUs)\n"
	"  --balance=POLICY    fork: hand each new process or thread to the\n"
	"                      least-loaded worker (default with 2+ workers);\n"
	"                      none: it stays on its parent's worker\n"
	"  --cache-mb=N        size of the shared dentry cache in MiB, 1-304\n"
	"                      (default 10); when full it is emptied and refilled\n"
	"  --stats[=FORMAT]    on exit, print to stderr what the run did: per\n"
	"                      syscall stops, outcomes and tracer time, copy-ups,\n"
	"                      whiteouts, cache and vfsd use, stops per worker;\n"
	"                      FORMAT table (default) or json\n"
	"  --log-file=PATH     append log lines (FUSS_LOG_LEVEL) to PATH, not stderr\n"
	"  --volatile          do not sync copied-up data to disk (faster; a system\n"
	"                      crash may then leave empty or partial upper files)\n"
	"  --audit=FILE        write one JSON line per file access to FILE: pid,\n"
	"                      program, syscall, path, layer, result\n"
	"  --vfs=NAME          overlay (default) or passthrough: every path maps\n"
	"                      to itself, calls are intercepted but never changed\n"
	"  --help, --version\n"
	"\n"
	"Exit status: COMMAND's (128+N if a signal N killed it); 2 for bad usage;\n"
	"3 when ptrace or seccomp is not available; 1 when fuss failed, and when\n"
	"vfsd died during the run and COMMAND's status was 0.\n"
	"\n"
	"Environment: FUSS_LOG_LEVEL=error|warn|info|intercept|debug (default\n"
	"warn; intercept logs one line per syscall fuss handles), FUSS_DEBUG=1\n"
	"(same as debug).\n";

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
	va_list ap;

	fputs("fuss: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

/* An absolute, normalized copy of an option's path. */
static int abs_path(const char *opt, const char *val, char **out, size_t *len)
{
	char *p;

	if (!*val)
		return fail("%s: empty path", opt);
	if (val[0] != '/')
		return fail("%s: %s: not an absolute path", opt, val);
	if (strlen(val) >= PATH_MAX)
		return fail("%s: path too long", opt);
	p = strdup(val);
	if (!p)
		return fail("out of memory");
	*len = (size_t)tr_path_normalize(p);
	*out = p;
	return 0;
}

static int check_dir(const char *opt, const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return fail("%s: %s: %s", opt, path, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return fail("%s: %s: not a directory", opt, path);
	return 0;
}

static bool has_cap(cap_value_t cap)
{
	cap_t caps = cap_get_proc();
	cap_flag_value_t v = CAP_CLEAR;

	if (caps) {
		cap_get_flag(caps, cap, CAP_EFFECTIVE, &v);
		cap_free(caps);
	}
	return v == CAP_SET;
}

/* chardev mode: can we make a 0:0 device in upper, and which opaque xattr
 * may we write? */
static int probe_chardev(struct fuss_config *cfg)
{
	char probe[PATH_MAX];
	const char *upper = cfg->layer[0];

	snprintf(probe, sizeof(probe), "%s/.fuss-probe.%d", upper, (int)getpid());
	if (mknod(probe, S_IFCHR | 0600, makedev(0, 0)) < 0) {
		int e = errno;

		if (e == EPERM && !has_cap(CAP_MKNOD))
			return fail("--whiteout=chardev: cannot create a 0:0 whiteout device "
				    "in %s: %s (without CAP_MKNOD this needs Linux 5.8 or "
				    "later; use --whiteout=fileprefix)", upper, strerror(e));
		return fail("--whiteout=chardev: cannot create a 0:0 whiteout device in "
			    "%s: %s", upper, strerror(e));
	}
	unlink(probe);
	if (mkdir(probe, 0700) < 0)
		return fail("--upperdir: %s: cannot create entries: %s", upper, strerror(errno));
	if (setxattr(probe, "trusted.overlay.opaque", "y", 1, 0) == 0) {
		cfg->opaque_xattr = FUSS_OPQ_TRUSTED;
	} else if (setxattr(probe, "user.overlay.opaque", "y", 1, 0) == 0) {
		cfg->opaque_xattr = FUSS_OPQ_USER;
	} else {
		int e = errno;

		rmdir(probe);
		return fail("--whiteout=chardev: cannot set opaque xattrs in %s: %s%s",
			    upper, strerror(e),
			    has_cap(CAP_SYS_ADMIN) ? "" : " (trusted.* needs CAP_SYS_ADMIN, "
			    "and user.* is not supported by this filesystem)");
	}
	rmdir(probe);
	return 0;
}

/* A decimal number from 1 to max, nothing else. */
static int int_opt(const char *opt, const char *val, int max, int *out)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(val, &end, 10);
	if (!*val || *end || errno || n < 1 || n > max)
		return fail("%s: %s: expected a number from 1 to %d", opt, val, max);
	*out = (int)n;
	return 0;
}

static int set_opt(struct fuss_config *cfg, const char *name, const char *val)
{
	if (strcmp(name, "mountpoint") == 0)
		return abs_path("--mountpoint", val, &cfg->mountpoint, &cfg->mountpoint_len);
	if (strcmp(name, "upperdir") == 0) {
		if (cfg->layer[0])
			return fail("--upperdir given twice");
		return abs_path("--upperdir", val, &cfg->layer[0], &cfg->layer_len[0]);
	}
	if (strcmp(name, "lowerdir") == 0) {
		char *copy = strdup(val), *save = NULL;

		if (!copy)
			return fail("out of memory");
		if (cfg->nlayers > 1)
			return free(copy), fail("--lowerdir given twice");
		for (char *tok = strtok_r(copy, ":", &save); tok; tok = strtok_r(NULL, ":", &save)) {
			if (cfg->nlayers >= SHM_MAX_LAYERS)
				return free(copy), fail("--lowerdir: more than %d layers",
							SHM_MAX_LAYERS - 1);
			int i = cfg->nlayers++;

			if (abs_path("--lowerdir", tok, &cfg->layer[i], &cfg->layer_len[i]) < 0)
				return free(copy), -1;
		}
		free(copy);
		if (cfg->nlayers < 2)
			return fail("--lowerdir: at least one layer is needed");
		return 0;
	}
	if (strcmp(name, "whiteout") == 0) {
		if (strcmp(val, "fileprefix") == 0)
			cfg->whiteout = FUSS_WH_FILEPREFIX;
		else if (strcmp(val, "chardev") == 0)
			cfg->whiteout = FUSS_WH_CHARDEV;
		else
			return fail("--whiteout: %s: expected fileprefix or chardev", val);
		return 0;
	}
	if (strcmp(name, "workers") == 0)
		return int_opt("--workers", val, SHM_MAX_WORKERS, &cfg->workers);
	if (strcmp(name, "cache-mb") == 0)
		return int_opt("--cache-mb", val, FUSS_CACHE_MB_MAX, &cfg->cache_mb);
	if (strcmp(name, "balance") == 0) {
		if (strcmp(val, "fork") == 0)
			cfg->balance = FUSS_BAL_FORK;
		else if (strcmp(val, "none") == 0)
			cfg->balance = FUSS_BAL_NONE;
		else
			return fail("--balance: %s: expected fork or none", val);
		return 0;
	}
	if (strcmp(name, "stats") == 0) {
		if (strcmp(val, "table") == 0)
			cfg->stats = FUSS_STATS_TABLE;
		else if (strcmp(val, "json") == 0)
			cfg->stats = FUSS_STATS_JSON;
		else
			return fail("--stats=%s: expected table or json", val);
		return 0;
	}
	if (strcmp(name, "log-file") == 0) {
		if (!*val)
			return fail("--log-file: empty path");
		cfg->log_file = val;
		return 0;
	}
	if (strcmp(name, "volatile") == 0)
		return fail("--volatile takes no value");
	if (strcmp(name, "vfs") == 0) {
		if (!tr_vfs_find(val))
			return fail("--vfs: %s: expected overlay or passthrough", val);
		cfg->vfs = val;
		return 0;
	}
	if (strcmp(name, "audit") == 0) {
		if (!*val)
			return fail("--audit: a file name is needed");
		cfg->audit = val;
		return 0;
	}
	return fail("unknown option --%s (see fuss --help)", name);
}

static int check_layers(struct fuss_config *cfg)
{
	if (!cfg->mountpoint)
		return fail("--mountpoint is required (see fuss --help)");
	if (cfg->mountpoint_len == 1)
		return fail("--mountpoint: / cannot be the mountpoint");
	if (cfg->nlayers < 2)
		return fail("--lowerdir is required (see fuss --help)");
	for (int i = 0; i < cfg->nlayers; i++) {
		if (cfg->layer[i] && check_dir(i ? "--lowerdir" : "--upperdir", cfg->layer[i]) < 0)
			return -1;
	}
	if (cfg->layer[0]) {
		const char *up = cfg->layer[0];

		for (int i = 1; i < cfg->nlayers; i++) {
			const char *lo = cfg->layer[i];

			if (strcmp(up, lo) == 0)
				return fail("--upperdir %s is also a lower layer", up);
			if (tr_path_under(up, lo, cfg->layer_len[i]))
				return fail("--upperdir %s is inside the lower layer %s", up, lo);
			if (tr_path_under(lo, up, cfg->layer_len[0]))
				return fail("--lowerdir %s is inside the upper layer %s", lo, up);
		}
		if (tr_path_under(cfg->mountpoint, up, cfg->layer_len[0]))
			return fail("--mountpoint %s is inside the upper layer %s",
				    cfg->mountpoint, up);
		if (cfg->whiteout == FUSS_WH_CHARDEV && probe_chardev(cfg) < 0)
			return -1;
	}
	return 0;
}

int fuss_cli_parse(int argc, char **argv, struct fuss_config *cfg)
{
	int i, err;

	memset(cfg, 0, sizeof(*cfg));
	cfg->nlayers = 1; /* slot 0 is the upper layer */
	cfg->cache_mb = FUSS_CACHE_MB_DEFAULT;
	cfg->workers = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (cfg->workers < 1)
		cfg->workers = 1;
	if (cfg->workers > SHM_MAX_WORKERS)
		cfg->workers = SHM_MAX_WORKERS;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (strncmp(a, "--", 2) != 0)
			break;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage, stdout);
			return 1;
		}
		if (strcmp(a, "--version") == 0) {
			printf("fuss %s\n", FUSS_VERSION);
			return 1;
		}
		if (strcmp(a, "--volatile") == 0) {
			cfg->volatile_copyup = true;
			continue;
		}
		if (strcmp(a, "--stats") == 0) {
			cfg->stats = FUSS_STATS_TABLE;
			continue;
		}
		char name[32];
		const char *eq = strchr(a + 2, '='), *val;
		size_t nlen = eq ? (size_t)(eq - a - 2) : strlen(a + 2);

		if (nlen >= sizeof(name))
			return fail("unknown option %s (see fuss --help)", a);
		memcpy(name, a + 2, nlen);
		name[nlen] = '\0';
		if (eq) {
			val = eq + 1;
		} else {
			if (strcmp(name, "mountpoint") && strcmp(name, "lowerdir") &&
			    strcmp(name, "upperdir") && strcmp(name, "whiteout") &&
			    strcmp(name, "workers") && strcmp(name, "balance") &&
			    strcmp(name, "cache-mb") && strcmp(name, "log-file") &&
			    strcmp(name, "vfs") && strcmp(name, "audit"))
				return fail("unknown option %s (see fuss --help)", a);
			if (i + 1 >= argc)
				return fail("%s needs a value", a);
			val = argv[++i];
		}
		if (set_opt(cfg, name, val) < 0)
			return -1;
	}
	if (cfg->balance == FUSS_BAL_AUTO)
		cfg->balance = cfg->workers > 1 ? FUSS_BAL_FORK : FUSS_BAL_NONE;
	if (cfg->vfs && !tr_vfs_find(cfg->vfs)->needs_vfsd) {
		if (cfg->mountpoint || cfg->nlayers > 1 || cfg->layer[0])
			return fail("--vfs=%s maps every path to itself: --mountpoint, "
				    "--lowerdir and --upperdir do not apply", cfg->vfs);
	} else if (check_layers(cfg) < 0) {
		return -1;
	}
	if (i >= argc || !argv[i][0])
		return fail("no command given (usage: fuss [options] -- command [args...])");
	cfg->argv = argv + i;
	/* Last: a bad command line creates no log file. */
	if (cfg->log_file && (err = fuss_log_open(cfg->log_file)) < 0)
		return fail("--log-file: %s: %s", cfg->log_file, strerror(-err));
	return 0;
}

void fuss_cli_free(struct fuss_config *cfg)
{
	free(cfg->mountpoint);
	for (int i = 0; i < SHM_MAX_LAYERS; i++)
		free(cfg->layer[i]);
	memset(cfg, 0, sizeof(*cfg));
}
