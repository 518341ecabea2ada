# A whiteout in L1 hides the L2 file and directory, by every lookup.
"$PROBE" stat "$M/gone.txt"
"$PROBE" lstat "$M/gone.txt"
"$PROBE" stat "$M/gonedir"
"$PROBE" stat "$M/gonedir/inner/x.txt"
"$PROBE" access "$M/gone.txt" F_OK
"$PROBE" open "$M/gone.txt" O_RDONLY
ls -a "$M" | grep gone || echo "no gone entries"
cat "$M/gone.txt" || echo "cat failed: $?"
