/*
 * The passthrough VFS: every path maps to itself. Nothing is ever inside,
 * so every handler lets the kernel have the call as the program made it;
 * the calls are still intercepted, which makes a run under it the cost of
 * interception alone, and lets --audit see them.
 *
 * It is also the template for a new VFS (README "Extending fuss"): a VFS
 * that maps some paths elsewhere fills `res` in `resolve` (in_overlay, the
 * entry's type in ent.mode, `exists`, vrel relative to its root), gives the
 * real path of each name in `real_path`, maps real paths back in
 * `layer_of`/`to_virtual`, and performs or refuses changes in `change`.
 */
#include <errno.h>
#include <string.h>
#include "vfs.h"

static int pt_resolve(struct tr_call *c, int dirfd, const char *path, int flags,
		      struct tr_res *res)
{
	size_t len = strlen(path);

	(void)c;
	(void)dirfd;
	(void)flags;
	res->in_overlay = res->host_rewrite = res->exists = res->xdev = false;
	res->search_hard = false;
	res->last_dot = 0;
	res->trailing_slash = len > 1 && path[len - 1] == '/';
	res->vrel[0] = '\0';
	res->vrel_len = 0;
	if (len >= PATH_MAX)
		return -ENAMETOOLONG;
	/* What the kernel will walk: the path as given (relative ones from
	 * the dirfd or cwd, which fuss does not need to know here). */
	memcpy(res->host, path, len + 1);
	return 0;
}

static int pt_real_path(const struct tr_res *res, int layer, char *out, size_t size)
{
	(void)res;
	(void)layer;
	(void)out;
	(void)size;
	return -ENOENT; /* never reached: nothing is inside */
}

static int pt_layer_of(const char *real)
{
	(void)real;
	return -1;
}

static int pt_to_virtual(const char *real, char *out, size_t size)
{
	(void)real;
	(void)out;
	(void)size;
	return 0;
}

static int pt_change(struct tr_call *c, enum shm_op op, const char *vrel,
		     const char *vrel2, uint64_t arg0, uint64_t arg1, uint64_t arg2,
		     bool creds)
{
	(void)c;
	(void)op;
	(void)vrel;
	(void)vrel2;
	(void)arg0;
	(void)arg1;
	(void)arg2;
	(void)creds;
	return -EROFS; /* never reached: nothing is inside */
}

static int pt_list(const struct tr_res *dir, struct layer_listing *out)
{
	(void)dir;
	(void)out;
	return -ENOTDIR; /* never reached: nothing is inside */
}

const struct tr_vfs tr_vfs_passthrough = {
	.name = "passthrough",
	.needs_vfsd = false,
	.resolve = pt_resolve,
	.real_path = pt_real_path,
	.layer_of = pt_layer_of,
	.to_virtual = pt_to_virtual,
	.change = pt_change,
	.list = pt_list,
};
