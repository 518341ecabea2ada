# tree: mtime
# cp -a of merged and opaque trees keeps modes, times and user xattrs and
# never copies overlay markers.
cp -a "$M/merged" "$M/merged-copy"
cp -a "$M/opq" "$M/opq-copy"
cp -a "$M/xattr.txt" "$M/xattr-copy.txt"
cp -a "$M/modes" "$M/modes-copy"
find "$M/merged-copy" "$M/opq-copy" "$M/modes-copy" | sed "s|$M|<M>|" | sort
getfattr --absolute-names -n user.test --only-values "$M/xattr-copy.txt"; echo
diff -r "$M/merged" "$M/merged-copy" && echo same
