# needs: cc
# fds on overlay files (lower, shadowed, a merged dir, a new file) survive
# fork; only those without O_CLOEXEC survive exec. Offsets are shared.
SRC=$(cd "$(dirname "$0")/../src" && pwd)
cc -O0 -Wall -Werror -o "$HOME/fd-inherit" "$SRC/fd-inherit.c"
"$HOME/fd-inherit" "$M"
cat "$M/merged/fd-out.txt"
