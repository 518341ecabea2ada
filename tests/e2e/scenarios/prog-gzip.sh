# gzip and gunzip of lower files: the original becomes a whiteout, the .gz
# lives in upper; gunzip -k, gzip -c to a new file, zcat of the result.
gzip -n "$M/big.txt"
gzip -n "$M/merged/a-l2.txt" "$M/merged/common.txt"
ls "$M" "$M/merged"
"$PROBE" stat "$M/big.txt"
gzip -l "$M/big.txt.gz" | tail -n 1 | awk '{print $2, $4}'
gunzip "$M/merged/common.txt.gz"
gunzip -k "$M/big.txt.gz"
cat "$M/merged/common.txt"
wc -l <"$M/big.txt"
gzip -n -c "$M/dir-l2only/one.txt" >"$M/dir-l2only/one.gz"
zcat "$M/dir-l2only/one.gz" "$M/merged/a-l2.txt.gz"
gzip -t "$M/big.txt.gz" && echo "test ok"
sha256sum <"$M/big.txt.gz" | cut -c1-16
