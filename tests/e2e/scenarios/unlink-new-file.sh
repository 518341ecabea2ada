# A file created in the overlay and deleted again leaves nothing behind.
echo scratch >"$M/scratch.txt"
cat "$M/scratch.txt"
rm "$M/scratch.txt"
"$PROBE" stat "$M/scratch.txt"
echo scratch >"$M/merged/scratch.txt"
"$PROBE" unlink "$M/merged/scratch.txt"
ls -a "$M/merged"
