# interop: fuse-overlayfs
# Removing an opaque directory and making it again gives an empty dir.
rm -rf "$M/opq"
"$PROBE" stat "$M/opq"
mkdir "$M/opq"
ls -a "$M/opq"
echo fresh >"$M/opq/fresh.txt"
ls -a "$M/opq"
"$PROBE" stat "$M/opq/old-l2.txt"
