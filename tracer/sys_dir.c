/*
 * getdents64 and getdents on a directory inside the overlay: the tracer
 * answers with the merged listing. The directory stream's position is the
 * kernel's own file offset (an index into the listing): after writing the
 * entries, the syscall is turned into lseek(fd, new position) and the exit
 * stop puts the byte count in place of lseek's result. dup'd and inherited
 * fds share the offset as they do natively, rewinddir's lseek(fd, 0,
 * SEEK_SET) needs no interception, and telldir/seekdir see the same index.
 *
 * A directory that only one lower layer holds and that holds no marker
 * lists in the merged view exactly as the kernel lists it there (names,
 * order, d_ino, d_type): its stream is left to the kernel from its first
 * getdents on, and stays the kernel's until the program rewinds it, even
 * if the directory is copied up meanwhile (overlayfs too goes on reading
 * the lower directory it opened until a rewind).
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "log.h"
#include "path.h"
#include "sys.h"
#include "vfs.h"
#include "worker.h"

#define GETDENTS_CHUNK 65536

struct dirent64_hdr {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
} __attribute__((packed));

struct dirent_hdr {
	unsigned long d_ino;
	unsigned long d_off;
	unsigned short d_reclen;
} __attribute__((packed));

static long fd_pos(pid_t tid, int fd)
{
	long long pos = -1;
	int err = tr_fdinfo(tid, fd, &pos, NULL);

	return err < 0 ? err : (long)pos;
}

/* `res` was just listed with `n` names: the first miss on one of them asks
 * vfsd for them all (resolve.c). */
static void note_listed(struct tr_worker *w, const struct tr_res *res, size_t n)
{
	if (res->vrel_len < sizeof(w->listed)) {
		memcpy(w->listed, res->vrel, res->vrel_len + 1);
		w->listed_fill = n <= SHM_LOOKUP_SIBLINGS_MAX;
	}
}

/* The cached listing of (tid, fd) for `st`, rebuilt at position 0 or when
 * the fd now names another directory. */
static struct tr_dircache *listing_get(struct tr_call *c, int fd, const struct stat *st,
				       const struct tr_res *res, long pos)
{
	struct tr_worker *w = c->w;
	struct tr_dircache *d = NULL, *lru = &w->dirs[0];

	for (int i = 0; i < TR_DIRCACHE; i++) {
		struct tr_dircache *e = &w->dirs[i];

		if (e->valid && e->tid == c->t->tid && e->fd == fd &&
		    e->dev == st->st_dev && e->ino == st->st_ino) {
			d = e;
			break;
		}
		if (!e->valid || (lru->valid && e->used < lru->used))
			lru = e;
	}
	if (d && pos != 0) {
		d->used = ++w->clock;
		return d;
	}
	if (!d) {
		d = lru;
		if (d->valid)
			layer_listing_free(&d->list);
		d->valid = false;
	} else {
		layer_listing_free(&d->list);
		d->valid = false;
	}
	memset(&d->list, 0, sizeof(d->list));
	if (tr_vfs_list(res, &d->list) < 0)
		return NULL;
	note_listed(w, res, d->list.n);
	d->tid = c->t->tid;
	d->fd = fd;
	d->dev = st->st_dev;
	d->ino = st->st_ino;
	d->used = ++w->clock;
	d->valid = true;
	return d;
}

/* The kernel's stream (tid, fd) of directory `st`, or NULL. */
static struct tr_kstream *kstream_find(struct tr_worker *w, pid_t tid, int fd,
				       const struct stat *st)
{
	for (int i = 0; i < TR_KSTREAMS; i++) {
		struct tr_kstream *k = &w->kstreams[i];

		if (k->used && k->tid == tid && k->fd == fd && k->dev == st->st_dev &&
		    k->ino == st->st_ino)
			return k;
	}
	return NULL;
}

/* (The caller has freed any record of the same stream.) */
static void kstream_add(struct tr_worker *w, pid_t tid, int fd, const struct stat *st)
{
	struct tr_kstream *k = NULL, *lru = &w->kstreams[0];

	for (int i = 0; !k && i < TR_KSTREAMS; i++) {
		if (!w->kstreams[i].used) {
			k = &w->kstreams[i];
			break;
		}
		if (w->kstreams[i].used < lru->used)
			lru = &w->kstreams[i];
	}
	if (!k)
		k = lru;
	*k = (struct tr_kstream){ tid, fd, st->st_dev, st->st_ino, ++w->clock };
}

/* Is `res`, open as `real`, a one-layer lower directory that the kernel
 * lists as the merged view does? Its entry count in *count; the worker
 * notes it (tr_plain_note). */
static bool kernel_lists(struct tr_worker *w, const struct tr_res *res, const char *real,
			 size_t *count)
{
	if (__builtin_popcountll(res->ent.layers) != 1 || res->ent.layer == 0 ||
	    tr_vfs_layer_of(real) != res->ent.layer)
		return false;
	int fd = open(real, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return false;
	bool links;
	int plain = layer_dir_plain(fd, count, &links);

	close(fd);
	if (plain > 0)
		tr_plain_note(w, res->vrel, res->vrel_len, res->ent.layer, links);
	return plain > 0;
}

static size_t fill64(char *out, size_t cap, const struct layer_listing *l, size_t from,
		     size_t *next)
{
	size_t used = 0, i;

	for (i = from; i < l->n; i++) {
		const struct layer_dirent *e = &l->ents[i];
		size_t reclen = (offsetof(struct dirent64_hdr, d_type) + 1 + e->namelen + 1 + 7) & ~(size_t)7;
		struct dirent64_hdr h = { e->ino, (int64_t)(i + 1), (unsigned short)reclen, e->d_type };

		if (used + reclen > cap)
			break;
		memset(out + used, 0, reclen);
		memcpy(out + used, &h, sizeof(h));
		memcpy(out + used + sizeof(h), e->name, e->namelen);
		used += reclen;
	}
	*next = i;
	return used;
}

static size_t fill32(char *out, size_t cap, const struct layer_listing *l, size_t from,
		     size_t *next)
{
	size_t used = 0, i;

	for (i = from; i < l->n; i++) {
		const struct layer_dirent *e = &l->ents[i];
		size_t reclen = (sizeof(struct dirent_hdr) + e->namelen + 2 + 7) & ~(size_t)7;
		struct dirent_hdr h = { (unsigned long)e->ino, i + 1, (unsigned short)reclen };

		if (used + reclen > cap)
			break;
		memset(out + used, 0, reclen);
		memcpy(out + used, &h, sizeof(h));
		memcpy(out + used + sizeof(h), e->name, e->namelen);
		out[used + reclen - 1] = (char)e->d_type;
		used += reclen;
	}
	*next = i;
	return used;
}

static int getdents_exit(struct tr_call *c)
{
	long r = arch_ret(&c->regs);

	arch_set_ret(&c->regs, r < 0 ? r : c->t->exit_arg);
	c->dirty = true;
	return 0;
}

int sys_getdents_enter(struct tr_call *c)
{
	int fd = (int)arch_arg(&c->regs, 0);
	unsigned long buf = arch_arg(&c->regs, 1), count = arch_arg(&c->regs, 2);
	char real[TR_REAL_MAX], vpath[PATH_MAX], proc[64];
	struct tr_res res;
	struct stat st;
	size_t names;
	ssize_t n;
	int err;

	if (tr_call_fd_real(c, fd, real, sizeof(real)) < 0 || real[0] != '/')
		return TR_RUN;
	err = tr_vfs_to_virtual(real, vpath, sizeof(vpath));
	if (err <= 0)
		return err < 0 ? err : TR_RUN;
	/* The directory itself, however deep, and the stream's position:
	 * through the worker's copy of the file description when it has one
	 * (a directory's lseek to where it is changes nothing; it waits for a
	 * getdents64 of another thread on the same stream to end). */
	int copy = tr_call_fd_copy(c, fd);
	long pos;

	if (copy >= 0) {
		if (fstat(copy, &st) < 0 || (pos = (long)lseek(copy, 0, SEEK_CUR)) < 0)
			return TR_RUN;
	} else {
		snprintf(proc, sizeof(proc), "/proc/%d/fd/%d", c->t->tid, fd);
		if (stat(proc, &st) < 0 || (pos = fd_pos(c->t->tid, fd)) < 0)
			return TR_RUN;
	}
	/* A stream that is the kernel's stays so until a rewind, whatever
	 * the directory has become: no lookup needed. */
	struct tr_kstream *k = kstream_find(c->w, c->t->tid, fd, &st);

	if (k && pos != 0) {
		k->used = ++c->w->clock;
		return TR_RUN;
	}
	if (k)
		k->used = 0;
	/* A directory not looked up (TR_DF_MAYBE) is one-layer: the kernel
	 * lists it if it is plain, else it is looked up after all. */
	err = tr_resolve(c, AT_FDCWD, vpath, TR_RES_MAYBE, &res);
	bool kernel = false, checked = false;

	if (err == 0 && (res.ent.flags & TR_DF_MAYBE)) {
		kernel = kernel_lists(c->w, &res, real, &names);
		checked = true; /* not plain: looked up, to be listed by fuss */
		if (!kernel)
			err = tr_resolve(c, AT_FDCWD, vpath, 0, &res);
	}
	if (!kernel) {
		if (err < 0 || !res.in_overlay || !res.exists || !S_ISDIR(res.ent.mode))
			return TR_RUN; /* e.g. a deleted directory: the kernel answers */
		/* Without a record of it (another worker's thread, a forked
		 * child), a one-layer directory's stream with a position is
		 * the kernel's too: only a merged directory's stream is
		 * fuss's, and a merged directory never becomes a one-layer
		 * one. */
		kernel = !checked && kernel_lists(c->w, &res, real, &names);
	}
	if (kernel) {
		kstream_add(c->w, c->t->tid, fd, &st);
		if (pos == 0)
			note_listed(c->w, &res, names);
		return TR_RUN;
	}
	struct tr_dircache *d = listing_get(c, fd, &st, &res, pos);
	if (!d)
		return -EIO;
	if ((size_t)pos >= d->list.n) {
		c->ret = 0;
		return TR_EMU;
	}
	size_t cap = count < GETDENTS_CHUNK ? count : GETDENTS_CHUNK, next, used;
	char *out = malloc(cap ? cap : 1);
	if (!out)
		return -ENOMEM;
	if (c->sys == FUSS_SYS_getdents64)
		used = fill64(out, cap, &d->list, (size_t)pos, &next);
	else
		used = fill32(out, cap, &d->list, (size_t)pos, &next);
	if (used == 0) {
		free(out);
		return -EINVAL;
	}
	n = tr_mem_write(c->t->tid, buf, out, used);
	free(out);
	if (n != (ssize_t)used)
		return -EFAULT;
	arch_set_sysno(&c->regs, arch_nr_lseek);
	arch_set_arg(&c->regs, 1, next);
	arch_set_arg(&c->regs, 2, SEEK_SET);
	c->dirty = true;
	tr_call_want_exit(c, getdents_exit, (long)used);
	return TR_RUN;
}
