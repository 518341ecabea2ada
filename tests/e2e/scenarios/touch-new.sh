# Creating new files at several depths.
touch "$M/new.txt" "$M/merged/new.txt" "$M/deep/a/b/c/new.txt" "$M/opq/new.txt"
"$PROBE" stat "$M/deep/a/b/c/new.txt"
ls "$M/merged" "$M/opq" "$M/deep/a/b/c"
touch "$M/nodir/x" || echo "touch failed: $?"
