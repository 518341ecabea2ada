# Shell redirections on overlay files: >> and <> on lower files, > on a
# shadowed file, noclobber refusing lower and whiteout-hidden names
# differently, >| overriding it, exec'd fds kept open across commands.
echo appended >>"$M/only-l2.txt"
cat "$M/only-l2.txt"
exec 3<>"$M/shadow.txt"
read -r first <&3
echo "read: $first"
echo "written at the offset" >&3
exec 3>&-
cat "$M/shadow.txt"
exec 4<>"$M/merged/new-rw.txt"
echo "via 4" >&4
exec 4>&-
cat "$M/merged/new-rw.txt"
set -C
(echo clobber >"$M/twice.txt") 2>/dev/null || echo "noclobber: lower file kept"
(echo fresh >"$M/gone.txt") && echo "noclobber: whiteout name is free"
(echo fresh >"$M/link-dangling") 2>/dev/null || echo "noclobber: dangling link refused"
echo forced >|"$M/twice.txt"
set +C
cat "$M/twice.txt" "$M/gone.txt"
exec 5>>"$M/merged/common.txt"
for i in 1 2 3; do echo "loop $i" >&5; done
exec 5>&-
cat "$M/merged/common.txt"
: >"$M/l1only.txt"
"$PROBE" stat "$M/l1only.txt"
{ echo a; echo b; } >"$M/merged/group.txt" 2>"$M/merged/err.txt"
cat "$M/merged/group.txt"
"$PROBE" stat "$M/merged/err.txt"
