# chmod/fchmodat2/chown/lchown as root on lower objects: each copies up;
# fchmodat2(AT_SYMLINK_NOFOLLOW) on a symlink is EOPNOTSUPP and copies
# nothing; errors on whiteouts, missing names and bad flags.
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
t chmod "$M/only-l2.txt" 0600
t fchmodat2 "$M/l1only.txt" 0640 0
t fchmodat2 "$M/l1only.txt" 0604 AT_SYMLINK_NOFOLLOW
t fchmodat2 "$M/link-rel" 0600 AT_SYMLINK_NOFOLLOW
t fchmodat2 "$M/merged/link-up" 0600 AT_SYMLINK_NOFOLLOW
t fchmodat2 "$M/link-dangling" 0600 AT_SYMLINK_NOFOLLOW
t fchmodat2 "$M/link-dangling" 0600 0
t fchmodat2 "$M/merged/link-up" 0640 0
t fchmodat2 "$M/merged" 0700 AT_SYMLINK_NOFOLLOW
t fchmodat2 "$M/twice.txt" 0600 AT_REMOVEDIR
t fchmodat2 "$M/gone.txt" 0600 0
t -C "$M/dir-l2only" fchmodat2 "" 0750 AT_EMPTY_PATH
t chmod "$M/gone.txt" 0600
t chmod "$M/nope" 0600
t chmod "$M/shadow.txt/" 0600
t chmod "$M/modes/sticky" 01700
t chown "$M/merged/sub/deep-l2.txt" 1000 1000
t chown "$M/twice.txt" -1 1000
t lchown "$M/link-abs" 1000 1000
t lchown "$M/link-dangling" 1000 -1
t chown "$M/link-dangling" 1000 -1
t chown "$M/gonedir/inner" 1000 1000
for n in only-l2.txt l1only.txt link-rel shadow.txt merged dir-l2only \
	modes/sticky merged/sub/deep-l2.txt twice.txt link-abs link-dangling; do
	t lstat "$M/$n"
	t statx-mask "$M/$n" 'STATX_UID|STATX_GID' AT_SYMLINK_NOFOLLOW
done
