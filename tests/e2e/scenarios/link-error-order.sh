# link(2) errors come in the kernel's order: the source is looked up first
# (its ENOENT, ENOTDIR, ELOOP win over the new name's), then the new name
# (EEXIST wins over the EPERM a directory source gets).
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
ln -s loop "$M/loop"
t link "$M/merged" "$M/shadow.txt"
t link "$M/merged" "$M/dir-l2only"
t link "$M/empty-l2" "$M/link-dangling"
t link "$M/merged/sub" "$M/merged/common.txt"
t link "$M/merged" "$M/gone.txt"
t link "$M/nope" "$M/shadow.txt/x"
t link "$M/nope" "$M/loop/x"
t link "$M/shadow.txt/x" "$M/nope/x"
t link "$M/shadow.txt/x" "$M/loop/x"
t link "$M/loop/x" "$M/nope/x"
t link "$M/gone.txt" "$M/shadow.txt/x"
t link "$M/gonedir/x" "$M/only-l2.txt"
