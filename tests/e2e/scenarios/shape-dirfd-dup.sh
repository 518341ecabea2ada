# needs: cc
# dup, dup2, dup3, F_DUPFD and F_DUPFD_CLOEXEC of a directory fd in a merged
# dir share its read position: small getdents64 reads through each of them
# return every entry exactly once, and a rewind through one rewinds all.
SRC=$(cd "$(dirname "$0")/../src" && pwd)
cc -O0 -Wall -Werror -o "$HOME/dirfd-dup" "$SRC/dirfd-dup.c"
"$HOME/dirfd-dup" dup "$M/merged"
"$HOME/dirfd-dup" dup "$M"
rm "$M/merged/a-l2.txt"
touch "$M/merged/new-upper.txt"
"$HOME/dirfd-dup" dup "$M/merged"
