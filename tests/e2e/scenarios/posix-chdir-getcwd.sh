# chdir into files, whiteouts and missing dirs fails; getcwd after chdir
# through lower dirs and symlinks; getcwd after the cwd was removed is
# ENOENT, also when the removed dir exists only in a lower layer.
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
for p in shadow.txt link-rel gone.txt gonedir/inner opq/olddir nope \
	shadow.txt/x link-dangling; do
	t chdir "$M/$p"
done
t -C "$M/dir-l2only/sub" getcwd
t -C "$M/link-dir/sub" getcwd
t -C "$M/link-abs-dir" getcwd
t -C "$M/merged/sub/../l2dir" getcwd
t -C "$M/deep/a/b/c/d/e/f" getcwd
mkdir "$M/upper-only"
t -C "$M/upper-only" rmdir-getcwd "$M/upper-only"
t -C "$M/empty-l2" rmdir-getcwd "$M/empty-l2"
rm "$M/dir-l2only/sub/two.txt"
t -C "$M/dir-l2only/sub" rmdir-getcwd ../sub
t -C "$M/opq/olddir" rmdir-getcwd .
t -C "$M/merged/l1dir" rmdir-getcwd "$M/merged/l1dir"
t -C "$M/dir-l1only" rmdir-getcwd "$M/dir-l1only"
t stat "$M/empty-l2"
t stat "$M/dir-l2only/sub"
