# fchmodat2 and utimensat with flags the kernel refuses (EINVAL before any
# lookup) change nothing: the lower files are not copied up.
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
t fchmodat2 "$M/twice.txt" 0600 AT_REMOVEDIR
t utimens "$M/only-l2.txt" 0 0 AT_REMOVEDIR
t utimens "$M/merged/common.txt" - - AT_EACCESS
t utimens "$M/nope" - - AT_REMOVEDIR
t lstat "$M/twice.txt"
