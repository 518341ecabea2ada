# execve(2) of overlay names: scripts and symlinks to them run; EACCES for
# non-executable files and dirs, ENOENT for whiteouts and missing names,
# ENOTDIR for file components, ENOEXEC for an executable without a format.
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
printf 'not a program\n' >"$M/merged/garbage"
chmod 0755 "$M/merged/garbage"
ln -s bin/hello.sh "$M/hello-link"
ln -s "$M/bin" "$M/bin-link"
for p in bin/hello.sh bin/l1tool.sh hello-link bin-link/hello.sh modes/exec.sh \
	modes/plain.txt modes/ro.txt merged bin gone.txt nope \
	shadow.txt/x merged/garbage link-dangling; do
	t execve "$M/$p"
done
