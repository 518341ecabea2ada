/*
 * Decoding of syscall arguments that decide how a path is walked and what
 * class of access a call is, kept free of registers and tracee memory so it
 * can be checked on its own (unit tests, fuzz/args.c).
 */
#ifndef FUSS_ARGS_H
#define FUSS_ARGS_H

#include <stdbool.h>
#include <stdint.h>

/* What an open's flags ask for. */
struct tr_open_mode {
	bool creat;        /* O_CREAT */
	bool excl;         /* O_CREAT with O_EXCL */
	bool tmpfile;      /* O_TMPFILE (which includes O_DIRECTORY) */
	bool writing;      /* write access or O_TRUNC: a lower file is copied up */
	int rflags;        /* TR_RES_* for the walk */
};

/* Decode open/openat flags, or openat2's flags and `resolve` (ignored
 * unless openat2). 0, or -EINVAL where the kernel refuses the RESOLVE_*
 * combination. */
int tr_open_decode(uint64_t flags, uint64_t resolve, bool openat2,
		   struct tr_open_mode *m);
/* Resolver flags of a path syscall from its table flags (SF_*) and the
 * value of its AT_* flags argument (0 when it has none). */
int tr_at_rflags(unsigned int sysflags, int atflags);

#endif
