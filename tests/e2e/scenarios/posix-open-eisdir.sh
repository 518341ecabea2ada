# Opening a directory for writing is EISDIR, whichever layers it has.
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
mkdir "$M/newdir"
for d in merged dir-l2only dir-l1only empty-l2 opq newdir link-dir; do
	t open "$M/$d" O_WRONLY
	t open "$M/$d" O_RDWR
	t open "$M/$d" 'O_WRONLY|O_CREAT' 0644
	t open "$M/$d" 'O_RDONLY|O_TRUNC'
	t open "$M/$d" 'O_RDONLY|O_CREAT' 0644
	t open "$M/$d" 'O_PATH|O_WRONLY'
done
t open "$M/merged/" 'O_WRONLY|O_CREAT|O_EXCL' 0644
t open "$M/" O_RDWR
