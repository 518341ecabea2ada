# Names with a newline, a tab, spaces, a backslash and non-UTF-8 bytes:
# created, copied up by renaming lower files to them, renamed over a lower
# file, hard-linked, as symlink targets, deleted (whiteouts of odd names),
# listed raw by ls and find.
nl=$(printf 'new\nline')
tab=$(printf 'tab\there')
bad=$(printf 'bad\377\376name')
sp='  two  spaces '
bs='back\slash'
echo one >"$M/merged/$nl"
mkdir "$M/merged/$sp"
echo two >"$M/merged/$sp/$bad"
mv "$M/merged/common.txt" "$M/merged/$bad"
mv "$M/only-l2.txt" "$M/$tab"
ln "$M/merged/$bad" "$M/dir-l2only/$bs"
ln -s "$nl" "$M/merged/link $tab"
cat "$M/merged/link $tab"
echo three >"$M/merged/x$nl"
mv "$M/merged/x$nl" "$M/shadow.txt"
mkdir "$M/opq/$bad"
mv "$M/merged/sub" "$M/merged/sub$tab" || echo "mv dir: $?"
ls -A "$M/merged" "$M/dir-l2only" "$M/opq"
find "$M" -name '*[[:space:]]*' | sort
cat "$M/merged/$bad" "$M/$tab" "$M/shadow.txt" "$M/merged/$sp/$bad"
rm "$M/merged/$nl" "$M/dir-l2only/$bs"
rm -r "$M/merged/$sp"
rm "$M/$tab"
ls -A "$M" "$M/merged"
