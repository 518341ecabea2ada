# needs: cpio
# cpio copy-out of a merged tree (names from find), list, copy-in into a
# merged dir, and pass-through mode into a new dir.
cd "$M"
find merged opq dir-l2only | sort | cpio -o -H newc --quiet >"$HOME/a.cpio"
cpio -it --quiet <"$HOME/a.cpio" | sort
mkdir "$M/cpio-in"
cd "$M/cpio-in"
cpio -idm --quiet <"$HOME/a.cpio"
diff -r --no-dereference "$M/merged" "$M/cpio-in/merged" && echo "merged same"
cd "$M"
find deep dir-l1only | sort | cpio -pdm --quiet "$M/merged"
find "$M/merged/deep" "$M/merged/dir-l1only" | sed "s|$M|<M>|" | sort
cd "$M/merged"
echo "cpio over lower" >"$HOME/common.txt"
(cd "$HOME" && echo common.txt | cpio -o -H newc --quiet) | cpio -idu --quiet
cat common.txt
