# An opaque directory in L1 hides everything of the same dir in L2.
ls -a "$M/opq"
"$PROBE" listdir "$M/opq"
"$PROBE" stat "$M/opq/old-l2.txt"
"$PROBE" stat "$M/opq/olddir"
"$PROBE" stat "$M/opq/olddir/x.txt"
cat "$M/opq/new-l1.txt"
