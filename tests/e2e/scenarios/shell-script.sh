# A small shell workload: loops, redirections, pipes and here-documents.
mkdir "$M/out"
for i in 1 2 3 4 5; do
	echo "line $i" >>"$M/out/log.txt"
	printf '%s\n' "$i" >"$M/out/n$i"
done
cat "$M/out"/n* | awk '{s += $1} END {print s}'
wc -l <"$M/out/log.txt"
cat >"$M/merged/heredoc.txt" <<EOT
shadow says: $(cat "$M/shadow.txt")
EOT
cat "$M/merged/heredoc.txt"
grep -c . "$M/big.txt"
sort -r "$M/merged/common.txt" "$M/only-l2.txt" | uniq
