# O_CREAT|O_EXCL over every kind of existing name: lower files of each
# layer, lower dirs, symlinks (dangling ones are not followed); a
# whited-out name and a name hidden by an opaque dir are free.
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
for n in only-l2.txt l1only.txt shadow.txt merged dir-l2only empty-l2 \
	link-rel link-dir link-dangling link-abs merged/common.txt \
	merged/sub/deep-l2.txt; do
	t open "$M/$n" 'O_WRONLY|O_CREAT|O_EXCL' 0600
done
t open "$M/gone.txt" 'O_WRONLY|O_CREAT|O_EXCL' 0600
t open "$M/opq/old-l2.txt" 'O_WRONLY|O_CREAT|O_EXCL' 0600
t open "$M/opq/old-l2.txt" 'O_WRONLY|O_CREAT|O_EXCL' 0600
t open "$M/link-dangling" 'O_WRONLY|O_CREAT|O_EXCL|O_NOFOLLOW' 0600
t lstat "$M/link-dangling"
t stat "$M/does-not-exist"
t stat "$M/gone.txt"
t stat "$M/opq/old-l2.txt"
