# needs: cc
# A non-leader thread calls execve while the leader loops on stat in the
# overlay; the new program keeps the pid and the cwd (inside the overlay)
# and reads and writes there.
SRC=$(cd "$(dirname "$0")/../src" && pwd)
cc -O0 -Wall -Werror -pthread -o "$HOME/exec-thread" "$SRC/exec-thread.c"
"$HOME/exec-thread" "$M"
cat "$M/shadow.txt" "$M/merged/exec-thread.txt"
