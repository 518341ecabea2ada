# Files that exist in one lower layer only read through the overlay.
cat "$M/only-l2.txt"
cat "$M/l1only.txt"
cat "$M/deep/a/b/c/d/e/f/leaf.txt"
cat "$M/dir-l1only/f.txt" "$M/dir-l2only/sub/two.txt"
head -n 3 "$M/big.txt"
wc -c <"$M/big.txt"
