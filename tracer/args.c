/*
 * Pure decoding of the flag arguments of path syscalls into what the
 * resolver and the handlers act on. No syscalls, no tracee state: the
 * handlers read the registers, these functions only interpret values.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include "args.h"
#include "resolve.h"
#include "sys.h"

#define TR_RESOLVE_KNOWN (RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS | \
			  RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH | \
			  RESOLVE_IN_ROOT | RESOLVE_CACHED)
/* The kernel's __O_TMPFILE bit alone: glibc's __O_TMPFILE also holds
 * O_DIRECTORY, which RESOLVE_CACHED allows. */
#define TR_O_TMPFILE_BIT (O_TMPFILE & ~O_DIRECTORY)

/* openat2's RESOLVE_* flags as resolver flags, or -EINVAL. */
static int tr_resolve_decode(uint64_t flags, uint64_t r)
{
	int f = 0;

	if (r & ~(uint64_t)TR_RESOLVE_KNOWN)
		return -EINVAL;
	if ((r & RESOLVE_BENEATH) && (r & RESOLVE_IN_ROOT))
		return -EINVAL;
	if ((r & RESOLVE_CACHED) && (flags & (O_CREAT | O_TRUNC | TR_O_TMPFILE_BIT)))
		return -EINVAL;
	if (r & RESOLVE_NO_SYMLINKS)
		f |= TR_RES_NO_SYMLINKS;
	if (r & RESOLVE_NO_MAGICLINKS)
		f |= TR_RES_NO_MAGIC;
	if (r & RESOLVE_BENEATH)
		f |= TR_RES_BENEATH;
	if (r & RESOLVE_IN_ROOT)
		f |= TR_RES_IN_ROOT;
	return f;
}

int tr_open_decode(uint64_t flags, uint64_t resolve, bool openat2,
		   struct tr_open_mode *m)
{
	m->creat = flags & O_CREAT;
	m->excl = m->creat && (flags & O_EXCL);
	m->tmpfile = (flags & O_TMPFILE) == O_TMPFILE;
	m->writing = (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC);
	/* O_CREAT|O_EXCL never follows a final symlink (it fails EEXIST). */
	m->rflags = !(flags & O_NOFOLLOW) && !m->excl ? TR_RES_FOLLOW : 0;
	if (openat2) {
		int r = tr_resolve_decode(flags, resolve);

		if (r < 0)
			return r;
		m->rflags |= r;
	}
	return 0;
}

int tr_at_rflags(unsigned int sysflags, int atflags)
{
	int rflags = 0;

	if (sysflags & SF_ATFL_FOLLOW)
		rflags = (atflags & AT_SYMLINK_FOLLOW) ? TR_RES_FOLLOW : 0;
	else if ((sysflags & SF_FOLLOW) && !(atflags & AT_SYMLINK_NOFOLLOW))
		rflags = TR_RES_FOLLOW;
	if (sysflags & SF_NAME)
		rflags |= TR_RES_NAME;
	if (sysflags & SF_MAYBE)
		rflags |= TR_RES_MAYBE;
	return rflags;
}
