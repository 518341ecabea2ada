# needs: cc
# The cwd inside the overlay is shared by threads and by clone(CLONE_FS)
# children, and private after fork, clone without CLONE_FS and
# unshare(CLONE_FS); relative opens follow the right cwd.
SRC=$(cd "$(dirname "$0")/../src" && pwd)
cc -O0 -Wall -Werror -pthread -o "$HOME/clone-fs" "$SRC/clone-fs.c"
"$HOME/clone-fs" "$M"
