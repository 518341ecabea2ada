#!/bin/sh
# Interactive use and perf (README "Interactive use", "Profiling with
# perf").
#
# Terminal: an interactive bash under fuss in a tmux pane, driven by
# send-keys and read back with capture-pane: line editing, history and Tab
# completion over a merged directory, a window resize, job control beyond
# what lifecycle.sh checks (a background job, Ctrl-Z, bg, fg and Ctrl-Z
# again, a background reader stopped by SIGTTIN and brought back with fg,
# exit with a stopped job), and full-screen programs (vim, less) that draw,
# take keys and leave the terminal settings as they found them; and fuss
# as a job of an interactive shell (Ctrl-Z, bg, fg of fuss running less, a
# sleep, a background reader). A section where a check fails under fuss
# runs again without fuss, in a plain copy of the layers: a check that
# fails there too is a SKIP (tmux or the program differs here), not a fuss
# failure.
#
# perf: perf stat as the program under fuss, and perf record of fuss itself
# (samples in fuss's own functions and named threads). SKIP when perf is
# missing or cannot open a software event here.
#   sh tests/e2e/interactive.sh /abs/path/fuss
# Prints PASS/FAIL/SKIP per check and "interactive: N passed, N failed, N
# skipped"; exits 1 if anything failed.
set -u
FUSS=$1
export LC_ALL=C
T=$(mktemp -d /tmp/fuss-ia.XXXXXX)
M=$T/m
TS=fuss-ia-$$
cleanup() {
	tmux -L "$TS" kill-server 2>/dev/null
	for _p in $(marked_pids); do
		kill -KILL "$_p" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
. "$(cd "$(dirname "$0")" && pwd)/report.sh"

# Every process of a session carries FUSS_IA_MARK=$T in its environment.
marked_pids() {
	grep -las "FUSS_IA_MARK=$T" /proc/[0-9]*/environ 2>/dev/null |
		sed 's|/proc/\([0-9]*\)/environ|\1|'
}

state_of() { sed -n 's/.*) \(.\).*/\1/p' "/proc/$1/stat" 2>/dev/null; }
is_stopped() { case $(state_of "$1") in T | t) return 0 ;; esac; return 1; }
# held STATE-TEST PID: true in 5 samples over 100 ms, so a passing ptrace
# stop of an intercepted call is not taken for a job-control stop
held() {
	for _i in 1 2 3 4 5; do
		"$1" "$2" || return 1
		sleep 0.02
	done
}
running() { [ -n "$(state_of "$1")" ] && ! is_stopped "$1"; }
gone() { case $(state_of "$1") in '' | Z) return 0 ;; esac; return 1; }

# ---- the session ----------------------------------------------------------
# Layers: a long file for less, a directory merged from both layers (for
# Tab completion). Without fuss the same tree is a plain copy.
fresh() {
	rm -rf "$T/l" "$T/u" "$T/plain" "$T/st"
	mkdir -p "$T/l/dir" "$T/u/dir"
	seq -f 'line %g' 1 200 >"$T/l/long.txt"
	echo a >"$T/l/dir/only-in-lower.txt"
	echo 'from lower' >"$T/l/edit-me.txt"
	echo b >"$T/u/dir/only-in-upper.txt"
	# counts SIGINTs: waits for one, then 0.5 s for a second
	printf '%s\n' 'import signal, time' 'n = [0]' \
		'signal.signal(signal.SIGINT, lambda *a: n.__setitem__(0, n[0] + 1))' \
		'print("ready", flush=True)' 'signal.pause()' 'time.sleep(0.5)' \
		'print("SIGINT", n[0])' >"$T/count-int.py"
	if [ "$MODE" = plain ]; then
		cp -a "$T/l" "$T/plain"
		cp -a "$T/u/." "$T/plain"
		D=$T/plain
		UP=$T/plain
	else
		D=$M
		UP=$T/u
	fi
}

tm() { tmux -L "$TS" "$@"; }
pane() { tm capture-pane -p -t ia 2>/dev/null; }
pane_has() { pane | grep -q -- "$1"; }
pane_count() { [ "$(pane | grep -c -- "$1")" -ge "$2" ]; }
pane_top() { [ "$(pane | head -n 1)" = "$1" ]; }
prompt_last() { [ "$(pane | grep -v '^$' | tail -n 1)" = 'ia$' ]; }
# keys TEXT: types TEXT and Enter; type TEXT: no Enter; key KEY...: named keys
keys() { tm send-keys -t ia -l "$1" && tm send-keys -t ia Enter; }
type_() { tm send-keys -t ia -l "$1"; }
key() { tm send-keys -t ia "$@"; }
has_file() { [ -s "$1" ]; }
file_is() { [ "$(cat "$1" 2>/dev/null)" = "$2" ]; }

# start [outer]: bash in a 100x30 pane, under fuss or not; its exit
# status goes to $T/st. With "outer" bash itself runs without fuss, and
# $RUN is the fuss command line to type before a command.
start() {
	fresh
	_env="FUSS_IA_MARK=$T HISTFILE=$T/history LESSHISTFILE=- PS1='ia\$ '"
	_fuss="'$FUSS' --mountpoint='$M' --lowerdir='$T/l' --upperdir='$T/u' --workers=2 --"
	_cmd="bash --norc --noprofile -i"
	RUN=
	if [ "$MODE" = fuss ] && [ "${1:-}" = outer ]; then
		RUN=$_fuss
	elif [ "$MODE" = fuss ]; then
		_cmd="$_fuss $_cmd"
	fi
	tm -f /dev/null new-session -d -s ia -x 100 -y 30 "$_env $_cmd; echo \$? >'$T/st'"
}

# stop: closes the pane (SIGHUP, as when a terminal goes away); nothing of
# the session may be left
stop() {
	tm kill-server 2>/dev/null
	_left=
	for _n in $(seq 40); do
		_left=$(marked_pids)
		[ -n "$_left" ] || break
		sleep 0.05
	done
	for _p in $_left; do
		kill -KILL "$_p" 2>/dev/null
	done
	[ -z "$_left" ]
}

# step NAME SECS CMD...: waits at most SECS for CMD and records the result
# (under fuss with the last lines of the screen). A false return ends the
# section.
step() {
	_name=$1
	_secs=$2
	shift 2
	if wait_for "$_secs" "$@"; then _r=0; else _r=1; fi
	if [ "$MODE" = plain ]; then
		echo "$_r" >"$T/base.$_name"
	else
		echo "$_name $_r $(pane | grep -v '^$' | tail -n 6 | paste -sd'|' -)" >>"$T/results"
	fi
	return "$_r"
}

# report: the section's results under fuss; a check that failed is a FAIL
# only if it passed in the same session without fuss
report() {
	while read -r _name _r _screen; do
		if [ "$_r" = 0 ]; then
			ok "$_name"
		elif [ "$(cat "$T/base.$_name" 2>/dev/null)" = 0 ]; then
			ko "$_name" "$_screen"
		else
			sk "$_name" "fails without fuss too (tmux or the program behaves differently here)"
		fi
	done <"$T/results"
}

# ---- 1. the prompt, line editing, completion, a resize --------------------
sec_editing() {
	step prompt 10 prompt_last || return
	# "echo xbd", two Left, erase x, insert c: "echo cbd"
	type_ 'echo xbd'
	key Left Left BSpace
	type_ c
	key Enter
	step line-editing 5 pane_has '^cbd$' || return
	key Up Enter
	step history-up 5 pane_count '^cbd$' 2 || return
	type_ 'cho home-key'
	key C-a
	type_ e
	key Enter
	step ctrl-a-home 5 pane_has '^home-key$' || return
	# one Tab completes the name that is unique in the merged directory
	type_ "cat $D/dir/only-in-l"
	key Tab Enter
	step tab-completes-lower-name 5 pane_has '^a$' || return
	tm resize-window -t ia -x 90 -y 25
	keys 'stty size; echo "cols=$COLUMNS"'
	step resize-seen 5 pane_has '^cols=90$' || return
	step resize-stty 1 pane_has '^25 90$' || return
	step hangup-ends-session 1 stop
}

# ---- 2. job control: &, Ctrl-Z, bg, fg, Ctrl-Z, SIGTTIN, exit -------------
sec_jobs() {
	step jobs-prompt 10 prompt_last || return
	keys "sleep 300 & echo \$! >$D/bg.pid"
	step bg-job-runs 5 has_file "$UP/bg.pid" || return
	bgpid=$(cat "$UP/bg.pid")
	step bg-job-not-stopped 1 held running "$bgpid" || return
	keys "sh -c 'echo \$\$ >$D/fg.pid; exec sleep 301'"
	wait_for 5 has_file "$UP/fg.pid"
	fgpid=$(cat "$UP/fg.pid" 2>/dev/null)
	key C-z
	step ctrl-z-stops 5 pane_has '^\[2\]+ *Stopped' || return
	step ctrl-z-job-held 5 held is_stopped "$fgpid" || return
	keys bg
	step bg-resumes 5 held running "$fgpid" || return
	keys 'fg %2'
	# fg hands the terminal over before it continues the job
	wait_for 5 held running "$fgpid"
	key C-z
	step ctrl-z-after-bg-fg 5 held is_stopped "$fgpid" || return
	keys fg
	wait_for 5 held running "$fgpid"
	key C-c
	keys 'echo "rc=$?"'
	step ctrl-c-after-fg 5 pane_has '^rc=130$' || return
	step ctrl-c-job-gone 2 gone "$fgpid" || return
	step ctrl-c-bg-job-lives 1 running "$bgpid" || return
	# a background job that reads the terminal stops on SIGTTIN; fg lets
	# it read
	keys "cat >$D/ttin.txt & echo \$! >$D/ttin.pid"
	wait_for 5 has_file "$UP/ttin.pid"
	step ttin-stops 5 held is_stopped "$(cat "$UP/ttin.pid" 2>/dev/null)" || return
	# bash tells of a background job's stop at its next prompt
	keys jobs
	step ttin-jobs-stopped 5 pane_has '^\[2\]+ *Stopped.*cat' || return
	keys fg
	step ttin-fg 5 pane_has '^cat >' || return
	keys 'typed in fg'
	key C-d
	step ttin-fg-reads 5 file_is "$UP/ttin.txt" 'typed in fg' || return
	keys 'kill %1'
	step kill-bg-job 5 gone "$bgpid" || return
	# exit with a stopped job: bash warns once, then hangs it up; fuss
	# ends with bash's status
	keys "sh -c 'echo \$\$ >$D/last.pid; exec sleep 302'"
	wait_for 5 has_file "$UP/last.pid"
	lastpid=$(cat "$UP/last.pid" 2>/dev/null)
	key C-z
	wait_for 5 held is_stopped "$lastpid"
	keys 'exit 7'
	step exit-warns-stopped-jobs 5 pane_has 'There are stopped jobs' || return
	keys 'exit 7'
	step exit-status 10 file_is "$T/st" 7 || return
	step exit-stopped-job-gone 5 gone "$lastpid" || return
	step exit-leaves-nothing 1 stop
}

# ---- 3. vim: draws, edits, writes, restores the terminal ------------------
tildes() { pane_count '^~' 20; }
sec_vim() {
	step vim-prompt 10 prompt_last || return
	keys "stty -g >$D/stty.before; echo BEFORE-VIM"
	wait_for 5 has_file "$UP/stty.before"
	keys "$VIM -u NONE -N -i NONE $D/new.txt"
	step vim-draws 10 tildes || return
	step vim-status-line 1 pane_has '"[^"]*new.txt" \[New\]' || return
	type_ 'ihello from vim'
	step vim-insert-mode 5 pane_has '^hello from vim' || return
	key Escape
	type_ 'osecond line'
	key Escape
	step vim-second-line 5 pane_has '^second line' || return
	# Escape then ':' too fast may be read as one key: wait for normal mode
	wait_for 5 sh -c "! tmux -L $TS capture-pane -p -t ia | grep -q 'INSERT'"
	keys ':wq'
	step vim-writes 10 file_is "$UP/new.txt" 'hello from vim
second line' || return
	step vim-alt-screen-restored 5 pane_has '^BEFORE-VIM$' || return
	keys "stty -g >$D/stty.after"
	step vim-stty-restored 5 sh -c "cmp -s '$UP/stty.before' '$UP/stty.after'" || return
	# again, on the file vim just wrote (now in the upper dir)
	keys "$VIM -u NONE -N -i NONE $D/new.txt"
	step vim-reopens 10 pane_has '"[^"]*new.txt" 2L' || return
	type_ 'A!'
	key Escape
	wait_for 5 sh -c "! tmux -L $TS capture-pane -p -t ia | grep -q 'INSERT'"
	keys ':wq'
	step vim-rewrites 10 file_is "$UP/new.txt" 'hello from vim!
second line' || return
	# a file of the lower layer, saved once (copied up by the write: it
	# must keep its identity, or vim says E949 "File changed while writing")
	wait_for 10 prompt_last
	keys "clear; $VIM -u NONE -N -i NONE $D/edit-me.txt"
	step vim-opens-lower 10 pane_has '"[^"]*edit-me.txt" 1L' || return
	type_ 'A!'
	key Escape
	wait_for 5 sh -c "! tmux -L $TS capture-pane -p -t ia | grep -q 'INSERT'"
	keys ':w'
	step vim-saves-lower 10 file_is "$UP/edit-me.txt" 'from lower!' || return
	step vim-no-e949 2 sh -c "! tmux -L $TS capture-pane -p -t ia | grep -q E949" || return
	keys ':q'
	step vim-quits 10 prompt_last || return
	stop
}

# ---- 4. less: draws, scrolls, searches, quits -----------------------------
sec_less() {
	step less-prompt 10 prompt_last || return
	keys "stty -g >$D/stty.before; echo BEFORE-LESS"
	wait_for 5 has_file "$UP/stty.before"
	keys "less $D/long.txt"
	step less-draws 10 pane_has '^line 29$' || return
	step less-first-line 1 pane_top 'line 1' || return
	keys '/line 150'
	step less-search 5 pane_top 'line 150' || return
	key G
	step less-end 5 pane_has '^line 200$' || return
	key q
	step less-quits 5 prompt_last || return
	step less-alt-screen-restored 1 pane_has '^BEFORE-LESS$' || return
	keys "stty -g >$D/stty.after"
	step less-stty-restored 5 sh -c "cmp -s '$UP/stty.before' '$UP/stty.after'" || return
	stop
}

# ---- 5. fuss run from an interactive shell: the shell's job control ------
# fuss is the shell's job: it must stop when the command stops (so the
# shell gets the terminal back) and not before the command has handled
# its stop signal (less restores the screen, then stops itself).
less_redrawn() { pane_top 'line 1' && ! prompt_last; }
sec_outer() {
	step outer-prompt 10 prompt_last || return
	keys "clear; $RUN less $D/long.txt"
	step outer-less-draws 10 less_redrawn || return
	for i in 1 2 3; do
		key C-z
		step "outer-less-ctrl-z-$i" 5 prompt_last || return
		keys 'clear; fg'
		step "outer-less-fg-$i" 5 less_redrawn || return
	done
	key q
	keys 'echo "rc=$?"'
	step outer-less-quits 5 pane_has '^rc=0$' || return
	# Ctrl-C reaches the command once (from the terminal), not a second
	# time through fuss
	keys "clear; $RUN python3 $T/count-int.py"
	step outer-ctrl-c-ready 10 pane_has '^ready$' || return
	key C-c
	step outer-ctrl-c-once 5 pane_has 'SIGINT 1$' || return
	keys "clear; $RUN sh -c 'echo \$\$ >$D/o.pid; exec sleep 303'"
	wait_for 5 has_file "$UP/o.pid"
	opid=$(cat "$UP/o.pid" 2>/dev/null)
	key C-z
	step outer-ctrl-z 5 prompt_last || return
	step outer-ctrl-z-job-held 5 held is_stopped "$opid" || return
	keys bg
	step outer-bg 5 held running "$opid" || return
	keys fg
	wait_for 5 held running "$opid"
	key C-c
	keys 'echo "rc=$?"'
	step outer-ctrl-c 5 pane_has '^rc=130$' || return
	step outer-ctrl-c-job-gone 2 gone "$opid" || return
	# a background job reading the terminal: stopped (SIGTTIN), then fg
	keys "clear; $RUN sh -c 'echo \$\$ >$D/ot.pid; exec cat >$D/outer-ttin.txt' &"
	wait_for 5 has_file "$UP/ot.pid"
	step outer-ttin-stops 5 held is_stopped "$(cat "$UP/ot.pid" 2>/dev/null)" || return
	keys jobs
	step outer-ttin-jobs 5 pane_has '^\[1\]+ *Stopped' || return
	keys fg
	wait_for 2 pane_has "^ sh -c\|^sh -c\|-- sh -c 'cat"
	keys 'typed to fg job'
	key C-d
	step outer-ttin-fg-reads 5 file_is "$UP/outer-ttin.txt" 'typed to fg job' || return
	stop
}

# section NAME [outer]: under fuss, then, if a check failed, without fuss
section() {
	: >"$T/results"
	rm -f "$T"/base.*
	for MODE in fuss plain; do
		start "${2:-}"
		"$1"
		tm kill-server 2>/dev/null
		stop >/dev/null
		grep -q '^[^ ]* 1 ' "$T/results" || break
	done
	report
}

VIM=
for _v in vim.tiny vim; do
	if command -v "$_v" >/dev/null 2>&1; then
		VIM=$_v
		break
	fi
done
if ! command -v tmux >/dev/null 2>&1; then
	sk terminal "tmux is not installed (make test-deps installs it)"
else
	section sec_editing
	section sec_jobs
	if [ -n "$VIM" ]; then section sec_vim; else sk vim "neither vim.tiny nor vim is installed"; fi
	if command -v less >/dev/null 2>&1; then
		section sec_less
		section sec_outer outer
	else
		sk less "less is not installed"
	fi
fi

# ---- 6. perf ---------------------------------------------------------------
# A small C project in the lower layer; make writes objects to upper.
perf_layers() {
	rm -rf "$T/l" "$T/u"
	mkdir -p "$T/l/src" "$T/u"
	for i in $(seq 1 300); do echo "$i" >"$T/l/src/f$i"; done
	printf 'all: a.o b.o c.o d.o\n\t@echo built $^\n%%.o: %%.c\n\t@gcc -c -o $@ $<\n' >"$T/l/Makefile"
	for x in a b c d; do echo "int f_$x(void) { return 1; }" >"$T/l/$x.c"; done
}
fuss_run() {
	"$FUSS" --mountpoint="$M" --lowerdir="$T/l" --upperdir="$T/u" --workers=2 "$@"
}

if ! command -v perf >/dev/null 2>&1; then
	sk perf "perf is not installed (make test-deps installs linux-perf)"
elif ! perf stat -e task-clock -o /dev/null true >/dev/null 2>"$T/perf.err"; then
	sk perf "perf cannot count task-clock here (perf_event_paranoid=$(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null)): $(head -n 1 "$T/perf.err")"
else
	# perf as the traced program: its counter and make's work
	perf_layers
	fuss_run -- perf stat -e task-clock make -C "$M" -s >"$T/pstat.out" 2>"$T/pstat.err"
	rc=$?
	clock=$(sed -n 's/^ *\([0-9][0-9.,]*\) *msec *task-clock.*/\1/p' "$T/pstat.err")
	expect perf-stat-under-fuss "0 built a.o b.o c.o d.o yes" \
		"$rc $(cat "$T/pstat.out") $([ -n "$clock" ] && echo yes || echo "no task-clock: $(head -c 200 "$T/pstat.err" | paste -sd'|' -)")"
	expect perf-stat-make-objects "a.o b.o c.o d.o" "$(cd "$T/u" && echo *.o)"

	# perf record of fuss itself, the workload path-heavy enough for
	# samples in the tracer's own code
	perf_layers
	perf record -q -e cpu-clock -g -o "$T/perf.data" -- "$FUSS" --mountpoint="$M" \
		--lowerdir="$T/l" --upperdir="$T/u" --workers=2 -- sh -c \
		'make -j2 -s -C "$1" && for i in 1 2 3 4 5 6; do ls -lR "$1" >/dev/null; done' sh "$M" \
		>"$T/prec.out" 2>"$T/prec.err"
	rc=$?
	expect perf-record-fuss-runs "0 built a.o b.o c.o d.o" "$rc $(cat "$T/prec.out")"
	perf report -i "$T/perf.data" --stdio --no-children --sort comm,dso,sym -g none \
		>"$T/report.txt" 2>"$T/report.err"
	if ! grep -q '%' "$T/report.txt"; then
		ko perf-report-reads "no samples: $(head -n 2 "$T/report.err" | paste -sd'|' -)"
	else
		ok perf-report-reads
		# the tracer's named threads: workers, the main thread, vfsd
		names=$(awk '$1 ~ /%$/ { print $2 }' "$T/report.txt" | grep '^fuss-' | sort -u | paste -sd' ' -)
		case " $names " in
		*" fuss-w"[0-9]*" "*) ok perf-report-worker-threads ;;
		*) ko perf-report-worker-threads "threads seen: $names" ;;
		esac
		fsyms=$(awk '$1 ~ /%$/ && $3 == "fuss" { print $5 }' "$T/report.txt" | grep -c '^[a-z_]')
		if [ "$fsyms" -gt 0 ]; then
			ok perf-report-fuss-symbols
		else
			ko perf-report-fuss-symbols "no sample in fuss's own functions ($(grep -c '%' "$T/report.txt") lines)"
		fi
	fi
fi

echo "interactive: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
