# xattrs as uid 1000: trusted.* (overlay-private names included) is EPERM,
# user.* on root's files is EACCES (nothing copied up), user.* on a sticky
# dir not owned is EPERM; reading is allowed and lists only user.* names.
# unpriv: skip switches to another user ($PROBE -U), which needs CAP_SETUID
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
t -U 1000 setxattr "$M/xattr.txt" trusted.foo 1
t -U 1000 setxattr "$M/xattr.txt" trusted.overlay.opaque y
t -U 1000 setxattr "$M/merged" trusted.overlay.opaque y
t -U 1000 setxattr "$M/xattr.txt" user.test 2
t -U 1000 removexattr "$M/xattr.txt" user.test
t -U 1000 removexattr "$M/opq" trusted.overlay.opaque
t -U 1000 setxattr "$M/modes/sticky" user.x 1
t -U 1000 getxattr "$M/xattr.txt" user.test
t -U 1000 listxattr "$M/xattr.txt"
t -U 1000 listxattr "$M/opq"
t -U 1000 getxattr "$M/opq" trusted.overlay.opaque
t -U 1000 getxattr "$M/modes/private.txt" user.test
t -U 1000 open "$M/modes/sticky/mine" 'O_WRONLY|O_CREAT' 0644
t -U 1000 setxattr "$M/modes/sticky/mine" user.mine 1
t -U 1000 setxattr "$M/modes/sticky/mine" trusted.mine 1
t -U 1000 getxattr "$M/modes/sticky/mine" user.mine
t -U 1001 setxattr "$M/modes/sticky/mine" user.other 1
t listxattr "$M/modes/sticky/mine"
t listxattr "$M/xattr.txt"
