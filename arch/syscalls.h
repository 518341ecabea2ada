/*
 * Every syscall fuss knows, listed once. Each architecture maps the kernel's
 * numbers onto enum fuss_sys; the tracer's handler table is indexed by it.
 * FUSS_SYSCALLS_GENERIC exist on every architecture (the *at forms);
 * FUSS_SYSCALLS_LEGACY only where the kernel still has them (x86_64).
 */
#ifndef FUSS_ARCH_SYSCALLS_H
#define FUSS_ARCH_SYSCALLS_H

#define FUSS_SYSCALLS_GENERIC(X) \
	X(openat) X(openat2) X(newfstatat) X(statx) X(faccessat) X(faccessat2) \
	X(readlinkat) X(getdents64) X(mkdirat) X(mknodat) X(symlinkat) \
	X(linkat) X(unlinkat) X(renameat) X(renameat2) X(chdir) X(fchdir) \
	X(getcwd) X(execve) X(execveat) X(fchmodat) X(fchmodat2) X(fchownat) \
	X(truncate) X(utimensat) X(setxattr) X(lsetxattr) X(removexattr) \
	X(lremovexattr) X(getxattr) X(lgetxattr) X(listxattr) X(llistxattr) \
	X(fchmod) X(fchown) X(ftruncate) X(fsetxattr) X(fremovexattr) \
	X(fgetxattr) X(flistxattr) X(bind) X(connect) \
	X(statfs) X(inotify_add_watch) X(fanotify_mark) X(name_to_handle_at) \
	X(open_by_handle_at) X(chroot) X(pivot_root) X(mount) X(umount2) \
	X(swapon) X(swapoff) X(acct) X(quotactl) X(open_tree) X(move_mount) \
	X(fspick) X(mount_setattr) X(io_uring_setup) X(setxattrat) \
	X(getxattrat) X(listxattrat) X(removexattrat) X(file_getattr) \
	X(file_setattr) X(setuid) X(setgid) X(setreuid) X(setregid) \
	X(setresuid) X(setresgid) X(setfsuid) X(setfsgid) X(setgroups) X(capset) \
	X(ptrace)

#define FUSS_SYSCALLS_LEGACY(X) \
	X(open) X(creat) X(stat) X(lstat) X(access) X(readlink) X(getdents) \
	X(mkdir) X(mknod) X(symlink) X(link) X(unlink) X(rmdir) X(rename) \
	X(chmod) X(chown) X(lchown) X(utime) X(utimes) X(futimesat)

enum fuss_sys {
	FUSS_SYS_none = 0,
#define FUSS_SYS_ENUM(name) FUSS_SYS_##name,
	FUSS_SYSCALLS_GENERIC(FUSS_SYS_ENUM)
	FUSS_SYSCALLS_LEGACY(FUSS_SYS_ENUM)
#undef FUSS_SYS_ENUM
	FUSS_SYS_MAX
};

/* Human-readable name of a fuss_sys value ("?" if out of range). */
const char *arch_sys_name(int sys);

#endif
