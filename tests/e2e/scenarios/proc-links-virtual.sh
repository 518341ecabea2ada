# readlink of /proc/<pid>/{cwd,exe,fd/N} names the overlay path, not a layer.
cd "$M/merged"
readlink /proc/self/cwd
sh -c 'readlink /proc/$$/cwd'
cp /bin/sh "$M/bin/mysh"
"$M/bin/mysh" -c 'readlink /proc/$$/exe'
exec 3<"$M/shadow.txt"
readlink /proc/self/fd/3
exec 3<&-
"$PROBE" readlink /proc/self/root
realpath "$M/link-rel" "$M/merged/../dir-l2only"
