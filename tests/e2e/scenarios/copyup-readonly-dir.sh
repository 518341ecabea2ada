# Copy-up into a directory whose upper copy is read-only (0555): the
# kernel copies up with the mounter's rights, so the children of a
# read-only dir are still copied up for a caller who may change them
# (fuss unprivileged opens the dir for the copy and closes it again);
# creating a name in it directly is EACCES for a non-root caller.
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
t chmod "$M/deep/a" 0555
t mkdir "$M/deep/a/b/c/new" 0755
t chmod "$M/deep/a/b/mid.txt" 0600
t open "$M/deep/a/b/c/d/e/f/leaf.txt" 'O_WRONLY|O_APPEND'
t unlink "$M/deep/a/b/c/d/e/f/leaf.txt"
t stat "$M/deep/a"
t stat "$M/deep/a/b"
ls -A "$M/deep/a" "$M/deep/a/b"
