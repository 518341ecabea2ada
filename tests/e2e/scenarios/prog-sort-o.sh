# sort -o writes over its own input: lower files (copied up), a merged file,
# and the large lower file; uniq and tac in place through temp files.
sort -r -o "$M/merged/common.txt" "$M/merged/common.txt" "$M/merged/a-l2.txt"
cat "$M/merged/common.txt"
sort -n -r -o "$M/big.txt" "$M/big.txt"
head -n 3 "$M/big.txt"
wc -l <"$M/big.txt"
cat "$M/shadow.txt" "$M/twice.txt" "$M/twice.txt" | sort | uniq -c >"$HOME/u"
cat "$HOME/u" >"$M/twice.txt"
cat "$M/twice.txt"
tac "$M/deep/a/b/mid.txt" "$M/only-l2.txt" >"$M/only-l2.txt.tmp"
mv "$M/only-l2.txt.tmp" "$M/only-l2.txt"
cat "$M/only-l2.txt"
