/*
 * The one handler table (x86_64 and every other architecture share it:
 * syscalls an architecture lacks simply never stop). Checklist for adding a
 * syscall: list it in arch/syscalls.h, give it a row here with its argument
 * layout, add an end-to-end scenario.
 */
#include "sys.h"

#define AT(d, p) (SF_DIRFD(d) | SF_PATH(p))

const struct tr_sys tr_systab[FUSS_SYS_MAX] = {
	/* open */
	[FUSS_SYS_open] = { sys_open_enter, SF_PATH(0) },
	[FUSS_SYS_creat] = { sys_open_enter, SF_PATH(0) },
	[FUSS_SYS_openat] = { sys_open_enter, AT(0, 1) },
	[FUSS_SYS_openat2] = { sys_open_enter, AT(0, 1) },
	/* stat and friends: lookup */
	[FUSS_SYS_stat] = { sys_stat_enter, SF_PATH(0) | SF_FOLLOW | SF_MAYBE },
	[FUSS_SYS_lstat] = { sys_stat_enter, SF_PATH(0) | SF_NOFOLLOW | SF_MAYBE },
	[FUSS_SYS_newfstatat] = { sys_stat_enter, AT(0, 1) | SF_ATFL(3) | SF_FOLLOW | SF_MAYBE },
	[FUSS_SYS_statx] = { sys_stat_enter, AT(0, 1) | SF_ATFL(2) | SF_FOLLOW | SF_MAYBE },
	[FUSS_SYS_access] = { sys_access_enter, SF_PATH(0) | SF_FOLLOW },
	[FUSS_SYS_faccessat] = { sys_access_enter, AT(0, 1) | SF_FOLLOW },
	[FUSS_SYS_faccessat2] = { sys_access_enter, AT(0, 1) | SF_ATFL(3) | SF_FOLLOW },
	[FUSS_SYS_readlink] = { sys_readlink_enter, SF_PATH(0) | SF_NOFOLLOW },
	[FUSS_SYS_readlinkat] = { sys_readlink_enter, AT(0, 1) | SF_NOFOLLOW },
	[FUSS_SYS_getxattr] = { sys_xattr_get_enter, SF_PATH(0) | SF_FOLLOW | SF_MAYBE },
	[FUSS_SYS_lgetxattr] = { sys_xattr_get_enter, SF_PATH(0) | SF_NOFOLLOW | SF_MAYBE },
	[FUSS_SYS_listxattr] = { sys_xattr_list_enter, SF_PATH(0) | SF_FOLLOW | SF_MAYBE },
	[FUSS_SYS_llistxattr] = { sys_xattr_list_enter, SF_PATH(0) | SF_NOFOLLOW | SF_MAYBE },
	[FUSS_SYS_getxattrat] = { sys_xattr_get_enter, AT(0, 1) | SF_ATFL(2) | SF_FOLLOW | SF_MAYBE },
	[FUSS_SYS_listxattrat] = { sys_xattr_list_enter, AT(0, 1) | SF_ATFL(2) | SF_FOLLOW | SF_MAYBE },
	[FUSS_SYS_file_getattr] = { sys_lookup_enter, AT(0, 1) | SF_ATFL(4) | SF_FOLLOW },
	[FUSS_SYS_statfs] = { sys_lookup_enter, SF_PATH(0) | SF_FOLLOW },
	[FUSS_SYS_inotify_add_watch] = { sys_inotify_add_watch_enter, SF_PATH(1) },
	[FUSS_SYS_fanotify_mark] = { sys_fanotify_mark_enter, SF_DIRFD(3) | SF_PATH(4) },
	[FUSS_SYS_execve] = { sys_exec_enter, SF_PATH(0) | SF_FOLLOW },
	[FUSS_SYS_execveat] = { sys_exec_enter, AT(0, 1) | SF_ATFL(4) | SF_FOLLOW },
	/* directories and cwd */
	[FUSS_SYS_getdents] = { sys_getdents_enter, SF_FD(0) },
	[FUSS_SYS_getdents64] = { sys_getdents_enter, SF_FD(0) },
	[FUSS_SYS_chdir] = { sys_chdir_enter, SF_PATH(0) | SF_FOLLOW },
	[FUSS_SYS_fchdir] = { sys_pass_enter, SF_FD(0) },
	[FUSS_SYS_getcwd] = { sys_getcwd_enter, 0 },
	/* namespace changes: vfsd */
	[FUSS_SYS_mkdir] = { sys_mkdir_enter, SF_PATH(0) | SF_NOFOLLOW | SF_NAME },
	[FUSS_SYS_mkdirat] = { sys_mkdir_enter, AT(0, 1) | SF_NOFOLLOW | SF_NAME },
	[FUSS_SYS_mknod] = { sys_mknod_enter, SF_PATH(0) | SF_NOFOLLOW | SF_NAME },
	[FUSS_SYS_mknodat] = { sys_mknod_enter, AT(0, 1) | SF_NOFOLLOW | SF_NAME },
	[FUSS_SYS_symlink] = { sys_symlink_enter, SF_PATH(1) | SF_NOFOLLOW | SF_NAME },
	[FUSS_SYS_symlinkat] = { sys_symlink_enter, SF_DIRFD(1) | SF_PATH(2) | SF_NOFOLLOW | SF_NAME },
	[FUSS_SYS_link] = { sys_link_enter, SF_PATH(0) | SF_NOFOLLOW },
	[FUSS_SYS_linkat] = { sys_link_enter, AT(0, 1) | SF_ATFL(4) | SF_ATFL_FOLLOW },
	[FUSS_SYS_unlink] = { sys_unlink_enter, SF_PATH(0) | SF_NOFOLLOW | SF_NAME },
	[FUSS_SYS_unlinkat] = { sys_unlink_enter, AT(0, 1) | SF_NOFOLLOW | SF_NAME },
	[FUSS_SYS_rmdir] = { sys_unlink_enter, SF_PATH(0) | SF_NOFOLLOW | SF_NAME },
	[FUSS_SYS_rename] = { sys_rename_enter, SF_PATH(0) | SF_NOFOLLOW | SF_NAME },
	[FUSS_SYS_renameat] = { sys_rename_enter, AT(0, 1) | SF_NOFOLLOW | SF_NAME },
	[FUSS_SYS_renameat2] = { sys_rename_enter, AT(0, 1) | SF_NOFOLLOW | SF_NAME },
	/* metadata changes: copy-up */
	[FUSS_SYS_chmod] = { sys_copyup_enter, SF_PATH(0) | SF_FOLLOW },
	[FUSS_SYS_fchmodat] = { sys_copyup_enter, AT(0, 1) | SF_FOLLOW },
	[FUSS_SYS_fchmodat2] = { sys_copyup_enter, AT(0, 1) | SF_ATFL(3) | SF_FOLLOW },
	[FUSS_SYS_chown] = { sys_copyup_enter, SF_PATH(0) | SF_FOLLOW },
	[FUSS_SYS_lchown] = { sys_copyup_enter, SF_PATH(0) | SF_NOFOLLOW },
	[FUSS_SYS_fchownat] = { sys_copyup_enter, AT(0, 1) | SF_ATFL(4) | SF_FOLLOW },
	[FUSS_SYS_truncate] = { sys_copyup_enter, SF_PATH(0) | SF_FOLLOW },
	[FUSS_SYS_utime] = { sys_copyup_enter, SF_PATH(0) | SF_FOLLOW },
	[FUSS_SYS_utimes] = { sys_copyup_enter, SF_PATH(0) | SF_FOLLOW },
	[FUSS_SYS_futimesat] = { sys_copyup_enter, AT(0, 1) | SF_FOLLOW },
	[FUSS_SYS_utimensat] = { sys_utimensat_enter, AT(0, 1) | SF_ATFL(3) | SF_FOLLOW },
	[FUSS_SYS_setxattr] = { sys_xattr_set_enter, SF_PATH(0) | SF_FOLLOW },
	[FUSS_SYS_lsetxattr] = { sys_xattr_set_enter, SF_PATH(0) | SF_NOFOLLOW },
	[FUSS_SYS_removexattr] = { sys_xattr_set_enter, SF_PATH(0) | SF_FOLLOW },
	[FUSS_SYS_lremovexattr] = { sys_xattr_set_enter, SF_PATH(0) | SF_NOFOLLOW },
	[FUSS_SYS_setxattrat] = { sys_xattr_set_enter, AT(0, 1) | SF_ATFL(2) | SF_FOLLOW },
	[FUSS_SYS_removexattrat] = { sys_xattr_set_enter, AT(0, 1) | SF_ATFL(2) | SF_FOLLOW },
	[FUSS_SYS_file_setattr] = { sys_copyup_enter, AT(0, 1) | SF_ATFL(4) | SF_FOLLOW },
	/* fd class: a lower-layer file is copied up, the call redirected */
	[FUSS_SYS_fchmod] = { sys_fd_enter, SF_FD(0) },
	[FUSS_SYS_fchown] = { sys_fd_enter, SF_FD(0) },
	[FUSS_SYS_ftruncate] = { sys_fd_enter, SF_FD(0) },
	[FUSS_SYS_fsetxattr] = { sys_xattr_set_enter, SF_FD(0) },
	[FUSS_SYS_fremovexattr] = { sys_xattr_set_enter, SF_FD(0) },
	[FUSS_SYS_fgetxattr] = { sys_xattr_get_enter, SF_FD(0) },
	[FUSS_SYS_flistxattr] = { sys_xattr_list_enter, SF_FD(0) },
	/* AF_UNIX socket paths */
	[FUSS_SYS_bind] = { sys_socket_enter, SF_FD(0) },
	[FUSS_SYS_connect] = { sys_socket_enter, SF_FD(0) },
	/* the caller's rights change: permission checks re-read them */
	[FUSS_SYS_setuid] = { sys_creds_enter, 0 },
	[FUSS_SYS_setgid] = { sys_creds_enter, 0 },
	[FUSS_SYS_setreuid] = { sys_creds_enter, 0 },
	[FUSS_SYS_setregid] = { sys_creds_enter, 0 },
	[FUSS_SYS_setresuid] = { sys_creds_enter, 0 },
	[FUSS_SYS_setresgid] = { sys_creds_enter, 0 },
	[FUSS_SYS_setfsuid] = { sys_creds_enter, 0 },
	[FUSS_SYS_setfsgid] = { sys_creds_enter, 0 },
	[FUSS_SYS_setgroups] = { sys_creds_enter, 0 },
	[FUSS_SYS_capset] = { sys_creds_enter, 0 },
	/* io_uring_setup and ptrace have no row: the seccomp filter answers
	 * them (arch_sys_filtered) */
	/* denied when they name the overlay */
	[FUSS_SYS_name_to_handle_at] = { sys_deny_overlay_enter, AT(0, 1) | SF_ATFL(4) | SF_ATFL_FOLLOW },
	[FUSS_SYS_open_by_handle_at] = { sys_eopnotsupp_enter, SF_FD(0) },
	[FUSS_SYS_chroot] = { sys_mount_enter, SF_PATH(0) | SF_FOLLOW },
	[FUSS_SYS_pivot_root] = { sys_mount_enter, SF_PATH(0) | SF_FOLLOW },
	[FUSS_SYS_mount] = { sys_mount_enter, SF_PATH(1) | SF_FOLLOW },
	[FUSS_SYS_umount2] = { sys_mount_enter, SF_PATH(0) | SF_FOLLOW },
	[FUSS_SYS_swapon] = { sys_mount_enter, SF_PATH(0) | SF_FOLLOW },
	[FUSS_SYS_swapoff] = { sys_mount_enter, SF_PATH(0) | SF_FOLLOW },
	[FUSS_SYS_acct] = { sys_mount_enter, SF_PATH(0) | SF_FOLLOW },
	[FUSS_SYS_quotactl] = { sys_mount_enter, SF_PATH(1) | SF_FOLLOW },
	[FUSS_SYS_open_tree] = { sys_mount_enter, AT(0, 1) | SF_FOLLOW },
	[FUSS_SYS_move_mount] = { sys_mount_enter, AT(0, 1) | SF_FOLLOW },
	[FUSS_SYS_fspick] = { sys_mount_enter, AT(0, 1) | SF_FOLLOW },
	[FUSS_SYS_mount_setattr] = { sys_mount_enter, AT(0, 1) | SF_FOLLOW },
};
