#!/bin/sh
# The ptrace life cycle under stress: exec from a non-leader thread, zombie
# and orphan reaping, SIGKILL of blocked and stopped tracees, group-stop and
# job control (a traced parent's view, and an interactive bash in tmux),
# signals sent to fuss (never to a process that took over the command's pid
# once it has exited), fuss itself killed, a burst of short-lived children.
# After each group of checks no process of it may be left (none stopped).
#   sh tests/e2e/lifecycle.sh /abs/path/fuss /abs/path/probe
# Every fuss run has --workers=4 (and --balance=$FUSS_BALANCE when that
# variable is set to a value) and a time limit: a hang is a FAIL.
# Prints PASS/FAIL/SKIP per check and "lifecycle: N passed, N failed, N
# skipped"; exits 1 if anything failed.
set -u
FUSS=$1
PROBE=$2
export LC_ALL=C
SRC=$(cd "$(dirname "$0")" && pwd)/src
T=$(mktemp -d /tmp/fuss-life.XXXXXX)
M=$T/m
TS=fuss-life-$$
TMUX_UP=0
cleanup() {
	[ "$TMUX_UP" = 1 ] && tmux -L "$TS" kill-server 2>/dev/null
	for _p in $(marked_pids); do
		kill -KILL "$_p" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
. "$(cd "$(dirname "$0")" && pwd)/report.sh"

BAL=
if [ -n "${FUSS_BALANCE:-}" ]; then
	BAL=--balance=$FUSS_BALANCE
fi

case $(uname -m) in
x86_64) OPEN_NRS="2 257" ;;
aarch64 | riscv64) OPEN_NRS=56 ;;
*) OPEN_NRS= ;;
esac

fresh() {
	rm -rf "$T/l1" "$T/l2" "$T/u" "$T/out"
	mkdir -p "$T/l1" "$T/l2/d" "$T/u"
	echo top >"$T/l1/f"
	echo bottom >"$T/l2/f"
	mkfifo "$T/l1/fifo"
}

# Every process of a run carries FUSS_LIFE_MARK=$T in its environment and
# $T in fuss's arguments; leftovers are found by both.
# start ARGS...: fuss in the background (output in $T/out), FPID its pid.
start() {
	FUSS_LIFE_MARK=$T "$FUSS" --mountpoint="$M" --lowerdir="$T/l1:$T/l2" \
		--upperdir="$T/u" --workers=4 ${BAL:+"$BAL"} "$@" >"$T/out" 2>&1 &
	FPID=$!
}

state_of() {
	sed -n 's/.*) \(.\).*/\1/p' "/proc/$1/stat" 2>/dev/null
}

# finish SECS: waits at most SECS seconds for the fuss started last; RC is
# its exit status, or "hang" when it had to be killed.
finish() {
	_n=$(($1 * 20))
	while [ "$_n" -gt 0 ]; do
		case $(state_of "$FPID") in
		'' | Z) break ;;
		esac
		sleep 0.05
		_n=$((_n - 1))
	done
	if [ "$_n" -eq 0 ]; then
		kill -KILL "$FPID" 2>/dev/null
		wait "$FPID" 2>/dev/null
		RC=hang
		return
	fi
	wait "$FPID"
	RC=$?
}

# run SECS ARGS...: fuss in the foreground, bounded
run() {
	_secs=$1
	shift
	start "$@"
	finish "$_secs"
}

has_file() { [ -s "$1" ]; }
running() { case $(state_of "$FPID") in '' | Z) return 1 ;; esac; }
lines_at_least() { [ "$(cat "$1" 2>/dev/null | wc -l)" -ge "$2" ]; }
is_stopped() { case $(state_of "$1") in T | t) return 0 ;; esac; return 1; }
# held_stopped PID: stopped in 5 samples over 100 ms (not a passing
# ptrace stop of an intercepted call)
held_stopped() {
	for _i in 1 2 3 4 5; do
		is_stopped "$1" || return 1
		sleep 0.02
	done
}
not_stopped() { ! is_stopped "$1"; }

# in_open PID: the task (or one of its threads) sits in an open syscall
# (on an architecture not listed above: the task is asleep)
in_open() {
	if [ -z "$OPEN_NRS" ]; then
		[ "$(state_of "$1")" = S ]
		return
	fi
	for _s in /proc/"$1"/task/*/syscall; do
		_nr=$(cut -d' ' -f1 "$_s" 2>/dev/null)
		for _o in $OPEN_NRS; do
			[ "$_nr" = "$_o" ] && return 0
		done
	done
	return 1
}

marked_pids() {
	{
		pgrep -f "$T" 2>/dev/null
		grep -las "FUSS_LIFE_MARK=$T" /proc/[0-9]*/environ 2>/dev/null |
			sed 's|/proc/\([0-9]*\)/environ|\1|'
	} | sort -un
}

# plist " PID PID...": pid, state and command line of each, on one line
plist() {
	ps -o pid=,stat=,args= -p "$(echo "$1" | sed 's/^ *//; s/ /,/g')" 2>/dev/null | paste -sd';' -
}

# leftovers NAME: after a group of checks no process of it may remain, and
# none may be stopped
leftovers() {
	_stopped=
	_left=
	_n=0
	while [ $_n -lt 20 ]; do
		_left=
		for _p in $(marked_pids); do
			_st=$(state_of "$_p")
			[ -n "$_st" ] || continue
			_left="$_left $_p"
			case $_st in T | t) _stopped="$_stopped $_p" ;; esac
		done
		[ -n "$_left" ] || break
		sleep 0.05
		_n=$((_n + 1))
	done
	if [ -n "$_stopped" ]; then
		ko "no-leftovers-$1" "stopped processes: $(plist "$_stopped")"
	elif [ -n "$_left" ]; then
		ko "no-leftovers-$1" "processes left: $(plist "$_left")"
	else
		ok "no-leftovers-$1"
	fi
	for _p in $_left; do
		kill -KILL "$_p" 2>/dev/null
	done
}

out() { head -c 300 "$T/out" | paste -sd'|' -; }

LC=$T/lifecycle
if ! cc -std=gnu11 -Wall -Wextra -Werror -O2 -pthread -o "$LC" "$SRC/lifecycle.c" 2>"$T/cc.err"; then
	ko build "$(head -n 1 "$T/cc.err")"
	echo "lifecycle: $pass passed, $fail failed, $skip skipped"
	exit 1
fi

# ---- 1. exec from a non-leader thread, 50 processes, 10 at a time ----
fresh
run 60 -- "$LC" exec-thread "$M" 50 10
expect exec-thread-50 "0 exec-thread: 50 of 50 processes ok" "$RC $(out)"
got=$(for i in $(seq 0 49); do cat "$T/u/exec/e$i" 2>/dev/null || echo "missing e$i"; done | md5sum)
want=$(for i in $(seq 0 49); do echo "exec $i"; done | md5sum)
expect exec-thread-writes-in-upper "$want" "$got"
leftovers exec-thread

# ---- 2. zombies, orphans, a subreaper ----
fresh
run 30 -- "$LC" zombies "$M" 40
expect zombies "0 zombies: ok" "$RC $(out)"

fresh
run 30 -- "$LC" subreaper "$M"
expect subreaper-orphan "0 subreaper: ok reparented" "$RC $(out) $(cat "$T/u/orphan-sub" 2>/dev/null)"

# The command exits (status 4) while an orphan it double-forked (now a
# child of init or of a subreaper) still runs: fuss waits for it, so every
# write of the orphan is in the upper dir the moment fuss returns.
fresh
cat >"$T/orphan.sh" <<'EOF'
# the middle process starts late.sh in the background and exits at once
sh -c 'sh "$1" "$2" $$ & exit 0' sh "$(dirname "$0")/late.sh" "$1"
echo command-exits
exit 4
EOF
cat >"$T/late.sh" <<'EOF'
M=$1
sleep 0.5
[ "$(cut -d' ' -f4 /proc/$$/stat)" != "$2" ] && echo reparented >"$M/late-parent"
i=0
while [ $i -lt 20 ]; do
	echo $i >"$M/late-$i"
	cat "$M/f" >/dev/null
	i=$((i + 1))
done
echo done >"$M/late-done"
EOF
run 30 -- sh "$T/orphan.sh" "$M"
expect orphan-command-status "4 command-exits" "$RC $(out)"
got=$(cat "$T/u/late-parent" "$T/u/late-done" 2>&1; for i in $(seq 0 19); do cat "$T/u/late-$i" 2>/dev/null; done | md5sum)
expect orphan-writes-in-upper "reparented
done
$(seq 0 19 | md5sum)" "$got"
expect orphan-nothing-on-host "no" "$([ -e "$M" ] && echo yes || echo no)"
leftovers reaping

# ---- 3. SIGKILL of tracees blocked in a traced syscall or stopped ----
# the command itself blocked opening a FIFO of a lower layer
fresh
start -- sh -c 'echo $$ >"$1/fifo.pid"; exec "$2" open "$1/fifo" O_RDONLY' sh "$M" "$PROBE"
if wait_for 10 has_file "$T/u/fifo.pid" && pid=$(cat "$T/u/fifo.pid") &&
	wait_for 10 in_open "$pid"; then
	kill -KILL "$pid"
	finish 10
	expect kill-blocked-in-open "137" "$RC"
else
	ko kill-blocked-in-open "the command never blocked in open ($(out))"
	kill -KILL "$FPID" 2>/dev/null
	finish 5
fi

# a child blocked the same way: the command reports its status
fresh
start -- sh -c '"$2" open "$1/fifo" O_RDONLY & echo $! >"$1/kid.pid"; wait $!; echo $? >"$1/kid.st"; exit 3' sh "$M" "$PROBE"
if wait_for 10 has_file "$T/u/kid.pid" && pid=$(cat "$T/u/kid.pid") &&
	wait_for 10 in_open "$pid"; then
	kill -KILL "$pid"
	finish 10
	expect kill-child-blocked-in-open "3 137" "$RC $(cat "$T/u/kid.st" 2>/dev/null)"
else
	ko kill-child-blocked-in-open "the child never blocked in open ($(out))"
	kill -KILL "$FPID" 2>/dev/null
	finish 5
fi

# 8 threads: 4 blocked opening the FIFO, 4 making path calls
fresh
start -- "$LC" threads-fifo "$M" 8
if wait_for 10 has_file "$T/u/tf.pid" && pid=$(cat "$T/u/tf.pid") &&
	wait_for 10 in_open "$pid"; then
	nt=$(find "/proc/$pid/task" -mindepth 1 -maxdepth 1 | wc -l)
	kill -KILL "$pid"
	finish 10
	expect kill-threads-blocked "137 9" "$RC $nt"
else
	ko kill-threads-blocked "no thread blocked in open ($(out))"
	kill -KILL "$FPID" 2>/dev/null
	finish 5
fi

# the command stopped (SIGSTOP), then killed
fresh
start -- "$LC" spin "$M" root
if wait_for 10 has_file "$T/u/root.pid" && pid=$(cat "$T/u/root.pid") &&
	kill -STOP "$pid" && wait_for 5 held_stopped "$pid"; then
	kill -KILL "$pid"
	finish 10
	expect kill-stopped-command "137" "$RC"
else
	ko kill-stopped-command "the command never stopped ($(out))"
	kill -KILL "$FPID" 2>/dev/null
	finish 5
fi

# a child stopped, then killed: the command reports its status
fresh
start -- sh -c '"$2" spin "$1" kid & wait $!; echo $? >"$1/kid.st"; exit 3' sh "$M" "$LC"
if wait_for 10 has_file "$T/u/kid.pid" && pid=$(cat "$T/u/kid.pid") &&
	kill -STOP "$pid" && wait_for 5 held_stopped "$pid"; then
	sleep 0.2
	kill -KILL "$pid"
	finish 10
	expect kill-stopped-child "3 137" "$RC $(cat "$T/u/kid.st" 2>/dev/null)"
else
	ko kill-stopped-child "the child never stopped ($(out))"
	kill -KILL "$FPID" 2>/dev/null
	finish 5
fi
leftovers sigkill

# ---- 4. group-stop and job control ----
# A traced parent sees its child stop and continue; the child really
# stops (state T, or t under ptrace: no progress), then finishes its work.
fresh
start -- "$LC" jobctl "$M" 60
if wait_for 10 has_file "$T/u/job.pid" && pid=$(cat "$T/u/job.pid") &&
	wait_for 10 lines_at_least "$T/u/work.txt" 5 &&
	kill -STOP "$pid" && wait_for 5 held_stopped "$pid" &&
	wait_for 5 grep -q '^stopped 19$' "$T/u/events"; then
	# the traced parent was told: the group-stop is complete
	n1=$(wc -l <"$T/u/work.txt")
	states=
	for i in 1 2 3 4 5 6 7 8; do
		states="$states$(state_of "$pid")"
		sleep 0.05
	done
	n2=$(wc -l <"$T/u/work.txt")
	case $states in
	*[!Tt]*) ko stop-really-stops "states $states while stopped" ;;
	*) expect stop-really-stops "$n1" "$n2" ;;
	esac
	kill -CONT "$pid"
	if wait_for 5 not_stopped "$pid"; then ok cont-resumes; else ko cont-resumes "still state $(state_of "$pid")"; fi
	finish 20
	expect stop-cont-completes "0 $(seq 0 59 | md5sum)" "$RC $(md5sum <"$T/u/work.txt")"
	expect stop-cont-parent-saw "stopped 19
continued
exit 0" "$(cat "$T/u/events" 2>/dev/null)"
else
	ko stop-really-stops "the job never stopped ($(out))"
	kill -KILL "$FPID" 2>/dev/null
	finish 5
fi

# An interactive bash in a terminal: Ctrl-Z, jobs, fg, Ctrl-C, exit.
pane() { tmux -L "$TS" capture-pane -p -t life 2>/dev/null; }
pane_has() { pane | grep -q -- "$1"; }
two_stopped_lines() { [ "$(pane | grep -c '^\[1\]+ *Stopped')" -ge 2 ]; }
keys() { tmux -L "$TS" send-keys -t life -l "$1" && tmux -L "$TS" send-keys -t life Enter; }
# tmux_steps: runs the session; STEP names the step that failed
tmux_steps() {
	STEP=prompt
	wait_for 10 pane_has '^life\$' || return
	STEP=job-starts
	keys "sh -c 'i=0; while [ \$i -lt 40 ]; do echo \$i >>$M/tty.txt; sleep 0.05; i=\$((i + 1)); done; echo LOOP-DONE'"
	wait_for 10 lines_at_least "$T/u/tty.txt" 3 || return
	pid=$(pgrep -f "$M/tty.txt" | head -n 1)
	STEP=ctrl-z
	tmux -L "$TS" send-keys -t life C-z
	wait_for 5 pane_has '^\[1\]+ *Stopped' || return
	STEP="ctrl-z: job $pid state $(state_of "$pid")"
	held_stopped "$pid" || return
	n1=$(wc -l <"$T/u/tty.txt")
	sleep 0.4
	STEP="ctrl-z: the job went on writing"
	[ "$n1" = "$(wc -l <"$T/u/tty.txt")" ] && held_stopped "$pid" || return
	ok tmux-ctrl-z-stops
	STEP="jobs"
	keys "jobs"
	wait_for 5 two_stopped_lines || return
	ok tmux-jobs-shows-stopped
	STEP="fg"
	keys "fg"
	wait_for 15 pane_has '^LOOP-DONE' || return
	expect tmux-fg-completes "$(seq 0 39 | md5sum)" "$(md5sum <"$T/u/tty.txt")"
	STEP=ctrl-c
	keys "sh -c 'echo started >$M/int.txt; sleep 30; echo never >>$M/int.txt'"
	wait_for 10 has_file "$T/u/int.txt" || return
	sleep 0.2
	tmux -L "$TS" send-keys -t life C-c
	keys 'echo "AFTER-INT-$?"'
	wait_for 5 pane_has '^AFTER-INT-130' || return
	expect tmux-ctrl-c-returns "started" "$(cat "$T/u/int.txt")"
	STEP="exit"
	keys "exit 6"
	wait_for 10 has_file "$T/tmux.st" || return
	expect tmux-exit-status "6" "$(cat "$T/tmux.st")"
	STEP=
}
if ! command -v tmux >/dev/null 2>&1; then
	sk tmux-job-control "tmux is not installed (make test-deps installs it)"
else
	fresh
	TMUX_UP=1
	tmux -L "$TS" -f /dev/null new-session -d -s life -x 200 -y 50 \
		"FUSS_LIFE_MARK=$T HISTFILE=$T/history PS1='life\$ ' '$FUSS' --mountpoint='$M' --lowerdir='$T/l1:$T/l2' --upperdir='$T/u' --workers=4 $BAL -- bash --norc --noprofile -i; echo \$? >'$T/tmux.st'"
	tmux_steps
	if [ -n "$STEP" ]; then
		ko "tmux-job-control" "step $STEP: $(pane | grep -v '^$' | tail -n 6 | paste -sd'|' -)"
	fi
	tmux -L "$TS" kill-server 2>/dev/null
	TMUX_UP=0
fi
leftovers job-control

# ---- 5. signals sent to fuss reach the command ----
for sig in TERM INT HUP; do
	fresh
	start -- "$LC" sigwait "$M"
	if wait_for 10 has_file "$T/u/ready"; then
		kill -"$sig" "$FPID"
		finish 10
		case $sig in TERM) want=41 ;; INT) want=42 ;; HUP) want=43 ;; esac
		expect "forward-sig$sig" "$want $sig" "$RC $(cat "$T/u/got-signal" 2>/dev/null)"
	else
		ko "forward-sig$sig" "the command never got ready ($(out))"
		kill -KILL "$FPID" 2>/dev/null
		finish 5
	fi
done
# a command killed by a signal: 128+sig
for sig in TERM:15 HUP:1; do
	num=${sig#*:}
	sig=${sig%:*}
	fresh
	start -- "$LC" spin "$M" sig
	if wait_for 10 has_file "$T/u/sig.pid"; then
		kill -"$sig" "$FPID"
		finish 10
		expect "killed-by-sig$sig" "$((128 + num))" "$RC"
	else
		ko "killed-by-sig$sig" "the command never started ($(out))"
		kill -KILL "$FPID" 2>/dev/null
		finish 5
	fi
done
fresh
run 10 -- sh -c 'echo x >"$1/before"; kill -USR1 $$' sh "$M"
expect killed-by-own-sigusr1 "138 x" "$RC $(cat "$T/u/before" 2>/dev/null)"

# Once the command has exited (an orphan keeps fuss running), a signal
# sent to fuss must not reach whatever process now has the command's pid;
# it goes to the processes the command left running instead (so the
# orphan never writes "late"). The pid is handed out again on purpose
# through ns_last_pid.
fresh
gone() { [ -z "$(state_of "$1")" ]; }
if [ -w /proc/sys/kernel/ns_last_pid ]; then
	start -- sh -c 'echo $$ >"$1/root.pid"; sh -c "sleep 3; echo late >\"\$0/late\"" "$1" & exit 0' sh "$M"
	if wait_for 10 has_file "$T/u/root.pid" && rp=$(cat "$T/u/root.pid") && wait_for 5 gone "$rp"; then
		vp=
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			echo $((rp - 1)) >/proc/sys/kernel/ns_last_pid
			sleep 10 &
			vp=$!
			[ "$vp" = "$rp" ] && break
			kill "$vp"
			wait "$vp" 2>/dev/null
			vp=
		done
		if [ -z "$vp" ]; then
			sk signal-not-to-reused-pid "pid $rp was not handed out again in 10 tries"
			finish 10
		elif ! running; then
			sk signal-not-to-reused-pid "fuss ended before the signal (the orphan runs 3 s)"
			kill -KILL "$vp"
			wait "$vp" 2>/dev/null
			finish 10
		else
			kill -TERM "$FPID"
			sleep 0.3
			case $(state_of "$vp") in '' | Z) victim=signalled ;; *) victim=untouched ;; esac
			kill -KILL "$vp" 2>/dev/null
			wait "$vp" 2>/dev/null
			finish 10
			expect signal-not-to-reused-pid "0 untouched " "$RC $victim $(cat "$T/u/late" 2>/dev/null)"
		fi
	else
		ko signal-not-to-reused-pid "the command did not start and exit ($(out))"
		kill -KILL "$FPID" 2>/dev/null
		finish 5
	fi
else
	sk signal-not-to-reused-pid "/proc/sys/kernel/ns_last_pid is not writable (not root)"
fi
leftovers signals

# ---- 6. fuss killed: nothing of the command survives, nothing stopped ----
fresh
start -- sh -c '"$2" spin "$1" a & "$2" spin "$1" b & "$2" threads-fifo "$1" 6 & wait' sh "$M" "$LC"
if wait_for 10 has_file "$T/u/a.pid" && wait_for 10 has_file "$T/u/b.pid" &&
	wait_for 10 has_file "$T/u/tf.pid" && pid=$(cat "$T/u/b.pid") &&
	kill -STOP "$pid" && wait_for 5 held_stopped "$pid"; then
	kill -KILL "$FPID"
	finish 10
	expect fuss-sigkilled "137" "$RC"
else
	ko fuss-sigkilled "the command never got going ($(out))"
	kill -KILL "$FPID" 2>/dev/null
	finish 5
fi
leftovers fuss-sigkilled

# ---- 7. a burst: 200 children, 32 at a time, `true` and an overlay stat ----
fresh
run 60 -- "$LC" burst "$M" 200 32
expect burst-200 "0 burst: 200 of 200 children ok" "$RC $(out)"
leftovers burst

echo "lifecycle: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
