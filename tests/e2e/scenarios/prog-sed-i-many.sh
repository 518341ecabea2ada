# sed -i over many files at once (every C file of a lower project and every
# .txt of a merged tree), with and without a backup suffix.
find "$M/proj" -name '*.c' -print0 | sort -z | xargs -0 sed -i 's/return x \* \([0-9]\)/return x * \1 * 2/'
grep -h 'return x' "$M"/proj/part*.c
find "$M/merged" -name '*.txt' | sort | xargs sed -i.bak -e 's/from/FROM/' -e '1i\
header'
find "$M/merged" -name '*.txt' | sort | xargs cat
find "$M/merged" | sed "s|$M|<M>|" | sort
cat "$M/merged/sub/deep-l2.txt.bak"
# without --follow-symlinks sed -i replaces a lower symlink by a file
sed -i -e '' "$M/merged/link-up"
"$PROBE" lstat "$M/merged/link-up"
sed -i --follow-symlinks 's/^/> /' "$M/link-rel"
"$PROBE" lstat "$M/link-rel"
cat "$M/only-l2.txt"
