# ln -sf over lower files and lower symlinks, ln -sfn over a symlink to a
# directory, ln -f (hard) over a lower file.
ln -sf only-l2.txt "$M/shadow.txt"
ln -sf l1only.txt "$M/link-rel"
ln -sfn dir-l1only "$M/link-dir"
ln -sf ../shadow.txt "$M/merged/common.txt"
ln -f "$M/l1only.txt" "$M/twice.txt"
ln -sf "$M/only-l2.txt" "$M/link-abs-dir/sub"
for f in shadow.txt link-rel link-dir merged/common.txt twice.txt; do
	printf '%s: ' "$f"
	"$PROBE" lstat "$M/$f"
done
cat "$M/shadow.txt" "$M/link-rel" "$M/merged/common.txt" "$M/twice.txt"
ls "$M/link-dir" "$M/link-abs-dir/sub"
readlink "$M/merged/sub/only-l2.txt" | sed "s|$M|<M>|"
