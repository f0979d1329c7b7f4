#!/usr/bin/env bash
# make-screenshots.sh - regenerate the PNGs in screenshots/ from real memtop
# runs on a copy of the fixture tree tests/fixtures/tui, whose sizes and
# fault counters are varied a little every 0.1 s (tests/mkfixture-tui.py
# with a phase) so sparklines and graphs have something to show.
#
#   screenshots/make-screenshots.sh [MEMTOP]
#
# Needs tmux, /usr/bin/python3 with PIL (python3-pil), fonts-dejavu-core.
set -euo pipefail
unset TMUX TMUX_PANE
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
MEMTOP=${1:-${MEMTOP:-$top/src/memtop}}
PY=/usr/bin/python3
COLS=120 ROWS=40

work=$(mktemp -d "${TMPDIR:-/tmp}/memtop-shots.XXXXXX")
export TMUX_TMPDIR=$work
anim=""
cleanup() {
    tmux -L shots kill-server 2>/dev/null || true
    # let the animator finish its current rewrite, then stop
    if [ -n "$anim" ]; then touch "$work/stop"; wait "$anim" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
T() { tmux -L shots -f /dev/null "$@"; }

$PY "$top/tests/mkfixture-tui.py" "$work/root" 0
(
    k=0
    while [ ! -e "$work/stop" ]; do
        k=$((k + 1))
        $PY "$top/tests/mkfixture-tui.py" "$work/root" "$k" || exit 0
        sleep 0.1
    done
) &
anim=$!

# One OOM kill of docker:aaaa 150 s ago in a kmsg file, so the table shows
# its OOM tag and oom.png its kill history.
mkdir -p "$work/root/dev"
AAAA=/system.slice/docker-$(printf 'a%.0s' $(seq 64)).scope
usec=$($PY -c 'import time; print(int((time.clock_gettime(time.CLOCK_MONOTONIC) - 150) * 1e6))')
printf '6,10,%d,-;oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=%s,task_memcg=%s,task=java,pid=48213,uid=1000\n' \
    "$usec" "$AAAA" "$AAAA" >"$work/root/dev/kmsg"
printf '3,11,%d,-;Memory cgroup out of memory: Killed process 48213 (java) total-vm:2868576kB, anon-rss:402488kB, file-rss:1204kB, shmem-rss:0kB, UID:1000 pgtables:1108kB oom_score_adj:0\n' \
    "$((usec + 1000))" >>"$work/root/dev/kmsg"

T start-server \; set -g status off \; new-session -d -s app -x "$COLS" -y "$ROWS" -- \
    env TERM=tmux-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 ESCDELAY=25 HOME="$work" \
    "$MEMTOP" --root "$work/root" -d 0.2 --oom-source kmsg --oom-backlog

wait_for() {
    local i
    for i in $(seq 200); do
        T capture-pane -p -t app | grep -qE -- "$1" && return 0
        sleep 0.05
    done
    echo "make-screenshots: timed out waiting for '$1'" >&2
    T capture-pane -p -t app >&2
    return 1
}
shot() {
    sleep 0.3
    T capture-pane -p -e -N -t app >"$work/$1.ansi"
    $PY "$here/render-ansi.py" "$work/$1.ansi" "$here/$1.png" "$COLS" "$ROWS"
    echo "wrote screenshots/$1.png"
}

wait_for 'WS HISTORY'
sleep 12                       # ~60 ticks of history for the sparklines
T send-keys -t app Down Down
shot table
T send-keys -t app Enter
wait_for '^Detail: '
shot detail
T send-keys -t app Escape t
wait_for '^[├└]─'
shot tree
T send-keys -t app t h
wait_for 'memtop help'
shot help
T send-keys -t app Escape
wait_for 'WS HISTORY'
T send-keys -t app /
T send-keys -t app -l 'docker:aaaa'
T send-keys -t app Enter Home Enter
wait_for 'OOM kills'
shot oom
T send-keys -t app Escape / Escape q
