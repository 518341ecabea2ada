/*
 * Overlay markers inside one layer directory, and the merged listing of a
 * directory across layers.
 *
 * Every marker format is read in every layer, whatever --whiteout says, so a
 * tree written by the kernel, by fuse-overlayfs or from an OCI image reads
 * the same. Writing uses the configured format only. Entries named `.wh.*`
 * (whiteouts and the opaque file) and `.fuss-tmp.*` (vfsd's half-built
 * objects) are never part of the merged view.
 *
 * Same-layer rule for `.wh.<name>`: as in OCI layers, a `.wh.<name>` hides
 * `name` in the layers below only; a `name` beside it in the same layer is
 * visible (and, being new in that layer, hides everything below it). This
 * makes every write sequence of vfsd readable at each step: create the new
 * object first, then drop the `.wh.` file (or the reverse for a delete).
 *
 * Directory fds handed in may be O_PATH, which the f*xattr calls refuse, so
 * xattrs are always read through /proc/self/fd/N.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>
#include "layer.h"
#include "do.h"
#include "ops.h"

#define LAYER_PROC_PATH_MAX (32 + NAME_MAX + 1)

static const char *const layer_opaque_y_xattrs[] = {
	"trusted.overlay.opaque",
	"user.overlay.opaque",
};
static const char *const layer_whiteout_xattrs[] = {
	"trusted.overlay.whiteout",
	"user.overlay.whiteout",
};
#define LAYER_FUSE_OPAQUE_XATTR "user.fuseoverlayfs.opaque"

bool layer_name_hidden(const char *name)
{
	return strncmp(name, LAYER_WH_PREFIX, LAYER_WH_PREFIX_LEN) == 0 ||
	       strncmp(name, VFSD_TMP_PREFIX, VFSD_TMP_PREFIX_LEN) == 0;
}

int layer_tmpname(char *buf, size_t size)
{
	static unsigned int counter;
	int n = snprintf(buf, size, VFSD_TMP_PREFIX "%d.%u", (int)getpid(), ++counter);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* `name` == NULL: the directory itself (followed through the proc link);
 * otherwise the entry `name` in it, not followed. */
static ssize_t layer_getxattr_at(int dirfd, const char *name, const char *xname,
				 void *buf, size_t size)
{
	char path[LAYER_PROC_PATH_MAX];
	ssize_t n;

	if (name) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d/%s", dirfd, name);
		n = lgetxattr(path, xname, buf, size);
	} else {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", dirfd);
		n = getxattr(path, xname, buf, size);
	}
	if (n >= 0)
		return n;
	switch (errno) {
	case ENODATA:
	case ENOTSUP:
	case EPERM:     /* trusted.* on a symlink, user.* on special files */
	case ERANGE:    /* longer than asked: not the value we look for */
		return -ENODATA;
	default:
		return -errno;
	}
}

/* 1 when xattr `xname` exists (value == NULL) or equals `value`. */
static int layer_xattr_is(int dirfd, const char *name, const char *xname,
			  const char *value)
{
	char buf[8];
	ssize_t n;

	if (!value) {
		n = layer_getxattr_at(dirfd, name, xname, NULL, 0);
		return n >= 0 ? 1 : n == -ENODATA ? 0 : (int)n;
	}
	n = layer_getxattr_at(dirfd, name, xname, buf, sizeof(buf));
	if (n < 0)
		return n == -ENODATA ? 0 : (int)n;
	return (size_t)n == strlen(value) && memcmp(buf, value, (size_t)n) == 0;
}

/* Does the dir hold kernel xattr whiteouts (opaque value "x")? */
static int layer_dir_xwhiteouts(int dirfd)
{
	for (size_t i = 0; i < 2; i++) {
		int ret = layer_xattr_is(dirfd, NULL, layer_opaque_y_xattrs[i], "x");

		if (ret)
			return ret;
	}
	return 0;
}

/* xwh: whether dirfd holds xattr whiteouts, or -1 when not yet known. */
static int layer_entry_whiteout_x(int dirfd, const char *name,
				  const struct stat *st, int xwh)
{
	int ret = 0;

	if (S_ISCHR(st->st_mode))
		return st->st_rdev == makedev(0, 0);
	if (!S_ISREG(st->st_mode) || st->st_size != 0 || xwh == 0)
		return 0;
	/* The dir first: only a dir marked for them holds xattr whiteouts,
	 * and an unprivileged vfsd cannot read the user.* xattrs of a file it
	 * may not read (tar's mode-0 placeholders). */
	if (xwh < 0 && (ret = layer_dir_xwhiteouts(dirfd)) <= 0)
		return ret;
	ret = 0;
	for (size_t i = 0; i < 2 && ret == 0; i++)
		ret = layer_xattr_is(dirfd, name, layer_whiteout_xattrs[i], NULL);
	return ret;
}

int layer_entry_whiteout(int dirfd, const char *name, const struct stat *st)
{
	return layer_entry_whiteout_x(dirfd, name, st, -1);
}

int layer_has_wh_file(int dirfd, const char *name)
{
	char wh[NAME_MAX + 1];
	struct stat st;
	int n = snprintf(wh, sizeof(wh), LAYER_WH_PREFIX "%s", name);

	if (n < 0 || n >= (int)sizeof(wh))
		return 0;    /* no such name can exist */
	if (fstatat(dirfd, wh, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return 1;
	return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
}

/*
 * 1 when this layer hides `name` from the layers below without providing
 * it: the entry is a whiteout, or it is absent and `.wh.<name>` exists. A
 * real entry with a `.wh.` file beside it is an entry, not a whiteout.
 */
int layer_is_whiteout(int dirfd, const char *name, unsigned char d_type)
{
	struct stat st;

	if (d_type != DT_UNKNOWN && d_type != DT_CHR && d_type != DT_REG)
		return 0;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return layer_entry_whiteout(dirfd, name, &st);
	if (errno != ENOENT)
		return -errno;
	return layer_has_wh_file(dirfd, name);
}

static int layer_is_marker_x(int dirfd, const char *name, unsigned char d_type,
			     int xwh)
{
	struct stat st;

	if (layer_name_hidden(name))
		return 1;
	if (d_type != DT_UNKNOWN && d_type != DT_CHR &&
	    !(d_type == DT_REG && xwh != 0))
		return 0;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -errno;
	return layer_entry_whiteout_x(dirfd, name, &st, xwh);
}

int layer_is_marker(int dirfd, const char *name, unsigned char d_type)
{
	return layer_is_marker_x(dirfd, name, d_type, -1);
}

int layer_dir_plain(int fd, size_t *count, bool *links)
{
	char buf[32768] __attribute__((aligned(8)));
	size_t n = 0;
	bool lnk = false;
	long got;
	int ret;

	if ((ret = layer_dir_xwhiteouts(fd)) != 0)
		return ret < 0 ? ret : 0;
	while ((got = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < got;) {
			/* struct linux_dirent64: ino, off, reclen, type, name */
			unsigned short reclen;
			unsigned char type = (unsigned char)buf[off + 18];
			const char *name = buf + off + 19;

			memcpy(&reclen, buf + off + 16, sizeof(reclen));
			off += reclen;
			if (name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2])))
				continue;
			if (layer_name_hidden(name) || type == DT_CHR || type == DT_UNKNOWN)
				return 0;
			lnk |= type == DT_LNK;
			n++;
		}
	}
	if (got < 0)
		return -errno;
	*count = n;
	*links = lnk;
	return 1;
}

int layer_dir_is_opaque(int fd)
{
	struct stat st;
	int ret;

	for (size_t i = 0; i < 2; i++) {
		ret = layer_xattr_is(fd, NULL, layer_opaque_y_xattrs[i], "y");
		if (ret)
			return ret;
	}
	ret = layer_xattr_is(fd, NULL, LAYER_FUSE_OPAQUE_XATTR, NULL);
	if (ret)
		return ret;
	if (fstatat(fd, LAYER_OPQ_NAME, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return 1;
	return errno == ENOENT ? 0 : -errno;
}

/* --- writing (vfsd only) ------------------------------------------------ */

static int layer_make_tmp_chardev(int dirfd, char *tmp, size_t size)
{
	int err;

	for (int tries = 0; tries < 100; tries++) {
		err = layer_tmpname(tmp, size);
		if (err)
			return err;
		err = vfsd_do_mknodat(dirfd, tmp, S_IFCHR | 0, makedev(0, 0));
		if (err != -EEXIST)
			return err;
	}
	return -EEXIST;
}

/* A 0:0 device takes the place of `name`: rename over a non-dir, exchange
 * with an (empty) dir and remove the dir afterwards. */
static int layer_write_chardev(int dirfd, const char *name)
{
	char tmp[64];
	int err = layer_make_tmp_chardev(dirfd, tmp, sizeof(tmp));

	if (err)
		return err;
	err = vfsd_do_renameat2(dirfd, tmp, dirfd, name, 0);
	if (err == -EISDIR) {
		err = vfsd_do_renameat2(dirfd, tmp, dirfd, name, RENAME_EXCHANGE);
		if (err)
			goto out_unlink_tmp;
		err = vfsd_do_unlinkat(dirfd, tmp, AT_REMOVEDIR);
		if (err)
			goto out_exchange_back;
		return 0;
	}
	if (err)
		goto out_unlink_tmp;
	return 0;

out_exchange_back:
	vfsd_do_renameat2(dirfd, tmp, dirfd, name, RENAME_EXCHANGE);
out_unlink_tmp:
	vfsd_tmp_drop(dirfd, tmp, false);
	return err;
}

/* A marker file. Any entry of that name already is the marker (another
 * tool may have left a dir or a FIFO there): it is kept, never opened. */
int layer_create_empty(int dirfd, const char *name)
{
	struct stat st;
	int fd;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return 0;
	if (errno != ENOENT)
		return -errno;
	fd = vfsd_do_create(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0644);
	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

/* `.wh.<name>` first, then the old entry goes: each step reads right. */
static int layer_write_whfile(int dirfd, const char *name)
{
	char wh[NAME_MAX + 1];
	struct stat st;
	int n = snprintf(wh, sizeof(wh), LAYER_WH_PREFIX "%s", name);
	int err;

	if (n < 0 || n >= (int)sizeof(wh))
		return -ENAMETOOLONG;
	err = layer_create_empty(dirfd, wh);
	if (err)
		return err;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -errno;
	return vfsd_do_unlinkat(dirfd, name, S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0);
}

int layer_write_whiteout(const struct fuss_config *cfg, int dirfd, const char *name)
{
	if (cfg->whiteout == FUSS_WH_CHARDEV)
		return layer_write_chardev(dirfd, name);
	return layer_write_whfile(dirfd, name);
}

int layer_remove_whiteout(int dirfd, const char *name)
{
	char wh[NAME_MAX + 1];
	struct stat st;
	int n = snprintf(wh, sizeof(wh), LAYER_WH_PREFIX "%s", name);
	int err;

	if (n > 0 && n < (int)sizeof(wh)) {
		err = vfsd_do_unlinkat(dirfd, wh, 0);
		if (err == -EISDIR)
			err = vfsd_do_unlinkat(dirfd, wh, AT_REMOVEDIR);
		if (err && err != -ENOENT)
			return err;
	}
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -errno;
	err = layer_entry_whiteout(dirfd, name, &st);
	if (err <= 0)
		return err;
	return vfsd_do_unlinkat(dirfd, name, 0);
}

int layer_set_opaque(const struct fuss_config *cfg, int fd)
{
	const char *xname = cfg->opaque_xattr == FUSS_OPQ_USER ?
		"user.overlay.opaque" : "trusted.overlay.opaque";
	char path[LAYER_PROC_PATH_MAX];

	if (cfg->whiteout == FUSS_WH_FILEPREFIX)
		return layer_create_empty(fd, LAYER_OPQ_NAME);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return vfsd_do_setxattr(path, xname, "y", 1, 0);
}

/* --- merged listing ------------------------------------------------------ */

/* Names already decided (listed or hidden), open addressing. */
struct layer_nameset {
	struct layer_setkey {
		uint32_t hash;
		uint32_t off;   /* into buf; 0 = empty slot (buf[0] is unused) */
		uint16_t len;
	} *slot;
	size_t cap, n;
	char *buf;
	size_t len, bcap;
};

static uint32_t layer_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static int layer_grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t ncap = *cap ? *cap : 16;
	void *np;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	np = realloc(*p, ncap * elem);
	if (!np)
		return -ENOMEM;
	*p = np;
	*cap = ncap;
	return 0;
}

static struct layer_setkey *layer_set_find(struct layer_nameset *s, const char *name,
					   size_t len, uint32_t h)
{
	size_t i = h & (s->cap - 1);

	for (;; i = (i + 1) & (s->cap - 1)) {
		struct layer_setkey *k = &s->slot[i];

		if (!k->off)
			return k;
		if (k->hash == h && k->len == len && memcmp(s->buf + k->off, name, len) == 0)
			return k;
	}
}

static int layer_set_rehash(struct layer_nameset *s)
{
	struct layer_nameset ns = *s;
	size_t ncap = s->cap ? s->cap * 2 : 64;

	ns.slot = calloc(ncap, sizeof(*ns.slot));
	if (!ns.slot)
		return -ENOMEM;
	ns.cap = ncap;
	for (size_t i = 0; i < s->cap; i++) {
		if (s->slot[i].off)
			*layer_set_find(&ns, s->buf + s->slot[i].off, s->slot[i].len,
					s->slot[i].hash) = s->slot[i];
	}
	free(s->slot);
	*s = ns;
	return 0;
}

/* 1 when added, 0 when already there, -ENOMEM. */
static int layer_set_add(struct layer_nameset *s, const char *name, size_t len)
{
	uint32_t h = layer_hash(name, len);
	struct layer_setkey *k;
	int err;

	if ((s->n + 1) * 2 > s->cap && (err = layer_set_rehash(s)))
		return err;
	k = layer_set_find(s, name, len, h);
	if (k->off)
		return 0;
	if (layer_grow((void **)&s->buf, &s->bcap, s->len + len + 1 + !s->len, 1))
		return -ENOMEM;
	if (!s->len)
		s->buf[s->len++] = 0;
	k->hash = h;
	k->off = (uint32_t)s->len;
	k->len = (uint16_t)len;
	memcpy(s->buf + s->len, name, len + 1);
	s->len += len + 1;
	s->n++;
	return 1;
}

static bool layer_set_has(struct layer_nameset *s, const char *name, size_t len)
{
	return s->cap && layer_set_find(s, name, len, layer_hash(name, len))->off;
}

static void layer_set_free(struct layer_nameset *s)
{
	free(s->slot);
	free(s->buf);
}

/* Names stay offsets while the storage may move; see layer_listing_fix. */
static int layer_listing_add(struct layer_listing *l, const char *name,
			     size_t len, uint64_t ino, unsigned char d_type)
{
	struct layer_dirent *e;

	if (layer_grow((void **)&l->ents, &l->cap, l->n + 1, sizeof(*l->ents)) ||
	    layer_grow((void **)&l->names, &l->names_cap, l->names_len + len + 1, 1))
		return -ENOMEM;
	e = &l->ents[l->n++];
	e->ino = ino;
	e->d_type = d_type;
	e->namelen = (uint16_t)len;
	e->name = (char *)(uintptr_t)l->names_len;
	memcpy(l->names + l->names_len, name, len + 1);
	l->names_len += len + 1;
	return 0;
}

static void layer_listing_fix(struct layer_listing *l)
{
	for (size_t i = 0; i < l->n; i++)
		l->ents[i].name = l->names + (uintptr_t)l->ents[i].name;
}

void layer_listing_free(struct layer_listing *l)
{
	free(l->ents);
	free(l->names);
	memset(l, 0, sizeof(*l));
}

/* The dir `rel` of a layer, never through a symlink inside the layer. */
int layer_open_rel(const char *root, const char *rel, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH,
	};
	int rootfd, fd;

	rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return -errno;
	if (!*rel)
		rel = ".";
	fd = (int)syscall(SYS_openat2, rootfd, rel, &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS)
		fd = openat(rootfd, rel, flags | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		fd = -errno;
	close(rootfd);
	return fd;
}

/* Per-layer state of a listing: `.wh.X` names hide X only below. */
struct layer_pass {
	struct layer_listing *out;
	struct layer_nameset *seen;
	struct layer_nameset below;
	int fd;
	int xwh;
	bool first;      /* the topmost layer: provides "." and ".." */
	bool opaque;     /* saw `.wh..wh..opq` */
};

static int layer_pass_entry(struct layer_pass *p, struct dirent *de)
{
	size_t len = strlen(de->d_name);
	int ret;

	if (de->d_name[0] == '.' && (len == 1 || (len == 2 && de->d_name[1] == '.'))) {
		if (p->first)
			p->out->ents[len - 1].ino = de->d_ino;
		return 0;
	}
	if (strcmp(de->d_name, LAYER_OPQ_NAME) == 0) {
		p->opaque = true;
		return 0;
	}
	if (strncmp(de->d_name, LAYER_WH_PREFIX, LAYER_WH_PREFIX_LEN) == 0) {
		ret = layer_set_add(&p->below, de->d_name + LAYER_WH_PREFIX_LEN,
				    len - LAYER_WH_PREFIX_LEN);
		return ret < 0 ? ret : 0;
	}
	if (layer_set_has(p->seen, de->d_name, len))
		return 0;
	ret = layer_is_marker_x(p->fd, de->d_name, de->d_type, p->xwh);
	if (ret < 0)
		return ret;
	if (ret) {
		/* A 0:0 device or xattr whiteout hides the name below too. */
		if (!layer_name_hidden(de->d_name))
			ret = layer_set_add(p->seen, de->d_name, len);
		return ret < 0 ? ret : 0;
	}
	ret = layer_set_add(p->seen, de->d_name, len);
	if (ret < 0)
		return ret;
	return layer_listing_add(p->out, de->d_name, len, de->d_ino, de->d_type);
}

/* 1: continue with the next layer; 0: stop below this one; -errno. */
static int layer_list_one(struct layer_pass *p, const char *rel)
{
	DIR *dir = fdopendir(p->fd);
	struct dirent *de;
	int ret = 0;

	if (!dir) {
		ret = -errno;
		close(p->fd);
		return ret;
	}
	p->xwh = layer_dir_xwhiteouts(p->fd);
	if (p->xwh < 0)
		p->xwh = -1;
	for (;;) {
		errno = 0;
		de = readdir(dir);
		if (!de) {
			ret = -errno;
			break;
		}
		ret = layer_pass_entry(p, de);
		if (ret)
			break;
	}
	for (size_t i = 0; ret == 0 && i < p->below.cap; i++) {
		struct layer_setkey *k = &p->below.slot[i];

		if (k->off)
			ret = layer_set_add(p->seen, p->below.buf + k->off, k->len) < 0 ? -ENOMEM : 0;
	}
	/* The kernel ignores opaque markers on the layer roots. */
	if (ret == 0 && *rel && !p->opaque && (ret = layer_dir_is_opaque(p->fd)) > 0)
		p->opaque = true;
	closedir(dir);
	if (ret < 0)
		return ret;
	return !(p->opaque && *rel);
}

int layer_list_merged(const struct fuss_config *cfg, const char *rel,
		      uint64_t layers, struct layer_listing *out)
{
	struct layer_nameset seen = { 0 };
	bool any = false;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	if (layer_listing_add(out, ".", 1, 0, DT_DIR) ||
	    layer_listing_add(out, "..", 2, 0, DT_DIR)) {
		ret = -ENOMEM;
		goto out_free;
	}
	for (int i = 0; i < cfg->nlayers && i < SHM_MAX_LAYERS; i++) {
		struct layer_pass p = { .out = out, .seen = &seen, .first = !any };

		if (!(layers & (1ull << i)) || !cfg->layer[i])
			continue;
		p.fd = layer_open_rel(cfg->layer[i], rel, O_RDONLY | O_DIRECTORY);
		if (p.fd == -ENOENT)
			continue;
		if (p.fd == -ENOTDIR || p.fd == -ELOOP || p.fd == -EXDEV)
			break;   /* a non-dir here hides every layer below */
		if (p.fd < 0) {
			ret = p.fd;
			goto out_free;
		}
		any = true;
		ret = layer_list_one(&p, rel);
		layer_set_free(&p.below);
		if (ret < 0)
			goto out_free;
		if (ret == 0)
			break;
	}
	ret = any ? 0 : -ENOENT;
	if (ret)
		goto out_free;
	layer_set_free(&seen);
	layer_listing_fix(out);
	return 0;

out_free:
	layer_set_free(&seen);
	layer_listing_free(out);
	return ret;
}
