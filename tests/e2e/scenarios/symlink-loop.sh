# Symlink loops give ELOOP.
ln -s loop-b "$M/loop-a"
ln -s loop-a "$M/loop-b"
"$PROBE" stat "$M/loop-a"
"$PROBE" open "$M/loop-a" O_RDONLY
"$PROBE" lstat "$M/loop-a"
ln -s self "$M/merged/self"
"$PROBE" stat "$M/merged/self/x"
