# ".." after a symlink is resolved in the target's parent (physically), in
# the kernel as under fuss; only the shell's logical cd differs.
mkdir -p "$M/a/b"
echo "lexical parent" >"$M/a/common.txt"
ln -s ../merged/sub "$M/a/tosub"
ln -s "$M/deep/a/b/c" "$M/a/b/abs-c"
cat "$M/a/tosub/../common.txt"
cat "$M/a/b/abs-c/../mid.txt"
cat "$M/link-dir/../shadow.txt"
cat "$M/link-abs-dir/sub/../../l1only.txt"
ls "$M/a/tosub/.."
"$PROBE" stat "$M/a/tosub/../../merged/b-l1.txt"
"$PROBE" stat "$M/a/tosub/../../a/common.txt"
"$PROBE" stat "$M/merged/link-up/.."
"$PROBE" stat "$M/link-dir/l2dir/../../only-l2.txt"
cd "$M/a/tosub"
cd ..
echo "logical: $(basename "$PWD")"
cd "$M/a/tosub"
cd -P ..
echo "physical: $(basename "$PWD")"
cat common.txt
cd "$M/a/b/abs-c/d/e/f/../../.."
pwd -P | sed "s|$M|<M>|"
ls
