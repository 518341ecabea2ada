/*
 * Path resolution in the virtual namespace (see resolve.h). Invariants:
 * the kernel is never handed a path whose overlay part contains a symlink
 * the tracer has not resolved; a result's vrel has no ".", ".." or symlink
 * in its parent components; a cache miss costs one vfsd round trip for the
 * whole remaining path.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "alias.h"
#include "audit.h"
#include "log.h"
#include "observe.h"
#include "path.h"
#include "perm.h"
#include "resolve.h"
#include "vfs.h"
#include "worker.h"

#define TR_MAX_SYMLINKS 40
#define TR_MAX_DEPTH 1024

static void dval_from_upper(struct shm_dval *v, const struct stat *st)
{
	v->layer = 0;
	v->mode = st->st_mode;
	v->layers = 1;
	v->flags &= (uint16_t)~(SHM_DF_NEG | SHM_DF_OPAQUE);
}

int tr_lookup(struct tr_call *c, const struct shm_dval *parent,
	      const char *prefix, const char *name, size_t len,
	      struct shm_dval *out)
{
	char rel[PATH_MAX];
	int n, err;

	for (int tries = 0; tries < 4; tries++) {
		err = shm_dcache_lookup(tr.shm, parent->ref, name, len, out);
		if (err == 0)
			goto hit;
		if (err != -ENOENT)
			return err;
		n = snprintf(rel, sizeof(rel), "%s%s%.*s", prefix,
			     *prefix ? "/" : "", (int)len, name);
		if (n < 0 || (size_t)n >= sizeof(rel))
			return -ENAMETOOLONG;
		/* A name of the directory just listed, or a second miss in
		 * one directory: the program is going through it (ls -l, du,
		 * a touch of every file), so ask for all its names. */
		uint64_t fill = 0;

		if (c->w->listed_fill && strcmp(prefix, c->w->listed) == 0) {
			c->w->listed_fill = false;
			fill = SHM_LOOKUP_SIBLINGS;
		} else if (strcmp(prefix, c->w->missed) == 0) {
			/* once: a directory too large to cache whole would
			 * be read again on every miss */
			if (!c->w->missed_fill) {
				c->w->missed_fill = true;
				fill = SHM_LOOKUP_SIBLINGS;
			}
		} else if (strlen(prefix) < sizeof(c->w->missed)) {
			strcpy(c->w->missed, prefix);
			c->w->missed_fill = false;
		}
		err = tr_vfsd_call(c, SHM_OP_LOOKUP, rel, NULL, fill, 0, 0, false);
		if (err < 0 && err != -ENOENT && err != -ENOTDIR)
			return err;
	}
	/* The cache was flushed under us every time: let the caller restart. */
	return -ESTALE;
hit:
	c->w->dcache_hits++;
	if ((out->flags & SHM_DF_PROBE_UPPER) && (parent->layers & 1)) {
		struct stat st;

		n = snprintf(rel, sizeof(rel), "%s%s%.*s", prefix,
			     *prefix ? "/" : "", (int)len, name);
		if (n < 0 || (size_t)n >= sizeof(rel))
			return -ENAMETOOLONG;
		if (fstatat(tr.layer_fd[0], rel, &st, AT_SYMLINK_NOFOLLOW) == 0)
			dval_from_upper(out, &st);
	}
	return 0;
}

/* The path of a directory the kernel cannot name (d_path stops at
 * PATH_MAX): walked up from the directory itself through "..", finding each
 * name by (st_dev, st_ino) in its parent. -ENAMETOOLONG for anything but a
 * directory, -ENOENT for a removed one. */
static int fd_real_walk(const char *proc, char *out, size_t size)
{
	char *buf = malloc(size);
	size_t pos = size - 1;
	int d, err = 0;

	if (!buf)
		return -ENOMEM;
	buf[pos] = '\0';
	d = open(proc, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d < 0) {
		free(buf);
		return errno == ENOTDIR ? -ENAMETOOLONG : -errno;
	}
	for (;;) {
		struct stat st, pst, cst;
		int p = openat(d, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		const char *found = NULL;

		if (p < 0 || fstat(d, &st) < 0 || fstat(p, &pst) < 0) {
			err = -errno;
			if (p >= 0)
				close(p);
			break;
		}
		if (st.st_dev == pst.st_dev && st.st_ino == pst.st_ino) {
			close(p);
			break; /* "/" */
		}
		DIR *dir = fdopendir(dup(p));
		struct dirent *de;

		while (dir && (de = readdir(dir))) {
			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
				continue;
			if (fstatat(p, de->d_name, &cst, AT_SYMLINK_NOFOLLOW) == 0 &&
			    cst.st_dev == st.st_dev && cst.st_ino == st.st_ino) {
				found = de->d_name;
				break;
			}
		}
		size_t len = found ? strlen(found) : 0;

		if (!found)
			err = -ENOENT;
		else if (len + 1 > pos)
			err = -ENAMETOOLONG;
		else {
			pos -= len;
			memcpy(buf + pos, found, len);
			buf[--pos] = '/';
		}
		if (dir)
			closedir(dir);
		close(d);
		d = p;
		if (err)
			break;
	}
	close(d);
	if (!err && pos == size - 1)
		buf[--pos] = '/';
	if (!err)
		memcpy(out, buf + pos, size - pos);
	free(buf);
	return err ? err : (int)(size - 1 - pos);
}

int tr_fd_real(pid_t tid, int fd, char *out, size_t size)
{
	char proc[64];
	ssize_t n;

	if (fd == AT_FDCWD)
		snprintf(proc, sizeof(proc), "/proc/%d/cwd", tid);
	else
		snprintf(proc, sizeof(proc), "/proc/%d/fd/%d", tid, fd);
	n = readlink(proc, out, size);
	if (n < 0 && errno == ENAMETOOLONG && size > PATH_MAX)
		return fd_real_walk(proc, out, size);
	if (n < 0)
		return -errno;
	if ((size_t)n >= size)
		return -ENAMETOOLONG;
	out[n] = '\0';
	return (int)n;
}

int tr_fdinfo(pid_t tid, int fd, long long *pos, unsigned *flags)
{
	char path[64], buf[256], *f;
	int pfd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", tid, fd);
	pfd = open(path, O_RDONLY | O_CLOEXEC);
	if (pfd < 0)
		return -EBADF;
	n = read(pfd, buf, sizeof(buf) - 1);
	close(pfd);
	if (n <= 0)
		return -EBADF;
	buf[n] = '\0';
	if (pos && sscanf(buf, "pos: %lld", pos) != 1)
		return -EBADF;
	if (flags) {
		if (!(f = strstr(buf, "flags:")))
			return -EBADF;
		*flags = (unsigned)strtoul(f + 6, NULL, 8);
	}
	return 0;
}

int tr_proc_magic(pid_t tid, const char *path, char *proc, size_t size)
{
	const char *p, *who;
	char *end;
	long pid;
	size_t len;

	if (strncmp(path, "/proc/", 6) != 0)
		return 0;
	p = path + 6;
	if (strncmp(p, "self/", 5) == 0) {
		pid = tid;
		p += 5;
	} else if (strncmp(p, "thread-self/", 12) == 0) {
		pid = tid;
		p += 12;
	} else {
		pid = strtol(p, &end, 10);
		if (end == p || *end != '/' || pid <= 0)
			return 0;
		p = end + 1;
	}
	who = p;
	if (strncmp(p, "cwd", 3) == 0 || strncmp(p, "exe", 3) == 0) {
		p += 3;
	} else if (strncmp(p, "root", 4) == 0) {
		p += 4;
	} else if (strncmp(p, "fd/", 3) == 0) {
		strtol(p + 3, &end, 10);
		if (end == p + 3)
			return 0;
		p = end;
	} else {
		return 0;
	}
	if (*p && *p != '/')
		return 0;
	len = (size_t)(p - who);
	if (snprintf(proc, size, "/proc/%ld/%.*s", pid, (int)len, who) >= (int)size)
		return 0;
	return (int)(p - path);
}

/* A path through a tracee's /proc magic link whose target lies in a layer
 * (a cwd or an fd inside the overlay) continues from the target's virtual
 * path, as a symlink would: the kernel would follow it into the layer. */
static int proc_remap(char *abs, size_t size, pid_t tid, int flags)
{
	char proc[64], real[PATH_MAX], vpath[PATH_MAX];
	int plen = tr_proc_magic(tid, abs, proc, sizeof(proc));
	ssize_t n;

	if (plen <= 0 || (!abs[plen] && !(flags & TR_RES_FOLLOW)))
		return 0;
	n = readlink(proc, real, sizeof(real) - 1);
	if (n <= 0 || real[0] != '/')
		return 0;
	real[n] = '\0';
	if (n > 10 && strcmp(real + n - 10, " (deleted)") == 0)
		return 0;
	int vlen = tr_vfs_to_virtual(real, vpath, sizeof(vpath));
	if (vlen <= 0)
		return vlen;
	if (flags & (TR_RES_NO_MAGIC | TR_RES_NO_SYMLINKS))
		return -ELOOP;
	if (flags & (TR_RES_BENEATH | TR_RES_IN_ROOT))
		return -EXDEV;
	if ((size_t)vlen + strlen(abs + plen) + 1 > size)
		return -ENAMETOOLONG;
	memmove(abs + vlen, abs + plen, strlen(abs + plen) + 1);
	memcpy(abs, vpath, (size_t)vlen);
	return 1;
}

static int fdcache_off; /* atomic: kcmp is missing or refused */
static pid_t self_pid;  /* atomic: the tracer's pid, once known */

int tr_call_fd_real(struct tr_call *c, int fd, char *out, size_t size)
{
	struct tr_worker *w = c->w;
	pid_t tid = c->t->tid;
	struct tr_fdcache *e, *lru = NULL;
	int n;

	c->copied_fd = 0;
	if (!w || fd < 0 || __atomic_load_n(&fdcache_off, __ATOMIC_RELAXED))
		return tr_fd_real(tid, fd, out, size);
	pid_t self = __atomic_load_n(&self_pid, __ATOMIC_RELAXED);

	if (!self) {
		self = getpid();
		__atomic_store_n(&self_pid, self, __ATOMIC_RELAXED);
	}
	for (int i = 0; i < TR_FDCACHE; i++) {
		e = &w->fdcache[i];
		if (e->used && e->tid == tid && e->fd == fd) {
			long same = syscall(SYS_kcmp, tid, self, KCMP_FILE, fd, e->dup);

			if (same == 0 && e->len < size) {
				memcpy(out, e->real, e->len + 1);
				e->used = ++w->clock;
				c->copied_fd = fd + 1;
				c->copy = e->dup;
				return (int)e->len;
			}
			/* EBADF: the tracee closed it */
			if (same < 0 && errno != EBADF)
				__atomic_store_n(&fdcache_off, 1, __ATOMIC_RELAXED);
			close(e->dup);
			e->used = 0;
		}
		if (!lru || e->used < lru->used)
			lru = e;
	}
	n = tr_fd_real(tid, fd, out, size);
	if (n <= 0 || (size_t)n >= sizeof(lru->real) || out[0] != '/' || tr_vfs_layer_of(out) < 1)
		return n;
	/* a thread's pidfd (Linux 6.9), else the tid is a process's */
	int pfd = (int)syscall(SYS_pidfd_open, tid, O_EXCL);

	if (pfd < 0)
		pfd = (int)syscall(SYS_pidfd_open, tid, 0);
	if (pfd < 0)
		return n;
	int dup = (int)syscall(SYS_pidfd_getfd, pfd, fd, 0);

	close(pfd);
	if (dup < 0)
		return n;
	if (lru->used)
		close(lru->dup);
	lru->tid = tid;
	lru->fd = fd;
	lru->dup = dup;
	lru->len = (size_t)n;
	memcpy(lru->real, out, (size_t)n + 1);
	lru->used = ++w->clock;
	c->copied_fd = fd + 1;
	c->copy = dup;
	return n;
}

int tr_call_fd_copy(const struct tr_call *c, int fd)
{
	return c->copied_fd == fd + 1 ? c->copy : -1;
}

void tr_fdcache_drop(struct tr_worker *w)
{
	for (int i = 0; i < TR_FDCACHE; i++)
		if (w->fdcache[i].used) {
			close(w->fdcache[i].dup);
			w->fdcache[i].used = 0;
		}
}

/* --- plain one-layer lower directories ---------------------------------
 *
 * A directory that only lower layer L holds, and that lists as the merged
 * view does (no marker, device, unknown type or xattr-whiteout marking),
 * is the merged view: its names, and everything below them, are what the
 * kernel finds in L. While the dentry cache still shows the walk's last
 * cached directory in L only, no copy-up has touched anything below it
 * (a copy-up gives every ancestor an upper part first, through vfsd, which
 * updates their entries), so a call that hands the kernel the real path
 * needs no lookup of such names: they become TR_DF_MAYBE entries. Symlinks
 * must still be followed in the virtual namespace: a directory holding one
 * lets only a final, unfollowed name through. */

static struct tr_plain *plain_way(struct tr_worker *w, uint64_t h, int way)
{
	size_t i = (size_t)(way ? h >> 32 : h) % (TR_PLAIN / 2);

	return &w->plain[(size_t)way * (TR_PLAIN / 2) + i];
}

static struct tr_plain *plain_find(struct tr_worker *w, const char *vrel, size_t len)
{
	uint64_t h = tr_path_hash(vrel, len);

	for (int way = 0; way < 2; way++) {
		struct tr_plain *e = plain_way(w, h, way);

		if (e->used && e->hash == h && e->len == len && memcmp(e->vrel, vrel, len) == 0) {
			e->used = ++w->clock;
			return e;
		}
	}
	return NULL;
}

void tr_plain_note(struct tr_worker *w, const char *vrel, size_t len, int layer, bool links)
{
	uint64_t h = tr_path_hash(vrel, len);
	struct tr_plain *e = plain_find(w, vrel, len);

	if (!e) {
		struct tr_plain *a = plain_way(w, h, 0), *b = plain_way(w, h, 1);
		char *copy = malloc(len + 1);

		if (!copy)
			return;
		e = a->used <= b->used ? a : b;
		free(e->vrel);
		memcpy(copy, vrel, len);
		copy[len] = '\0';
		*e = (struct tr_plain){ .hash = h, .vrel = copy, .len = len };
	}
	e->layer = (uint8_t)layer;
	e->links = links;
	e->used = ++w->clock;
}

void tr_plain_drop(struct tr_worker *w)
{
	for (int i = 0; i < TR_PLAIN; i++) {
		free(w->plain[i].vrel);
		w->plain[i] = (struct tr_plain){ 0 };
	}
}

static bool one_layer_lower(const struct shm_dval *d)
{
	return !(d->flags & SHM_DF_NEG) && S_ISDIR(d->mode) && d->layer != 0 &&
	       d->layer < 64 && d->layers == 1ull << d->layer;
}

/* walk_lookup: a walk already below a TR_DF_MAYBE entry needs a real
 * lookup; walk again without. */
#define WALK_AGAIN 1

/*
 * One name of the walk under `top` (res->vrel): the cache's entry, vfsd's,
 * or with TR_RES_MAYBE a TR_DF_MAYBE entry (see above). `follow`: a
 * symlink there would be followed. 0, WALK_AGAIN or -errno. Not under
 * --audit, whose record of a name says whether and where it exists.
 */
static int walk_lookup(struct tr_call *c, const struct shm_dval *top, const struct tr_res *res,
		       const char *name, size_t len, bool last, bool follow, int flags,
		       struct shm_dval *out)
{
	bool below = top->flags & TR_DF_MAYBE;
	int err;

	if (!below && (!(flags & TR_RES_MAYBE) || !c->w || tr_audit_on() ||
		       !one_layer_lower(top)))
		return tr_lookup(c, top, res->vrel, name, len, out);
	/* (an entry below TR_DF_MAYBE ones comes from a walk with a worker) */
	const struct tr_plain *pl = plain_find(c->w, res->vrel, res->vrel_len);
	bool ok = pl && pl->layer == top->layer && !(follow && pl->links) &&
		  !(last && res->trailing_slash);

	if (!below) {
		if (!ok)
			return tr_lookup(c, top, res->vrel, name, len, out);
		err = shm_dcache_lookup(tr.shm, top->ref, name, len, out);
		if (err == 0) {
			c->w->dcache_hits++;
			return 0;
		}
		if (err != -ENOENT)
			return err;
	} else if (!ok) {
		return WALK_AGAIN;
	}
	*out = (struct shm_dval){
		.ref = { UINT32_MAX, 0 }, /* no entry: a lookup under it misses */
		.layers = 1ull << top->layer,
		.mode = last ? 0 : S_IFDIR | 0777,
		.layer = top->layer,
		.flags = TR_DF_MAYBE,
	};
	return 0;
}

/* Base of a relative path: the virtual path of the dirfd or cwd (its
 * real path kept in res->base_real when res is given and it fits). */
static int base_path(struct tr_call *c, int dirfd, char *out, size_t size,
		     bool *remapped, struct tr_res *res)
{
	char real[TR_REAL_MAX];
	int n = tr_call_fd_real(c, dirfd, real, sizeof(real));

	if (n == -ENAMETOOLONG)
		return n;
	if (n < 0)
		return dirfd == AT_FDCWD ? -ENOENT : -EBADF;
	if (real[0] != '/')
		return dirfd == AT_FDCWD ? -ENOENT : -ENOTDIR; /* pipe:, socket: */
	int m = tr_vfs_to_virtual(real, out, size);
	if (m < 0)
		return m;
	if (res && (size_t)n < sizeof(res->base_real)) {
		memcpy(res->base_real, real, (size_t)n + 1);
		res->base_len = (size_t)n;
	}
	*remapped = m > 0;
	if (m == 0) {
		if ((size_t)n >= size)
			return -ENAMETOOLONG;
		memcpy(out, real, (size_t)n + 1);
	}
	return 0;
}

struct walk {
	struct shm_dval stack[64]; /* the last entries of the dir chain */
	size_t depth;              /* entries in the overlay chain */
	size_t off[TR_MAX_DEPTH];  /* vrel length before each component */
};

/* The root of a scoped walk (RESOLVE_BENEATH / RESOLVE_IN_ROOT): the
 * dirfd's virtual path, "" for "/"; vroot its overlay-relative part when it
 * is inside the overlay. */
struct scope {
	int flags;
	size_t rootlen;
	const char *vroot;
	size_t vrootlen;
	char root[PATH_MAX];
};

#define SCOPED(sc) ((sc)->flags & (TR_RES_BENEATH | TR_RES_IN_ROOT))

/* ".." at the scope's root: EXDEV under RESOLVE_BENEATH, 1 (stay) under
 * RESOLVE_IN_ROOT, 0 when not at the root. */
static int scope_dotdot(const struct scope *sc, const char *at, size_t len)
{
	if (!SCOPED(sc) || len != sc->rootlen || memcmp(at, sc->root, len) != 0)
		return 0;
	return (sc->flags & TR_RES_BENEATH) ? -EXDEV : 1;
}

/* Where an absolute symlink target (or absolute path) leads: `out` gets
 * target + rest, under the root for RESOLVE_IN_ROOT; EXDEV under
 * RESOLVE_BENEATH. */
static int scope_absolute(const struct scope *sc, const char *target, const char *rest,
			  char *out, size_t size)
{
	int n;

	if (sc->flags & TR_RES_BENEATH)
		return -EXDEV;
	if (sc->flags & TR_RES_IN_ROOT)
		n = snprintf(out, size, "%s/%s%s", sc->root, target, rest);
	else
		n = snprintf(out, size, "%s%s", target, rest);
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	return n;
}

static struct shm_dval *walk_top(struct walk *wk)
{
	return &wk->stack[(wk->depth - 1) % 64];
}

/* Re-fetch the entry of vrel from the root: used when ".." climbs below the
 * part of the chain the ring still holds. */
static int walk_refetch(struct tr_call *c, struct tr_res *res, struct walk *wk)
{
	struct shm_dval cur;
	char prefix[PATH_MAX];
	const char *p = res->vrel;
	int err = shm_dcache_root(tr.shm, &cur);

	if (err < 0)
		return -EIO;
	prefix[0] = '\0';
	while (*p) {
		const char *end = strchrnul(p, '/');
		struct shm_dval next;

		err = tr_lookup(c, &cur, prefix, p, (size_t)(end - p), &next);
		if (err < 0)
			return err;
		memcpy(prefix, res->vrel, (size_t)(end - res->vrel));
		prefix[end - res->vrel] = '\0';
		cur = next;
		p = *end ? end + 1 : end;
	}
	*walk_top(wk) = cur;
	return 0;
}

/* A host component (res->host, hlen bytes, `rest` the unparsed remainder)
 * that is a symlink is followed here, so that a link outside the mountpoint
 * pointing into it leads into the overlay as it would on a mount: the
 * target spliced with the rest goes to `abs` (1: restart). 0 when the
 * component is not a symlink, 2 when it cannot be examined (the kernel
 * will answer the same way; stop looking), -errno. A result that stays
 * outside is not rewritten: the kernel follows the same links itself. */
static int host_symlink(struct tr_res *res, size_t hlen, const char *rest,
			const struct scope *sc, int *links, char *abs, size_t size)
{
	int flags = sc->flags;
	const struct fuss_config *cfg = tr.cfg;
	char target[PATH_MAX], tmp[PATH_MAX];
	struct stat st;
	const char *r = rest;
	int n;

	while (*r == '/')
		r++;
	if (!*r && !(flags & TR_RES_FOLLOW) && !(res->trailing_slash && !(flags & TR_RES_NAME)))
		return 0;
	/* The mountpoint and its ancestors are the virtual namespace's own
	 * (they need not exist on the host). */
	if (hlen <= cfg->mountpoint_len &&
	    (hlen == cfg->mountpoint_len || cfg->mountpoint[hlen] == '/') &&
	    memcmp(res->host, cfg->mountpoint, hlen) == 0)
		return 0;
	/* /proc's links are per process: the tracer's own would answer for
	 * the tracee (the magic links that matter are remapped above). */
	if (hlen >= 5 && memcmp(res->host, "/proc", 5) == 0 &&
	    (hlen == 5 || res->host[5] == '/'))
		return 2;
	/* A missing name or a non-directory with more components after it
	 * ends the walk there, as in the kernel; a later ".." must not
	 * step back over it into the overlay. */
	if (lstat(res->host, &st) < 0) {
		if (*r && (errno == ENOENT || errno == ENOTDIR))
			return -errno;
		return 2;
	}
	if (!S_ISLNK(st.st_mode)) {
		if (*r && !S_ISDIR(st.st_mode))
			return -ENOTDIR;
		return S_ISDIR(st.st_mode) ? 0 : 2;
	}
	if (++*links > TR_MAX_SYMLINKS || (flags & TR_RES_NO_SYMLINKS))
		return -ELOOP;
	ssize_t tl = readlink(res->host, target, sizeof(target) - 1);
	if (tl < 0)
		return 2;
	target[tl] = '\0';
	if (target[0] == '/') {
		n = scope_absolute(sc, target, rest, tmp, sizeof(tmp));
		if (n < 0)
			return n;
	} else {
		size_t dl = hlen;

		while (dl > 0 && res->host[dl - 1] != '/')
			dl--;
		n = snprintf(tmp, sizeof(tmp), "%.*s%s%s", (int)dl, res->host, target, rest);
	}
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	memcpy(abs, tmp, (size_t)n + 1);
	return 1;
}

/*
 * A host path is checked for symlinks component by component (host_symlink:
 * one that leads into the mountpoint must be followed there). A path
 * (without a "." at its end) that never reaches the mountpoint by its names
 * is checked whole instead, with one openat2(RESOLVE_NO_SYMLINKS) of the
 * path as given: without a symlink on the way the kernel's own walk of it
 * stays where its names say, outside, and each ".." goes back to the name
 * before it, as the lexical walk takes it. Any failure (a symlink, a
 * missing name, no openat2) takes the walk by components, which says
 * exactly what happens.
 */
static int openat2_missing;

static bool host_lazy_ok(const char *abs, int flags)
{
	if (SCOPED(&(struct scope){ .flags = flags }) ||
	    __atomic_load_n(&openat2_missing, __ATOMIC_RELAXED))
		return false;
	if (strncmp(abs, "/proc", 5) == 0 && (abs[5] == '/' || !abs[5]))
		return false; /* per-process links, judged by proc_remap */
	/* A last name followed by "." is followed (the lexical host path
	 * drops the "."): left to the walk by components. */
	size_t n = strlen(abs);

	while (n > 1 && abs[n - 1] == '/')
		n--;
	return !(n >= 2 && abs[n - 1] == '.' && abs[n - 2] == '/');
}

/* `host` as the kernel will walk it: without a symlink on the way? */
static bool host_no_symlinks(const char *host, bool follow)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW),
		.resolve = RESOLVE_NO_SYMLINKS,
	};
	int fd = (int)syscall(SYS_openat2, AT_FDCWD, host, &how, sizeof(how));
	const char *slash = strrchr(host, '/');

	/* A missing last name is no symlink: its directory is looked at. */
	if (fd < 0 && errno == ENOENT && slash && slash != host) {
		char dir[PATH_MAX];

		memcpy(dir, host, (size_t)(slash - host));
		dir[slash - host] = '\0';
		how.flags = O_PATH | O_CLOEXEC | O_DIRECTORY;
		fd = (int)syscall(SYS_openat2, AT_FDCWD, dir, &how, sizeof(how));
	}
	if (fd < 0) {
		if (errno == ENOSYS)
			__atomic_store_n(&openat2_missing, 1, __ATOMIC_RELAXED);
		return false;
	}
	close(fd);
	return true;
}

int tr_overlay_resolve(struct tr_call *c, int dirfd, const char *path, int flags,
		       struct tr_res *res)
{
	const struct fuss_config *cfg = tr.cfg;
	/* a relative path of up to PATH_MAX - 1 bytes joined to its base */
	char abs[2 * PATH_MAX], tmp[2 * PATH_MAX];
	struct walk wk;
	struct scope sc = { .flags = flags };
	int links = 0, olinks = 0, err;
	bool remapped = false, host_walk, lazy = true;
	size_t plen = strlen(path);

	res->in_overlay = res->host_rewrite = res->exists = res->xdev = false;
	res->search_hard = false;
	res->base_len = 0;
	res->last_dot = 0;
	res->trailing_slash = plen > 1 && path[plen - 1] == '/';
	if (plen >= PATH_MAX)
		return -ENAMETOOLONG;
	if (path[0] == '/' && !SCOPED(&sc)) {
		memcpy(abs, path, plen + 1);
		host_walk = cfg->mountpoint_len != 1;
	} else {
		err = base_path(c, dirfd, tmp, sizeof(tmp), &remapped,
				SCOPED(&sc) ? NULL : res);
		/* A bad dirfd, a pipe, a deleted cwd: the kernel answers.
		 * Anything else must not reach a layer unmediated. */
		if (err == -EBADF || err == -ENOENT || err == -ENOTDIR)
			return 0;
		if (err < 0)
			return err;
		host_walk = !remapped;
		if (SCOPED(&sc)) {
			sc.rootlen = strcmp(tmp, "/") == 0 ? 0 : strlen(tmp);
			memcpy(sc.root, tmp, sc.rootlen);
			sc.root[sc.rootlen] = '\0';
			if (tr_path_under(sc.root, cfg->mountpoint, cfg->mountpoint_len) ||
			    (cfg->mountpoint_len == 1)) {
				sc.vroot = sc.root + (cfg->mountpoint_len == 1 ? 0 : cfg->mountpoint_len);
				while (*sc.vroot == '/')
					sc.vroot++;
				sc.vrootlen = strlen(sc.vroot);
			}
			if (path[0] == '/') {
				err = scope_absolute(&sc, path, "", abs, sizeof(abs));
				if (err < 0)
					return err;
				goto restart;
			}
		}
		err = tr_path_join(abs, sizeof(abs), tmp, path);
		if (err < 0)
			return err;
	}

restart:;
	/* Host part: lexical, until the path enters the mountpoint. */
	char *p = abs;
	size_t hlen = 0;

	res->in_overlay = res->exists = false;
	if (abs[0] == '/' && abs[1] == 'p') {
		err = proc_remap(abs, sizeof(abs), c->t->tid, flags);
		if (err < 0)
			return err;
		if (err > 0)
			remapped = true;
	}

	res->host[0] = '\0';
	bool host_check = true, host_lazy = lazy && host_lazy_ok(abs, flags);
	bool host_dotdot = false;

	for (;;) {
		while (*p == '/')
			p++;
		if ((hlen == cfg->mountpoint_len &&
		     memcmp(res->host, cfg->mountpoint, hlen) == 0) ||
		    (cfg->mountpoint_len == 1 && hlen == 0)) {
			/* Into the overlay after a ".." among host names:
			 * those names are walked one by one (the kernel may
			 * never get this far). */
			if (host_lazy && host_dotdot) {
				lazy = false;
				goto restart;
			}
			break;
		}
		if (!*p) {
			/* Outside the overlay. */
			if (hlen == 0)
				res->host[hlen++] = '/';
			res->host[hlen] = '\0';
			/* with a "..", the path as given: the lexical one
			 * could skip a symlink before it */
			if (host_lazy && !host_no_symlinks(host_dotdot ? abs : res->host,
							   (flags & TR_RES_FOLLOW) ||
							   (res->trailing_slash && !(flags & TR_RES_NAME)))) {
				lazy = false;
				goto restart;
			}
			if (!host_walk)
				res->xdev = true; /* started inside, ended outside */
			res->host_rewrite = remapped || olinks > 0;
			if (res->trailing_slash && res->host_rewrite && hlen + 1 < PATH_MAX) {
				res->host[hlen++] = '/';
				res->host[hlen] = '\0';
			}
			return 0;
		}
		char *end = strchrnul(p, '/');
		size_t len = (size_t)(end - p);

		if (len == 1 && p[0] == '.') {
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			int at_root = scope_dotdot(&sc, res->host, hlen);

			if (at_root < 0)
				return at_root;
			while (!at_root && hlen > 0 && res->host[--hlen] != '/')
				;
			res->host[hlen] = '\0';
			host_dotdot = true;
		} else {
			if (hlen + 1 + len >= PATH_MAX)
				return -ENAMETOOLONG;
			res->host[hlen++] = '/';
			memcpy(res->host + hlen, p, len);
			hlen += len;
			res->host[hlen] = '\0';
			if (host_check && !host_lazy) {
				err = host_symlink(res, hlen, end, &sc, &links, abs, sizeof(abs));
				if (err < 0)
					return err;
				if (err == 1)
					goto restart;
				host_check = err == 0;
			}
		}
		p = end;
	}

	/* Overlay part: physical walk through the dentry cache. */
	if (host_walk)
		res->xdev = true;
	host_walk = false;
	res->in_overlay = true;
	res->vrel[0] = '\0';
	res->vrel_len = 0;
	wk.depth = 1;
	err = shm_dcache_root(tr.shm, &wk.stack[0]);
	if (err < 0)
		return -EIO;
	res->parent = wk.stack[0];
	res->ent = wk.stack[0];
	for (;;) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		char *end = strchrnul(p, '/');
		size_t len = (size_t)(end - p);
		const char *rest = end;

		while (*rest == '/')
			rest++;
		bool last = *rest == '\0';
		struct shm_dval *top = walk_top(&wk);

		if (!S_ISDIR(top->mode))
			return -ENOTDIR;
		if (!(top->mode & S_IXOTH))
			res->search_hard = true;
		res->last_dot = 0;
		/* "." or ".." after a name not looked up: is it a directory? */
		if ((top->flags & TR_DF_MAYBE) && p[0] == '.' &&
		    (len == 1 || (len == 2 && p[1] == '.'))) {
			flags &= ~TR_RES_MAYBE;
			goto restart;
		}
		if (len == 1 && p[0] == '.') {
			res->last_dot = 1;
			p = end;
			continue;
		}
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			res->last_dot = 2;
			if (sc.vroot && res->vrel_len == sc.vrootlen &&
			    memcmp(res->vrel, sc.vroot, sc.vrootlen) == 0) {
				if (sc.flags & TR_RES_BENEATH)
					return -EXDEV;
				if (sc.flags & TR_RES_IN_ROOT) {
					p = end;
					continue;
				}
			}
			if (wk.depth == 1) {
				res->xdev = true;
				host_walk = true;
				/* ".." at the mountpoint leaves the overlay for
				 * its parent. Only that step is lexical: the rest
				 * may hold symlinks, whose ".." is physical. */
				const char *slash = strrchr(cfg->mountpoint, '/');
				int n = snprintf(tmp, sizeof(tmp), "%.*s/%s",
						 (int)(slash - cfg->mountpoint),
						 cfg->mountpoint, rest);
				if (n < 0 || (size_t)n >= sizeof(tmp))
					return -ENAMETOOLONG;
				memcpy(abs, tmp, (size_t)n + 1);
				remapped = true;
				goto restart;
			}
			wk.depth--;
			res->vrel_len = wk.off[wk.depth];
			res->vrel[res->vrel_len] = '\0';
			if (wk.depth > 64 && (err = walk_refetch(c, res, &wk)) < 0)
				return err;
			p = end;
			continue;
		}
		if (len > SHM_NAME_MAX)
			return -ENAMETOOLONG;

		struct shm_dval ent;
		bool follow = !last || (flags & TR_RES_FOLLOW) ||
			      (res->trailing_slash && !(flags & TR_RES_NAME));

		err = walk_lookup(c, top, res, p, len, last, follow, flags, &ent);
		if (err == WALK_AGAIN) {
			flags &= ~TR_RES_MAYBE;
			goto restart;
		}
		if (err == -ESTALE)
			goto restart;
		if (err < 0)
			return err;
		bool neg = ent.flags & SHM_DF_NEG;

		if (neg && !last)
			return tr_perm_search(c, res, true) ?: -ENOENT;
		if (!neg && S_ISLNK(ent.mode) && follow) {
			char rel[PATH_MAX], target[PATH_MAX];
			int n;

			if (++links > TR_MAX_SYMLINKS || (flags & TR_RES_NO_SYMLINKS))
				return -ELOOP;
			olinks++;
			n = snprintf(rel, sizeof(rel), "%s%s%.*s", res->vrel,
				     res->vrel_len ? "/" : "", (int)len, p);
			if (n < 0 || (size_t)n >= sizeof(rel))
				return -ENAMETOOLONG;
			ssize_t tl = readlinkat(tr.layer_fd[ent.layer], rel, target,
						sizeof(target) - 1);
			if (tl < 0)
				return -errno;
			target[tl] = '\0';
			if (target[0] == '/') {
				n = scope_absolute(&sc, target, "/", tmp, sizeof(tmp));
				if (n < 0)
					return n;
				n = snprintf(tmp + n, sizeof(tmp) - (size_t)n, "%s", rest) + n;
				if (!(sc.flags & TR_RES_IN_ROOT)) {
					res->xdev = true;
					host_walk = true;
				}
			} else
				n = snprintf(tmp, sizeof(tmp), "%s/%s/%s/%s",
					     cfg->mountpoint, res->vrel, target, rest);
			if (n < 0 || (size_t)n >= sizeof(tmp))
				return -ENAMETOOLONG;
			if (!*rest && !res->trailing_slash)
				tmp[--n] = '\0'; /* keep "no trailing slash" */
			memcpy(abs, tmp, (size_t)n + 1);
			goto restart;
		}
		if (!neg && !last && !S_ISDIR(ent.mode))
			return -ENOTDIR;
		if (wk.depth >= TR_MAX_DEPTH)
			return -ENAMETOOLONG;
		if (res->vrel_len + len + 2 > PATH_MAX)
			return -ENAMETOOLONG;
		wk.off[wk.depth] = res->vrel_len;
		if (res->vrel_len)
			res->vrel[res->vrel_len++] = '/';
		memcpy(res->vrel + res->vrel_len, p, len);
		res->vrel_len += len;
		res->vrel[res->vrel_len] = '\0';
		res->parent = *top;
		wk.depth++;
		*walk_top(&wk) = ent;
		p = end;
	}
	res->ent = *walk_top(&wk);
	if (wk.depth >= 2) {
		/* Parent is the entry below the top; re-read it if the ring
		 * dropped it (very deep paths). */
		if (wk.depth - 1 > 64) {
			struct tr_res tmpres;

			memcpy(tmpres.vrel, res->vrel, wk.off[wk.depth - 1]);
			tmpres.vrel[wk.off[wk.depth - 1]] = '\0';
			struct walk w2 = { .depth = 1 };
			err = walk_refetch(c, &tmpres, &w2);
			if (err < 0)
				return err;
			res->parent = w2.stack[0];
		} else {
			res->parent = wk.stack[(wk.depth - 2) % 64];
		}
	} else {
		res->parent = wk.stack[0];
	}
	res->exists = !(res->ent.flags & SHM_DF_NEG);
	if (res->search_hard && (err = tr_perm_search(c, res, false)) < 0)
		return err;
	if (res->exists && res->trailing_slash && !S_ISDIR(res->ent.mode))
		return -ENOTDIR;
	return 0;
}

int tr_resolve_fd(struct tr_call *c, int fd, char *out, size_t size,
		  struct tr_res *res)
{
	bool remapped = false;
	int err = base_path(c, fd, out, size, &remapped, NULL);

	if (err < 0)
		return err;
	if (!remapped && !tr_path_under(out, tr.cfg->mountpoint, tr.cfg->mountpoint_len))
		return 0;
	err = tr_resolve(c, AT_FDCWD, out, 0, res);
	if (err < 0)
		return err;
	return res->in_overlay ? 1 : 0;
}

int tr_overlay_real_path(const struct tr_res *res, int layer, char *out, size_t size)
{
	const struct fuss_config *cfg = tr.cfg;
	char real[TR_REAL_MAX];
	size_t lim = size < PATH_MAX ? size : PATH_MAX;
	int n;

	if (layer < 0 || layer >= cfg->nlayers || !cfg->layer[layer])
		return -EROFS;
	n = snprintf(out, lim, "%s%s%s%s", cfg->layer[layer],
		     res->vrel_len ? "/" : "", res->vrel,
		     res->trailing_slash ? "/" : "");
	if (n >= 0 && (size_t)n < lim)
		return n;
	/* Longer than the kernel takes, though the program's path is not. */
	n = snprintf(real, sizeof(real), "%s%s%s%s", cfg->layer[layer],
		     res->vrel_len ? "/" : "", res->vrel,
		     res->trailing_slash ? "/" : "");
	if (n < 0 || (size_t)n >= sizeof(real))
		return -ENAMETOOLONG;
	return tr_alias_path(real, out, lim);
}

int tr_res_lstat(const struct tr_res *res, int layer, struct stat *st)
{
	char real[PATH_MAX];
	int err = tr_res_real(res, layer, real, sizeof(real));

	if (err < 0)
		return err;
	return lstat(real, st) < 0 ? -errno : 0;
}

int tr_res_top(const struct tr_res *res, char *out, size_t size)
{
	return tr_res_real(res, res->exists ? res->ent.layer : 0, out, size);
}

int tr_res_id_layer(const struct tr_res *res)
{
	if (res->exists && S_ISDIR(res->ent.mode) && res->ent.layers)
		return 63 - __builtin_clzll(res->ent.layers);
	return res->ent.layer;
}
