# symlink(2) onto lower names (EEXIST), onto whiteouts and names hidden by an
# opaque dir (allowed), an empty target (ENOENT), a 4095-byte target
# (allowed) and a 4096-byte one (ENAMETOOLONG), inside a dangling dir link.
"$PROBE" symlink x "$M/shadow.txt"
"$PROBE" symlink x "$M/merged"
"$PROBE" symlink x "$M/link-rel"
"$PROBE" symlink x "$M/gone.txt"
"$PROBE" symlink x "$M/gonedir"
"$PROBE" symlink x "$M/opq/old-l2.txt"
"$PROBE" symlink "" "$M/empty-target"
"$PROBE" symlink x "$M/link-dangling/inside"
"$PROBE" symlink x "$M/gone.txt/inside"
long=$(printf '%4095s' '' | tr ' ' 'a')
"$PROBE" symlink "$long" "$M/long-ok"
"$PROBE" readlink "$M/long-ok" | wc -c
"$PROBE" symlink "${long}b" "$M/long-bad"
ls "$M" "$M/opq"
"$PROBE" readlink "$M/gone.txt"
