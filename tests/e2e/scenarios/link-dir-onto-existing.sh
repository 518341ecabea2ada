# link(2) of a directory onto a name that exists: the kernel looks the new
# name up first, so EEXIST wins over the EPERM a directory source gets.
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
t link "$M/merged" "$M/shadow.txt"
t link "$M/merged" "$M/dir-l2only"
t link "$M/empty-l2" "$M/link-dangling"
t link "$M/merged/sub" "$M/merged/common.txt"
t link "$M/merged" "$M/gone.txt"
