/*
 * Kernel syscall numbers <-> enum fuss_sys, built by the compiler from the
 * target's <sys/syscall.h> for the syscalls the architecture has
 * (ARCH_SYSCALLS): no hand-typed numbers but those of calls newer than the
 * build host's headers may be. Since Linux 5.1 a new syscall gets the same
 * number on every architecture but alpha, so one fallback serves all.
 */
#include <stddef.h>
#include <sys/syscall.h>
#include "arch.h"

#ifndef __NR_mount_setattr
#define __NR_mount_setattr 442 /* Linux 5.12 */
#endif
#ifndef __NR_fchmodat2
#define __NR_fchmodat2 452 /* Linux 6.6 */
#endif
#ifndef __NR_setxattrat
#define __NR_setxattrat 463 /* Linux 6.13 */
#define __NR_getxattrat 464
#define __NR_listxattrat 465
#define __NR_removexattrat 466
#endif
#ifndef __NR_file_getattr
#define __NR_file_getattr 468 /* Linux 6.17 */
#define __NR_file_setattr 469
#endif

const long arch_nr_mmap = __NR_mmap, arch_nr_lseek = __NR_lseek,
	   arch_nr_fchmodat = __NR_fchmodat, arch_nr_fchownat = __NR_fchownat,
	   arch_nr_setxattr = __NR_setxattr, arch_nr_removexattr = __NR_removexattr;

static const unsigned short sys_from_nr[] = {
#define ARCH_MAP(name) [__NR_##name] = FUSS_SYS_##name,
	ARCH_SYSCALLS(ARCH_MAP)
#undef ARCH_MAP
};

/* Stored plus one: an entry the architecture lacks is 0, read as -1. */
static const short nr_from_sys[FUSS_SYS_MAX] = {
#define ARCH_RMAP(name) [FUSS_SYS_##name] = __NR_##name + 1,
	ARCH_SYSCALLS(ARCH_RMAP)
#undef ARCH_RMAP
};

int arch_sys_from_nr(long nr)
{
	if (nr < 0 || (size_t)nr >= sizeof(sys_from_nr) / sizeof(sys_from_nr[0]))
		return FUSS_SYS_none;
	return sys_from_nr[nr];
}

long arch_nr_from_sys(int sys)
{
	if (sys <= FUSS_SYS_none || sys >= FUSS_SYS_MAX)
		return -1;
	return nr_from_sys[sys] - 1;
}

static const char *const sys_names[FUSS_SYS_MAX] = {
	[FUSS_SYS_none] = "?",
#define ARCH_NAME(name) [FUSS_SYS_##name] = #name,
	FUSS_SYSCALLS_GENERIC(ARCH_NAME)
	FUSS_SYSCALLS_LEGACY(ARCH_NAME)
#undef ARCH_NAME
};

const char *arch_sys_name(int sys)
{
	if (sys <= FUSS_SYS_none || sys >= FUSS_SYS_MAX)
		return "?";
	return sys_names[sys];
}
