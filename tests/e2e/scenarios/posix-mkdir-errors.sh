# mkdir(2) errors over overlay names: EEXIST over lower files, dirs and
# symlinks (dangling ones too), ENOENT under missing or whited-out dirs,
# ENOTDIR under a file; "." and ".." as the last component.
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
for n in only-l2.txt l1only.txt shadow.txt merged dir-l2only dir-l1only \
	empty-l2 opq link-rel link-dir link-dangling link-abs \
	merged/common.txt merged/link-up merged/. merged/.. "" /; do
	t mkdir "$M/$n" 0755
done
t mkdir "$M/nope/new" 0755
t mkdir "$M/gonedir/inner" 0755
t mkdir "$M/gonedir/new" 0755
t mkdir "$M/opq/olddir/new" 0755
t mkdir "$M/shadow.txt/new" 0755
t mkdir "$M/link-rel/new" 0755
t mkdir "$M/link-dir/new-through-link" 0755
t mkdir "$M/link-dangling/new" 0755
t mkdir "$M/merged/new/" 0755
t mkdir "$M/merged/new/" 0755
t mkdir "$M/opq/olddir" 0700
t stat "$M/link-dangling"
t lstat "$M/link-dangling"
t stat "$M/merged/new-through-link"
t listdir "$M/opq/olddir"
