# needs: rsync
# rsync -a between directories of the overlay, then --delete into a merged
# directory (temp files, renames, times and modes on copied-up files).
rsync -a "$M/dir-l2only/" "$M/rs/"
find "$M/rs" | sed "s|$M||" | sort
rsync -a --delete "$M/dir-l1only/" "$M/merged/"
ls -a "$M/merged"
echo changed >"$M/dir-l1only/f.txt"
rsync -a --checksum "$M/dir-l1only/" "$M/merged/"
cat "$M/merged/f.txt"
rsync -a "$M/modes/" "$M/modes-copy/"
stat -c '%n %a' "$M/modes-copy/"* | sed "s|$M||"
