# tree: mtime
# touch -r copies times from lower files to new and lower files; touch -d
# and -m/-a; find -newer agrees.
touch -d '2010-10-10 10:10:10' "$M/merged/sub/deep-l2.txt"
touch -r "$M/merged/sub/deep-l2.txt" "$M/new-like-deep"
touch -r "$M/merged/sub/deep-l2.txt" "$M/shadow.txt"
touch -m -d '2011-11-11 11:11:11' "$M/twice.txt"
touch -r "$M/twice.txt" -m "$M/merged/common.txt"
touch -h -d '2012-12-12 12:12:12' "$M/link-rel"
touch -a -d '2013-01-01 00:00:00' "$M/l1only.txt"
stat -c '%n %Y' "$M/new-like-deep" "$M/shadow.txt" "$M/twice.txt" \
	"$M/merged/common.txt" "$M/only-l2.txt" | sed "s|$M|<M>|"
stat -c '%n %X %Y' "$M/l1only.txt" | sed "s|$M|<M>|"
find "$M/link-rel" -printf '%P %TY\n'
find "$M" -maxdepth 1 -type f ! -newer "$M/twice.txt" | sed "s|$M|<M>|" | sort
