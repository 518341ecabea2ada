# interop: fuse-overlayfs
# Renaming onto a whited-out name works like onto a missing name.
echo new >"$M/new.txt"
mv "$M/new.txt" "$M/gone.txt"
cat "$M/gone.txt"
mkdir "$M/d.new"
echo inside >"$M/d.new/f"
"$PROBE" rename "$M/d.new" "$M/gonedir"
ls -a "$M/gonedir"
"$PROBE" stat "$M/gonedir/inner"
