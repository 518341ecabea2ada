/*
 * Every call that changes a layer's namespace or metadata goes through one of
 * these wrappers, so a debug log shows each change as `op(args) = err` and
 * callers get -errno instead of reading errno. vfsd only (the tracer never
 * writes a layer behind vfsd's back).
 */
#ifndef FUSS_VFSD_DO_H
#define FUSS_VFSD_DO_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>
#include "../tracer/log.h"

static inline int vfsd_do_ret(int ret)
{
	return ret < 0 ? -errno : ret;
}

static inline int vfsd_do_mkdirat(int dfd, const char *name, mode_t mode)
{
	int err = vfsd_do_ret(mkdirat(dfd, name, mode));

	fuss_debug("mkdirat(%d, \"%s\", 0%o) = %d", dfd, name, mode, err);
	return err;
}

static inline int vfsd_do_mknodat(int dfd, const char *name, mode_t mode, dev_t dev)
{
	int err = vfsd_do_ret(mknodat(dfd, name, mode, dev));

	fuss_debug("mknodat(%d, \"%s\", 0%o, %u:%u) = %d", dfd, name, mode,
		   major(dev), minor(dev), err);
	return err;
}

static inline int vfsd_do_symlinkat(const char *target, int dfd, const char *name)
{
	int err = vfsd_do_ret(symlinkat(target, dfd, name));

	fuss_debug("symlinkat(\"%s\", %d, \"%s\") = %d", target, dfd, name, err);
	return err;
}

static inline int vfsd_do_linkat(int odfd, const char *oname, int ndfd,
				 const char *nname, int flags)
{
	int err = vfsd_do_ret(linkat(odfd, oname, ndfd, nname, flags));

	fuss_debug("linkat(%d, \"%s\", %d, \"%s\", 0x%x) = %d", odfd, oname,
		   ndfd, nname, flags, err);
	return err;
}

static inline int vfsd_do_renameat2(int odfd, const char *oname, int ndfd,
				    const char *nname, unsigned int flags)
{
	int err = vfsd_do_ret(renameat2(odfd, oname, ndfd, nname, flags));

	fuss_debug("renameat2(%d, \"%s\", %d, \"%s\", 0x%x) = %d", odfd, oname,
		   ndfd, nname, flags, err);
	return err;
}

static inline int vfsd_do_unlinkat(int dfd, const char *name, int flags)
{
	int err = vfsd_do_ret(unlinkat(dfd, name, flags));

	fuss_debug("unlinkat(%d, \"%s\", 0x%x) = %d", dfd, name, flags, err);
	return err;
}

/* Creates only: opening an existing file is not a namespace change. */
static inline int vfsd_do_create(int dfd, const char *name, int flags, mode_t mode)
{
	int fd = vfsd_do_ret(openat(dfd, name, flags | O_CLOEXEC, mode));

	fuss_debug("openat(%d, \"%s\", 0x%x, 0%o) = %d", dfd, name, flags, mode, fd);
	return fd;
}

static inline int vfsd_do_fchownat(int dfd, const char *name, uid_t uid,
				   gid_t gid, int flags)
{
	int err = vfsd_do_ret(fchownat(dfd, name, uid, gid, flags));

	fuss_debug("fchownat(%d, \"%s\", %u, %u, 0x%x) = %d", dfd, name, uid,
		   gid, flags, err);
	return err;
}

static inline int vfsd_do_fchmodat(int dfd, const char *name, mode_t mode)
{
	int err = vfsd_do_ret(fchmodat(dfd, name, mode, 0));

	fuss_debug("fchmodat(%d, \"%s\", 0%o) = %d", dfd, name, mode, err);
	return err;
}

static inline int vfsd_do_fchown(int fd, uid_t uid, gid_t gid)
{
	int err = vfsd_do_ret(fchown(fd, uid, gid));

	fuss_debug("fchown(%d, %u, %u) = %d", fd, uid, gid, err);
	return err;
}

static inline int vfsd_do_fchmod(int fd, mode_t mode)
{
	int err = vfsd_do_ret(fchmod(fd, mode));

	fuss_debug("fchmod(%d, 0%o) = %d", fd, mode, err);
	return err;
}

static inline int vfsd_do_utimensat(int dfd, const char *name,
				    const struct timespec ts[2], int flags)
{
	int err = vfsd_do_ret(utimensat(dfd, name, ts, flags));

	fuss_debug("utimensat(%d, \"%s\", %ld, %ld, 0x%x) = %d", dfd, name,
		   (long)ts[0].tv_sec, (long)ts[1].tv_sec, flags, err);
	return err;
}

static inline int vfsd_do_futimens(int fd, const struct timespec ts[2])
{
	int err = vfsd_do_ret(futimens(fd, ts));

	fuss_debug("futimens(%d, %ld, %ld) = %d", fd, (long)ts[0].tv_sec,
		   (long)ts[1].tv_sec, err);
	return err;
}

/* By path: xattrs of an O_PATH fd are reached through /proc/self/fd/N. */
static inline int vfsd_do_lsetxattr(const char *path, const char *name,
				    const void *val, size_t size, int flags)
{
	int err = vfsd_do_ret(lsetxattr(path, name, val, size, flags));

	fuss_debug("lsetxattr(\"%s\", \"%s\", %zu, 0x%x) = %d", path, name,
		   size, flags, err);
	return err;
}

static inline int vfsd_do_setxattr(const char *path, const char *name,
				   const void *val, size_t size, int flags)
{
	int err = vfsd_do_ret(setxattr(path, name, val, size, flags));

	fuss_debug("setxattr(\"%s\", \"%s\", %zu, 0x%x) = %d", path, name,
		   size, flags, err);
	return err;
}

static inline int vfsd_do_fsetxattr(int fd, const char *name, const void *val,
				    size_t size, int flags)
{
	int err = vfsd_do_ret(fsetxattr(fd, name, val, size, flags));

	fuss_debug("fsetxattr(%d, \"%s\", %zu, 0x%x) = %d", fd, name, size,
		   flags, err);
	return err;
}

#endif
