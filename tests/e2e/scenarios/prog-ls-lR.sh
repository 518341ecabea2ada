# ls -lR over the whole overlay with times left out: types, modes, link
# counts of files, owners, sizes of files and link targets (directory sizes
# and link counts are not the overlay's to fix, so they are cut).
ls -lRn --time-style=+ "$M" | awk '
	/^total / { next }
	/^d/ { $2 = "-"; $5 = "-" }
	{ $1 = $1; print }' | sed "s|$M|<M>|g"
