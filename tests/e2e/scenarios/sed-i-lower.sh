# interop: fuse-overlayfs
# sed -i writes a temp file in the same directory and renames it over.
sed -i 's/bottom/BOTTOM/' "$M/only-l2.txt"
cat "$M/only-l2.txt"
sed -i 's/L1/ONE/' "$M/merged/common.txt"
cat "$M/merged/common.txt"
ls -a "$M/merged"
