# find | xargs rm and xargs -0 rmdir over merged trees, and xargs -P2 with
# several processes removing lower files at once.
find "$M/proj" -name 'part*.c' -print0 | sort -z | xargs -0 -n 2 rm
ls "$M/proj"
find "$M/merged" ! -type d | sort | xargs rm -f
find "$M/merged" -depth -type d ! -path "$M/merged" -print0 | xargs -0 rmdir
ls -A "$M/merged"
find "$M/modes" "$M/bin" -type f -print0 | xargs -0 -P 2 -n 1 rm -f
find "$M/modes" "$M/bin" | sed "s|$M|<M>|" | sort
rmdir "$M/merged"
"$PROBE" stat "$M/merged"
