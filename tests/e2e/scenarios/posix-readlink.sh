# readlink(2): EINVAL on non-symlinks of every layer kind, ENOENT on
# whiteouts and hidden names, lower links read through symlinked dirs.
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
for p in only-l2.txt shadow.txt merged opq empty-l2 link-rel link-dir \
	link-dangling link-abs link-abs-dir merged/link-up link-dir/link-up \
	link-abs-dir/link-up link-dir/ link-rel/ gone.txt gonedir/inner \
	opq/old-l2.txt nope shadow.txt/x ""; do
	t readlink "$M/$p"
done
t -C "$M/merged" readlink link-up
t -C "$M/merged" readlink ""
