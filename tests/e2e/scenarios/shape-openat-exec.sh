# needs: cc
# A dirfd of a merged dir inherited across exec: openat (lower, shadowed,
# "..", a relative symlink, a whiteout), mkdirat, unlinkat, renameat,
# symlinkat, fstatat, fchmodat, faccessat and fchdir through it.
SRC=$(cd "$(dirname "$0")/../src" && pwd)
cc -O0 -Wall -Werror -o "$HOME/openat-exec" "$SRC/openat-exec.c"
"$HOME/openat-exec" "$M"
ls -R "$M/merged"
"$PROBE" stat "$M/merged/common.txt"
