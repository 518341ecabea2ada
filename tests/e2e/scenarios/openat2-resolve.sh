# openat2 with RESOLVE_* flags inside the overlay: each rule applied in the
# virtual namespace, as on a mount (EXDEV/ELOOP where the kernel says so).
O=$HOME/openat2
cc -o "$O" "$(dirname "$0")/../src/openat2.c"
for f in none NO_SYMLINKS NO_MAGICLINKS NO_XDEV BENEATH IN_ROOT; do
	echo "== $f"
	"$O" - "$M/merged/common.txt" "$f"
	"$O" - "$M/link-rel" "$f"
	"$O" - "$M/link-abs" "$f"
	"$O" - "$M/link-dir/a-l2.txt" "$f"
	"$O" "$M/merged" common.txt "$f"
	"$O" "$M/merged" sub/../common.txt "$f"
	"$O" "$M/merged" ../shadow.txt "$f"
	"$O" "$M/merged" ../../.. "$f"
	"$O" "$M/merged" link-up "$f"
	"$O" "$M/merged" /merged/common.txt "$f"
	"$O" "$M/merged" "$M/shadow.txt" "$f"
	"$O" "$M" link-abs "$f"
	"$O" "$M" link-abs-dir/b-l1.txt "$f"
	"$O" "$M" merged/link-up "$f"
	"$O" "$M" link-rel "$f" nofollow
	"$O" "$M" link-rel "$f" nofollow path
	"$O" "$M" ../../etc/hostname "$f" path
	"$O" / "${M#/}/shadow.txt" "$f"
	"$O" "$M/merged" new-"$f".txt "$f" creat
	"$O" - "/proc/self/cwd" "$f" path
done
cd "$M/merged"
"$O" - /proc/self/cwd/common.txt NO_MAGICLINKS
"$O" - /proc/self/cwd/common.txt NO_SYMLINKS
"$O" - /proc/self/cwd/common.txt BENEATH
"$O" - /proc/self/cwd/common.txt none
"$O" . ../../../.. IN_ROOT
"$O" . sub/../../only-l2.txt IN_ROOT,NO_SYMLINKS
ls "$M/merged"
