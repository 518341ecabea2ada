# Renders the raw results of perf/bench.sh as a table.
# usage: awk -v fmt=text|md -f perf/bench-table.awk RAW
# RAW lines:
#   INFO KEY VALUE...            machine and run facts, printed first
#   RES WORKLOAD SYSTEM VALUE    one measurement: seconds, or ns for W5:*;
#                                VALUE "fail" when the run failed
#   RSS WORKLOAD TRACER_KB VFSD_KB ONCE_KB   fuss's peaks in one run
#   SKIP WHAT: REASON            something not measured, and why
# Per workload and system: the median, min-max and the median's ratio to
# native's median of the same workload. Any failed run shows "fails".

function label(w) {
	if (w in names)
		return names[w]
	if (w ~ /^W5:/)
		return "W5 " substr(w, 4) " (ns)"
	return w
}

function unit(w, v) {
	if (w ~ /^W5:/)
		return sprintf("%.0f", v)
	return sprintf(v < 1 ? "%.3f" : v < 10 ? "%.2f" : "%.1f", v)
}

# sorts a[1..n] (numbers) in place
function sort_n(a, n,    i, j, t) {
	for (i = 2; i <= n; i++) {
		t = a[i]
		for (j = i - 1; j >= 1 && a[j] > t; j--)
			a[j + 1] = a[j]
		a[j + 1] = t
	}
}

# sets med, lo, hi from the values of workload w on system s
function stats(w, s,    n, a, i) {
	n = split(vals[w, s], a, " ")
	sort_n(a, n)
	lo = a[1]
	hi = a[n]
	med = n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	return n
}

# the ratio of med (just computed for w, s) to native's median, or -1
function ratio(w, s,    m, r) {
	if (!((w, "native") in vals) || fails[w, "native"])
		return -1
	m = med
	stats(w, "native")
	r = med > 0 ? m / med : -1
	stats(w, s)
	return r
}

function mib(kb) {
	return sprintf("%.1f", kb / 1024)
}

BEGIN {
	names["W1"] = "W1 build"
	names["W2a"] = "W2a find"
	names["W2b"] = "W2b find -newer"
	names["W2c"] = "W2c ls -lR"
	names["W2d"] = "W2d du -s"
	names["W2e"] = "W2e grep -r"
	names["W3a"] = "W3a touch"
	names["W3b"] = "W3b append"
	names["W4"] = "W4 rm -rf"
	# native first, the overlays, then the rest (floors) as they come
	nsys = split("native kernel fuse-overlayfs proot fuss fuss-volatile", sys, " ")
	for (i = 1; i <= nsys; i++)
		known[sys[i]] = 1
}

$1 == "INFO" {
	k = $2
	$1 = $2 = ""
	sub(/^ +/, "")
	info[++ninfo] = k ": " $0
}

$1 == "SKIP" {
	$1 = ""
	sub(/^ +/, "")
	skips[++nskip] = $0
}

$1 == "RES" {
	w = $2
	s = $3
	if (!(w in seenw))
		order[++nw] = w
	seenw[w] = 1
	if (!(s in known)) {
		known[s] = 1
		sys[++nsys] = s
	}
	if ($4 == "fail")
		fails[w, s]++
	else
		vals[w, s] = vals[w, s] " " $4
	runs[w, s] = 1
	active[s] = 1
}

$1 == "RSS" {
	w = $2
	if (!(w in sum))
		nrss++
	if ($3 > tr[w]) tr[w] = $3
	if ($4 > vf[w]) vf[w] = $4
	if ($3 + $4 > sum[w]) sum[w] = $3 + $4
	if ($5 > once[w]) once[w] = $5
}

function cell_text(w, s,    n, r) {
	if (fails[w, s])
		return sprintf("%-22s %-20s %10s  (%d of the runs)", label(w), s, "fails",
			fails[w, s])
	n = stats(w, s)
	r = ratio(w, s)
	return sprintf("%-22s %-20s %10s %19s %8s  n=%d", label(w), s, unit(w, med),
		unit(w, lo) "-" unit(w, hi), r < 0 ? "" : sprintf("%.2fx", r), n)
}

function cell_md(w, s,    u, r) {
	if (!((w, s) in runs))
		return ""
	if (fails[w, s])
		return "fails"
	stats(w, s)
	u = unit(w, med) (w ~ /^W5:/ ? " ns" : " s")
	if (s == "native")
		return u
	r = ratio(w, s)
	if (r < 0)
		return u
	return sprintf(r < 10 ? "%.1f× (%s)" : "%.0f× (%s)", r, u)
}

END {
	if (fmt == "md") {
		for (i = 1; i <= ninfo; i++)
			printf "%s%s", (i > 1 ? "; " : ""), info[i]
		print "\n"
		line = "| workload |"
		sep = "|---|"
		for (i = 1; i <= nsys; i++) {
			if (!(sys[i] in active))
				continue
			line = line " " sys[i] " |"
			sep = sep "---|"
		}
		print line " fuss peak RSS MiB |"
		print sep "---|"
		for (j = 1; j <= nw; j++) {
			w = order[j]
			line = "| " label(w) " |"
			for (i = 1; i <= nsys; i++)
				if (sys[i] in active)
					line = line " " cell_md(w, sys[i]) " |"
			print line " " (w in sum ? mib(sum[w]) : "") " |"
		}
		if (nskip) {
			print ""
			for (i = 1; i <= nskip; i++)
				print "- skipped: " skips[i]
		}
		exit
	}
	for (i = 1; i <= ninfo; i++)
		print info[i]
	print ""
	printf "%-22s %-20s %10s %19s %8s\n", "workload", "system", "median", "min-max", "xnative"
	for (j = 1; j <= nw; j++) {
		w = order[j]
		for (i = 1; i <= nsys; i++)
			if ((w, sys[i]) in runs)
				print cell_text(w, sys[i])
	}
	print "(seconds of the workload alone, measured inside each system; W5 in ns per call)"
	if (nrss) {
		print ""
		print "fuss peak RSS, MiB (VmHWM sampled every 50 ms, largest of the rounds):"
		printf "%-22s %8s %8s %8s %10s\n", "workload", "tracer", "vfsd", "sum", "seg_once"
		for (j = 1; j <= nw; j++) {
			w = order[j]
			if (w in sum)
				printf "%-22s %8s %8s %8s %10s\n", label(w), mib(tr[w]), mib(vf[w]),
					mib(sum[w]), mib(once[w])
		}
		print "(sum counts the shared segment in both processes; seg_once counts it once)"
	}
	print ""
	if (!nskip)
		print "skipped: nothing"
	for (i = 1; i <= nskip; i++)
		print "skipped: " skips[i]
}
