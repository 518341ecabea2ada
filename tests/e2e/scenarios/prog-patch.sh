# needs: patch
# patch -p1 applied inside the overlay: modifies lower files (copied up),
# creates a new file in a new dir, deletes a lower file (whiteout), keeps
# .orig backups; then patch -R reverses it.
mkdir -p "$HOME/a/merged/sub" "$HOME/b/merged/sub" "$HOME/b/merged/newdir"
cp "$M/merged/common.txt" "$M/merged/a-l2.txt" "$HOME/a/merged/"
cp "$M/merged/sub/deep-l2.txt" "$HOME/a/merged/sub/"
printf 'common, from L1\nsecond line from a patch\n' >"$HOME/b/merged/common.txt"
printf 'deep, patched\n' >"$HOME/b/merged/sub/deep-l2.txt"
printf 'brand new\n' >"$HOME/b/merged/newdir/new.txt"
(cd "$HOME" && diff -ruN a b >"$HOME/p.diff") || true
cd "$M"
patch -p1 -b <"$HOME/p.diff"
cat merged/common.txt merged/sub/deep-l2.txt merged/newdir/new.txt
ls merged merged/sub
cat merged/common.txt.orig merged/a-l2.txt.orig
"$PROBE" stat merged/a-l2.txt
patch -p1 -R -s <"$HOME/p.diff"
ls merged merged/sub
cat merged/common.txt merged/a-l2.txt
