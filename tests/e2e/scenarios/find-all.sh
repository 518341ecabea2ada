# find walks the whole merged tree.
find "$M" | sed "s|$M|<M>|" | sort
find "$M" -type f | wc -l
find "$M" -name '*.c' | sed "s|$M|<M>|" | sort
find "$M" -type l | sed "s|$M|<M>|" | sort
find "$M" -perm -4000 | wc -l
