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

T start-server \; set -g status off \; new-session -d -s app -x "$COLS" -y "$ROWS" -- \
    env TERM=tmux-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 ESCDELAY=25 HOME="$work" \
    "$MEMTOP" --root "$work/root" -d 0.2

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
T send-keys -t app q
