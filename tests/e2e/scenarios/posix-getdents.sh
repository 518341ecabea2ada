# Directory reads: ENOTDIR for files and symlinks to files, ENOENT for
# whiteouts and hidden dirs; listings of lower-only, opaque and
# partly-whited-out dirs show the merged view with types.
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
for p in shadow.txt link-rel link-dangling gone.txt gonedir opq/olddir nope; do
	t listdir "$M/$p"
done
rm "$M/merged/common.txt" "$M/merged/sub/deep-l2.txt"
rm -r "$M/merged/l2dir"
for p in merged merged/sub opq dir-l2only/sub link-dir link-abs-dir; do
	t listdir-types "$M/$p"
done
