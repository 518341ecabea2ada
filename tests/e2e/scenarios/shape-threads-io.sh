# needs: cc
# Eight threads of one process create, write, read back, rename and unlink
# their own files, append to different lower files (concurrent copy-ups) and
# read one large lower file, all at the same time.
SRC=$(cd "$(dirname "$0")/../src" && pwd)
cc -O0 -Wall -Werror -pthread -o "$HOME/threads-io" "$SRC/threads-io.c"
"$HOME/threads-io" "$M"
ls "$M/thr"
tail -n 1 "$M"/proj/part*.c
