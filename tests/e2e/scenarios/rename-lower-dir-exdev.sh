# interop: fuse-overlayfs
# Renaming a directory with lower parts fails with EXDEV (no redirect_dir);
# mv falls back to copy and delete.
"$PROBE" rename "$M/dir-l2only" "$M/moved"
"$PROBE" rename "$M/merged" "$M/merged2"
"$PROBE" rename "$M/opq" "$M/opq2"
"$PROBE" rename "$M/empty-l2" "$M/empty2"
mv "$M/dir-l2only" "$M/moved"
find "$M/moved" | sort
cat "$M/moved/sub/two.txt"
"$PROBE" stat "$M/dir-l2only"
