# modes: chardev
# Deleting and renaming away a 255-byte lower name: a 0:0 device whiteout
# has the name itself. (In fileprefix form ".wh." + 255 bytes cannot exist:
# see fuss-only wh-name-too-long.)
n255=$(printf '%255s' "" | tr ' ' a)
cp "$M/merged/$n255" "$M/merged/copy"
rm "$M/merged/$n255"
"$PROBE" stat "$M/merged/$n255"
mv "$M/merged/copy" "$M/merged/$n255"
mv "$M/merged/$n255" "$M/merged/moved"
ls "$M/merged" | cut -c1-12
