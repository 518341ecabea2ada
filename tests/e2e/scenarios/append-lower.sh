# Appending to a lower file copies it up first; the content keeps its start.
echo appended >>"$M/only-l2.txt"
cat "$M/only-l2.txt"
echo more >>"$M/shadow.txt"
cat "$M/shadow.txt"
echo nested >>"$M/deep/a/b/c/d/e/f/leaf.txt"
cat "$M/deep/a/b/c/d/e/f/leaf.txt"
"$PROBE" stat "$M/only-l2.txt"
