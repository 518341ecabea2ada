# A process tree sh -> sh -> sh: every level changes directory inside the
# overlay, writes there and reads what the others wrote; the innermost
# levels run in the background and are waited for.
cd "$M/merged"
echo "level 1 in $(basename "$PWD")" >tree.log
sh -c '
	cd sub
	echo "level 2 in $(basename "$PWD")" >>../tree.log
	sh -c "
		cd ../../deep/a
		echo \"level 3 in \$(basename \"\$PWD\")\" >>../../merged/tree.log
		cat b/mid.txt >>../../merged/tree.log
		for i in 1 2 3; do
			sh -c \"echo bg \$i >../../merged/sub/bg\$i.txt\" &
		done
		wait
	"
	cat bg1.txt bg2.txt bg3.txt >>../tree.log
	rm bg2.txt
' &
wait
cat tree.log
ls sub
pwd | sed "s|$M|<M>|"
