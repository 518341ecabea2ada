# access(2) with each mode on lower files of varied permissions.
for f in private.txt exec.sh ro.txt group.txt plain.txt sticky closed; do
	for m in F_OK R_OK W_OK X_OK 'R_OK|W_OK|X_OK'; do
		echo "$f $m $("$PROBE" access "$M/modes/$f" "$m")"
	done
done
"$PROBE" access "$M/gone.txt" F_OK
"$PROBE" access "$M/link-dangling" F_OK
