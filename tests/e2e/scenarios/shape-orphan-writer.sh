# A double-forked grandchild outlives its parent (reparented) and keeps
# writing into the overlay after the parent exited; the script waits for
# its last line.
sh -c '
	(
		sleep 0.2
		for i in 1 2 3 4 5; do
			echo "orphan line $i" >>"$M/merged/orphan.log"
		done
		cat "$M/shadow.txt" >>"$M/merged/orphan.log"
		echo done >"$M/merged/orphan.done"
	) &
	echo "parent exits"
' >"$HOME/parent.out"
cat "$HOME/parent.out"
n=0
while [ ! -e "$M/merged/orphan.done" ] && [ $n -lt 100 ]; do
	sleep 0.1
	n=$((n + 1))
done
cat "$M/merged/orphan.log" "$M/merged/orphan.done"
