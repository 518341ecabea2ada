# chmod -R and chown -R over merged trees: every lower file and dir is
# copied up with the new mode/owner, symlinks are left alone by chmod and
# changed themselves by chown -h.
chmod -R go-rwx "$M/merged"
chmod -R u+w,a+X "$M/modes"
chown -R 1234:2345 "$M/deep"
chown -hR 42:43 "$M/link-dir" "$M/merged/link-up"
find "$M/merged" "$M/modes" "$M/deep" "$M/link-dir" -printf '%p %M %U:%G\n' |
	sed "s|$M|<M>|" | sort
stat -c '%n %a %u:%g' "$M/merged/link-up" "$M/shadow.txt" | sed "s|$M|<M>|"
