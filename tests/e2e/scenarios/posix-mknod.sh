# mknod(2) as root: fifo, char and block devices, a socket node and a
# regular file in lower dirs and over whiteouts; EEXIST over lower names
# and dangling symlinks; a 0:0 char device is refused (it would read as a
# whiteout).
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
t mknod "$M/merged/fifo" fifo 0640
t mknod "$M/merged/null" chr 0666 1 3
t mknod "$M/dir-l2only/sub/blk" blk 0600 7 200
t mknod "$M/merged/sock" sock 0755
t mknod "$M/merged/reg" reg 0600
t mknod "$M/gone.txt" chr 0644 1 5
t mknod "$M/gonedir" fifo 0644
t mknod "$M/merged/wh" chr 0644 0 0
t mknod "$M/l1only.txt" chr 0644 0 0
t mknod "$M/only-l2.txt" fifo 0644
t mknod "$M/merged" fifo 0644
t mknod "$M/link-dangling" fifo 0644
t mknod "$M/nope/fifo" fifo 0644
t mknod "$M/shadow.txt/fifo" fifo 0644
t mknod "$M/merged/bad" 0170000 0644
for n in merged/fifo merged/null dir-l2only/sub/blk merged/sock merged/reg \
	gone.txt gonedir merged/wh l1only.txt; do
	t lstat "$M/$n"
done
t open "$M/merged/null" O_WRONLY
t listdir-types "$M/merged"
