# setxattrat/getxattrat/listxattrat/removexattrat and file_getattr /
# file_setattr, by path and by fd: lower files are copied up before a
# change, overlay-private names are hidden. (Setting one is refused by fuss
# but escaped by Linux 6.7 and later; tests/e2e/fuss-only.sh covers it.)
X=$HOME/xattrat
cc -o "$X" "$(dirname "$0")/../src/xattrat.c"
"$X" get "$M/xattr.txt" user.test
"$X" list "$M/xattr.txt"
"$X" nofollow-get "$M/link-rel" user.test
"$X" get "$M/nothere" user.test
"$X" get "$M/xattr.txt" trusted.overlay.opaque
"$X" get "$M/opq" trusted.overlay.opaque
"$X" fdget "$M/opq" trusted.overlay.opaque
"$X" list "$M/opq"
"$X" fdlist "$M/opq"
"$X" set "$M/shadow.txt" user.a one
"$X" get "$M/shadow.txt" user.a
"$X" fdset "$M/only-l2.txt" user.b two
"$X" fdget "$M/only-l2.txt" user.b
"$X" remove "$M/xattr.txt" user.nothere
"$X" fdremove "$M/merged/common.txt" user.nothere
"$X" remove "$M/xattr.txt" user.test
"$X" list "$M/xattr.txt"
"$X" fileattr-get "$M/twice.txt"
"$X" fileattr-set "$M/twice.txt"
"$X" fd-fileattr-set "$M/merged/a-l2.txt"
"$X" fileattr-get "$M/nothere"
