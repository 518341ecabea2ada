# stat, lstat and statx ENOENT/ENOTDIR on overlay names: whiteouts,
# opaque-hidden names, dangling symlinks, files as components, trailing
# slashes; markers are never visible.
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
for p in gone.txt gonedir gonedir/inner/x.txt opq/old-l2.txt opq/olddir \
	nope nope/x link-dangling link-dangling/ shadow.txt/x shadow.txt/ \
	link-rel/ link-dir/ merged/link-up/ merged/common.txt/. \
	dir-l2only/one.txt/.. merged/sub/../../only-l2.txt; do
	t stat "$M/$p"
	t lstat "$M/$p"
	t statx "$M/$p"
done
