# interop: fuse-overlayfs
# rm -rf of a merged tree, then a fresh directory of the same name.
rm -rf "$M/merged"
"$PROBE" stat "$M/merged"
ls "$M"
mkdir "$M/merged"
ls -a "$M/merged"
rm -rf "$M/deep" "$M/opq"
find "$M" -name 'deep*' -o -name 'opq*' | sort
