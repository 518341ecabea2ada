# interop: fuse-overlayfs
# A one-layer lower directory emptied while it is being listed: each
# getdents64 chunk's names are unlinked before the next chunk is read (the
# first whiteout copies the directory up, so it is merged from then on);
# every name is seen once, and the directory is removed.
"$PROBE" listdir-unlink "$M/many" 8192
"$PROBE" stat "$M/many"
ls "$M" | grep -c many
