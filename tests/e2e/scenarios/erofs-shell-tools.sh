# upper: none
# Everyday tools on a read-only overlay (no upper dir): writes fail with
# "Read-only file system" and change nothing; reading, listing, executing
# and walking the merged tree work as usual.
touch "$M/new.txt" || echo "touch: $?"
touch "$M/only-l2.txt" || echo "touch lower: $?"
(echo x >"$M/new.txt") || echo "redirect new: $?"
(echo x >>"$M/shadow.txt") || echo "append lower: $?"
rm "$M/only-l2.txt" || echo "rm: $?"
rm -rf "$M/dir-l2only" || echo "rm -rf: $?"
mkdir -p "$M/a/b" || echo "mkdir -p: $?"
mv "$M/l1only.txt" "$M/moved.txt" || echo "mv: $?"
cp "$M/only-l2.txt" "$M/copy.txt" || echo "cp: $?"
ln -s x "$M/sl" || echo "ln -s: $?"
ln "$M/only-l2.txt" "$M/hl" || echo "ln: $?"
chmod 0600 "$M/shadow.txt" || echo "chmod: $?"
sed -i 's/L2/two/' "$M/only-l2.txt" 2>/dev/null || echo "sed -i: $?"
mkfifo "$M/fifo" || echo "mkfifo: $?"
setfattr -n user.y -v 1 "$M/xattr.txt" || echo "setfattr: $?"
echo "== reads"
cat "$M/only-l2.txt" "$M/shadow.txt" "$M/l1only.txt"
ls -a "$M" "$M/merged" "$M/opq"
find "$M/dir-l2only" "$M/deep" | sed "s|$M|<M>|" | sort
"$M/bin/hello.sh" read-only
getfattr -n user.test --only-values "$M/xattr.txt"
echo
wc -l <"$M/big.txt"
test -w "$M/shadow.txt" && echo "test -w: writable" || echo "test -w: not writable"
