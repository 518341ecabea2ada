# needs: cc
# vfork+execve and posix_spawn (plain, with chdir/open file actions, spawnp
# of sh) of programs that write into the overlay; a spawn of a path hidden
# by a whiteout fails with ENOENT.
SRC=$(cd "$(dirname "$0")/../src" && pwd)
cc -O0 -Wall -Werror -o "$HOME/spawn" "$SRC/spawn.c"
"$HOME/spawn" "$M"
cat "$M/merged/common.txt" "$M/only-l2.txt"
cat "$M/merged/sub/rel-spawn.txt"
"$PROBE" stat "$M/merged/sub/spawn-stdout.txt"
ls "$M/merged/sub"
