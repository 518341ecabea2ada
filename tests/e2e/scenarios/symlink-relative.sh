# Relative symlinks resolve inside the overlay, from their own directory.
cat "$M/link-rel"
cat "$M/merged/link-up"
ls "$M/link-dir/"
ln -s ../only-l2.txt "$M/merged/newlink"
cat "$M/merged/newlink"
"$PROBE" readlink "$M/merged/newlink"
"$PROBE" stat "$M/link-dangling"
"$PROBE" lstat "$M/link-dangling"
