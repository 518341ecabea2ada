# rmdir(2): ENOTDIR on files and symlinks to dirs, ENOTEMPTY on merged
# and lower-only dirs with entries, EINVAL for "." and ENOTEMPTY for ".."
# as the last component, ENOENT on whiteouts and opaque-hidden dirs; an
# empty lower dir goes.
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
for p in shadow.txt only-l2.txt link-dir link-dangling merged dir-l2only \
	dir-l1only opq merged/sub deep/a/b/c/d/e/f merged/. merged/.. \
	empty-l2/. empty-l2/.. gonedir gonedir/inner opq/olddir nope \
	shadow.txt/x link-dir/sub/ ""; do
	t rmdir "$M/$p"
done
t -C "$M/empty-l2" rmdir .
t -C "$M/empty-l2" rmdir ..
t rmdir "$M/empty-l2/"
t rmdir "$M/empty-l2"
t stat "$M/empty-l2"
mkdir "$M/fresh"
t rmdir "$M/fresh/."
t rmdir "$M/fresh//"
t stat "$M/fresh"
