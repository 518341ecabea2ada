# A merged directory emptied entry by entry can then be removed.
rm "$M/merged/sub/deep-l1.txt" "$M/merged/sub/deep-l2.txt"
"$PROBE" listdir "$M/merged/sub"
"$PROBE" rmdir "$M/merged/sub"
"$PROBE" stat "$M/merged/sub"
ls -a "$M/merged"
