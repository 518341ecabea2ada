/*
 * The namespace operations vfsd performs for the tracer, and the walk over
 * the merged tree that each of them starts with. vfsd only.
 *
 * A walk recomputes every component from the layers, exactly as overlayfs
 * looks a name up: upper first, then the lowers top to bottom within the
 * parent's contributing layers; a whiteout hides the name below it; a
 * non-dir ends the search; a directory collects every layer below it where
 * the name is a directory too, up to an opaque one. Each component is put
 * into the dcache on the way, so the cache only ever holds values that vfsd
 * computed from the layers.
 *
 * Cache invariants kept by every operation, before it answers:
 *   - a name an operation changed is removed and inserted again, so its
 *     slot generation moves and everything cached below it is unreachable;
 *   - a value recomputed by a walk replaces the cached one in place when the
 *     entry kept its identity (same type, same lower layers, same opacity),
 *     so a copy-up does not drop a directory's cached children;
 *   - PROBE_UPPER set by PREP_CREATE survives walks until the name shows up
 *     in upper or an operation or NOTIFY sets its exact value;
 *   - if the cache is flushed during an operation (insert answers
 *     -ESTALE), the rest of the operation inserts nothing: an empty cache is
 *     exact too.
 *
 * Paths are overlay-relative and validated by main.c: no leading '/', no
 * empty, "." or ".." components. Layer fds are O_PATH and every component is
 * opened with O_NOFOLLOW, so no symlink inside a layer is ever followed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "do.h"
#include "layer.h"
#include "ops.h"

#define BIT(i) (1ull << (i))
#define LOWERS(mask) ((mask) & ~1ull)

static void vfsd_stat_add(uint64_t *counter, uint64_t n)
{
	__atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}

/* --- nodes ---------------------------------------------------------------- */

static void vfsd_node_init(struct vfsd_node *n)
{
	memset(n, 0, sizeof(*n));
	for (int i = 0; i < SHM_MAX_LAYERS; i++)
		n->fd[i] = -1;
	n->val.layer = SHM_LAYER_NONE;
	n->val.flags = SHM_DF_NEG;
}

static void vfsd_node_release(struct vfsd_node *n)
{
	for (int i = 0; i < SHM_MAX_LAYERS; i++) {
		if (n->owned & BIT(i))
			close(n->fd[i]);
	}
	vfsd_node_init(n);
}

static bool vfsd_node_neg(const struct vfsd_node *n)
{
	return n->val.flags & SHM_DF_NEG;
}

static bool vfsd_node_dir(const struct vfsd_node *n)
{
	return !vfsd_node_neg(n) && S_ISDIR(n->val.mode);
}

static void vfsd_node_root(struct vfsd *v, struct vfsd_node *n)
{
	vfsd_node_init(n);
	n->val = v->root_val;
	for (int i = 0; i < SHM_MAX_LAYERS; i++) {
		if (n->val.layers & BIT(i))
			n->fd[i] = v->root[i];
	}
	if (n->val.layer != SHM_LAYER_NONE)
		fstat(v->root[n->val.layer], &n->st);
}

int vfsd_root_fill(struct vfsd *v)
{
	struct shm_dent *slot0 = shm_ptr(v->r, v->r->hdr->dcache_off, sizeof(*slot0));
	struct shm_dval *val = &v->root_val;
	struct stat st;

	/* Like the kernel, every layer's root takes part, opaque or not. */
	memset(val, 0, sizeof(*val));
	val->layer = SHM_LAYER_NONE;
	for (int i = SHM_MAX_LAYERS - 1; i >= 0; i--) {
		if (v->present & BIT(i)) {
			val->layers |= BIT(i);
			val->layer = (uint8_t)i;
		}
	}
	if (!slot0 || val->layer == SHM_LAYER_NONE)
		return -EINVAL;
	if (fstat(v->root[val->layer], &st) < 0)
		return -errno;
	val->mode = st.st_mode;
	val->ref = (struct shm_dref){ SHM_DCACHE_ROOT, __atomic_load_n(&slot0->gen, __ATOMIC_ACQUIRE) };
	return shm_dcache_update(v->r, val->ref, val);
}

/* --- one name in one directory --------------------------------------------- */

enum vfsd_probe {
	VFSD_ABSENT,
	VFSD_WHITEOUT,
	VFSD_REAL,
	VFSD_REAL_STOP,   /* real, with a `.wh.` file beside it: nothing below */
};

/* below: layers under this one may hold the name too. */
static int vfsd_probe(int dfd, const char *name, struct stat *st, bool below)
{
	int ret;

	if (fstatat(dfd, name, st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno != ENOENT)
			return -errno;
		ret = layer_has_wh_file(dfd, name);
		return ret < 0 ? ret : ret ? VFSD_WHITEOUT : VFSD_ABSENT;
	}
	ret = layer_entry_whiteout(dfd, name, st);
	if (ret)
		return ret < 0 ? ret : VFSD_WHITEOUT;
	/* A `.wh.` file beside a real entry only stops a dir's merge with
	 * the layers below: a non-dir hides them anyway. */
	if (!S_ISDIR(st->st_mode) || !below)
		return VFSD_REAL;
	ret = layer_has_wh_file(dfd, name);
	return ret < 0 ? ret : ret ? VFSD_REAL_STOP : VFSD_REAL;
}

/*
 * Layer i holds `name` for real: 1 to look further down, 0 to stop. Only
 * with layers below (`below`) can a dir be opaque to anything; its fd is
 * opened when the walk goes into it (`want_fd`) or to read its marker.
 */
static int vfsd_node_add(struct vfsd_node *e, int dfd, const char *name, int i,
			 const struct stat *st, bool below, bool want_fd)
{
	bool first = e->val.layer == SHM_LAYER_NONE;
	int fd, opq;

	if (!first && !S_ISDIR(st->st_mode))
		return 0;   /* a non-dir below a dir is hidden by it */
	if (first) {
		e->val.layer = (uint8_t)i;
		e->val.mode = st->st_mode;
		e->val.flags &= (uint16_t)~SHM_DF_NEG;
		e->st = *st;
	}
	e->val.layers |= BIT(i);
	if (!S_ISDIR(st->st_mode) || (!below && !want_fd))
		return 0;
	fd = openat(dfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	e->fd[i] = fd;
	e->owned |= BIT(i);
	if (!below)
		return 0;
	opq = layer_dir_is_opaque(fd);
	if (opq > 0 && first)
		e->val.flags |= SHM_DF_OPAQUE;
	return opq < 0 ? opq : !opq;
}

/* want_fd: a dir found gets its fds (to walk into it); without, only its
 * value is filled. */
static int vfsd_lookup_name(const struct vfsd_node *dir, const char *name,
			    struct vfsd_node *e, bool want_fd)
{
	struct stat st;
	int ret = 0;

	vfsd_node_init(e);
	if (layer_name_hidden(name))
		return 0;
	for (int i = 0; i < SHM_MAX_LAYERS; i++) {
		bool stop;

		if (!(dir->val.layers & BIT(i)))
			continue;
		bool below = dir->val.layers >> i >> 1;

		ret = vfsd_probe(dir->fd[i], name, &st, below);
		if (ret < 0 || ret == VFSD_WHITEOUT) {
			if (ret == VFSD_WHITEOUT && i == 0)
				e->val.flags |= SHM_DF_WHITEOUT_UP;
			break;
		}
		if (ret == VFSD_ABSENT)
			continue;
		stop = ret == VFSD_REAL_STOP;
		ret = vfsd_node_add(e, dir->fd[i], name, i, &st, below, want_fd);
		if (ret <= 0 || stop)
			break;
	}
	if (ret < 0) {
		vfsd_node_release(e);
		return ret;
	}
	return 0;
}

/*
 * What the lowers alone say about `name` in dir: 0 nothing (absent or
 * whited out), 1 a non-dir, 2 a dir. Decides whether removing the upper
 * object needs a whiteout and whether a moved dir would merge with a lower.
 */
static int vfsd_lower_first(const struct vfsd_node *dir, const char *name)
{
	struct stat st;

	for (int i = 1; i < SHM_MAX_LAYERS; i++) {
		int ret;

		if (!(dir->val.layers & BIT(i)))
			continue;
		ret = vfsd_probe(dir->fd[i], name, &st, true);
		if (ret < 0)
			return ret;
		if (ret == VFSD_WHITEOUT)
			return 0;
		if (ret != VFSD_ABSENT)
			return S_ISDIR(st.st_mode) ? 2 : 1;
	}
	return 0;
}

/* --- dcache ---------------------------------------------------------------- */

static bool vfsd_val_same_entry(const struct shm_dval *a, const struct shm_dval *b)
{
	const uint16_t id_flags = SHM_DF_NEG | SHM_DF_OPAQUE;

	if ((a->flags & id_flags) != (b->flags & id_flags) ||
	    (a->mode & S_IFMT) != (b->mode & S_IFMT))
		return false;
	return !S_ISDIR(a->mode) || LOWERS(a->layers) == LOWERS(b->layers);
}

/* exact: the name was changed; drop whatever the cache knew about it. */
static void vfsd_cache_put(struct vfsd *v, struct vfsd_walk *w, const struct vfsd_node *dir,
			   const char *name, struct vfsd_node *e, bool exact)
{
	size_t len = strlen(name);
	struct shm_dval old;
	int err;

	if (w->uncached || shm_dcache_epoch(v->r) != w->epoch) {
		w->uncached = true;
		return;
	}
	if (shm_dcache_lookup(v->r, dir->val.ref, name, len, &old) == 0) {
		if (!exact && (old.flags & SHM_DF_PROBE_UPPER) && e->val.layer != 0)
			e->val.flags |= SHM_DF_PROBE_UPPER;
		if (exact || !vfsd_val_same_entry(&old, &e->val))
			shm_dcache_remove(v->r, dir->val.ref, name, len);
	}
	err = shm_dcache_insert(v->r, dir->val.ref, name, len, &e->val, &e->val.ref);
	if (err) {
		w->uncached = true;
		if (err != -ESTALE)
			fuss_warn("dcache insert \"%s\": %s", name, strerror(-err));
	}
}

/*
 * After a change of `w->name`: its new value, or nothing cached at all.
 * When the walk could not cache and no flush explains it, the old value
 * may still be there: only a flush makes the cache exact again.
 */
static void vfsd_refresh(struct vfsd *v, struct vfsd_walk *w)
{
	vfsd_node_release(&w->ent);
	if (vfsd_lookup_name(&w->dir, w->name, &w->ent, true) == 0)
		vfsd_cache_put(v, w, &w->dir, w->name, &w->ent, true);
	else if (!w->uncached)
		shm_dcache_remove(v->r, w->dir.val.ref, w->name, strlen(w->name));
	if (w->uncached && shm_dcache_epoch(v->r) == w->epoch)
		shm_dcache_flush(v->r);
}

/* --- permissions ---------------------------------------------------------- */

/* The caller's rights are checked here, before anything is copied up: a
 * root vfsd could do what the tracee could not, and an unprivileged one
 * would otherwise meet the refusal only once parents were copied up (the
 * kernel checks first). A root caller of a root vfsd is left to the kernel. */
static bool vfsd_checks(const struct vfsd *v, const struct shm_creds *c)
{
	return c && (!v->is_root || c->fsuid != 0);
}

static bool vfsd_in_group(const struct shm_creds *c, gid_t gid)
{
	if (c->fsgid == gid)
		return true;
	for (uint32_t i = 0; i < c->ngroups && i < 32; i++) {
		if (c->groups[i] == gid)
			return true;
	}
	return false;
}

static int vfsd_may(const struct vfsd *v, const struct stat *st,
		    const struct shm_creds *c, unsigned int mask)
{
	unsigned int bits;

	if (!vfsd_checks(v, c))
		return 0;
	if (st->st_uid == c->fsuid)
		bits = (st->st_mode >> 6) & 7;
	else if (vfsd_in_group(c, st->st_gid))
		bits = (st->st_mode >> 3) & 7;
	else
		bits = st->st_mode & 7;
	return (bits & mask) == mask ? 0 : -EACCES;
}

static int vfsd_may_create(const struct vfsd *v, const struct vfsd_walk *w,
			   const struct shm_creds *c)
{
	return vfsd_may(v, &w->dir.st, c, W_OK | X_OK);
}

static int vfsd_may_delete(const struct vfsd *v, const struct vfsd_walk *w,
			   const struct shm_creds *c)
{
	const struct stat *dir = &w->dir.st;
	int err = vfsd_may(v, dir, c, W_OK | X_OK);

	if (err || !vfsd_checks(v, c) || !(dir->st_mode & S_ISVTX))
		return err;
	if (c->fsuid != dir->st_uid && c->fsuid != w->ent.st.st_uid)
		return -EPERM;
	return 0;
}

/* --- walk ----------------------------------------------------------------- */

/* Put the dir `e` (named w->name in w->dir) in upper. */
static int vfsd_node_copy_up(struct vfsd *v, struct vfsd_walk *w, struct vfsd_node *e)
{
	struct vfsd_node *dir = &w->dir;
	int k = e->val.layer, up = dir->fd[0], fd;
	uint64_t bytes = 0;
	struct stat st;
	int err;

	if (v->root[0] < 0)
		return -EROFS;
	if (up < 0 || k == SHM_LAYER_NONE || k == 0)
		return -EIO;
	err = vfsd_copy_up(v, dir->fd[k], up, w->name, &e->st, &bytes);
	if (err)
		return err;
	vfsd_stat_add(&v->r->hdr->stat_copyups, 1);
	vfsd_stat_add(&v->r->hdr->stat_copyup_bytes, bytes);
	if (fstatat(up, w->name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode)) {
		fd = openat(up, w->name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		e->fd[0] = fd;
		e->owned |= 1;
		e->val.layers |= 1;
	} else {
		e->val.layers = 1;
	}
	/* The copy is not opaque; an opaque lower already cut the mask. */
	e->val.flags &= (uint16_t)~(SHM_DF_OPAQUE | SHM_DF_PROBE_UPPER);
	e->val.layer = 0;
	e->val.mode = st.st_mode;
	e->st = st;
	return 0;
}

/* w->ent is an intermediate component: check it, cache it, go into it. */
static int vfsd_walk_step(struct vfsd *v, struct vfsd_walk *w, unsigned int flags)
{
	struct vfsd_node *e = &w->ent;
	int err;

	if (!vfsd_node_dir(e)) {
		vfsd_cache_put(v, w, &w->dir, w->name, e, false);
		return vfsd_node_neg(e) ? -ENOENT : -ENOTDIR;
	}
	if ((flags & VFSD_WALK_UPPER) && !(e->val.layers & 1)) {
		err = vfsd_node_copy_up(v, w, e);
		if (err)
			return err;
	}
	vfsd_cache_put(v, w, &w->dir, w->name, e, false);
	vfsd_node_release(&w->dir);
	w->dir = *e;
	vfsd_node_init(e);
	return 0;
}

void vfsd_walk_release(struct vfsd_walk *w)
{
	vfsd_node_release(&w->dir);
	vfsd_node_release(&w->ent);
}

static void vfsd_walk_start(struct vfsd *v, struct vfsd_walk *w)
{
	w->epoch = shm_dcache_epoch(v->r);
	w->uncached = false;
	w->name[0] = 0;
	vfsd_node_root(v, &w->dir);
	vfsd_node_init(&w->ent);
}

/*
 * The dirs on the path of the last walk. Programs work on the names of one
 * directory after another (ls -l, du, find, a copy-up per file): each walk
 * would open and probe every ancestor in every layer again. A walk starts
 * at the deepest kept dir on its own path instead. A walk only changes its
 * last component (and copies up dirs above it, which it walks itself), so
 * the kept dirs stay what they were; a walk that may change more, or runs
 * beside another walk (link, rename, notify), drops them all first, as
 * does a flush of the cache (the kept entries' references die with it).
 */
static void vfsd_keep_cut(struct vfsd *v, int n)
{
	while (v->nkeep > n)
		vfsd_node_release(&v->keep[--v->nkeep]);
}

void vfsd_fini_walk(struct vfsd *v)
{
	vfsd_keep_cut(v, 0);
}

/* A walk of `path` starts at the deepest kept dir above its last name (in
 * upper too when the walk must copy up): that dir's prefix length, 0 for
 * the root. The rest is dropped: it is not on this path, or the walk will
 * change it. The dir's attributes are read again (a chmod by the kernel
 * does not pass through vfsd). */
static size_t vfsd_keep_resume(struct vfsd *v, const char *path, unsigned int flags,
			       struct vfsd_walk *w)
{
	int n = 0;

	if (v->nkeep && shm_dcache_epoch(v->r) != v->keep_epoch)
		vfsd_keep_cut(v, 0);
	while (n < v->nkeep) {
		size_t len = v->keep_len[n];

		if (strncmp(path, v->keep_path, len) != 0 || path[len] != '/' ||
		    ((flags & VFSD_WALK_UPPER) && !(v->keep[n].val.layers & 1)))
			break;
		n++;
	}
	vfsd_keep_cut(v, n);
	if (!n)
		return 0;
	if (fstat(v->keep[n - 1].fd[v->keep[n - 1].val.layer], &v->keep[n - 1].st) < 0) {
		vfsd_keep_cut(v, 0);
		return 0;
	}
	vfsd_node_release(&w->dir);
	w->dir = v->keep[n - 1];
	w->dir.owned = 0;   /* borrowed: the kept node still owns the fds */
	return v->keep_len[n - 1];
}

/* The length of the prefix of `path` naming the dir that holds the
 * component at p. */
static size_t vfsd_dir_len(const char *path, const char *p)
{
	return p == path ? 0 : (size_t)(p - path - 1);
}

/* w->dir, the dir at the first `len` bytes of `path`, is kept (its fds
 * move) unless it is the root or kept already. */
static void vfsd_keep_push(struct vfsd *v, struct vfsd_walk *w, const char *path, size_t len)
{
	if (!w->dir.owned || w->uncached || v->nkeep == VFSD_KEEP_MAX)
		return;
	if (!v->nkeep)
		v->keep_epoch = w->epoch;
	memcpy(v->keep_path, path, len);
	v->keep_path[len] = '\0';
	v->keep_len[v->nkeep] = len;
	v->keep[v->nkeep++] = w->dir;
	w->dir.owned = 0;
}

int vfsd_walk(struct vfsd *v, const char *path, unsigned int flags,
	      const struct shm_creds *c, struct vfsd_walk *w)
{
	const char *p = path;
	/* Skipped ancestors need no search permission check. */
	bool keep = (flags & VFSD_WALK_KEEP) && !vfsd_checks(v, c);
	size_t kept;
	int err = 0;

	vfsd_walk_start(v, w);
	w->keep = flags & VFSD_WALK_KEEP;
	if (!*path) {
		vfsd_node_root(v, &w->ent);
		return 0;
	}
	if (!keep)
		vfsd_keep_cut(v, 0);
	else if ((kept = vfsd_keep_resume(v, path, flags, w)))
		p = path + kept + 1;
	for (;;) {
		size_t len = strcspn(p, "/");

		if (len > NAME_MAX) {
			err = -ENAMETOOLONG;
			break;
		}
		memcpy(w->name, p, len);
		w->name[len] = 0;
		err = vfsd_may(v, &w->dir.st, c, X_OK);
		if (!err)
			err = vfsd_lookup_name(&w->dir, w->name, &w->ent, true);
		if (err || !p[len])
			break;
		if (keep)
			vfsd_keep_push(v, w, path, vfsd_dir_len(path, p));
		err = vfsd_walk_step(v, w, flags);
		if (err)
			break;
		p += len + 1;
	}
	if (err) {
		vfsd_walk_release(w);
		return err;
	}
	if (keep)
		vfsd_keep_push(v, w, path, vfsd_dir_len(path, p));
	vfsd_cache_put(v, w, &w->dir, w->name, &w->ent, flags & VFSD_WALK_EXACT);
	return 0;
}

/* The parent of w->name in upper: walk again copying up, when needed. */
static int vfsd_walk_upper(struct vfsd *v, const char *path, const struct shm_creds *c,
			   struct vfsd_walk *w)
{
	if (w->dir.val.layers & 1)
		return 0;
	unsigned int flags = VFSD_WALK_UPPER | (w->keep ? VFSD_WALK_KEEP : 0);

	vfsd_walk_release(w);
	return vfsd_walk(v, path, flags, c, w);
}

static int vfsd_need_upper(const struct vfsd *v)
{
	return v->root[0] >= 0 ? 0 : -EROFS;
}

/* Names that would read back as markers are not for programs to create. */
static int vfsd_name_check(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	return layer_name_hidden(base) ? -EINVAL : 0;
}

/* --- creating objects in upper --------------------------------------------- */

struct vfsd_new {
	const struct fuss_config *cfg;
	mode_t mode;            /* type and permission bits, final */
	dev_t dev;
	const char *target;     /* symlink text */
	int link_dfd;           /* link: the existing upper object */
	const char *link_name;
	uid_t uid;
	gid_t gid;
	bool chown;
	bool opaque;
};

static int vfsd_new_finish(int dfd, const char *name, const struct vfsd_new *n)
{
	int err = 0, fd;

	if (n->chown)
		err = vfsd_do_fchownat(dfd, name, n->uid, n->gid, AT_SYMLINK_NOFOLLOW);
	/* chown clears suid/sgid of a file; put them back. */
	if (!err && n->chown && S_ISREG(n->mode) && (n->mode & (S_ISUID | S_ISGID)))
		err = vfsd_do_fchmodat(dfd, name, n->mode & 07777);
	if (!err && n->opaque) {
		fd = openat(dfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		err = fd < 0 ? -errno : layer_set_opaque(n->cfg, fd);
		if (fd >= 0)
			close(fd);
	}
	return err;
}

static int vfsd_new_make(int dfd, const char *name, const void *arg)
{
	const struct vfsd_new *n = arg;
	mode_t perm = n->mode & 07777;
	int err, fd;

	if (n->link_name)
		return vfsd_do_linkat(n->link_dfd, n->link_name, dfd, name, 0);
	switch (n->mode & S_IFMT) {
	case S_IFDIR:
		err = vfsd_do_mkdirat(dfd, name, perm);
		break;
	case S_IFLNK:
		err = vfsd_do_symlinkat(n->target, dfd, name);
		break;
	case S_IFREG:
		fd = vfsd_do_create(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, perm);
		err = fd < 0 ? fd : close(fd);
		break;
	default:
		err = vfsd_do_mknodat(dfd, name, n->mode, n->dev);
		break;
	}
	if (err)
		return err;
	err = vfsd_new_finish(dfd, name, n);
	if (err)
		vfsd_do_unlinkat(dfd, name, S_ISDIR(n->mode) ? AT_REMOVEDIR : 0);
	return err;
}

/* Owner of a new object: the caller, or the dir's group in a setgid dir. */
static void vfsd_new_owner(const struct vfsd *v, const struct vfsd_walk *w,
			   const struct shm_creds *c, struct vfsd_new *n)
{
	const struct stat *dir = &w->dir.st;
	bool sgid_dir = dir->st_mode & S_ISGID;
	gid_t natural = sgid_dir ? dir->st_gid : getegid();

	n->cfg = v->cfg;
	n->uid = c ? c->fsuid : geteuid();
	n->gid = sgid_dir ? dir->st_gid : c ? c->fsgid : getegid();
	n->chown = v->is_root && c && (n->uid != geteuid() || n->gid != natural);
	/* The kernel drops sgid from a new group-executable file whose group
	 * the creator is not in. */
	if (vfsd_checks(v, c) && S_ISREG(n->mode) && (n->mode & S_ISGID) &&
	    (n->mode & S_IXGRP) && !vfsd_in_group(c, n->gid))
		n->mode &= ~(mode_t)S_ISGID;
}

/* The temp object takes the place of an upper whiteout entry. */
static int vfsd_new_replace(int dfd, const char *tmp, const char *name, bool is_dir)
{
	int err;

	if (!is_dir)
		return vfsd_do_renameat2(dfd, tmp, dfd, name, 0);
	/* A dir cannot be renamed over a non-dir: swap, then drop the old. */
	err = vfsd_do_renameat2(dfd, tmp, dfd, name, RENAME_EXCHANGE);
	if (!err)
		vfsd_tmp_drop(dfd, tmp, false);
	return err;
}

/* Create w->name in the upper parent, atomically over a whiteout. */
static int vfsd_new_place(struct vfsd_walk *w, const struct vfsd_new *n)
{
	bool wh = w->ent.val.flags & SHM_DF_WHITEOUT_UP;
	bool is_dir = S_ISDIR(n->mode) && !n->link_name;
	int dfd = w->dir.fd[0];
	char tmp[VFSD_TMP_SIZE];
	struct stat st;
	int err;

	if (!wh && !n->chown && !n->opaque)
		return vfsd_new_make(dfd, w->name, n);
	err = vfsd_tmp_make(dfd, tmp, vfsd_new_make, n);
	if (err)
		return err;
	if (fstatat(dfd, w->name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		err = layer_entry_whiteout(dfd, w->name, &st) > 0 ?
		      vfsd_new_replace(dfd, tmp, w->name, is_dir) : -EEXIST;
	else
		err = errno == ENOENT ? vfsd_tmp_commit(dfd, tmp, w->name, is_dir) : -errno;
	if (err) {
		vfsd_tmp_drop(dfd, tmp, is_dir);
		return err;
	}
	/* `.wh.<name>` goes last: beside the new entry it hides nothing more. */
	return wh ? layer_remove_whiteout(dfd, w->name) : 0;
}

/* Common part of mkdir/mknod/symlink: n->mode etc. filled by the caller. */
static int vfsd_create(struct vfsd *v, const char *path, const struct shm_creds *c,
		       struct vfsd_new *n)
{
	struct vfsd_walk w;
	int err;

	err = vfsd_need_upper(v) ?: vfsd_name_check(path);
	if (err)
		return err;
	if (!*path)
		return -EEXIST;
	err = vfsd_walk(v, path, VFSD_WALK_KEEP, c, &w);
	if (err)
		return err;
	if (!vfsd_node_neg(&w.ent))
		err = -EEXIST;
	if (!err)
		err = vfsd_may_create(v, &w, c);
	if (!err && (n->mode & S_IFMT) == S_IFCHR && n->dev == 0)
		err = -EPERM;   /* overlayfs refuses to create a whiteout */
	if (!err && (S_ISCHR(n->mode) || S_ISBLK(n->mode)) && vfsd_checks(v, c))
		err = -EPERM;   /* the caller has no CAP_MKNOD (taken as root's only) */
	if (!err)
		err = vfsd_walk_upper(v, path, c, &w);
	if (err)
		goto out_release;
	vfsd_new_owner(v, &w, c, n);
	n->opaque = S_ISDIR(n->mode) && (w.ent.val.flags & SHM_DF_WHITEOUT_UP);
	err = vfsd_new_place(&w, n);
	vfsd_refresh(v, &w);
out_release:
	vfsd_walk_release(&w);
	return err;
}

static mode_t vfsd_umask(const struct shm_creds *c)
{
	return c ? (mode_t)(c->umask & 0777) : 0;
}

int vfsd_op_mkdir(struct vfsd *v, const char *path, mode_t mode, const struct shm_creds *c)
{
	struct vfsd_new n = { .mode = S_IFDIR | (mode & 01777 & ~vfsd_umask(c)) };

	return vfsd_create(v, path, c, &n);
}

int vfsd_op_mknod(struct vfsd *v, const char *path, mode_t mode, dev_t dev,
		  const struct shm_creds *c)
{
	struct vfsd_new n = { .dev = dev };
	mode_t type = mode & S_IFMT;

	if (type == 0)
		type = S_IFREG;
	if (type == S_IFDIR)
		return -EPERM;
	if (type != S_IFREG && type != S_IFCHR && type != S_IFBLK &&
	    type != S_IFIFO && type != S_IFSOCK)
		return -EINVAL;
	n.mode = type | (mode & 07777 & ~vfsd_umask(c));
	return vfsd_create(v, path, c, &n);
}

int vfsd_op_symlink(struct vfsd *v, const char *path, const char *target,
		    const struct shm_creds *c)
{
	struct vfsd_new n = { .mode = S_IFLNK | 0777, .target = target };

	if (!*target)
		return -ENOENT;
	return vfsd_create(v, path, c, &n);
}

/* --- lookup, copy-up, prepare-create, notify -------------------------------- */

/* Every name of w->dir (the directory of the name just walked to), looked
 * up and cached: one request for a program that lists a directory and
 * then stats its entries (ls -l, du, find -newer), instead of one each. */
static void vfsd_cache_siblings(struct vfsd *v, struct vfsd_walk *w, const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[SHM_PATH_MAX];
	struct layer_listing list = { 0 };
	size_t dlen = slash ? (size_t)(slash - path) : 0;

	memcpy(dir, path, dlen);
	dir[dlen] = '\0';
	if (layer_list_merged(v->cfg, dir, w->dir.val.layers, &list) < 0)
		return;
	/* A larger directory: none (the cache would fill with names the
	 * program may never ask for). */
	for (size_t i = 0; list.n <= SHM_LOOKUP_SIBLINGS_MAX && i < list.n && !w->uncached; i++) {
		struct vfsd_node e;

		const char *name = list.ents[i].name;

		if (strcmp(name, w->name) == 0 || strcmp(name, ".") == 0 ||
		    strcmp(name, "..") == 0)
			continue;
		vfsd_node_init(&e);
		if (vfsd_lookup_name(&w->dir, name, &e, false) == 0)
			vfsd_cache_put(v, w, &w->dir, name, &e, false);
		vfsd_node_release(&e);
	}
	layer_listing_free(&list);
}

int vfsd_op_lookup(struct vfsd *v, const char *path, uint64_t flags)
{
	struct vfsd_walk w;
	int err = 0;

	vfsd_stat_add(&v->r->hdr->stat_lookups, 1);
	/* A flush mid-walk leaves the path uncached: once more, on the
	 * emptied table, so the caller finds what it asked for. */
	for (int tries = 0; tries < 3; tries++) {
		err = vfsd_walk(v, path, VFSD_WALK_KEEP, NULL, &w);
		if (!err) {
			if ((flags & SHM_LOOKUP_SIBLINGS) && *path && !w.uncached)
				vfsd_cache_siblings(v, &w, path);
			vfsd_walk_release(&w);
		}
		if (!w.uncached)
			break;
	}
	return err;
}

/* Put w->ent (positive) in upper; the parent is there already. */
static int vfsd_ent_copy_up(struct vfsd *v, struct vfsd_walk *w)
{
	int err;

	if (w->ent.val.layers & 1)
		return 0;
	err = vfsd_node_copy_up(v, w, &w->ent);
	if (!err)
		vfsd_cache_put(v, w, &w->dir, w->name, &w->ent, false);
	return err;
}

int vfsd_op_copyup(struct vfsd *v, const char *path, const struct shm_creds *c)
{
	struct vfsd_walk w;
	int err = vfsd_need_upper(v);

	(void)c;   /* overlayfs copies up with the mounter's rights */
	if (err || !*path)
		return err;
	err = vfsd_walk(v, path, VFSD_WALK_UPPER | VFSD_WALK_KEEP, NULL, &w);
	if (err)
		return err;
	err = vfsd_node_neg(&w.ent) ? -ENOENT : vfsd_ent_copy_up(v, &w);
	vfsd_walk_release(&w);
	return err;
}

static int vfsd_prep_whiteout(struct vfsd *v, struct vfsd_walk *w, mode_t mode,
			      const struct shm_creds *c)
{
	struct vfsd_new n = { .mode = S_IFREG | (mode & 07777 & ~vfsd_umask(c)) };
	int err = vfsd_may_create(v, w, c);

	if (err)
		return err;
	vfsd_new_owner(v, w, c, &n);
	err = vfsd_new_place(w, &n);
	vfsd_refresh(v, w);
	return err ? err : 1;
}

int vfsd_op_prep_create(struct vfsd *v, const char *path, uint64_t oflags,
			mode_t mode, const struct shm_creds *c)
{
	struct vfsd_walk w;
	int err;

	err = vfsd_need_upper(v) ?: vfsd_name_check(path);
	if (err || !*path)
		return err;
	err = vfsd_walk(v, path, VFSD_WALK_KEEP, c, &w);
	if (err)
		return err;
	if (w.ent.val.layer == 0)
		goto out_release;   /* in upper already: the kernel handles it */
	/* A create the kernel would refuse must not copy the parents up. */
	if (vfsd_node_neg(&w.ent) && (oflags & O_CREAT))
		err = vfsd_may_create(v, &w, c);
	if (!err)
		err = vfsd_walk_upper(v, path, c, &w);
	if (err)
		goto out_release;
	if ((w.ent.val.flags & SHM_DF_WHITEOUT_UP) && (oflags & O_CREAT)) {
		err = vfsd_prep_whiteout(v, &w, mode, c);
		goto out_release;
	}
	w.ent.val.flags |= SHM_DF_PROBE_UPPER;
	vfsd_cache_put(v, &w, &w.dir, w.name, &w.ent, false);
out_release:
	vfsd_walk_release(&w);
	return err;
}

int vfsd_op_notify(struct vfsd *v, const char *path)
{
	struct vfsd_walk w;
	int err;

	if (!*path)
		return 0;
	err = vfsd_walk(v, path, VFSD_WALK_EXACT, NULL, &w);
	if (!err)
		vfsd_walk_release(&w);
	return err;
}

/* --- link ------------------------------------------------------------------ */

static int vfsd_link_source(struct vfsd *v, const char *path, const struct shm_creds *c,
			    struct vfsd_walk *w)
{
	int err = vfsd_walk(v, path, 0, c, w);

	if (err)
		return err;
	if (vfsd_node_neg(&w->ent))
		err = -ENOENT;
	else if (S_ISDIR(w->ent.val.mode))
		err = -EPERM;
	if (err)
		vfsd_walk_release(w);
	return err;
}

int vfsd_op_link(struct vfsd *v, const char *oldpath, const char *newpath,
		 const struct shm_creds *c)
{
	struct vfsd_new n = { .mode = S_IFREG };
	struct vfsd_walk wo, wn;
	int err;

	err = vfsd_need_upper(v) ?: vfsd_name_check(newpath);
	if (err)
		return err;
	if (!*oldpath)
		return -EPERM;
	if (!*newpath)
		return -EEXIST;
	err = vfsd_link_source(v, oldpath, c, &wo);
	if (err)
		return err;
	err = vfsd_walk(v, newpath, 0, c, &wn);
	if (err)
		goto out_old;
	err = !vfsd_node_neg(&wn.ent) ? -EEXIST : vfsd_may_create(v, &wn, c);
	if (!err)
		err = vfsd_walk_upper(v, oldpath, c, &wo) ?: vfsd_ent_copy_up(v, &wo);
	if (!err)
		err = vfsd_walk_upper(v, newpath, c, &wn);
	if (err)
		goto out_new;
	n.link_dfd = wo.dir.fd[0];
	n.link_name = wo.name;
	n.cfg = v->cfg;
	err = vfsd_new_place(&wn, &n);
	vfsd_refresh(v, &wn);
out_new:
	vfsd_walk_release(&wn);
out_old:
	vfsd_walk_release(&wo);
	return err;
}

/* --- unlink, rmdir ---------------------------------------------------------- */

static int vfsd_whiteout(struct vfsd *v, int dfd, const char *name)
{
	int err = layer_write_whiteout(v->cfg, dfd, name);

	if (!err)
		vfsd_stat_add(&v->r->hdr->stat_whiteouts, 1);
	return err;
}

static int vfsd_whfile_create(int dfd, const char *name)
{
	char wh[NAME_MAX + 1];
	int n = snprintf(wh, sizeof(wh), LAYER_WH_PREFIX "%s", name);

	if (n < 0 || n >= (int)sizeof(wh))
		return -ENAMETOOLONG;
	return layer_create_empty(dfd, wh);
}

/* Entries of an upper dir that the merged view does not show. */
static int vfsd_clear_markers(int dfd);

static int vfsd_make_whiteout_dev(int dfd, const char *name, const void *arg)
{
	(void)arg;
	return vfsd_do_mknodat(dfd, name, S_IFCHR | 0, makedev(0, 0));
}

/*
 * rmdir of a dir with an upper part. Its markers must not go while it still
 * stands under its name (they hide lower entries), so when a lower dir
 * remains, the whiteout is put in place first: a `.wh.` file beside it (a
 * real entry with one hides everything below), or a 0:0 device swapped in
 * while the dir moves to a temp name. Then the markers go, then the dir.
 */
static int vfsd_rmdir_upper(struct vfsd *v, struct vfsd_walk *w, bool lower)
{
	int dfd = w->dir.fd[0], fd = w->ent.fd[0];
	char tmp[VFSD_TMP_SIZE];
	int err;

	if (!lower)
		return vfsd_clear_markers(fd) ?: vfsd_do_unlinkat(dfd, w->name, AT_REMOVEDIR);
	vfsd_stat_add(&v->r->hdr->stat_whiteouts, 1);
	if (v->cfg->whiteout == FUSS_WH_FILEPREFIX)
		return vfsd_whfile_create(dfd, w->name) ?: vfsd_clear_markers(fd) ?:
		       vfsd_do_unlinkat(dfd, w->name, AT_REMOVEDIR);
	err = vfsd_tmp_make(dfd, tmp, vfsd_make_whiteout_dev, NULL);
	if (err)
		return err;
	err = vfsd_do_renameat2(dfd, tmp, dfd, w->name, RENAME_EXCHANGE);
	if (err) {
		vfsd_tmp_drop(dfd, tmp, false);
		return err;
	}
	/* From here the name is removed; a failure only leaves a hidden
	 * temp dir behind (swept at the next start). */
	err = vfsd_clear_markers(fd) ?: vfsd_do_unlinkat(dfd, tmp, AT_REMOVEDIR);
	if (err)
		vfsd_tmp_left = true;
	return err;
}

/*
 * Remove w->ent from the merged view: drop the upper object and leave a
 * whiteout when a lower layer still shows the name.
 */
static int vfsd_remove(struct vfsd *v, const char *path, const struct shm_creds *c,
		       struct vfsd_walk *w)
{
	bool is_dir = S_ISDIR(w->ent.val.mode);
	int lower, err;

	err = vfsd_walk_upper(v, path, c, w);
	if (err)
		return err;
	lower = vfsd_lower_first(&w->dir, w->name);
	if (lower < 0)
		return lower;
	if (is_dir && (w->ent.val.layers & 1))
		err = vfsd_rmdir_upper(v, w, lower > 0);
	else if (lower)
		err = vfsd_whiteout(v, w->dir.fd[0], w->name);
	else
		err = vfsd_do_unlinkat(w->dir.fd[0], w->name, 0);
	vfsd_refresh(v, w);
	return err;
}

int vfsd_op_unlink(struct vfsd *v, const char *path, const struct shm_creds *c)
{
	struct vfsd_walk w;
	int err = vfsd_need_upper(v);

	if (err)
		return err;
	if (!*path)
		return -EISDIR;
	err = vfsd_walk(v, path, VFSD_WALK_KEEP, c, &w);
	if (err)
		return err;
	if (vfsd_node_neg(&w.ent))
		err = -ENOENT;
	if (!err)
		err = vfsd_may_delete(v, &w, c);
	if (!err && S_ISDIR(w.ent.val.mode))
		err = -EISDIR;
	if (!err)
		err = vfsd_remove(v, path, c, &w);
	vfsd_walk_release(&w);
	return err;
}

static int vfsd_clear_one(int dfd, const char *name, unsigned char d_type)
{
	int ret = layer_is_marker(dfd, name, d_type);
	int sub;

	if (ret <= 0)
		return ret < 0 ? ret : -ENOTEMPTY;
	ret = vfsd_do_unlinkat(dfd, name, 0);
	if (ret != -EISDIR)
		return ret;
	/* A temp dir left by a crash may hold an opaque marker. */
	sub = openat(dfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sub < 0)
		return -errno;
	ret = vfsd_clear_markers(sub);
	close(sub);
	return ret ? ret : vfsd_do_unlinkat(dfd, name, AT_REMOVEDIR);
}

static int vfsd_clear_markers(int dfd)
{
	int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *de;
	DIR *dir;
	int err = 0;

	if (fd < 0)
		return -errno;
	dir = fdopendir(fd);
	if (!dir) {
		err = -errno;
		close(fd);
		return err;
	}
	while (!err && (de = readdir(dir))) {
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			err = vfsd_clear_one(fd, de->d_name, de->d_type);
	}
	closedir(dir);
	return err;
}

static int vfsd_merged_empty(struct vfsd *v, const char *path, uint64_t layers)
{
	struct layer_listing l;
	int err = layer_list_merged(v->cfg, path, layers, &l);

	if (err)
		return err;
	err = l.n > 2 ? -ENOTEMPTY : 0;
	layer_listing_free(&l);
	return err;
}

/* An empty merged dir about to go or be replaced: clear its upper part. */
static int vfsd_dir_prepare(struct vfsd *v, const char *path, struct vfsd_node *e)
{
	int err = vfsd_merged_empty(v, path, e->val.layers);

	if (!err && (e->val.layers & 1))
		err = vfsd_clear_markers(e->fd[0]);
	return err;
}

int vfsd_op_rmdir(struct vfsd *v, const char *path, const struct shm_creds *c)
{
	struct vfsd_walk w;
	int err = vfsd_need_upper(v);

	if (err)
		return err;
	if (!*path)
		return -EBUSY;
	err = vfsd_walk(v, path, VFSD_WALK_KEEP, c, &w);
	if (err)
		return err;
	if (vfsd_node_neg(&w.ent))
		err = -ENOENT;
	if (!err)
		err = vfsd_may_delete(v, &w, c);
	if (!err && !S_ISDIR(w.ent.val.mode))
		err = -ENOTDIR;
	if (!err)
		err = vfsd_merged_empty(v, path, w.ent.val.layers);
	if (!err)
		err = vfsd_remove(v, path, c, &w);
	vfsd_walk_release(&w);
	return err;
}

/* --- rename ----------------------------------------------------------------- */

/* Is `sub` below `dir` (both overlay-relative)? */
static bool vfsd_path_below(const char *sub, const char *dir)
{
	size_t len = strlen(dir);

	return strncmp(sub, dir, len) == 0 && sub[len] == '/';
}

/* The checks of rename(2), in the kernel's order; 1 = nothing to do. */
static int vfsd_rename_check(struct vfsd *v, struct vfsd_walk *wo, struct vfsd_walk *wn,
			     const char *oldpath, const char *newpath, unsigned int flags,
			     const struct shm_creds *c)
{
	bool old_dir = vfsd_node_dir(&wo->ent), new_pos = !vfsd_node_neg(&wn->ent);
	int err;

	if (vfsd_node_neg(&wo->ent))
		return -ENOENT;
	if ((flags & RENAME_EXCHANGE) && !new_pos)
		return -ENOENT;
	if ((flags & RENAME_NOREPLACE) && new_pos)
		return -EEXIST;
	if (vfsd_path_below(newpath, oldpath))
		return -EINVAL;
	if (!(flags & RENAME_EXCHANGE) && vfsd_path_below(oldpath, newpath))
		return -ENOTEMPTY;
	if (strcmp(oldpath, newpath) == 0)
		return 1;
	err = vfsd_may_delete(v, wo, c);
	if (!err)
		err = new_pos ? vfsd_may_delete(v, wn, c) : vfsd_may_create(v, wn, c);
	if (err || !new_pos || (flags & RENAME_EXCHANGE))
		return err;
	if (old_dir && !vfsd_node_dir(&wn->ent))
		return -ENOTDIR;
	if (!old_dir && vfsd_node_dir(&wn->ent))
		return -EISDIR;
	return 0;
}

/* Like overlayfs without redirect_dir: a dir with lower parts cannot move. */
static bool vfsd_can_move(const struct vfsd_node *e)
{
	return !vfsd_node_dir(e) || !LOWERS(e->val.layers);
}

/* The kernel marks a pure-upper dir opaque when it moves into a merged
 * parent, so lower dirs of the new name never show through. */
static int vfsd_move_opaque(struct vfsd *v, struct vfsd_node *src, const struct vfsd_node *newdir)
{
	int opq;

	if (!vfsd_node_dir(src) || (src->val.flags & SHM_DF_OPAQUE) ||
	    !LOWERS(newdir->val.layers))
		return 0;
	/* The flag is only read where layers below could show through. */
	if ((opq = layer_dir_is_opaque(src->fd[0])) != 0)
		return opq < 0 ? opq : 0;
	return layer_set_opaque(v->cfg, src->fd[0]);
}

/* Does the upper hold a whiteout entry (not a `.wh.` file) at the name? */
static bool vfsd_wh_entry(const struct vfsd_walk *w)
{
	struct stat st;

	return (w->ent.val.flags & SHM_DF_WHITEOUT_UP) &&
	       fstatat(w->dir.fd[0], w->name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/*
 * The rename itself, both parents in upper and the source there too. When
 * the old name needs a whiteout (wh_old), it appears in the same step as
 * the move where the format allows: RENAME_WHITEOUT, or the exchange with
 * the whiteout that held the new name; a `.wh.` file is written first.
 */
static int vfsd_move(struct vfsd *v, struct vfsd_walk *wo, struct vfsd_walk *wn, bool wh_old)
{
	bool chardev = v->cfg->whiteout == FUSS_WH_CHARDEV;
	int od = wo->dir.fd[0], nd = wn->dir.fd[0];
	int err;

	if (wh_old && !chardev && (err = vfsd_whfile_create(od, wo->name)))
		return err;
	if (vfsd_wh_entry(wn) && S_ISDIR(wo->ent.val.mode)) {
		err = vfsd_do_renameat2(od, wo->name, nd, wn->name, RENAME_EXCHANGE);
		if (!err && !(wh_old && chardev))
			err = vfsd_do_unlinkat(od, wo->name, 0);
		return err;
	}
	if (wh_old && chardev) {
		err = vfsd_do_renameat2(od, wo->name, nd, wn->name, RENAME_WHITEOUT);
		if (err != -EINVAL && err != -EPERM)
			return err;
		err = vfsd_do_renameat2(od, wo->name, nd, wn->name, 0);
		return err ? err : layer_write_whiteout(v->cfg, od, wo->name);
	}
	return vfsd_do_renameat2(od, wo->name, nd, wn->name, 0);
}

static int vfsd_rename_move(struct vfsd *v, struct vfsd_walk *wo, struct vfsd_walk *wn,
			    const char *oldpath, const char *newpath, const struct shm_creds *c)
{
	bool new_wh = wn->ent.val.flags & SHM_DF_WHITEOUT_UP;
	int lower, err;

	if (!vfsd_can_move(&wo->ent))
		return -EXDEV;
	/* A `.wh.NAME` for a long lower name would not fit in NAME_MAX: fail
	 * before anything is copied up. */
	if (v->cfg->whiteout == FUSS_WH_FILEPREFIX && strlen(wo->name) > NAME_MAX - 4) {
		lower = vfsd_lower_first(&wo->dir, wo->name);
		if (lower)
			return lower < 0 ? lower : -ENAMETOOLONG;
	}
	if (vfsd_node_dir(&wn->ent) && (err = vfsd_dir_prepare(v, newpath, &wn->ent)))
		return err;
	err = vfsd_walk_upper(v, oldpath, c, wo) ?: vfsd_ent_copy_up(v, wo);
	if (!err)
		err = vfsd_walk_upper(v, newpath, c, wn);
	if (!err)
		err = vfsd_move_opaque(v, &wo->ent, &wn->dir);
	lower = err ? 0 : vfsd_lower_first(&wo->dir, wo->name);
	if (!err && lower < 0)
		err = lower;
	if (err)
		return err;
	err = vfsd_move(v, wo, wn, lower > 0);
	if (!err && lower > 0)
		vfsd_stat_add(&v->r->hdr->stat_whiteouts, 1);
	if (!err && new_wh)
		err = layer_remove_whiteout(wn->dir.fd[0], wn->name);
	vfsd_refresh(v, wo);
	vfsd_refresh(v, wn);
	return err;
}

/* Both names stay taken, so no whiteout changes: both objects are copied
 * up (a directory with lower parts cannot move: EXDEV), then exchanged. */
static int vfsd_rename_exchange(struct vfsd *v, struct vfsd_walk *wo, struct vfsd_walk *wn,
				const char *oldpath, const char *newpath,
				const struct shm_creds *c)
{
	int lo, ln, err;

	if (!vfsd_can_move(&wo->ent) || !vfsd_can_move(&wn->ent))
		return -EXDEV;
	err = vfsd_walk_upper(v, oldpath, c, wo) ?: vfsd_ent_copy_up(v, wo);
	if (!err)
		err = vfsd_walk_upper(v, newpath, c, wn) ?: vfsd_ent_copy_up(v, wn);
	if (err)
		return err;
	lo = vfsd_lower_first(&wo->dir, wo->name);
	ln = vfsd_lower_first(&wn->dir, wn->name);
	if (lo < 0 || ln < 0)
		return lo < 0 ? lo : ln;
	if ((vfsd_node_dir(&wo->ent) && ln == 2) || (vfsd_node_dir(&wn->ent) && lo == 2))
		return -EINVAL;
	err = vfsd_move_opaque(v, &wo->ent, &wn->dir) ?:
	      vfsd_move_opaque(v, &wn->ent, &wo->dir);
	if (!err)
		err = vfsd_do_renameat2(wo->dir.fd[0], wo->name, wn->dir.fd[0], wn->name,
					RENAME_EXCHANGE);
	vfsd_refresh(v, wo);
	vfsd_refresh(v, wn);
	return err;
}

int vfsd_op_rename(struct vfsd *v, const char *oldpath, const char *newpath,
		   unsigned int flags, const struct shm_creds *c)
{
	struct vfsd_walk wo, wn;
	int err;

	if ((flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) ||
	    ((flags & RENAME_NOREPLACE) && (flags & RENAME_EXCHANGE)) ||
	    (flags & RENAME_WHITEOUT))
		return -EINVAL;
	err = vfsd_need_upper(v) ?: vfsd_name_check(newpath);
	if (err)
		return err;
	if (!*oldpath || !*newpath)
		return -EBUSY;
	err = vfsd_walk(v, oldpath, 0, c, &wo);
	if (err)
		return err;
	err = vfsd_walk(v, newpath, 0, c, &wn);
	if (err)
		goto out_old;
	err = vfsd_rename_check(v, &wo, &wn, oldpath, newpath, flags, c);
	/* Two hard links of one file: rename(2) does nothing. */
	if (err == 0 && !(flags & RENAME_EXCHANGE) && !vfsd_node_neg(&wo.ent) &&
	    !vfsd_node_neg(&wn.ent) && wo.ent.val.layer == wn.ent.val.layer &&
	    wo.ent.st.st_dev == wn.ent.st.st_dev && wo.ent.st.st_ino == wn.ent.st.st_ino)
		err = 1;
	if (err == 0 && (flags & RENAME_EXCHANGE))
		err = vfsd_rename_exchange(v, &wo, &wn, oldpath, newpath, c);
	else if (err == 0)
		err = vfsd_rename_move(v, &wo, &wn, oldpath, newpath, c);
	if (err > 0)
		err = 0;
	vfsd_walk_release(&wn);
out_old:
	vfsd_walk_release(&wo);
	return err;
}

/* --- dispatch ----------------------------------------------------------------- */

static int vfsd_req_lookup(struct vfsd *v, const struct shm_req *q)
{
	return vfsd_op_lookup(v, q->path, q->arg0);
}

static int vfsd_req_copyup(struct vfsd *v, const struct shm_req *q)
{
	return vfsd_op_copyup(v, q->path, &q->creds);
}

static int vfsd_req_prep_create(struct vfsd *v, const struct shm_req *q)
{
	return vfsd_op_prep_create(v, q->path, q->arg0, (mode_t)q->arg1, &q->creds);
}

static int vfsd_req_mkdir(struct vfsd *v, const struct shm_req *q)
{
	return vfsd_op_mkdir(v, q->path, (mode_t)q->arg1, &q->creds);
}

static int vfsd_req_mknod(struct vfsd *v, const struct shm_req *q)
{
	return vfsd_op_mknod(v, q->path, (mode_t)q->arg1, (dev_t)q->arg2, &q->creds);
}

static int vfsd_req_symlink(struct vfsd *v, const struct shm_req *q)
{
	return vfsd_op_symlink(v, q->path, q->path2, &q->creds);
}

static int vfsd_req_link(struct vfsd *v, const struct shm_req *q)
{
	return vfsd_op_link(v, q->path, q->path2, &q->creds);
}

static int vfsd_req_unlink(struct vfsd *v, const struct shm_req *q)
{
	return vfsd_op_unlink(v, q->path, &q->creds);
}

static int vfsd_req_rmdir(struct vfsd *v, const struct shm_req *q)
{
	return vfsd_op_rmdir(v, q->path, &q->creds);
}

static int vfsd_req_rename(struct vfsd *v, const struct shm_req *q)
{
	if (q->arg0 > UINT32_MAX)
		return -EINVAL;
	return vfsd_op_rename(v, q->path, q->path2, (unsigned int)q->arg0, &q->creds);
}

static int vfsd_req_notify(struct vfsd *v, const struct shm_req *q)
{
	return vfsd_op_notify(v, q->path);
}

typedef int (*vfsd_req_fn)(struct vfsd *v, const struct shm_req *q);

static const vfsd_req_fn vfsd_req_table[SHM_OP_MAX] = {
	[SHM_OP_LOOKUP] = vfsd_req_lookup,
	[SHM_OP_COPYUP] = vfsd_req_copyup,
	[SHM_OP_PREP_CREATE] = vfsd_req_prep_create,
	[SHM_OP_MKDIR] = vfsd_req_mkdir,
	[SHM_OP_MKNOD] = vfsd_req_mknod,
	[SHM_OP_SYMLINK] = vfsd_req_symlink,
	[SHM_OP_LINK] = vfsd_req_link,
	[SHM_OP_UNLINK] = vfsd_req_unlink,
	[SHM_OP_RMDIR] = vfsd_req_rmdir,
	[SHM_OP_RENAME] = vfsd_req_rename,
	[SHM_OP_NOTIFY] = vfsd_req_notify,
};

/* q is vfsd's private copy, already through vfsd_req_check. */
int vfsd_dispatch(struct vfsd *v, const struct shm_req *q)
{
	if (q->op >= SHM_OP_MAX || !vfsd_req_table[q->op])
		return -EINVAL;
	return vfsd_req_table[q->op](v, q);
}
