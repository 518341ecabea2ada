/*
 * Copy-up: make one object of a lower layer present in the upper layer, with
 * its data, mode, owner, xattrs and timestamps. vfsd only.
 *
 * Invariant: the object appears under its real name only once it is
 * complete. A regular file is built as an O_TMPFILE (or under a temp name
 * when the upper fs has none) and linked into place; everything else is
 * built under a `.fuss-tmp.*` name in the same directory and renamed with
 * RENAME_NOREPLACE. On failure the temp object is removed. The source is
 * only read, never opened for writing.
 *
 * Metadata order matters: chown clears suid/sgid and security.capability,
 * so the owner goes first, then the mode, then xattrs, and the timestamps
 * last because every earlier step may touch them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <attr/error_context.h>
#include <attr/libattr.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>
#include "do.h"
#include "layer.h"
#include "ops.h"

#define VFSD_CU_BUF (128 * 1024)
#define VFSD_PROC_PATH_MAX (32 + NAME_MAX + 1)

int vfsd_tmp_make(int dfd, char tmp[VFSD_TMP_SIZE], vfsd_make_fn make,
		  const void *arg)
{
	int err;

	for (int tries = 0; tries < 100; tries++) {
		err = layer_tmpname(tmp, VFSD_TMP_SIZE);
		if (err)
			return err;
		err = make(dfd, tmp, arg);
		if (err != -EEXIST)
			return err;
	}
	return -EEXIST;
}

int vfsd_tmp_commit(int dfd, const char *tmp, const char *name, bool is_dir)
{
	struct stat st;
	int err = vfsd_do_renameat2(dfd, tmp, dfd, name, RENAME_NOREPLACE);

	if (err != -EINVAL)
		return err;
	/* No RENAME_NOREPLACE on this fs: vfsd is the only namespace writer
	 * of the upper dir, so a check first is as good. */
	if (!is_dir)
		return vfsd_do_linkat(dfd, tmp, dfd, name, 0) ?:
		       vfsd_do_unlinkat(dfd, tmp, 0);
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return -EEXIST;
	return vfsd_do_renameat2(dfd, tmp, dfd, name, 0);
}

bool vfsd_tmp_left;

void vfsd_tmp_drop(int dfd, const char *tmp, bool is_dir)
{
	int err = vfsd_do_unlinkat(dfd, tmp, is_dir ? AT_REMOVEDIR : 0);

	if (err && err != -ENOENT)
		vfsd_tmp_left = true;
}

/* --- xattrs -------------------------------------------------------------- */

static bool vfsd_xattr_private(const char *name)
{
	return strncmp(name, "trusted.overlay.", 16) == 0 ||
	       strncmp(name, "user.overlay.", 13) == 0 ||
	       strncmp(name, "user.fuseoverlayfs.", 19) == 0;
}

/* Copy everything but overlay-private names and what xattr.conf says to
 * skip; ACLs are copied too since a copy-up preserves permissions. */
static int vfsd_xattr_check(const char *name, struct error_context *ctx)
{
	if (vfsd_xattr_private(name))
		return 0;
	return attr_copy_action(name, ctx) != ATTR_ACTION_SKIP;
}

/* libattr gives up on the first name it cannot set; a name the upper fs
 * cannot hold, or that only root may set, is not worth failing a copy-up. */
static int vfsd_xattr_result(struct vfsd *v, int ret, int err, const char *name)
{
	if (ret == 0)
		return 0;
	if (err == ENOTSUP || (err == EPERM && !v->is_root)) {
		fuss_warn("copy-up of %s: some xattrs not copied: %s", name, strerror(err));
		return 0;
	}
	return -err;
}

static int vfsd_xattr_copy_fd(struct vfsd *v, int src, int dst, const char *name)
{
	int ret;

	/* Most files have none: one call says so. */
	if (flistxattr(src, NULL, 0) == 0)
		return 0;
	ret = attr_copy_fd(name, src, name, dst, vfsd_xattr_check, NULL);

	return vfsd_xattr_result(v, ret, errno, name);
}

/* By path, not following the last component (symlinks, dirs, devices). */
static int vfsd_xattr_copy_at(struct vfsd *v, int src_dfd, const char *src,
			      int dst_dfd, const char *dst)
{
	char sp[VFSD_PROC_PATH_MAX], dp[VFSD_PROC_PATH_MAX];
	int ret;

	snprintf(sp, sizeof(sp), "/proc/self/fd/%d/%s", src_dfd, src);
	snprintf(dp, sizeof(dp), "/proc/self/fd/%d/%s", dst_dfd, dst);
	ret = attr_copy_file(sp, dp, vfsd_xattr_check, NULL);
	return vfsd_xattr_result(v, ret, errno, src);
}

/* --- metadata ------------------------------------------------------------ */

static int vfsd_chown_result(struct vfsd *v, int err)
{
	return err == -EPERM && !v->is_root ? 0 : err;
}

static void vfsd_times(const struct stat *st, struct timespec ts[2])
{
	ts[0] = st->st_atim;
	ts[1] = st->st_mtim;
}

/* Owner, mode, xattrs, times of the temp object `tmp` in dst_dfd. */
static int vfsd_meta_at(struct vfsd *v, int src_dfd, const char *name,
			int dst_dfd, const char *tmp, const struct stat *st)
{
	struct timespec ts[2];
	int err;

	err = vfsd_do_fchownat(dst_dfd, tmp, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW);
	err = vfsd_chown_result(v, err);
	if (!err && !S_ISLNK(st->st_mode))
		err = vfsd_do_fchmodat(dst_dfd, tmp, st->st_mode & 07777);
	if (!err)
		err = vfsd_xattr_copy_at(v, src_dfd, name, dst_dfd, tmp);
	vfsd_times(st, ts);
	if (!err)
		err = vfsd_do_utimensat(dst_dfd, tmp, ts, AT_SYMLINK_NOFOLLOW);
	return err;
}

/* --- regular files ------------------------------------------------------- */

static int vfsd_copy_rw(int src, int dst, off_t off, off_t len)
{
	char *buf = malloc(VFSD_CU_BUF);
	int err = 0;

	if (!buf)
		return -ENOMEM;
	while (len > 0) {
		size_t want = len < VFSD_CU_BUF ? (size_t)len : VFSD_CU_BUF;
		ssize_t n = pread(src, buf, want, off);

		if (n <= 0) {
			err = n < 0 ? -errno : 0;
			break;
		}
		for (ssize_t done = 0; done < n;) {
			ssize_t w = pwrite(dst, buf + done, (size_t)(n - done), off + done);

			if (w < 0) {
				err = -errno;
				goto out_free;
			}
			done += w;
		}
		off += n;
		len -= n;
	}
out_free:
	free(buf);
	return err;
}

static int vfsd_copy_range(int src, int dst, off_t off, off_t len)
{
	loff_t in = off, out = off;

	while (len > 0) {
		ssize_t n = copy_file_range(src, &in, dst, &out, (size_t)len, 0);

		if (n < 0) {
			int err = errno;

			if (err == EXDEV || err == EINVAL || err == ENOSYS ||
			    err == EOPNOTSUPP || err == EBADF)
				return vfsd_copy_rw(src, dst, in, len);
			return -err;
		}
		if (n == 0)
			break;
		len -= n;
	}
	return 0;
}

/* A reflink needs both files on one fs that can share extents. The upper
 * fs is always the same, so one refusal for a source fs says it for all
 * its files. */
static bool vfsd_try_clone(int src, int dst, dev_t src_dev)
{
	static dev_t refused[SHM_MAX_LAYERS];
	static unsigned nrefused;

	for (unsigned i = 0; i < nrefused; i++) {
		if (refused[i] == src_dev)
			return false;
	}
	if (ioctl(dst, FICLONE, src) == 0)
		return true;
	if ((errno == EOPNOTSUPP || errno == EXDEV || errno == EINVAL) &&
	    nrefused < SHM_MAX_LAYERS)
		refused[nrefused++] = src_dev;
	return false;
}

/* Data only where the source has data, so holes stay holes. A file with
 * a block for every byte has no hole to look for. */
static int vfsd_copy_data(int src, int dst, const struct stat *st)
{
	off_t size = st->st_size, pos = 0, data, hole;
	int err;

	if (size == 0 || vfsd_try_clone(src, dst, st->st_dev))
		return 0;
	if ((off_t)st->st_blocks * 512 >= size)
		return vfsd_copy_range(src, dst, 0, size);
	while (pos < size) {
		data = lseek(src, pos, SEEK_DATA);
		if (data < 0 && errno == ENXIO)
			break;
		if (data < 0) {
			data = pos;     /* no SEEK_DATA here: copy it all */
			hole = size;
		} else {
			hole = lseek(src, data, SEEK_HOLE);
			if (hole < 0 || hole > size)
				hole = size;
		}
		err = vfsd_copy_range(src, dst, data, hole - data);
		if (err)
			return err;
		pos = hole;
	}
	return ftruncate(dst, size) < 0 ? -errno : 0;
}

/* made_with_mode: the file was created with its permission bits (vfsd's
 * umask is 0), so only suid, sgid and sticky remain, set after the owner
 * (which clears them). */
static int vfsd_file_meta(struct vfsd *v, int src, int dst, const char *name,
			  const struct stat *st, bool made_with_mode)
{
	struct timespec ts[2];
	int err;

	err = vfsd_chown_result(v, vfsd_do_fchown(dst, st->st_uid, st->st_gid));
	if (!err && (!made_with_mode || (st->st_mode & 07000)))
		err = vfsd_do_fchmod(dst, st->st_mode & 07777);
	if (!err)
		err = vfsd_xattr_copy_fd(v, src, dst, name);
	vfsd_times(st, ts);
	if (!err)
		err = vfsd_do_futimens(dst, ts);
	/* A crash must not leave a linked file without its data (unless the
	 * run said --volatile, as overlayfs's volatile option does). */
	if (!err && st->st_size > 0 && !v->cfg->volatile_copyup && fdatasync(dst) < 0)
		err = -errno;
	return err;
}

struct vfsd_new_file {
	int fd;
	mode_t mode;
};

static int vfsd_make_file(int dfd, const char *name, const void *arg)
{
	struct vfsd_new_file *n = (struct vfsd_new_file *)arg;

	n->fd = vfsd_do_create(dfd, name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW, n->mode);
	return n->fd < 0 ? n->fd : 0;
}

/* The new file, unnamed when the fs can: tmp[0] == 0 then. Its fd can
 * write whatever `mode` says. */
static int vfsd_open_tmpfile(int dst_dfd, char tmp[VFSD_TMP_SIZE], mode_t mode)
{
	struct vfsd_new_file n = { .mode = mode };
	int fd = vfsd_do_create(dst_dfd, ".", O_TMPFILE | O_RDWR, mode);
	int err;

	tmp[0] = 0;
	if (fd >= 0 || (fd != -EOPNOTSUPP && fd != -EISDIR && fd != -EINVAL))
		return fd;
	err = vfsd_tmp_make(dst_dfd, tmp, vfsd_make_file, &n);
	return err ? err : n.fd;
}

static int vfsd_link_tmpfile(int fd, int dst_dfd, const char *tmp, const char *name)
{
	char path[VFSD_PROC_PATH_MAX];

	if (tmp[0])
		return vfsd_tmp_commit(dst_dfd, tmp, name, false);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return vfsd_do_linkat(AT_FDCWD, path, dst_dfd, name, AT_SYMLINK_FOLLOW);
}

static int vfsd_open_src(int src_dfd, const char *name)
{
	int fd = openat(src_dfd, name, O_RDONLY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC);

	if (fd < 0 && errno == EPERM)   /* O_NOATIME needs ownership */
		fd = openat(src_dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* --- spare files --------------------------------------------------------- */

/*
 * Creating a file is much of a copy-up's time (a quarter of a millisecond
 * on ext4 here). vfsd makes unnamed files (O_TMPFILE) in the upper root
 * while it has nothing else to do, once a run has copied a file up, and a
 * copy-up takes one and links it into the upper dir instead of making one
 * there. Only as root: the owner it gets is then always set exactly, as
 * the group a setgid dir would give an unprivileged vfsd could not be; and
 * not when the upper root passes a default ACL to what is made in it.
 * Nothing is left of an unused spare: an unnamed file goes when closed,
 * or at the next mount after a crash.
 */
static void vfsd_pool_enable(struct vfsd *v)
{
	char path[VFSD_PROC_PATH_MAX];

	if (v->pool_on || v->pool_never || !v->is_root || v->root[0] < 0)
		return;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", v->root[0]);
	if (getxattr(path, "system.posix_acl_default", NULL, 0) >= 0)
		return;
	v->pool_on = true;
}

bool vfsd_pool_fill(struct vfsd *v)
{
	int fd;

	if (!v->pool_on || v->npool >= VFSD_POOL_MAX)
		return false;
	fd = vfsd_do_create(v->root[0], ".", O_TMPFILE | O_RDWR, 0600);
	if (fd < 0) {
		/* the copy-ups make their own, as before */
		v->pool_on = false;
		v->pool_never = true;
		return false;
	}
	v->pool[v->npool++] = fd;
	return true;
}

void vfsd_pool_drain(struct vfsd *v)
{
	while (v->npool > 0)
		close(v->pool[--v->npool]);
	v->pool_on = false;
}

static int vfsd_pool_take(struct vfsd *v)
{
	return v->npool > 0 ? v->pool[--v->npool] : -1;
}

/* --- regular files, continued ------------------------------------------- */

static int vfsd_copy_file(struct vfsd *v, int src_dfd, int dst_dfd, const char *name,
			  const struct stat *st, uint64_t *bytes)
{
	char tmp[VFSD_TMP_SIZE];
	int src, dst, err;
	bool spare;

	src = vfsd_open_src(src_dfd, name);
	if (src < 0)
		return src;
again:
	tmp[0] = 0;
	dst = vfsd_pool_take(v);
	spare = dst >= 0;
	if (!spare)
		dst = vfsd_open_tmpfile(dst_dfd, tmp, st->st_mode & 0777);
	if (dst < 0) {
		err = dst;
		goto out_close_src;
	}
	err = vfsd_copy_data(src, dst, st);
	if (!err)
		err = vfsd_file_meta(v, src, dst, name, st, !spare);
	if (!err)
		err = vfsd_link_tmpfile(dst, dst_dfd, tmp, name);
	if (err && tmp[0])
		vfsd_tmp_drop(dst_dfd, tmp, false);
	close(dst);
	/* An upper dir on another filesystem (a mount inside the upper
	 * layer): spares cannot be linked there. */
	if (err == -EXDEV && spare) {
		vfsd_pool_drain(v);
		v->pool_never = true;
		goto again;
	}
	if (!err) {
		*bytes = (uint64_t)st->st_size;
		vfsd_pool_enable(v);
	}
out_close_src:
	close(src);
	return err;
}

/* --- other types ---------------------------------------------------------- */

struct vfsd_make_node {
	const struct stat *st;
	const char *target;
};

static int vfsd_make_other(int dfd, const char *name, const void *arg)
{
	const struct vfsd_make_node *m = arg;
	mode_t mode = m->st->st_mode;

	if (S_ISDIR(mode))
		return vfsd_do_mkdirat(dfd, name, 0700);
	if (S_ISLNK(mode))
		return vfsd_do_symlinkat(m->target, dfd, name);
	return vfsd_do_mknodat(dfd, name, mode & (S_IFMT | 0777), m->st->st_rdev);
}

static int vfsd_read_link(int dfd, const char *name, const struct stat *st, char **out)
{
	size_t size = st->st_size > 0 ? (size_t)st->st_size + 1 : PATH_MAX;
	char *buf = malloc(size);
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	n = readlinkat(dfd, name, buf, size);
	if (n < 0 || (size_t)n >= size) {
		free(buf);
		return n < 0 ? -errno : -ENAMETOOLONG;
	}
	buf[n] = 0;
	*out = buf;
	return 0;
}

static int vfsd_copy_other(struct vfsd *v, int src_dfd, int dst_dfd, const char *name,
			   const struct stat *st)
{
	struct vfsd_make_node m = { .st = st };
	bool is_dir = S_ISDIR(st->st_mode);
	char tmp[VFSD_TMP_SIZE];
	char *target = NULL;
	int err;

	if (S_ISLNK(st->st_mode)) {
		err = vfsd_read_link(src_dfd, name, st, &target);
		if (err)
			return err;
		m.target = target;
	}
	err = vfsd_tmp_make(dst_dfd, tmp, vfsd_make_other, &m);
	if (err)
		goto out_free;
	err = vfsd_meta_at(v, src_dfd, name, dst_dfd, tmp, st);
	if (!err)
		err = vfsd_tmp_commit(dst_dfd, tmp, name, is_dir);
	if (err)
		vfsd_tmp_drop(dst_dfd, tmp, is_dir);
out_free:
	free(target);
	return err;
}

/* The kernel copies up with the mounter's rights, so a copy goes into an
 * upper dir whatever its mode (a 0555 lower dir copied up, then one of its
 * children). An unprivileged vfsd owns the dirs it made there: it adds the
 * owner's write and search bits for the copy and takes them back after.
 * Returns the mode to put back, or 0 when nothing was changed. */
static mode_t vfsd_dir_open_up(const struct vfsd *v, int dfd, char path[VFSD_PROC_PATH_MAX])
{
	struct stat st;

	snprintf(path, VFSD_PROC_PATH_MAX, "/proc/self/fd/%d", dfd);
	if (v->is_root || fstat(dfd, &st) < 0 || (st.st_mode & 0300) == 0300 ||
	    st.st_uid != geteuid())
		return 0;
	return chmod(path, (st.st_mode | 0300) & 07777) == 0 ? st.st_mode : 0;
}

int vfsd_copy_up(struct vfsd *v, int src_dfd, int dst_dfd, const char *name,
		 const struct stat *st, uint64_t *bytes)
{
	char dpath[VFSD_PROC_PATH_MAX];
	mode_t dmode = vfsd_dir_open_up(v, dst_dfd, dpath);
	int err;

	*bytes = 0;
	if (S_ISREG(st->st_mode))
		err = vfsd_copy_file(v, src_dfd, dst_dfd, name, st, bytes);
	else
		err = vfsd_copy_other(v, src_dfd, dst_dfd, name, st);
	if (dmode)
		chmod(dpath, dmode & 07777);
	fuss_debug("copy-up \"%s\" (0%o) = %d", name, st->st_mode, err);
	return err;
}
