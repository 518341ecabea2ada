# ".." inside the overlay, and out through the mountpoint.
cd "$M/merged"
cat ../shadow.txt
ls ../merged/sub
"$PROBE" stat "$M/merged/sub/../../l1only.txt"
"$PROBE" stat "$M/gonedir/.."
"$PROBE" stat "$M/shadow.txt/.."
cd "$M"
cd ..
[ "$(pwd -P)" = "$(dirname "$M")" ] && echo "left the overlay"
"$PROBE" stat "$M/../$(basename "$M")/twice.txt"
# Out through the mountpoint, then through a host symlink: its ".." is
# physical (the link's target's parent), never lexical.
mkdir -p "$HOME/a/b"
ln -s a/b "$HOME/lnk"
up=$(echo "$M" | sed 's|/[^/]*|/..|g')
"$PROBE" stat "$M$up$HOME/lnk/../b"
"$PROBE" stat "$M$up$HOME/lnk/../lnk"
# A missing host dir or a file on the way ends the walk (ENOENT, ENOTDIR)
# even when ".." would lead back into the overlay.
root=$(printf '/..%.0s' $(seq 40))
"$PROBE" stat "$HOME/none$root$M/shadow.txt"
"$PROBE" stat "$HOME/lnk/../b$root$M/shadow.txt"
touch "$HOME/file"
"$PROBE" stat "$HOME/file$root$M/shadow.txt"
