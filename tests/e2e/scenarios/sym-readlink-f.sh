# readlink -f / realpath through lower and upper symlinks, chains, "..",
# absolute links back into the mountpoint and dangling ends.
ln -s link-dir "$M/to-link-dir"
ln -s ../link-abs-dir/sub "$M/merged/sub-again"
readlink -f "$M/link-dir/link-up"
readlink -f "$M/to-link-dir/sub/../l1dir/f.txt"
readlink -f "$M/merged/sub-again/deep-l1.txt"
readlink -f "$M/link-abs"
realpath "$M/link-abs-dir/sub"
realpath -s "$M/link-abs-dir/sub"
realpath --relative-to="$M/merged" "$M/to-link-dir/l2dir"
readlink -m "$M/link-dangling/x/y"
readlink -f "$M/link-dangling" || echo "readlink -f dangling: $?"
readlink -e "$M/link-dangling" || echo "readlink -e dangling: $?"
realpath -e "$M/gone.txt" 2>&1 || echo "realpath -e gone: status"
readlink "$M/merged/sub-again"
cd "$M/to-link-dir/sub"
realpath .
realpath -L ..
