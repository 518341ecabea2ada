# O_TMPFILE in overlay dirs (lower-only, merged, upper, deep lower): an
# unnamed regular file with nlink 0 and no listing entry; EINVAL without
# write access, ENOENT/ENOTDIR for bad dirs.
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
mkdir "$M/newdir"
for d in merged dir-l2only/sub newdir deep/a/b/c/d/e/f opq "" ; do
	t tmpfile "$M/$d" 0640
done
t open "$M/merged" 'O_TMPFILE|O_RDONLY'
t open "$M/merged" 'O_TMPFILE|O_WRONLY|O_EXCL' 0600
t open "$M/gonedir" 'O_TMPFILE|O_WRONLY' 0600
t open "$M/nope" 'O_TMPFILE|O_WRONLY' 0600
t open "$M/shadow.txt" 'O_TMPFILE|O_WRONLY' 0600
t open "$M/link-dir" 'O_TMPFILE|O_WRONLY' 0600
t listdir "$M/dir-l2only/sub"
t listdir "$M/deep/a/b/c/d/e/f"
