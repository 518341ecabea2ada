# A directory that exists only in the upper layer renames in place.
mkdir -p "$M/newdir/inner"
echo payload >"$M/newdir/inner/p.txt"
"$PROBE" rename "$M/newdir" "$M/newdir2"
"$PROBE" rename "$M/newdir2" "$M/merged/newdir3"
find "$M/merged/newdir3" | sort
cat "$M/merged/newdir3/inner/p.txt"
