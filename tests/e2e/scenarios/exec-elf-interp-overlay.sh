# An ELF program whose dynamic loader (PT_INTERP) lives in the overlay:
# the loader is found through the overlay, the program keeps its argv[0],
# and execveat (via env -- exec) works too.
SRC=$(cd "$(dirname "$0")/../src" && pwd)
mkdir -p "$M/lib" "$M/bin"
cp /lib64/ld-linux-x86-64.so.2 "$M/lib/ld-test.so"
cc -o "$M/bin/showargs" -Wl,--dynamic-linker="$M/lib/ld-test.so" "$SRC/showargs.c"
"$M/bin/showargs" one "$M/merged/common.txt"
cd "$M/bin"
./showargs two "$M/shadow.txt"
(exec -a renamed ./showargs three ../only-l2.txt)
PATH=$M/bin:$PATH showargs four "$M/l1only.txt"
ln -s showargs "$M/bin/via-link"
"$M/bin/via-link" five
rm "$M/lib/ld-test.so"
"$M/bin/showargs" six 2>/dev/null || echo "no loader: $?"
ls "$M/bin" "$M/lib"
