/*
 * The run's VFS (vfs.h): the overlay's operations gathered in one table,
 * the lookup by --vfs name, and the calls handlers make through tr.vfs.
 */
#include <string.h>
#include "../vfsd/layer.h"
#include "audit.h"
#include "observe.h"
#include "path.h"
#include "vfs.h"

static int overlay_layer_of(const char *real)
{
	return tr_path_layer_of(tr.cfg, real);
}

static int overlay_to_virtual(const char *real, char *out, size_t size)
{
	return tr_path_real_to_virtual(tr.cfg, real, out, size);
}

static int overlay_list(const struct tr_res *dir, struct layer_listing *out)
{
	return layer_list_merged(tr.cfg, dir->vrel, dir->ent.layers, out);
}

const struct tr_vfs tr_vfs_overlay = {
	.name = "overlay",
	.needs_vfsd = true,
	.resolve = tr_overlay_resolve,
	.real_path = tr_overlay_real_path,
	.layer_of = overlay_layer_of,
	.to_virtual = overlay_to_virtual,
	.change = tr_vfsd_call,
	.list = overlay_list,
};

const struct tr_vfs *tr_vfs_find(const char *name)
{
	static const struct tr_vfs *const all[] = { &tr_vfs_overlay, &tr_vfs_passthrough };

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (strcmp(all[i]->name, name) == 0)
			return all[i];
	return NULL;
}

/* Unit tests drive the resolver without a run: the overlay then. */
static const struct tr_vfs *vfs(void)
{
	return tr.vfs ? tr.vfs : &tr_vfs_overlay;
}

int tr_resolve(struct tr_call *c, int dirfd, const char *path, int flags,
	       struct tr_res *res)
{
	int err = vfs()->resolve(c, dirfd, path, flags, res);

	if (!err)
		tr_log_res(c, c->log_slot, res);
	if (tr_audit_on() && c && c->t)
		tr_audit_name(c, dirfd, path, res, err);
	return err;
}

int tr_res_real(const struct tr_res *res, int layer, char *out, size_t size)
{
	return vfs()->real_path(res, layer, out, size);
}

int tr_vfs_change(struct tr_call *c, enum shm_op op, const char *vrel,
		  const char *vrel2, uint64_t arg0, uint64_t arg1, uint64_t arg2,
		  bool creds)
{
	int err = vfs()->change(c, op, vrel, vrel2, arg0, arg1, arg2, creds);

	if (tr_audit_on() && err >= 0 && c && c->t)
		tr_audit_changed(c, op, vrel, vrel2);
	return err;
}

int tr_vfs_layer_of(const char *real)
{
	return vfs()->layer_of(real);
}

int tr_vfs_to_virtual(const char *real, char *out, size_t size)
{
	return vfs()->to_virtual(real, out, size);
}

int tr_vfs_list(const struct tr_res *dir, struct layer_listing *out)
{
	return vfs()->list(dir, out);
}
