# mv across directories: lower files, upper files, a lower dir (rename gives
# EXDEV, mv falls back to copy and delete), a dir made in upper, and mv -n /
# mv -b over lower files.
mv "$M/only-l2.txt" "$M/merged/sub/"
mv "$M/merged/a-l2.txt" "$M/dir-l1only/"
mkdir "$M/newdir"
echo new >"$M/newdir/f"
mv "$M/newdir" "$M/merged/l1dir/"
mv "$M/dir-l2only" "$M/merged/moved-l2only"
mv "$M/opq" "$M/deep/a/moved-opq"
mv -n "$M/l1only.txt" "$M/twice.txt"
mv -b "$M/shadow.txt" "$M/twice.txt"
cat "$M/twice.txt" "$M/twice.txt~"
find "$M/merged" "$M/dir-l1only" "$M/deep/a" | sed "s|$M|<M>|" | sort
"$PROBE" stat "$M/dir-l2only"
"$PROBE" stat "$M/opq"
cat "$M/deep/a/moved-opq/new-l1.txt"
"$PROBE" stat "$M/deep/a/moved-opq/old-l2.txt"
