# install(1): -D creating parents in merged dirs, -m over a lower file
# (replaced, not copied up), -d for a dir tree, -b backups, -C compare.
install -m 0640 "$M/only-l2.txt" "$M/merged/sub/installed.txt"
install -D -m 0755 "$M/bin/hello.sh" "$M/merged/new/dir/hello"
install -m 0600 "$M/l1only.txt" "$M/shadow.txt"
install -d -m 0750 "$M/opq/d1/d2" "$M/dir-l2only/sub/d3"
install -b -m 0644 "$M/l1only.txt" "$M/twice.txt"
install -C -m 0644 "$M/l1only.txt" "$M/twice.txt"
install -t "$M/merged/l2dir" -m 0444 "$M/xattr.txt" "$M/big.txt"
"$M/merged/new/dir/hello" installed
stat -c '%n %a %s' "$M/merged/sub/installed.txt" "$M/shadow.txt" \
	"$M/twice.txt" "$M/twice.txt~" "$M/merged/l2dir/"* | sed "s|$M|<M>|"
stat -c '%n %a' "$M/opq/d1" "$M/opq/d1/d2" "$M/dir-l2only/sub/d3" | sed "s|$M|<M>|"
cat "$M/shadow.txt" "$M/twice.txt~"
ls "$M/opq" "$M/dir-l2only/sub"
