# 255-byte names: a lower one copied up (append, chmod), a new one renamed
# over a lower file, a lower file renamed to one; a 251-byte lower name
# deleted (its whiteout is 255 bytes long in fileprefix form).
n255=$(printf '%255s' "" | tr ' ' a)
n251=$(printf '%251s' "" | tr ' ' b)
c255=$(printf '%255s' "" | tr ' ' c)
echo more >>"$M/merged/$n255"
chmod 0600 "$M/merged/$n255"
echo new >"$M/merged/$c255"
mv "$M/merged/$c255" "$M/merged/a-l2.txt"
mv "$M/merged/b-l1.txt" "$M/merged/$c255"
rm "$M/merged/$n251"
cat "$M/merged/$n255" "$M/merged/a-l2.txt" "$M/merged/$c255"
ls "$M/merged" | cut -c1-12
"$PROBE" stat "$M/merged/$n251"
