# Moving entries that exist only in the upper layer.
mkdir -p "$M/work/a" "$M/work/b"
echo one >"$M/work/a/one"
echo two >"$M/work/two"
mv "$M/work/a/one" "$M/work/b/"
mv "$M/work/two" "$M/work/a/"
mv "$M/work/a" "$M/work/b/"
find "$M/work" | sort
mv "$M/work" "$M/merged/"
find "$M/merged" | sort
