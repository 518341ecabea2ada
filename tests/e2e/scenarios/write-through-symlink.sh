# Writing through a symlink copies up the target, never the link.
echo via-link >>"$M/link-rel"
cat "$M/only-l2.txt"
"$PROBE" lstat "$M/link-rel"
"$PROBE" readlink "$M/link-rel"
echo via-abs >>"$M/link-abs"
cat "$M/shadow.txt"
echo created >"$M/link-dangling"
cat "$M/does-not-exist"
