# needs: cc
# A directory fd in a merged dir, partly read by the parent, is inherited by
# a forked child that reads the rest; the parent is then at the end.
SRC=$(cd "$(dirname "$0")/../src" && pwd)
cc -O0 -Wall -Werror -o "$HOME/dirfd-dup" "$SRC/dirfd-dup.c"
"$HOME/dirfd-dup" fork "$M/merged"
"$HOME/dirfd-dup" fork "$M"
"$HOME/dirfd-dup" fork "$M/opq"
