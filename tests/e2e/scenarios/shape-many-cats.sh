# Many short-lived processes: 200 cats of lower, shadowed and new files in a
# shell loop, each appending to a file in the overlay.
i=0
while [ $i -lt 200 ]; do
	case $((i % 4)) in
	0) cat "$M/only-l2.txt" ;;
	1) cat "$M/shadow.txt" ;;
	2) cat "$M/merged/common.txt" ;;
	3) cat "$M/deep/a/b/mid.txt" ;;
	esac >>"$M/merged/cats.log"
	i=$((i + 1))
done
wc -l <"$M/merged/cats.log"
sort "$M/merged/cats.log" | uniq -c
