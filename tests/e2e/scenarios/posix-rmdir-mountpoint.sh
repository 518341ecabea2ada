# The overlay's root itself: rmdir and rename of the mountpoint are EBUSY;
# "." under it is EINVAL; nothing leaks into the directory underneath.
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
t rmdir "$M/."
t rename "$M/." "$M/x"
t rmdir "$M"
t rename "$M/merged" "$M"
t stat "$M"
t listdir "$M/dir-l1only"
