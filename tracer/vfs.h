/*
 * The VFS interface: what the syscall handlers ask of the filesystem a run
 * shows the program. Handlers never look at layers or talk to vfsd
 * directly; they resolve a name, hand the kernel the real path the VFS
 * gives for it, and ask the VFS for every change to the namespace. Two
 * implementations:
 *
 *  - overlay (resolve.c, dispatch.c's vfsd requests, vfsd/layer.c's
 *    listings): the layers merged at the mountpoint, changes made by vfsd;
 *  - passthrough (vfs_passthrough.c): every path maps to itself, nothing
 *    is ever inside. Calls are still intercepted (the cost floor of
 *    interception, and what --audit sees), none is rewritten. It is the
 *    template for a new VFS: README "Extending fuss".
 *
 * A name `resolve` puts inside (res->in_overlay) reaches the other
 * operations; for a name outside, the handlers let the kernel have the call
 * as the program made it (or with res->host when res->host_rewrite).
 */
#ifndef FUSS_VFS_H
#define FUSS_VFS_H

#include <stdbool.h>
#include <stdint.h>
#include "../shm/layout.h"
#include "resolve.h"

struct layer_listing;

struct tr_vfs {
	const char *name;
	/* Does the run need vfsd (and so --mountpoint and the layers)? */
	bool needs_vfsd;
	/* (dirfd, path) as the program names it, under the TR_RES_* flags:
	 * 0 and `res` filled in, or -errno for what the kernel would say. */
	int (*resolve)(struct tr_call *c, int dirfd, const char *path, int flags,
		       struct tr_res *res);
	/* The real path the kernel is handed for a resolved name in `layer`
	 * (0 = the writable one); shorter than `size` and PATH_MAX. */
	int (*real_path)(const struct tr_res *res, int layer, char *out, size_t size);
	/* The layer a real path (an fd's or the cwd's target) lies in, -1 for
	 * none; and the path the program knows it by (0 when none). */
	int (*layer_of)(const char *real);
	int (*to_virtual)(const char *real, char *out, size_t size);
	/* A change of the namespace: `op` and its arguments as in
	 * shm/layout.h (copy-up, a create's parent chain, mkdir, unlink with
	 * its whiteout, rename, ...), paths relative to the root. 0 or a
	 * result the op defines, or -errno for the program. `creds`: act
	 * with the calling thread's rights. */
	int (*change)(struct tr_call *c, enum shm_op op, const char *vrel,
		      const char *vrel2, uint64_t arg0, uint64_t arg1, uint64_t arg2,
		      bool creds);
	/* The listing getdents shows for a resolved directory. */
	int (*list)(const struct tr_res *dir, struct layer_listing *out);
};

extern const struct tr_vfs tr_vfs_overlay;
extern const struct tr_vfs tr_vfs_passthrough;

/* By --vfs name; NULL if unknown. */
const struct tr_vfs *tr_vfs_find(const char *name);

/* The calls handlers make, through the run's VFS (tr.vfs). */
int tr_vfs_change(struct tr_call *c, enum shm_op op, const char *vrel,
		  const char *vrel2, uint64_t arg0, uint64_t arg1, uint64_t arg2,
		  bool creds);
int tr_vfs_layer_of(const char *real);
int tr_vfs_to_virtual(const char *real, char *out, size_t size);
int tr_vfs_list(const struct tr_res *dir, struct layer_listing *out);

#endif
