# symlink/symlinkat: dirfd on lower dirs, EEXIST over lower names and
# dangling symlinks, whited-out names reusable, ENOENT under hidden dirs,
# empty and over-long targets.
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
t symlinkat ../only-l2.txt "$M/dir-l2only/sub" up
t symlinkat common.txt "$M/merged" link-common
t symlinkat x "$M/merged" common.txt
t symlinkat x "$M/merged" link-up
t symlinkat x "$M/opq" old-l2.txt
t symlinkat x "$M/gonedir" y
t symlinkat x "$M/shadow.txt" y
for n in only-l2.txt shadow.txt merged empty-l2 link-dangling link-abs; do
	t symlink x "$M/$n"
done
t symlink only-l2.txt "$M/gone.txt"
t symlink x "$M/gonedir/inner"
t symlink "" "$M/empty-target"
t symlink x "$M/slash/"
t symlink x "$M/merged/new/"
t symlink "$(printf '%4095s' "" | tr ' ' a)" "$M/long-4095"
t symlink "$(printf '%4096s' "" | tr ' ' a)" "$M/long-4096"
for n in dir-l2only/sub/up merged/link-common gone.txt; do
	t readlink "$M/$n"
	t stat "$M/$n"
done
t lstat "$M/long-4095"
t stat "$M/long-4095"
