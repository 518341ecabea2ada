# interop: fuse-overlayfs
# mkdir over a whiteout makes an opaque directory: nothing from below leaks.
mkdir "$M/gonedir"
ls -a "$M/gonedir"
"$PROBE" stat "$M/gonedir/inner"
"$PROBE" mkdir "$M/gone.txt" 0750
"$PROBE" stat "$M/gone.txt"
"$PROBE" listdir "$M/gone.txt"
