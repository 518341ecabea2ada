# needs: perf
# perf record writes its data file into the overlay and perf report reads
# it back; only the stable parts of the report are compared.
perf record -q -o "$M/merged/perf.data" true >"$HOME/record.out" 2>&1 ||
	{ cat "$HOME/record.out"; exit 1; }
[ -s "$M/merged/perf.data" ] && echo "perf.data written"
perf report -i "$M/merged/perf.data" --stdio --sort comm >"$HOME/report.out" 2>"$HOME/report.err" ||
	{ cat "$HOME/report.out" "$HOME/report.err"; exit 1; }
grep -q '^# Samples: [1-9]' "$HOME/report.out" && echo "report has samples"
awk '!/^#/ && $2 == "true" { print "report names true"; exit }' "$HOME/report.out"
perf record -q -o "$M/merged/perf.data" true >"$HOME/record2.out" 2>&1
ls "$M/merged" | grep perf
rm "$M/merged/perf.data" "$M/merged/perf.data.old"
ls "$M/merged"
