# fd-class calls on read-only fds of lower files: fchmod, fchown,
# fsetxattr, fremovexattr copy the file up and change the copy; fstat on
# the same fd sees the change; the lower file's data stays intact.
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
t fchmod "$M/only-l2.txt" O_RDONLY 0600
t fchmod "$M/merged/common.txt" O_RDONLY 0751
t fchmod "$M/merged" 'O_RDONLY|O_DIRECTORY' 0700
t fchmod "$M/dir-l2only/sub" 'O_RDONLY|O_DIRECTORY' 0711
t fchmod "$M/l1only.txt" O_PATH 0600
t fchown "$M/twice.txt" O_RDONLY 1000 1000
t fsetxattr "$M/shadow.txt" O_RDONLY user.added value
t fsetxattr "$M/dir-l1only" 'O_RDONLY|O_DIRECTORY' user.dir yes
t fremovexattr "$M/xattr.txt" O_RDONLY user.test
t fremovexattr "$M/bin/hello.sh" O_RDONLY user.missing
t fsetxattr "$M/link-rel" 'O_PATH|O_NOFOLLOW' user.x y
for n in only-l2.txt merged/common.txt merged dir-l2only/sub l1only.txt \
	twice.txt bin/hello.sh; do
	t stat "$M/$n"
done
t statx-mask "$M/twice.txt" 'STATX_UID|STATX_GID' 0
t getxattr "$M/shadow.txt" user.added
t getxattr "$M/dir-l1only" user.dir
t getxattr "$M/xattr.txt" user.test
t fgetxattr "$M/shadow.txt" user.added
cat "$M/only-l2.txt" "$M/merged/common.txt" "$M/shadow.txt" "$M/xattr.txt"
