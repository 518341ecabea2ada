# tree: mtime
# chmod of a merged directory keeps it merged.
chmod 0711 "$M/merged/sub"
"$PROBE" stat "$M/merged/sub"
ls -a "$M/merged/sub"
chmod 1777 "$M/dir-l2only"
"$PROBE" stat "$M/dir-l2only"
