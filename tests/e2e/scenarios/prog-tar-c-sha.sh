# tar c of merged, opaque and lower-only trees with a fixed mtime, sorted
# names and fixed owners is byte-for-byte the archive the kernel's overlay
# gives (content, modes, link targets, entry order).
rm "$M/merged/a-l2.txt"
echo changed >>"$M/merged/common.txt"
mkdir "$M/merged/newdir"
ln -s ../x "$M/merged/newdir/l"
chmod 0600 "$M/merged/b-l1.txt"
tar -C "$M" --sort=name --mtime='2022-01-01 00:00:00' --owner=0 --group=0 \
	--numeric-owner --format=gnu -cf "$HOME/c.tar" \
	merged opq dir-l2only deep modes link-dir link-abs
sha256sum <"$HOME/c.tar" | cut -c1-16
tar -tvf "$HOME/c.tar"
