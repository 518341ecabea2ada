# unlink(2) errors: EISDIR on dirs of every layer kind (and through a
# trailing-slash symlink), ENOENT on whiteouts and hidden names, ENOTDIR
# on file components; a symlink to a dir is unlinked itself.
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
for p in merged dir-l2only dir-l1only empty-l2 opq link-dir/ merged/. \
	gone.txt gonedir gonedir/inner/x.txt opq/old-l2.txt nope \
	shadow.txt/x merged/common.txt/ link-rel/ ""; do
	t unlink "$M/$p"
done
t unlink "$M/link-dir"
t unlink "$M/link-dangling"
t unlink "$M/link-dangling"
t unlink "$M/merged/link-up"
t stat "$M/merged"
t stat "$M/shadow.txt"
t listdir "$M/merged"
