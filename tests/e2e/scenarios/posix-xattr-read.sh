# getxattr/listxattr/removexattr through the overlay: lower xattrs read
# through, overlay-private names never show (opaque dirs, copied-up files,
# dirs made opaque by mkdir over a whiteout); removing an absent name is
# ENODATA and copies nothing up; whiteouts are ENOENT.
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
t getxattr "$M/xattr.txt" user.test
t fgetxattr "$M/xattr.txt" user.test
t getxattr "$M/xattr.txt" user.nope
t getxattr "$M/xattr.txt" trusted.overlay.origin
t getxattr "$M/opq" trusted.overlay.opaque
t getxattr "$M/opq" user.overlay.opaque
t getxattr "$M/gone.txt" user.test
t listxattr "$M/gone.txt"
t listxattr "$M/xattr.txt"
t listxattr "$M/opq"
t listxattr "$M/link-rel"
t removexattr "$M/twice.txt" user.absent
t removexattr "$M/merged" user.absent
t setxattr "$M/xattr.txt" user.more 2
t listxattr "$M/xattr.txt"
t getxattr "$M/xattr.txt" trusted.overlay.origin
mkdir "$M/gonedir"
t listxattr "$M/gonedir"
t getxattr "$M/gonedir" trusted.overlay.opaque
echo x >"$M/merged/sub/new"
t listxattr "$M/merged/sub"
t listxattr "$M/merged"
t listxattr "$M"
t removexattr "$M/xattr.txt" user.test
t listxattr "$M/xattr.txt"
t getxattr "$M/xattr.txt" user.test
t getxattr "$M/merged/nope" user.test
t setxattr "$M/link-rel" user.onlink v
t setxattr "$M/link-rel" trusted.onlink v
t listxattr "$M/link-rel"
