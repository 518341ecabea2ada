# utimensat: explicit times copy a lower file up; UTIME_OMIT for both
# times changes nothing (and copies nothing up); UTIME_NOW and a NULL times
# array mean now; AT_SYMLINK_NOFOLLOW sets a symlink's own times; the fd
# form utimensat(fd, NULL, ...) on a read-only fd of a lower file.
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
t times "$M/only-l2.txt"
t utimens "$M/only-l2.txt" 1000000 2000000 0
t times "$M/only-l2.txt" atime
t utimens "$M/l1only.txt" OMIT OMIT 0
t times "$M/l1only.txt"
t utimens "$M/merged/common.txt" OMIT 3000000 0
t times "$M/merged/common.txt"
t utimens "$M/merged/sub/deep-l2.txt" 4000000 OMIT 0
t times "$M/merged/sub/deep-l2.txt" atime
t utimens "$M/twice.txt" NOW NOW 0
t times "$M/twice.txt" atime
t utimens "$M/shadow.txt" - - 0
t times "$M/shadow.txt" atime
t utimens "$M/link-rel" 5000000 5000000 AT_SYMLINK_NOFOLLOW
t times "$M/link-rel" atime
t times "$M/only-l2.txt"
t utimens "$M/link-dangling" 6000000 6000000 AT_SYMLINK_NOFOLLOW
t utimens "$M/link-dangling" 6000000 6000000 0
t times "$M/link-dangling" atime
t utimens "$M/merged" 7000000 7000000 0
t times "$M/merged" atime
t utimens "$M/dir-l2only" 7000000 OMIT 0
t utimens "$M/gone.txt" 1 1 0
t utimens "$M/gone.txt" OMIT OMIT 0
t utimens "$M/nope" OMIT OMIT 0
t utimens "$M/bin/hello.sh" 1 1 AT_REMOVEDIR
t futimens "$M/dir-l1only/f.txt" O_RDONLY 8000000 9000000
t times "$M/dir-l1only/f.txt" atime
t futimens "$M/bin/hello.sh" O_RDONLY OMIT 9500000
t times "$M/bin/hello.sh"
t futimens "$M/bin/l1tool.sh" O_PATH 1 1
t futimens "$M/merged/a-l2.txt" O_RDONLY OMIT OMIT
t futimens "$M/merged/b-l1.txt" O_RDONLY - -
t times "$M/merged/b-l1.txt" atime
