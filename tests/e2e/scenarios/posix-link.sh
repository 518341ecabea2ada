# link(2): lower sources are copied up and both names share the inode;
# EEXIST over lower names and dangling symlinks; EPERM for dirs; ENOENT for
# whiteouts, hidden dirs and missing sources.
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
t link "$M/only-l2.txt" "$M/merged/sub/hard.txt"
t link "$M/shadow.txt" "$M/gone.txt"
t link "$M/merged/common.txt" "$M/dir-l2only/common-hard"
for n in l1only.txt merged dir-l2only link-dangling link-rel merged/common.txt; do
	t link "$M/twice.txt" "$M/$n"
done
t link "$M/merged" "$M/merged-hard"
t link "$M/empty-l2" "$M/empty-hard"
t link "$M/gone.txt/" "$M/x"
t link "$M/nope" "$M/x"
t link "$M/gonedir/inner/x.txt" "$M/x"
t link "$M/opq/old-l2.txt" "$M/x"
t link "$M/twice.txt" "$M/gonedir/x"
t link "$M/twice.txt" "$M/nope/x"
t link "$M/twice.txt" "$M/shadow.txt/x"
t link "$M/twice.txt/" "$M/x"
t link "$M/twice.txt" "$M/x/"
for n in only-l2.txt merged/sub/hard.txt shadow.txt gone.txt \
	merged/common.txt dir-l2only/common-hard; do
	t stat "$M/$n"
done
cat "$M/merged/sub/hard.txt" "$M/gone.txt"
