# openat2(2) RESOLVE_* flags inside the overlay: NO_SYMLINKS refuses any
# symlink, BENEATH refuses escapes and absolute names, IN_ROOT treats the
# dirfd as "/", NO_XDEV refuses crossing into the overlay mount; bad bits
# and a mode without O_CREAT are EINVAL.
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
t openat2 - "$M/link-rel" O_RDONLY RESOLVE_NO_SYMLINKS
t openat2 - "$M/link-dir/common.txt" O_RDONLY RESOLVE_NO_SYMLINKS
t openat2 - "$M/merged/common.txt" O_RDONLY RESOLVE_NO_SYMLINKS
t openat2 - "$M/link-rel" 'O_PATH|O_NOFOLLOW' RESOLVE_NO_SYMLINKS
t openat2 "$M/merged" sub/deep-l2.txt O_RDONLY RESOLVE_BENEATH
t openat2 "$M/merged" ../shadow.txt O_RDONLY RESOLVE_BENEATH
t openat2 "$M/merged" sub/../common.txt O_RDONLY RESOLVE_BENEATH
t openat2 "$M/merged" "$M/merged/common.txt" O_RDONLY RESOLVE_BENEATH
t openat2 "$M/merged" link-up O_RDONLY RESOLVE_BENEATH
t openat2 "$M" link-abs O_RDONLY RESOLVE_BENEATH
t openat2 "$M" link-rel O_RDONLY RESOLVE_BENEATH
t openat2 "$M/merged" /common.txt O_RDONLY RESOLVE_IN_ROOT
t openat2 "$M/merged" ../../../common.txt O_RDONLY RESOLVE_IN_ROOT
t openat2 "$M/merged" link-up O_RDONLY RESOLVE_IN_ROOT
t openat2 "$M" link-abs O_RDONLY RESOLVE_IN_ROOT
t openat2 "$M" link-dir/sub/deep-l1.txt O_RDONLY RESOLVE_IN_ROOT
t openat2 "$M" merged/common.txt O_RDONLY RESOLVE_NO_XDEV
t openat2 "$M" ../ O_RDONLY RESOLVE_NO_XDEV
t openat2 / "${M#/}/merged/common.txt" O_RDONLY RESOLVE_NO_XDEV
t openat2 "$M/dir-l2only" sub/new.txt 'O_WRONLY|O_CREAT' RESOLVE_BENEATH
t openat2 "$M/dir-l2only" ../new.txt 'O_WRONLY|O_CREAT' RESOLVE_BENEATH
t openat2 "$M/merged" common.txt O_RDONLY 0x40
t openat2 "$M/merged" common.txt O_RDONLY 'RESOLVE_BENEATH|RESOLVE_IN_ROOT'
t openat2 "$M/merged" gone.txt O_RDONLY RESOLVE_CACHED
# O_DIRECTORY is no create/tmpfile flag: "/" is in every dentry cache
t openat2 - / O_DIRECTORY RESOLVE_CACHED
t openat2 - "$M/gone.txt" O_RDONLY 0
t lstat "$M/dir-l2only/sub/new.txt"
t lstat "$M/new.txt"
