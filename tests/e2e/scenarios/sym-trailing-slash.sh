# Trailing slashes on lower and upper symlinks to directories (followed),
# to files (ENOTDIR) and dangling ones, for lookups, opens and namespace
# calls.
"$PROBE" stat "$M/link-rel/"
"$PROBE" lstat "$M/link-rel/"
"$PROBE" open "$M/link-rel/" O_RDONLY
"$PROBE" open "$M/link-rel/" 'O_WRONLY|O_CREAT' 0644
"$PROBE" stat "$M/link-dangling/"
"$PROBE" open "$M/link-dangling/" 'O_WRONLY|O_CREAT' 0644
"$PROBE" stat "$M/link-abs-dir/"
"$PROBE" lstat "$M/link-abs-dir/"
"$PROBE" open "$M/link-dir/" 'O_RDONLY|O_DIRECTORY'
"$PROBE" stat "$M/link-dir/."
"$PROBE" stat "$M/link-abs/"
ln -s link-dir "$M/link-link-dir"
ln -s link-rel "$M/link-link-file"
"$PROBE" stat "$M/link-link-dir/"
"$PROBE" stat "$M/link-link-file/"
"$PROBE" rmdir "$M/link-dir/"
"$PROBE" rmdir "$M/link-link-dir/"
"$PROBE" unlink "$M/link-rel/"
"$PROBE" unlink "$M/link-dir/"
"$PROBE" rename "$M/link-rel/" "$M/renamed"
"$PROBE" rename "$M/link-dir/" "$M/renamed"
"$PROBE" rename "$M/link-rel" "$M/renamed/"
"$PROBE" mkdir "$M/link-dangling/" 0755
"$PROBE" symlink x "$M/link-dir/"
"$PROBE" link "$M/l1only.txt" "$M/link-dangling/"
ls "$M/link-dir/" "$M/link-link-dir/"
"$PROBE" lstat "$M/link-dir"
"$PROBE" lstat "$M/link-rel"
"$PROBE" stat "$M/does-not-exist"
# creating calls with a trailing slash on a new name, and O_CREAT on "file/"
"$PROBE" symlink x "$M/brand-new/"
"$PROBE" link "$M/l1only.txt" "$M/brand-new/"
"$PROBE" mknod-fifo "$M/brand-new/" 0644
"$PROBE" mknod-fifo "$M/link-rel/" 0644
"$PROBE" open "$M/shadow.txt/" 'O_WRONLY|O_CREAT' 0644
"$PROBE" open "$M/brand-new/" 'O_WRONLY|O_CREAT' 0644
ls "$M" | grep brand || echo "no brand-new"
