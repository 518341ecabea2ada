# tar x of a tarball built outside the overlay into a merged dir: new files,
# files over lower files, a dir merging with lower dirs, a symlink over a
# lower file, a file over a whiteout and a dir over an opaque dir's hidden
# entry; mtimes from the archive are kept.
# tree: mtime
T=$HOME/src
mkdir -p "$T/merged/sub" "$T/merged/newdir" "$T/opq/olddir"
echo "new from tar" >"$T/merged/new.txt"
echo "common from tar" >"$T/merged/common.txt"
echo "deep from tar" >"$T/merged/sub/deep-l2.txt"
echo "in newdir" >"$T/merged/newdir/x"
echo "gone is back" >"$T/gone.txt"
echo "olddir again" >"$T/opq/olddir/y"
ln -s common.txt "$T/merged/b-l1.txt"
find "$T" -exec touch -h -d '2021-05-06 07:08:09' {} +
tar -C "$T" --sort=name --owner=0 --group=0 --numeric-owner -cf "$HOME/x.tar" .
tar -C "$M" -xf "$HOME/x.tar"
find "$M/merged" "$M/opq" -newermt '2021-05-06 07:08:08' ! -newermt '2021-05-06 07:08:10' | sort
cat "$M/merged/common.txt" "$M/merged/b-l1.txt" "$M/merged/sub/deep-l2.txt" "$M/gone.txt"
ls "$M/merged" "$M/merged/sub" "$M/opq" "$M/opq/olddir"
tar -C "$M" --overwrite -xf "$HOME/x.tar" ./merged/new.txt
tar -C "$M" --keep-old-files -xf "$HOME/x.tar" ./merged/common.txt 2>&1 || echo "keep-old-files: status $?"
