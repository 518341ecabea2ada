# Sizes and counts of merged trees (no block counts: they differ legitimately).
find "$M" | wc -l
find "$M/merged" -type f | wc -l
find "$M" -type f -exec cat {} + | wc -c
find "$M" -type d | wc -l
rm "$M/big.txt"
find "$M" -type f -exec cat {} + | wc -c
