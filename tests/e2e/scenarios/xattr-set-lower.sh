# tree: mtime
# Setting or removing an xattr on a lower file copies it up with its xattrs.
setfattr -n user.new -v 2 "$M/xattr.txt"
getfattr --absolute-names -d "$M/xattr.txt" | sed "s|$M|<M>|"
"$PROBE" setxattr "$M/only-l2.txt" user.added hello
"$PROBE" getxattr "$M/only-l2.txt" user.added
"$PROBE" removexattr "$M/xattr.txt" user.test
"$PROBE" listxattr "$M/xattr.txt"
"$PROBE" removexattr "$M/shadow.txt" user.nothere
"$PROBE" setxattr "$M/merged" user.dir yes
"$PROBE" listxattr "$M/merged"
