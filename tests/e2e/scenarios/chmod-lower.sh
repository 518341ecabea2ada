# interop: fuse-overlayfs
# tree: mtime
# chmod copies up and keeps data and mtime; directories too.
chmod 0600 "$M/shadow.txt"
"$PROBE" stat "$M/shadow.txt"
"$PROBE" chmod "$M/modes/private.txt" 0644
"$PROBE" chmod "$M/merged" 0700
"$PROBE" stat "$M/merged"
"$PROBE" chmod "$M/modes/exec.sh" 04755
"$PROBE" stat "$M/modes/exec.sh"
"$PROBE" chmod "$M/gone.txt" 0644
ls "$M/merged"
cat "$M/shadow.txt"
