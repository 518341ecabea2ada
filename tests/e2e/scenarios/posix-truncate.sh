# truncate/ftruncate: lower files copied up at the new size (also through
# a symlink, and to the same size); EISDIR on dirs, ENOENT on whiteouts,
# EINVAL for a negative length or a read-only fd (which copies nothing).
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
t truncate "$M/only-l2.txt" 5
t truncate "$M/l1only.txt" 100
t truncate "$M/twice.txt" 0
t truncate "$M/link-rel" 3
t truncate "$M/merged/link-up" 11
t truncate "$M/merged/common.txt" 17
t truncate "$M/merged" 0
t truncate "$M/gone.txt" 0
t truncate "$M/nope" 0
t truncate "$M/shadow.txt/" 0
t truncate "$M/dir-l2only/one.txt" -1
t truncate "$M/link-dangling" 0
t ftruncate "$M/dir-l1only/f.txt" O_RDONLY 1
t ftruncate "$M/merged/sub/deep-l2.txt" O_RDWR 2
t ftruncate "$M/merged/sub/deep-l1.txt" 'O_WRONLY|O_APPEND' 3
t ftruncate "$M/bin/hello.sh" O_PATH 0
for n in only-l2.txt l1only.txt twice.txt link-rel shadow.txt merged/common.txt \
	dir-l1only/f.txt merged/sub/deep-l2.txt merged/sub/deep-l1.txt \
	dir-l2only/one.txt; do
	t stat "$M/$n"
done
cat "$M/only-l2.txt"; echo
od -c "$M/l1only.txt" | tail -n 3
