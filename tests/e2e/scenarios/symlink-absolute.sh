# Absolute symlinks into the mountpoint re-enter the overlay.
cat "$M/link-abs"
ls "$M/link-abs-dir"
"$PROBE" stat "$M/link-abs"
"$PROBE" lstat "$M/link-abs"
"$PROBE" stat "$M/link-abs-dir/sub/deep-l2.txt"
ln -s "$M/gone.txt" "$M/to-gone"
"$PROBE" stat "$M/to-gone"
