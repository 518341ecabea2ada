/*
 * The identity a file had before it was copied up. overlayfs keeps a
 * copied-up file's inode number (the lower file's, recorded as its
 * "origin"), so a program that stats a file, writes it (the write copies
 * it up) and stats it again sees the same file; an editor that checks
 * this (vim: "E949: File changed while writing") would otherwise refuse
 * its first save of a lower file. fuss keeps, for the files it copied up
 * or renamed out of a lower layer during the run, the lower file's
 * (st_dev, st_ino), by overlay path; a stat of such a name reports them.
 * Renames carry the record along, unlinks and renames over it drop it.
 *
 * A mutex-protected chained table: copy-ups, renames and unlinks are rare
 * next to stats, which look at an atomic count first and take the lock
 * only once the run has copied something up.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "../shm/shm.h"
#include "origin.h"
#include "tracer.h"

#define ORIGIN_BUCKETS 4096

struct origin {
	struct origin *next;
	dev_t dev;
	ino_t ino;
	size_t len;
	char vrel[];
};

static pthread_mutex_t origin_lock = PTHREAD_MUTEX_INITIALIZER;
static struct origin *origin_tab[ORIGIN_BUCKETS];
static unsigned long origin_count; /* atomic */

/* The record of vrel (under the lock): its link, or where it would go. */
static struct origin **origin_slot(const char *vrel, size_t len)
{
	struct origin **p = &origin_tab[shm_name_hash(vrel, len) % ORIGIN_BUCKETS];

	while (*p && ((*p)->len != len || memcmp((*p)->vrel, vrel, len) != 0))
		p = &(*p)->next;
	return p;
}

static void origin_unlink(struct origin **p)
{
	struct origin *o = *p;

	*p = o->next;
	free(o);
	__atomic_sub_fetch(&origin_count, 1, __ATOMIC_RELAXED);
}

static void origin_put_locked(const char *vrel, size_t len, dev_t dev, ino_t ino)
{
	struct origin **p = origin_slot(vrel, len), *o;

	if (*p) {
		(*p)->dev = dev;
		(*p)->ino = ino;
		return;
	}
	if (!(o = malloc(sizeof(*o) + len + 1)))
		return; /* the name then shows its upper inode: no harm done */
	o->next = NULL;
	o->dev = dev;
	o->ino = ino;
	o->len = len;
	memcpy(o->vrel, vrel, len + 1);
	*p = o;
	__atomic_add_fetch(&origin_count, 1, __ATOMIC_RELAXED);
}

void tr_origin_note(const char *vrel, dev_t dev, ino_t ino)
{
	pthread_mutex_lock(&origin_lock);
	origin_put_locked(vrel, strlen(vrel), dev, ino);
	pthread_mutex_unlock(&origin_lock);
}

bool tr_origin_get(const char *vrel, dev_t *dev, ino_t *ino)
{
	struct origin **p;
	bool found = false;

	if (!__atomic_load_n(&origin_count, __ATOMIC_RELAXED))
		return false;
	pthread_mutex_lock(&origin_lock);
	p = origin_slot(vrel, strlen(vrel));
	if (*p) {
		*dev = (*p)->dev;
		*ino = (*p)->ino;
		found = true;
	}
	pthread_mutex_unlock(&origin_lock);
	return found;
}

static bool origin_under(const struct origin *o, const char *dir, size_t len)
{
	return o->len >= len && memcmp(o->vrel, dir, len) == 0 &&
	       (o->len == len || o->vrel[len] == '/');
}

/* Under the lock: the records at `dir` or below it, out of the table. */
static struct origin *origin_take_under(const char *dir, size_t len)
{
	struct origin *taken = NULL, *o;

	for (size_t b = 0; b < ORIGIN_BUCKETS; b++) {
		struct origin **p = &origin_tab[b];

		while ((o = *p)) {
			if (!origin_under(o, dir, len)) {
				p = &o->next;
				continue;
			}
			*p = o->next;
			o->next = taken;
			taken = o;
			__atomic_sub_fetch(&origin_count, 1, __ATOMIC_RELAXED);
		}
	}
	return taken;
}

/* Under the lock: taken records back in, their first `slen` bytes
 * replaced by `dst` (NULL: dropped). */
static void origin_put_moved(struct origin *list, size_t slen, const char *dst)
{
	size_t dlen = dst ? strlen(dst) : 0;
	struct origin *o;

	while ((o = list)) {
		list = o->next;
		char *name = dst ? malloc(dlen + o->len - slen + 1) : NULL;

		if (name) {
			memcpy(name, dst, dlen);
			memcpy(name + dlen, o->vrel + slen, o->len - slen + 1);
			origin_put_locked(name, dlen + o->len - slen, o->dev, o->ino);
			free(name);
		}
		free(o);
	}
}

void tr_origin_rename(const char *from, const char *to, bool exchange)
{
	if (!__atomic_load_n(&origin_count, __ATOMIC_RELAXED))
		return;
	pthread_mutex_lock(&origin_lock);
	struct origin *a = origin_take_under(from, strlen(from));
	struct origin *b = origin_take_under(to, strlen(to));

	origin_put_moved(a, strlen(from), to);
	/* the names `to` had are gone, unless they were exchanged */
	origin_put_moved(b, strlen(to), exchange ? from : NULL);
	pthread_mutex_unlock(&origin_lock);
}

void tr_origin_drop(const char *vrel)
{
	struct origin **p;

	if (!__atomic_load_n(&origin_count, __ATOMIC_RELAXED))
		return;
	pthread_mutex_lock(&origin_lock);
	p = origin_slot(vrel, strlen(vrel));
	if (*p)
		origin_unlink(p);
	pthread_mutex_unlock(&origin_lock);
}
