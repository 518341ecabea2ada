# fanotify_mark and inotify_add_watch on overlay paths watch the object the
# overlay shows; a missing name gives ENOENT.
W=$HOME/watch
cc -o "$W" "$(dirname "$0")/../src/watch.c"
echo new >"$M/merged/new.txt"
for api in fanotify inotify; do
	echo "== $api"
	"$W" $api "$M/merged/new.txt" "$M/merged/new.txt"
	"$W" $api "$M/only-l2.txt" "$M/only-l2.txt"
	"$W" $api "$M/link-rel" "$M/only-l2.txt"
	"$W" $api "$M/nothere" "$M/only-l2.txt"
	"$W" $api "$M/gone.txt" "$M/only-l2.txt"
	"$W" $api "$M/only-l2.txt/x" "$M/only-l2.txt"
done
