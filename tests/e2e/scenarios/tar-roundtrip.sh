# tar out of the overlay and back into it.
tar -C "$M" --sort=name --owner=0 --group=0 --numeric-owner \
	-cf "$HOME/t.tar" merged opq deep link-rel shadow.txt
tar -tvf "$HOME/t.tar"
mkdir "$M/extracted"
tar -C "$M/extracted" -xf "$HOME/t.tar"
diff -r "$M/merged" "$M/extracted/merged" && echo merged same
diff -r "$M/opq" "$M/extracted/opq" && echo opq same
find "$M/extracted" | sed "s|$M|<M>|" | sort
