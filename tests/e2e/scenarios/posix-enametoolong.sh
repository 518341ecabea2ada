# ENAMETOOLONG: a 255-byte component works, 256 bytes fails for every
# call; a path of 4095 bytes resolves, 4096 bytes fails, both absolute and
# relative to a cwd inside the overlay (the limit is on the string given,
# not on any rewritten path).
t() { printf '%s: ' "$1"; shift; "$PROBE" "$@"; }
n255=$(printf '%255s' "" | tr ' ' n)
n256=$(printf '%256s' "" | tr ' ' n)
t create-255 open "$M/merged/$n255" 'O_WRONLY|O_CREAT' 0644
t create-256 open "$M/merged/$n256" 'O_WRONLY|O_CREAT' 0644
t stat-255 stat "$M/merged/$n255"
t stat-256 stat "$M/merged/$n256"
t mkdir-256 mkdir "$M/$n256" 0755
t mkdir-255 mkdir "$M/d$(printf '%254s' "" | tr ' ' d)" 0755
t symlink-256 symlink target "$M/$n256"
t rename-to-256 rename "$M/merged/$n255" "$M/merged/$n256"
t rename-lower-to-255 rename "$M/only-l2.txt" "$M/$n255"
t unlink-256 unlink "$M/$n256"
t link-256 link "$M/l1only.txt" "$M/dir-l2only/$n256"
t lower-dir-256 stat "$M/dir-l2only/$n256/x"
# padpath LEN HEAD TAIL: HEAD, then "./" padding (and one extra "/" when
# the length is odd), then TAIL, LEN bytes in all.
padpath() {
	n=$(($1 - ${#2} - ${#3}))
	pad=$(printf "%$((n / 2))s" "" | sed 's| |./|g')
	if [ $((n % 2)) -eq 1 ]; then
		pad="/$pad"
	fi
	printf '%s%s%s' "$2" "$pad" "$3"
}
p4095=$(padpath 4095 "$M/merged/" common.txt)
p4096=$(padpath 4096 "$M/merged/" common.txt)
echo "lengths ${#p4095} ${#p4096}"
t abs-4095 stat "$p4095"
t abs-4096 stat "$p4096"
t abs-4095-open open "$p4095" O_WRONLY
t abs-4096-open open "$p4096" O_WRONLY
r4095=$(padpath 4095 "" sub/deep-l2.txt)
r4096=$(padpath 4096 "" sub/deep-l2.txt)
t rel-4095 -C "$M/merged" stat "$r4095"
t rel-4096 -C "$M/merged" stat "$r4096"
c4095=$(padpath 4095 "$M/merged/" new-at-4095)
c4096=$(padpath 4096 "$M/merged/" new-at-4096)
t create-4095 open "$c4095" 'O_WRONLY|O_CREAT' 0644
t create-4096 open "$c4096" 'O_WRONLY|O_CREAT' 0644
t mkdir-4095 mkdir "$(padpath 4095 "$M/dir-l2only/" made)" 0755
ls "$M/merged" | cut -c1-20
