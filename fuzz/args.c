/*
 * Fuzz target: decoding of open flags, openat2's RESOLVE_* and AT_* flags
 * (tracer/args.c).
 *
 * Input: 8 bytes of open flags, 8 of openat2 resolve flags, 4 of table
 * flags (SF_*), 4 of AT_* flags, 1 byte choosing openat2. Checks each
 * decoded field against the rule it implements, bit by bit, and that bits
 * the decoder must ignore (O_APPEND, O_CLOEXEC, O_NONBLOCK, ..., and
 * `resolve` outside openat2) never change its answer.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include "fuzz.h"
#include "../tracer/args.h"
#include "../tracer/resolve.h"
#include "../tracer/sys.h"

/* Flags that play no part in the walk or the access class. */
/* 020000000 is the kernel's own __O_TMPFILE bit (x86_64 and arm64). */
#define IRRELEVANT (O_APPEND | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | O_DSYNC | \
		    O_SYNC | O_NOATIME | O_ASYNC | O_DIRECT | O_LARGEFILE)

static bool same_mode(const struct tr_open_mode *a, const struct tr_open_mode *b)
{
	return a->creat == b->creat && a->excl == b->excl &&
	       a->tmpfile == b->tmpfile && a->writing == b->writing &&
	       a->rflags == b->rflags;
}

static void check_open(uint64_t flags, uint64_t resolve, bool at2, uint64_t noise)
{
	struct tr_open_mode m, m2;
	int err = tr_open_decode(flags, resolve, at2, &m);
	bool bad = at2 && ((resolve & ~(uint64_t)(RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS |
						     RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH |
						     RESOLVE_IN_ROOT | RESOLVE_CACHED)) ||
			   ((resolve & RESOLVE_BENEATH) && (resolve & RESOLVE_IN_ROOT)) ||
			   ((resolve & RESOLVE_CACHED) &&
			    ((flags & O_CREAT) || (flags & O_TRUNC) || (flags & 020000000))));

	FZ_CHECK(err == (bad ? -EINVAL : 0));
	if (bad)
		return;
	FZ_CHECK(m.creat == !!(flags & O_CREAT));
	FZ_CHECK(m.excl == ((flags & O_CREAT) && (flags & O_EXCL)));
	FZ_CHECK(m.tmpfile == ((flags & 020000000) && (flags & O_DIRECTORY)));
	FZ_CHECK(m.writing == ((flags & O_WRONLY) || (flags & O_RDWR) || (flags & O_TRUNC)));
	FZ_CHECK(!!(m.rflags & TR_RES_FOLLOW) == (!(flags & O_NOFOLLOW) && !m.excl));
	FZ_CHECK(!(m.rflags & TR_RES_NAME));
	FZ_CHECK(!!(m.rflags & TR_RES_NO_SYMLINKS) == (at2 && (resolve & RESOLVE_NO_SYMLINKS)));
	FZ_CHECK(!!(m.rflags & TR_RES_NO_MAGIC) == (at2 && (resolve & RESOLVE_NO_MAGICLINKS)));
	FZ_CHECK(!!(m.rflags & TR_RES_BENEATH) == (at2 && (resolve & RESOLVE_BENEATH)));
	FZ_CHECK(!!(m.rflags & TR_RES_IN_ROOT) == (at2 && (resolve & RESOLVE_IN_ROOT)));

	/* Noise in the ignored bits changes nothing. */
	FZ_CHECK(tr_open_decode(flags ^ (noise & IRRELEVANT), resolve, at2, &m2) == 0);
	FZ_CHECK(same_mode(&m, &m2));
	if (!at2) {
		FZ_CHECK(tr_open_decode(flags, noise, false, &m2) == 0);
		FZ_CHECK(same_mode(&m, &m2));
	}
}

static void check_at(unsigned int sf, int atfl)
{
	int r = tr_at_rflags(sf, atfl);
	bool follow;

	if (sf & SF_ATFL_FOLLOW)
		follow = atfl & AT_SYMLINK_FOLLOW;
	else
		follow = (sf & SF_FOLLOW) && !(atfl & AT_SYMLINK_NOFOLLOW);
	FZ_CHECK(!!(r & TR_RES_FOLLOW) == follow);
	FZ_CHECK(!!(r & TR_RES_NAME) == !!(sf & SF_NAME));
	FZ_CHECK((r & ~(TR_RES_FOLLOW | TR_RES_NAME)) == 0);
	/* AT_EMPTY_PATH, AT_REMOVEDIR, ... never change the walk. */
	FZ_CHECK(tr_at_rflags(sf, atfl & (AT_SYMLINK_FOLLOW | AT_SYMLINK_NOFOLLOW)) == r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t flags, resolve;
	uint32_t sf, atfl;

	if (size < 25)
		return 0;
	memcpy(&flags, data, 8);
	memcpy(&resolve, data + 8, 8);
	memcpy(&sf, data + 16, 4);
	memcpy(&atfl, data + 20, 4);
	/* open/openat pass an int: the upper half is not the program's. */
	if (!(data[24] & 1))
		flags = (unsigned int)flags;
	check_open(flags, resolve, data[24] & 1, resolve ^ flags);
	check_at(sf, (int)atfl);
	return 0;
}
