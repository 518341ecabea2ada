# A symlink in the overlay pointing outside the mountpoint, to "$M.host"
# (a sibling whose name only starts like the mountpoint's, so the link
# target is the same in every run): reads and writes reach the host file,
# nothing is copied into upper.
H=$M.host
trap 'rm -rf "$H"' EXIT
rm -rf "$H"
mkdir "$H" "$H/dir"
echo "host file" >"$H/host.txt"
ln -s "$H/host.txt" "$M/to-host"
ln -s "$H/dir" "$M/merged/to-hostdir"
ln -s ../"$(basename "$H")"/host.txt "$M/rel-to-host"
cat "$M/to-host"
echo "appended from the overlay" >>"$M/to-host"
cat "$H/host.txt"
cat "$M/rel-to-host" 2>&1 || echo "rel-to-host: status"
touch "$M/merged/to-hostdir/made-in-host"
ls "$H/dir"
cd "$M/merged/to-hostdir"
pwd -P | sed "s|$H|<H>|"
cd ..
pwd | sed "s|$M|<M>|"
"$PROBE" lstat "$M/to-host"
"$PROBE" stat "$M/to-host"
