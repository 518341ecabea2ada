# fuse-overlayfs: skip fuse-overlayfs 1.10 hangs in readdir on the layers this scenario leaves
# Chains that cross layers: upper link -> L1 absolute link -> L1 file,
# upper link -> L2 relative link -> L2 file; replacing or removing the
# lower link in the middle changes what the chain reaches.
ln -s link-abs "$M/u-abs"
ln -s link-rel "$M/u-rel"
ln -s merged/link-up "$M/u-up"
ln -s link-abs-dir/l1dir "$M/u-dir"
cat "$M/u-abs" "$M/u-rel" "$M/u-up" "$M/u-dir/f.txt"
ln -sfn l1only.txt "$M/link-rel"
cat "$M/u-rel"
"$PROBE" readlink "$M/link-rel"
rm "$M/link-abs-dir"
"$PROBE" stat "$M/u-dir/f.txt"
mkdir "$M/link-abs-dir"
mkdir "$M/link-abs-dir/l1dir"
echo "now a real dir in upper" >"$M/link-abs-dir/l1dir/f.txt"
cat "$M/u-dir/f.txt"
ls "$M/merged/l1dir"
rm "$M/shadow.txt"
"$PROBE" stat "$M/u-abs"
"$PROBE" stat "$M/u-up"
echo "new shadow" >"$M/u-up"
cat "$M/shadow.txt" "$M/u-abs"
