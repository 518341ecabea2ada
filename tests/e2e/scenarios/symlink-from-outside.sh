# Symlinks outside the mountpoint that point into it lead into the overlay,
# for reads, writes, directory listings, cwd and exec; a chain that goes
# in and out again ends on the host.
mkdir -p "$HOME/links"
ln -s "$M/merged" "$HOME/links/abs-dir"
ln -s "$M/shadow.txt" "$HOME/links/abs-file"
ln -s "$M" "$HOME/links/mnt"
ln -s abs-dir "$HOME/links/chain"

ln -s /etc/hostname "$M/to-host"
cat "$HOME/links/abs-file"
cat "$HOME/links/abs-dir/common.txt" "$HOME/links/chain/a-l2.txt"
ls "$HOME/links/abs-dir/" "$HOME/links/chain/sub"
cat "$HOME/links/mnt/to-host"
echo appended >>"$HOME/links/abs-file"
echo new >"$HOME/links/chain/new.txt"
mkdir "$HOME/links/abs-dir/newdir"
rm "$HOME/links/mnt/gone.txt" 2>/dev/null || echo "rm gone: $?"
rm "$HOME/links/mnt/only-l2.txt"
"$PROBE" stat "$HOME/links/abs-dir/nothere"
"$PROBE" lstat "$HOME/links/abs-dir"
"$PROBE" lstat "$HOME/links/abs-dir/."
"$PROBE" lstat "$HOME/links/abs-dir/./"
"$PROBE" stat "$HOME/links/abs-dir/common.txt"
# ".." after a link goes back from where the link leads, after a plain
# host directory to that directory's parent
"$PROBE" stat "$HOME/links/abs-dir/../shadow.txt"
cat "$HOME/links/abs-dir/../shadow.txt" "$HOME/links/../links/abs-file"
"$PROBE" lstat "$HOME/links/../links/mnt"
"$PROBE" stat "$HOME/links/../links/mnt/"
"$PROBE" stat "$HOME/links/nothere/../abs-file"
"$PROBE" stat "$HOME/links/chain/../abs-dir/common.txt"
"$PROBE" stat "$HOME/links/chain/../merged/../shadow.txt"
ls "$HOME/links/mnt/merged/../../links/abs-dir/"
"$PROBE" stat /etc/../etc/hostname
"$HOME/links/mnt/bin/hello.sh" via outside link
cd "$HOME/links/chain/sub"
ls
cat ../../shadow.txt
ls "$M" "$M/merged"
