# interop: fuse-overlayfs
# A name can be created again after its lower file was deleted.
rm "$M/only-l2.txt"
echo reborn >"$M/only-l2.txt"
cat "$M/only-l2.txt"
rm "$M/shadow.txt"
mkdir "$M/shadow.txt"
"$PROBE" stat "$M/shadow.txt"
ls -a "$M/shadow.txt"
rm -r "$M/dir-l2only"
echo file >"$M/dir-l2only"
cat "$M/dir-l2only"
