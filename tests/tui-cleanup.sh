#!/bin/sh
# tui-cleanup.sh - tests/tui-lib.sh kills the tmux servers it started on
# every exit path: a failed check, an error exit (set -u), SIGTERM and
# SIGINT while waiting, and a second tl_start (which stops the first
# server).  Each case runs a small bash script sourcing the library; the
# script writes the socket name and server pid of each server it starts,
# and afterwards no such server may answer or live.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

command -v tmux >/dev/null 2>&1 || skip_all "tmux is not installed"
command -v bash >/dev/null 2>&1 || skip_all "bash is not installed"
env --default-signal=INT true 2>/dev/null || skip_all "env has no --default-signal (coreutils < 8.31)"
[ -x "$MEMTOP" ] || skip_all "memtop binary $MEMTOP not built"
scratch_dir
export TMPDIR="$tmp"        # the children's TL_DIRs (kept after failures) land here

# child NAME BODY: a bash script that starts memtop through tui-lib, logs
# "SOCKET PID" of its server to NAME.srv and then runs BODY
child() {
    cat >"$tmp/$1.sh" <<EOF
. "$top_srcdir/tests/tui-lib.sh"
started() { echo "\$TL_SOCK \${TL_PIDS[\$TL_N]} \$TMUX_TMPDIR" >>"$tmp/$1.srv"; }
tl_start 80 24 -- --root "$FIXTURES/tui" -d 0.5
started
tl_wait '^NAME ' || exit 9
$2
EOF
}

# no_servers NAME: every server NAME logged is gone (socket and process)
no_servers() {
    [ -s "$tmp/$1.srv" ] || { echo "# $1: no server was logged"; return 1; }
    while read -r sock pid dir; do
        if TMUX_TMPDIR=$dir tmux -L "$sock" ls >/dev/null 2>&1; then
            echo "# $1: server $sock still answers"
            return 1
        fi
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            echo "# $1: server pid $pid still lives"
            return 1
        fi
    done <"$tmp/$1.srv"
}

# run_child NAME: run it to its end; status in $rc
run_child() { bash "$tmp/$1.sh" >"$tmp/$1.out" 2>&1; rc=$?; }

# signal_child NAME SIG: run it in the background, send SIG once its
# server is up, wait for it; status in $rc.  A background job starts with
# SIGINT ignored (and a shell cannot trap what it inherits ignored), so the
# child gets default dispositions back, as a job in a terminal has them.
signal_child() {
    env --default-signal=INT,QUIT bash "$tmp/$1.sh" >"$tmp/$1.out" 2>&1 &
    bgpid=$!
    for i in $(seq 200); do
        grep -q READY "$tmp/$1.out" 2>/dev/null && break
        sleep 0.05
    done
    kill "-$2" "$bgpid"
    wait "$bgpid"
    rc=$?
    bgpid=
}

child failed 'tl_check "a check that fails on purpose" false
tl_finish'
run_child failed
check "a failed check: the test fails (status $rc)" test "$rc" -eq 1
check "a failed check: its tmux server is gone" no_servers failed

child unbound 'set -u; echo "$no_such_variable"'
run_child unbound
check "an error exit (set -u): non-zero status ($rc)" test "$rc" -ne 0
check "an error exit: its tmux server is gone" no_servers unbound

# killed while it waits (its sleep is stopped through tl_at_exit)
for sig in TERM:143 INT:130; do
    name=${sig%:*}
    child "$name" 'sleep 60 & sp=$!
stop_sleep() { kill "$sp" 2>/dev/null; }
tl_at_exit stop_sleep
echo READY
wait "$sp"'
    signal_child "$name" "$name"
    check "SIG$name: status ${sig#*:} ($rc)" test "$rc" -eq "${sig#*:}"
    check "SIG$name: its tmux server is gone" no_servers "$name"
done

child second 'first=$TL_SOCK
tl_start 80 24 -- --root "'"$FIXTURES"'/tui" -d 0.5
started
tmux -L "$first" ls >/dev/null 2>&1 && exit 5
tl_keys q
tl_wait_exit || exit 6
tl_finish'
run_child second
check "a second tl_start stops the first server (status $rc)" test "$rc" -eq 0
check "a clean end: both servers are gone" no_servers second
[ "$T_FAIL" -eq 0 ] || for f in "$tmp"/*.out; do echo "---- $f"; cat "$f"; done
finish
