# User xattrs read through; overlay-private ones stay invisible.
getfattr --absolute-names -n user.test --only-values "$M/xattr.txt"; echo
"$PROBE" getxattr "$M/xattr.txt" user.test
"$PROBE" getxattr "$M/xattr.txt" user.missing
"$PROBE" listxattr "$M/xattr.txt"
"$PROBE" listxattr "$M/opq"
"$PROBE" listxattr "$M/merged"
"$PROBE" getxattr "$M/opq" trusted.overlay.opaque
"$PROBE" getxattr "$M/gone.txt" user.test
