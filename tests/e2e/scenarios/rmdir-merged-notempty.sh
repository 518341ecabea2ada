# rmdir checks emptiness in the merged view.
"$PROBE" rmdir "$M/merged"
"$PROBE" rmdir "$M/merged/sub"
"$PROBE" rmdir "$M/dir-l2only"
"$PROBE" rmdir "$M/opq"
rmdir "$M/merged" || echo "rmdir failed: $?"
"$PROBE" rmdir "$M/shadow.txt"
ls "$M/merged"
