# Names hidden by whiteouts cannot be removed again.
"$PROBE" unlink "$M/gone.txt"
"$PROBE" rmdir "$M/gonedir"
"$PROBE" unlink "$M/gonedir/inner/x.txt"
rm "$M/gone.txt" || echo "rm failed: $?"
rm -f "$M/gone.txt"
echo done
