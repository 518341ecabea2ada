# interop: fuse-overlayfs
# Deleting a file that lives only in a lower layer leaves a whiteout.
rm "$M/only-l2.txt"
"$PROBE" stat "$M/only-l2.txt"
ls "$M"
cat "$M/only-l2.txt" || echo "cat failed: $?"
"$PROBE" unlink "$M/l1only.txt"
"$PROBE" unlink "$M/l1only.txt"
"$PROBE" unlink "$M/merged/sub/deep-l2.txt"
ls -a "$M/merged/sub"
