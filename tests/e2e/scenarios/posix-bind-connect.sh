# AF_UNIX bind/connect on overlay paths: EADDRINUSE over any existing name
# (lower files, dangling symlinks, a socket bound before), ENOENT in
# missing or hidden dirs, ECONNREFUSED for non-sockets and dead sockets.
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
t bind "$M/merged/s"
t bind "$M/merged/s"
t bind "$M/only-l2.txt"
t bind "$M/link-dangling"
t bind "$M/merged"
t bind "$M/nope/s"
t bind "$M/gonedir/s"
t bind "$M/gone.txt"
t bind "$M/dir-l2only/sub/s"
t connect "$M/merged/s"
t connect "$M/only-l2.txt"
t connect "$M/nope"
t connect "$M/gonedir/inner/x.txt"
t connect "$M/merged"
t lstat "$M/merged/s"
t lstat "$M/gone.txt"
t lstat "$M/dir-l2only/sub/s"
