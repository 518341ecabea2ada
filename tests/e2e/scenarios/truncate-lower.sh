# truncate of a lower file: shrink, grow, and to zero.
"$PROBE" truncate "$M/big.txt" 100
wc -c <"$M/big.txt"
tail -c 12 "$M/big.txt" | od -c
"$PROBE" truncate "$M/only-l2.txt" 4096
od -c "$M/only-l2.txt" | tail -n 3
: >"$M/shadow.txt"
"$PROBE" stat "$M/shadow.txt"
"$PROBE" truncate "$M/gone.txt" 0
"$PROBE" truncate "$M/merged" 0
