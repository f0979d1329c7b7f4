#!/usr/bin/env bash
# record_tui.sh - the TUI on a recording (memtop -R FILE on a terminal):
# playback, Left/Right one tick, PgUp/PgDn a minute, g jump to a time,
# play to the end; and the live TUI with -w: recording while it runs and
# key D dumping the memory ring.  Driven through tmux (tests/tui-lib.sh).
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
# shellcheck source=tests/tui-lib.sh
. "$(dirname "$0")/tui-lib.sh"
FIX=$top_srcdir/tests/fixtures/record-v2

PY=$(command -v /usr/bin/python3 || command -v python3 || true)
[ -n "$PY" ] || tl_skip_all "python3 is needed"
work=$TL_DIR/rec       # removed (or kept after a failure) with the screens
mkdir "$work"

"$MEMTOP" --root "$FIX" -w "$work/r.rec" -d 0.2 -n 40 --min-free 0 ||
    tl_skip_all "could not record the fixture"
t1=$("$MEMTOP" -R "$work/r.rec" --json -n 1 | "$PY" -c 'import json,sys,time; print(time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(int(json.load(sys.stdin)["time"]))))')

tick() { tl_screen | head -1 | grep -oE 'tick [0-9]+/40' | grep -oE '[0-9]+' | head -1; }
at_tick() { [ "$(tick)" = "$1" ]; }
wait_tick() { tl_until "${2:-$TL_TIMEOUT}" at_tick "$1"; }

echo "# replay in the TUI"
tl_start 160 30 -- -R "$work/r.rec"
tl_check "header names the recording and shows the position" tl_wait 'source replay r\.rec .* tick [0-9]+/40'
tl_check "it plays: the position moves" tl_wait 'tick ([3-9]|[1-4][0-9])/40'
tl_keys p
tl_check "p pauses" tl_wait 'PAUSED .* tick [0-9]+/40'
tl_keys PPage
tl_check "PgUp goes a minute back (to the start here)" wait_tick 1
tl_keys Right Right
tl_check "Right goes one tick forward (twice)" wait_tick 3
tl_keys Left
tl_check "Left goes one tick back" wait_tick 2
tl_keys NPage
tl_check "PgDn goes a minute forward (to the end here)" wait_tick 40
tl_keys g
tl_text "$t1"
tl_check "g asks for a time" tl_wait "jump to time: $t1"
tl_keys Enter
tl_check "Enter jumps to the first tick at that time" wait_tick 1
tl_check "the table shows the recorded containers" tl_wait '^docker:168ac57e1684 '
tl_keys p
tl_check "p plays on to the end of the recording" tl_wait 'END .*tick 40/40' 20
tl_keys q
tl_check "q quits with status 0" tl_wait_exit
tl_check "exit status 0" test "$(tl_fmt '#{pane_dead_status}')" = 0

echo "# live TUI with -w, key D"
mkdir "$work/live"
tl_start 120 30 -- --root "$FIX" -d 0.2 -w "$work/live/l.rec" --min-free 0
tl_check "the live TUI runs while recording" tl_wait '^docker:168ac57e1684 '
sleep 1
tl_keys D
tl_check "D reports the dump file" tl_wait "wrote the last [0-9]+ ticks to $work/live/memtop-dump-"
tl_keys q
tl_check "q quits" tl_wait_exit
dump=$(ls "$work/live"/memtop-dump-*.rec 2>/dev/null | head -1)
tl_check "the dump replays" test -n "$dump" -a "$("$MEMTOP" -R "$dump" --json 2>/dev/null | wc -l)" -ge 2
tl_check "the recording made while the TUI ran replays" \
    test "$("$MEMTOP" -R "$work/live/l.rec" --json 2>/dev/null | wc -l)" -ge 3
tl_finish
