# mknod(2) as uid 1000: devices need privilege (EPERM), fifos need write
# permission on the directory (EACCES in root's dirs, fine in a sticky dir).
# unpriv: skip switches to another user ($PROBE -U), which needs CAP_SETUID
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
t -U 1000 mknod "$M/modes/sticky/dev" chr 0644 1 3
t -U 1000 mknod "$M/modes/sticky/wh" chr 0644 0 0
t -U 1000 mknod "$M/modes/sticky/fifo" fifo 0644
t -U 1000 mknod "$M/merged/fifo" fifo 0644
t -U 1000 mknod "$M/dir-l2only/sub/fifo" fifo 0644
t -U 1000 mknod "$M/merged/dev" chr 0644 1 3
t -U 1000 mknod "$M/only-l2.txt" fifo 0644
t lstat "$M/modes/sticky/fifo"
t listdir-types "$M/modes/sticky"
