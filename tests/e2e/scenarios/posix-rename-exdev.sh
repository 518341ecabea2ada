# Without redirect_dir a directory with any lower part cannot be renamed:
# EXDEV for merged, lower-only, opaque, empty lower dirs and copied-up
# ones; a pure upper dir moves, also onto a whiteout or an empty lower dir.
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
echo x >"$M/merged/sub/new.txt"
for d in merged dir-l2only dir-l1only opq empty-l2 merged/sub merged/l2dir \
	deep/a/b; do
	t rename "$M/$d" "$M/moved"
	t renameat2 "$M/$d" "$M/moved-nr" NOREPLACE
done
t rename "$M/merged/sub" "$M/merged/sub2"
mkdir "$M/pure" "$M/pure/inner"
echo p >"$M/pure/inner/f"
t rename "$M/pure" "$M/gonedir"
t listdir "$M/gonedir"
t listdir "$M/gonedir/inner"
mkdir "$M/pure2"
t rename "$M/pure2" "$M/empty-l2"
t listdir "$M/empty-l2"
mkdir "$M/pure3"
t rename "$M/pure3" "$M/dir-l2only/sub/deeper"
t listdir "$M/dir-l2only/sub"
t stat "$M/merged"
