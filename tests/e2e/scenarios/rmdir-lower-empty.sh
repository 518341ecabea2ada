# An empty directory from a lower layer can be removed; a whiteout stays.
"$PROBE" rmdir "$M/empty-l2"
"$PROBE" stat "$M/empty-l2"
ls "$M"
"$PROBE" mkdir "$M/empty-l2" 0755
"$PROBE" listdir "$M/empty-l2"
