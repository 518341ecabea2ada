/*
 * vfsd internals shared by its .c files and the unit tests: the process
 * state, the walk over the merged tree, copy-up and the operations, plus a
 * few marker helpers of layer.c that only vfsd needs. vfsd only.
 */
#ifndef FUSS_VFSD_OPS_H
#define FUSS_VFSD_OPS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include "../shm/shm.h"
#include "../tracer/config.h"

/* Half-built objects live under this name in the directory of the target;
 * they never appear in the merged view and are swept at start. The in-use
 * mark of the upper dir has the same prefix, so it is hidden too. */
#define VFSD_TMP_PREFIX ".fuss-tmp."
#define VFSD_TMP_PREFIX_LEN 10
#define VFSD_INUSE_NAME VFSD_TMP_PREFIX "in-use"
#define VFSD_TMP_SIZE 48

/*
 * One name of the merged tree: its merged value (what the dcache holds) and,
 * for a directory, an O_PATH fd in every layer of val.layers.
 */
struct vfsd_node {
	struct shm_dval val;
	struct stat st;               /* lstat of the topmost; zeroed if negative */
	int fd[SHM_MAX_LAYERS];       /* -1 unless bit i of val.layers (dirs) */
	uint64_t owned;               /* fds to close (the roots are vfsd's) */
};

#define VFSD_KEEP_MAX 32
#define VFSD_POOL_MAX 8

struct vfsd {
	const struct fuss_config *cfg;
	struct shm_region *r;
	int root[SHM_MAX_LAYERS];  /* O_PATH dir fd of each layer root, or -1 */
	uint64_t present;          /* bit i: layer i is configured */
	struct shm_dval root_val;  /* the root entry, as put in slot 0 */
	bool is_root;              /* euid 0: check the tracee's permissions here */
	/* The dirs on the path of the last lookup, outermost first: keep[i]
	 * is the dir at the first keep_len[i] bytes of keep_path (ops.c). */
	int nkeep;
	struct vfsd_node keep[VFSD_KEEP_MAX];
	size_t keep_len[VFSD_KEEP_MAX];
	uint64_t keep_epoch;
	char keep_path[SHM_PATH_MAX];
	/* Unnamed files made in the upper root while vfsd waits, so a copy-up
	 * does not wait for a file's creation (copy_up.c). */
	bool pool_on;
	bool pool_never;           /* spares cannot be made or linked here */
	int npool;
	int pool[VFSD_POOL_MAX];
};

/* A path walked down to its last component. */
struct vfsd_walk {
	struct vfsd_node dir;         /* the parent of `name` */
	struct vfsd_node ent;         /* `name` itself */
	char name[256];               /* last component, "" for the root */
	uint64_t epoch;               /* dcache epoch when the walk started */
	bool uncached;                /* the cache was flushed under us */
	bool keep;                    /* walked with VFSD_WALK_KEEP */
};

#define VFSD_WALK_UPPER 0x1u      /* copy every dir above `name` up */
#define VFSD_WALK_EXACT 0x2u      /* re-key `name` in the cache (see ops.c) */
#define VFSD_WALK_KEEP 0x4u       /* the only walk of its request: may start
                                     at, and keeps, the dirs above (ops.c) */

/* main.c */
int vfsd_init(struct vfsd *v, const struct fuss_config *cfg, struct shm_region *r);
void vfsd_fini(struct vfsd *v);
/* ops.c: drop what the walks keep between requests. */
void vfsd_fini_walk(struct vfsd *v);
/* 0 or -EINVAL / -ENAMETOOLONG for a request vfsd must not act on. */
int vfsd_req_check(const struct shm_req *q);

/* ops.c */
int vfsd_root_fill(struct vfsd *v);
int vfsd_dispatch(struct vfsd *v, const struct shm_req *q);
int vfsd_walk(struct vfsd *v, const char *path, unsigned int flags,
	      const struct shm_creds *c, struct vfsd_walk *w);
void vfsd_walk_release(struct vfsd_walk *w);

int vfsd_op_lookup(struct vfsd *v, const char *path, uint64_t flags);
int vfsd_op_copyup(struct vfsd *v, const char *path, const struct shm_creds *c);
int vfsd_op_prep_create(struct vfsd *v, const char *path, uint64_t oflags,
			mode_t mode, const struct shm_creds *c);
int vfsd_op_mkdir(struct vfsd *v, const char *path, mode_t mode,
		  const struct shm_creds *c);
int vfsd_op_mknod(struct vfsd *v, const char *path, mode_t mode, dev_t dev,
		  const struct shm_creds *c);
int vfsd_op_symlink(struct vfsd *v, const char *path, const char *target,
		    const struct shm_creds *c);
int vfsd_op_link(struct vfsd *v, const char *oldpath, const char *newpath,
		 const struct shm_creds *c);
int vfsd_op_unlink(struct vfsd *v, const char *path, const struct shm_creds *c);
int vfsd_op_rmdir(struct vfsd *v, const char *path, const struct shm_creds *c);
int vfsd_op_rename(struct vfsd *v, const char *oldpath, const char *newpath,
		   unsigned int flags, const struct shm_creds *c);
int vfsd_op_notify(struct vfsd *v, const char *path);

/* copy_up.c */
/* Makes one object named `name` in dfd; used with a fresh temp name. */
typedef int (*vfsd_make_fn)(int dfd, const char *name, const void *arg);
/* Create an object under a fresh temp name (retried while taken). */
int vfsd_tmp_make(int dfd, char tmp[VFSD_TMP_SIZE], vfsd_make_fn make,
		  const void *arg);
/* Rename tmp to `name`, which must not exist. */
int vfsd_tmp_commit(int dfd, const char *tmp, const char *name, bool is_dir);
/* Remove a temp entry that is not wanted any more; one that cannot be
 * removed sets vfsd_tmp_left. */
void vfsd_tmp_drop(int dfd, const char *tmp, bool is_dir);
/* A temp entry stayed behind in this run: the upper dir keeps its in-use
 * mark, so that the next start sweeps the whole tree. */
extern bool vfsd_tmp_left;
/* copy_up.c: vfsd is idle; make one spare file for copy-ups: false when
 * there is nothing to do. vfsd_pool_drain closes the spares. */
bool vfsd_pool_fill(struct vfsd *v);
void vfsd_pool_drain(struct vfsd *v);
/* Copy `name` (lstat in *st) from the layer dir src_dfd to the upper dir
 * dst_dfd, atomically; *bytes gets the data bytes copied. */
int vfsd_copy_up(struct vfsd *v, int src_dfd, int dst_dfd, const char *name,
		 const struct stat *st, uint64_t *bytes);

/* layer.c, vfsd side */
bool layer_name_hidden(const char *name);
int layer_tmpname(char *buf, size_t size);
/* Is the entry (lstat in *st) itself a whiteout (0:0 or xattr whiteout)? */
int layer_entry_whiteout(int dirfd, const char *name, const struct stat *st);
/* Does `.wh.<name>` exist in dirfd? */
int layer_has_wh_file(int dirfd, const char *name);
/* Create the empty marker file `name` unless an entry of that name (the
 * marker already, whatever its type) exists; never opens an existing one. */
int layer_create_empty(int dirfd, const char *name);
/* Open `rel` below the layer root without following symlinks. */
int layer_open_rel(const char *root, const char *rel, int flags);

#endif
