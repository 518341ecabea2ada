# open(2) ENOENT: missing component, missing final name, dangling symlink,
# whited-out name, names under a whited-out or opaque-hidden dir, O_CREAT
# where the parent is missing; nothing may be created in the upper layer.
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
t open "$M/nope/only-l2.txt" O_RDONLY
t open "$M/merged/nope" O_RDONLY
t open "$M/merged/nope/x" O_RDONLY
t open "$M/link-dangling" O_RDONLY
t open "$M/gone.txt" O_RDONLY
t open "$M/gone.txt" O_WRONLY
t open "$M/gonedir/inner/x.txt" O_RDONLY
t open "$M/gonedir/inner" 'O_RDONLY|O_DIRECTORY'
t open "$M/opq/old-l2.txt" O_RDONLY
t open "$M/opq/olddir/x.txt" O_RDONLY
t open "$M/nope/new.txt" 'O_WRONLY|O_CREAT' 0644
t open "$M/gonedir/new.txt" 'O_WRONLY|O_CREAT' 0644
t open "$M/opq/olddir/new.txt" 'O_WRONLY|O_CREAT' 0644
t open "" O_RDONLY
ln -s nodir/file "$M/dangling-into-nodir"
t open "$M/dangling-into-nodir" 'O_WRONLY|O_CREAT' 0644
t open "$M/merged/l2dir/../nope/../f.txt" O_RDONLY
