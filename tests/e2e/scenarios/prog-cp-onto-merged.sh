# cp -r and cp -a of lower trees onto existing merged dirs: files merge in,
# existing lower files are overwritten in place (copied up), modes kept by -a.
cp -r "$M/dir-l2only/." "$M/merged/"
cp -a "$M/dir-l1only/." "$M/merged/l2dir/"
cp -a "$M/modes" "$M/merged/"
cp -r "$M/opq/." "$M/dir-l2only/sub/"
cp "$M/twice.txt" "$M/merged/common.txt"
cp -R "$M/deep/a/b" "$M/merged/sub/"
ls -R "$M/merged" | sed "s|$M|<M>|"
cat "$M/merged/common.txt" "$M/merged/l2dir/f.txt"
stat -c '%n %a' "$M/merged/modes/"* | sed "s|$M|<M>|"
ls "$M/dir-l2only/sub"
