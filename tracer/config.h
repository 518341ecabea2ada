/*
 * The validated command line, shared by the CLI, the tracer and vfsd
 * (vfsd gets its copy by fork).
 */
#ifndef FUSS_CONFIG_H
#define FUSS_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include "../shm/layout.h"

enum fuss_whiteout { FUSS_WH_FILEPREFIX = 0, FUSS_WH_CHARDEV = 1 };
/* Where a new child goes: kept by its parent's worker, or handed to the
 * least-loaded worker at its first stop. AUTO (not given) becomes FORK
 * with 2+ workers, NONE otherwise, once the command line is read. */
enum fuss_balance { FUSS_BAL_AUTO = 0, FUSS_BAL_NONE, FUSS_BAL_FORK };
enum fuss_opaque_xattr { FUSS_OPQ_TRUSTED = 0, FUSS_OPQ_USER = 1 };
/* --stats: nothing, the table, or one JSON object (on stderr at exit). */
enum fuss_stats { FUSS_STATS_OFF = 0, FUSS_STATS_TABLE, FUSS_STATS_JSON };

struct fuss_config {
	char *mountpoint;             /* absolute, normalized, no trailing '/' */
	size_t mountpoint_len;
	/* layer[0] = upper (NULL: read-only overlay); layer[1..nlayers-1] =
	 * lowers, top to bottom. Absolute, normalized, no trailing '/'. */
	char *layer[SHM_MAX_LAYERS];
	size_t layer_len[SHM_MAX_LAYERS];
	int nlayers;
	enum fuss_whiteout whiteout;
	enum fuss_opaque_xattr opaque_xattr; /* chardev mode: which xattr to write */
	int workers;
	enum fuss_balance balance;
	int cache_mb;                 /* dentry cache budget, MiB */
	enum fuss_stats stats;        /* --stats[=table|json] */
	const char *log_file;         /* --log-file, NULL: stderr */
	bool volatile_copyup;         /* --volatile: copy-ups not synced */
	const char *vfs;              /* --vfs name; NULL = overlay */
	const char *audit;            /* --audit file; NULL = none */
	char **argv;                  /* the command */
};

#endif
