#!/usr/bin/env bash
# tui-bytes.sh - bytes memtop writes to the terminal per tick at steady
# state (a measurement, not a pass/fail test).
#
#   tests/tui-bytes.sh [--animate] [SECONDS] [-- MEMTOP ARGS...]
#
# Runs memtop in a 120x40 tmux pane (TERM=tmux-256color, UTF-8), lets it
# settle for 6 s, then counts what it writes (tmux pipe-pane) for SECONDS
# (default 30).  --animate runs it on a copy of tests/fixtures/tui whose
# values change every 0.1 s (every row and sparkline changes each tick).
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
unset TMUX TMUX_PANE
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
MEMTOP=${MEMTOP:-$top/src/memtop}
animate=0
[ "${1:-}" = --animate ] && { animate=1; shift; }
secs=${1:-30}
[ $# -gt 0 ] && shift
[ "${1:-}" = -- ] && shift
work=$(mktemp -d "${TMPDIR:-/tmp}/memtop-bytes.XXXXXX")
export TMUX_TMPDIR=$work
anim=""
sock=memtop-bytes-$$        # our own server only, never another run's
cleanup() {
    trap - EXIT INT TERM HUP
    tmux -L "$sock" kill-server 2>/dev/null
    # let the animator finish its current rewrite, then stop
    if [ -n "$anim" ]; then touch "$work/stop"; wait "$anim" 2>/dev/null; fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
T() { tmux -L "$sock" -f /dev/null "$@"; }

args=("$@")
if [ "$animate" = 1 ]; then
    /usr/bin/python3 "$top/tests/mkfixture-tui.py" "$work/root" 0
    ( k=0; while [ ! -e "$work/stop" ]; do k=$((k + 1));
        /usr/bin/python3 "$top/tests/mkfixture-tui.py" "$work/root" "$k" || exit 0; sleep 0.1; done ) &
    anim=$!
    args=(--root "$work/root" "${args[@]}")
fi
T start-server \; set -g status off \; new-session -d -s app -x 120 -y 40 -- \
    env TERM=tmux-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 HOME="$work" "$MEMTOP" "${args[@]}"
T pipe-pane -t app "cat > '$work/out.bin'"
sleep 6 & wait $!
b0=$(stat -c %s "$work/out.bin")
sleep "$secs" & wait $!
b1=$(stat -c %s "$work/out.bin")
bytes=$((b1 - b0))
interval=2
for ((i = 0; i < ${#args[@]}; i++)); do
    case ${args[$i]} in -d|--delay) interval=${args[$((i + 1))]} ;; esac
done
awk -v b="$bytes" -v s="$secs" -v iv="$interval" 'BEGIN {
    printf "%d bytes in %d s: %.0f bytes/s, %.0f bytes per tick (interval %s s)\n", b, s, b / s, b / s * iv, iv }'
