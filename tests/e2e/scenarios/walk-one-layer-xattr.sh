# getxattr of an overlay-private name below listed one-layer lower
# directories: fuss answers ENODATA itself, but only once the path is known
# to exist: its own error (ENOENT, ENOTDIR, EACCES) comes first.
# unpriv: skip switches to another user ($PROBE -U), which needs CAP_SETUID
cd "$M"
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
ls -R dir-l2only modes >/dev/null
t getxattr dir-l2only/missing trusted.overlay.opaque
t getxattr dir-l2only/one.txt/x trusted.overlay.opaque
t getxattr dir-l2only/sub/missing user.overlay.x
t getxattr dir-l2only/sub/two.txt/ trusted.overlay.opaque
t getxattr dir-l2only/sub/two.txt user.overlay.x
t -U 1000 getxattr modes/closed/x trusted.overlay.opaque
