# interop: fuse-overlayfs
# Renaming a lower file copies it up and whites out the old name.
mv "$M/only-l2.txt" "$M/renamed.txt"
cat "$M/renamed.txt"
"$PROBE" stat "$M/only-l2.txt"
"$PROBE" rename "$M/shadow.txt" "$M/merged/shadow-moved.txt"
cat "$M/merged/shadow-moved.txt"
"$PROBE" stat "$M/shadow.txt"
mv "$M/merged/a-l2.txt" "$M/deep/a/b/"
ls "$M/merged" "$M/deep/a/b"
