# interop: fuse-overlayfs
# Listings leave out deleted names, from either layer.
rm "$M/merged/common.txt" "$M/merged/a-l2.txt" "$M/merged/b-l1.txt"
ls -a "$M/merged"
"$PROBE" listdir "$M/merged"
rm -r "$M/merged/l2dir"
"$PROBE" listdir-types "$M/merged"
