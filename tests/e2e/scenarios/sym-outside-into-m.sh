# A symlink OUTSIDE the mountpoint (in $HOME) that points into it: the
# kernel follows it into the overlay. (fuss documents this as a limit.)
ln -s "$M" "$HOME/ln"
ln -s "$M/merged" "$HOME/lm"
cat "$HOME/ln/shadow.txt"
cat "$HOME/ln/only-l2.txt"
ls "$HOME/lm"
echo "written through an outside link" >"$HOME/ln/outside-write.txt"
cat "$M/outside-write.txt"
cd "$HOME/lm"
cat common.txt
