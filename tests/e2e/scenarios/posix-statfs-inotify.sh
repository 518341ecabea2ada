# statfs, inotify_add_watch and fanotify_mark resolve overlay names like
# any lookup: ENOENT for whiteouts, hidden and missing names, ENOTDIR for
# file components; IN_ONLYDIR and IN_DONT_FOLLOW.
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
for p in "" merged only-l2.txt link-rel link-dangling gone.txt gonedir/inner \
	opq/old-l2.txt nope shadow.txt/x merged/common.txt/; do
	t statfs "$M/$p"
	t inotify "$M/$p"
	t fanotify "$M/$p"
done
t inotify "$M/shadow.txt" ONLYDIR
t inotify "$M/merged" ONLYDIR
t inotify "$M/link-dir" ONLYDIR
t inotify "$M/link-dir" 'ONLYDIR|DONT_FOLLOW'
t inotify "$M/link-dangling" DONT_FOLLOW
t -C "$M/dir-l2only" inotify sub
t -C "$M/dir-l2only" statfs sub/one.txt
