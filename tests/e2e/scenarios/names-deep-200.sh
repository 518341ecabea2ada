# A tree 200 directories deep made with mkdir -p, a file created at the
# bottom, found, read and removed with rm -rf.
p=$M/merged/new200
i=1
while [ $i -lt 200 ]; do
	p=$p/n$i
	i=$((i + 1))
done
mkdir -p "$p"
echo new >"$p/file"
cat "$p/file"
find "$M/merged/new200" | wc -l
find "$M/merged/new200" -type f | sed "s|$M/||" | cut -c1-20,780-
rm -rf "$M/merged/new200"
ls "$M/merged"
