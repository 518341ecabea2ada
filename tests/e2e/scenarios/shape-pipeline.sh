# A pipeline whose stages read and write overlay files at the same time:
# a lower file is filtered through several processes into a new file while
# another stage appends to a copied-up lower file.
cat "$M/big.txt" | grep '7' | tee "$M/merged/sevens.txt" |
	awk '{ s += $1 } END { print s }' >"$M/merged/sum.txt"
wc -l <"$M/merged/sevens.txt"
cat "$M/merged/sum.txt"
seq 1 50 | while read -r i; do echo "line $i" >>"$M/twice.txt"; done
wc -l <"$M/twice.txt"
head -n 2 "$M/twice.txt"
sort -n "$M/big.txt" | tail -n 1 | tee -a "$M/shadow.txt"
cat "$M/shadow.txt"
