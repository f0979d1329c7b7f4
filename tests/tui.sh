#!/usr/bin/env bash
# tui.sh - end-to-end tests of the interactive UI on the fixture tree
# tests/fixtures/tui (v2 layout, docker and kubepods containers of known
# sizes), driven through tmux.  No TTY needed.  Exit 77 without tmux.
# make check runs shell tests with /bin/sh: re-run under bash.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
# shellcheck source=tests/tui-lib.sh
. "$(dirname "$0")/tui-lib.sh"
FIX=$top_srcdir/tests/fixtures/tui

[ -d "$FIX/sys/fs/cgroup" ] || tl_skip_all "fixture $FIX missing"

# Expected orders (label prefixes; labels may be truncated with an ellipsis).
WS_ORDER="docker:bbbb pod:1a2b containerd:cccc docker:aaaa pod:5e6f containerd:eeee docker:ffff containerd:dddd"
RSS_ORDER="pod:1a2b containerd:cccc docker:aaaa pod:5e6f containerd:eeee docker:bbbb docker:ffff containerd:dddd"
CACHE_ORDER="docker:bbbb docker:ffff docker:aaaa pod:1a2b containerd:cccc pod:5e6f containerd:eeee containerd:dddd"
LIMIT_ORDER="pod:5e6f docker:bbbb pod:1a2b containerd:dddd containerd:cccc docker:aaaa docker:ffff containerd:eeee"

sorted_by() { tl_screen | grep -m1 '^NAME ' | grep -qF -- "$1"; }
# A dead pane's own flags are reset by tmux; check the bytes memtop sent last.
restored() { tl_restored; }

echo "# main table, 120x40"
tl_start 120 40 -- --root "$FIX" -d 0.5
tl_check "header shows host, kernel and cgroup mode" tl_wait 'host fixture-node +kernel 6\.1\.0-fixture +cgroup v2'
tl_check "header shows node memory" tl_wait 'Mem total 15\.6G +available 11\.4G +node WS'
tl_check "header shows container count and memtop's own usage" tl_wait 'Containers 6 +pods 2 .*memtop cpu [0-9.]+% rss [0-9]'
tl_check "default sort: working set, descending" tl_wait_names $WS_ORDER
tl_check "WS column carries the sort arrow" sorted_by 'WS▼'
tl_check "unlimited shows max, unknown WS% shows -" tl_wait '^docker:bbbb.* 976M +max +- '
tl_check "sparkline column drawn" tl_wait 'WS HISTORY'
tl_keys R
tl_check "R sorts by RSS" tl_wait_names $RSS_ORDER
tl_keys C
tl_check "C sorts by page cache" tl_wait_names $CACHE_ORDER
tl_keys F6
tl_check "F6 opens the sort menu" tl_wait 'Sort by'
tl_keys Home Down Enter
tl_check "F6 menu picks LIMIT" tl_wait_names $LIMIT_ORDER
tl_check "LIMIT carries the arrow" sorted_by 'LIMIT▼'
tl_keys I
tl_check "I inverts (arrow up, smallest limit first)" tl_until 5 eval 'sorted_by "LIMIT▲" && [ "$(tl_table_names | head -n1)" != "pod:5e6f" ] && tl_table_names | head -n1 | grep -q "^containerd:eeee"'
tl_keys M
tl_check "M goes back to working set" tl_wait_names $WS_ORDER
tl_keys Down Down
tl_keys R
tl_check "resort by RSS" tl_wait_names $RSS_ORDER
tl_keys Enter
tl_check "selection stayed on the same container: Enter opens its detail" tl_wait '^Detail: containerd:cccccccccccc'
tl_check "detail: identity" tl_wait 'Pod +uid 1a2b3c4d-0000-4000-8000-00000000aaaa +qos burstable'
tl_check "detail: process count from cgroup.procs" tl_wait '^Processes +2'
tl_check "detail: composition bar and legend with exact figures" \
    tl_until 5 eval 'tl_has "Composition \(bar = limit\)" && tl_has "anon 550M" && tl_has "active file 20\.0M" && tl_has "inactive file 30\.0M" && tl_has "free to limit 162M"'
tl_check "detail: reclaimable split" tl_wait 'reclaimable .* non-reclaimable floor'
tl_check "detail: explanation sentences" tl_wait 'Using 606M of 768M limit'
tl_check "detail: history graphs" tl_wait 'Working set +max 576M'
tl_keys End     # the processes are at the bottom of the pane
tl_check "detail: top processes by RSS" tl_wait '^ +501 api-server +400M +12\.0M +0B'
tl_keys Escape
tl_check "Esc goes back to the table" tl_wait 'WS HISTORY'
tl_keys M
tl_check "back to WS order" tl_wait_names $WS_ORDER
tl_keys / e e e e
tl_check "/ filters by name" tl_wait_names containerd:eeee
tl_keys Enter
tl_check "Enter keeps the filter" eval 'tl_wait "filter:eeee" && tl_names_are containerd:eeee'
tl_keys / Escape
tl_check "Esc clears the filter" tl_wait_names $WS_ORDER
tl_keys t
tl_check "t shows the tree: containers below their pod" \
    tl_until 5 eval 'tl_screen | grep -A2 "^pod:1a2b" | grep -qE "^[├└]─containerd:"'
tl_keys t a
tl_check "a lists every cgroup" tl_wait '^sshd\.service'
tl_keys t
tl_check "a + t: the whole hierarchy as a tree with guides (slice -> services)" \
    tl_until 5 eval 'tl_has "^├─system\.slice" && tl_has "^│ └─sshd\.service" && tl_has "^│ │   ├─containerd:"'
tl_keys t
tl_keys a
tl_check "a again: containers only" tl_wait_not '^sshd\.service'
tl_keys p
tl_check "p pauses" tl_wait 'PAUSED .* tick [0-9]+/[0-9]+'
seq_now=$(tl_screen | sed -n "s/.* tick \([0-9]*\)\/.*/\1/p" | head -n1)
tl_keys Left
tl_check "Left steps back one tick" tl_wait "tick $((seq_now - 1))/$seq_now"
tl_keys Right
tl_check "Right steps forward" tl_wait "tick $seq_now/$seq_now"
tl_keys p
tl_check "p resumes" tl_wait_not 'PAUSED'
tl_keys +
tl_check "+ lengthens the interval" tl_wait 'interval 1s'
tl_keys -
tl_check "- shortens it again" tl_wait 'interval 0\.5s'
tl_keys End
tl_check "End selects the last row" tl_until 5 tl_selected containerd:dddd
tl_keys Home
tl_check "Home selects the first row" tl_until 5 tl_selected docker:bbbb
tl_keys PageDown
tl_check "PgDn moves a page (to the last row here)" tl_until 5 tl_selected containerd:dddd
tl_keys k
tl_check "k moves up" tl_until 5 tl_selected docker:ffff
tl_keys Home
tl_keys h
tl_check "h shows the help screen with keys" tl_wait 'memtop help: keys and columns'
tl_keys End
tl_check "help lists columns" tl_until 5 eval 'tl_has "^  MAJFLT/s +major page faults" && tl_has "^  WS HISTORY"'
tl_keys Escape
tl_check "help closes" tl_wait 'WS HISTORY'
tl_keys M
tl_wait_names $WS_ORDER >/dev/null
tl_click "$(tl_column_x CACHE)" 3
tl_check "mouse: a click on a column header sorts by it" tl_wait_names $CACHE_ORDER
tl_check "mouse: the clicked column carries the arrow" sorted_by 'CACHE▼'
tl_click 5 6
tl_check "mouse: a click on a row selects it (3rd row: docker:aaaa)" tl_until 5 tl_selected docker:aaaa
tl_keys Enter
tl_check "Enter opens the clicked row" tl_wait '^Detail: docker:aaaaaaaaaaaa'
tl_keys Escape M
tl_wait 'WS HISTORY' >/dev/null
tl_resize 80 24
# at 80 columns the lower-priority columns (PGFLT/s, ACT_*/INA_*, ...) make room for RISK
tl_check "resize to 80x24: table relaid out" tl_wait "^NAME +WS▼ +LIMIT +WS% +RISK +RSS +CACHE"
tl_check "80x24: the header keeps the clock" tl_wait "^memtop .* [0-9]{2}:[0-9]{2}:[0-9]{2} *$"
tl_check "80x24: all rows still listed" tl_wait_names $WS_ORDER
tl_check "80x24: bottom line intact" eval 'tl_screen | tail -n1 | grep -q "^F1 help"'
tl_check "80x24: long names end with an ellipsis" tl_wait '^containerd:cccc[c]*… '
tl_keys q
tl_check "q exits" tl_wait_exit
tl_check "exit status 0" eval '[ "$(tl_fmt "#{pane_dead_status}")" = 0 ]'
tl_check "terminal restored (normal screen, cursor on, keypad/mouse off)" restored

echo "# input does not wait for the tick"
tl_start 100 30 -- --root "$FIX" -d 30
tl_wait 'WS HISTORY' >/dev/null
t0=$(tl_ms)
tl_keys R
tl_check "a key redraws at once with a 30 s interval" tl_until 5 sorted_by 'RSS▼'
echo "# key to screen: $(($(tl_ms) - t0)) ms"
tl_keys C-c
tl_check "SIGINT (Ctrl-C) quits with 0" eval 'tl_wait_exit && [ "$(tl_fmt "#{pane_dead_status}")" = 0 ]'
tl_check "terminal restored after SIGINT" restored

for sig in TERM HUP QUIT; do
    tl_start 100 30 -- --root "$FIX" -d 0.5
    tl_wait 'WS HISTORY' >/dev/null
    kill -s "$sig" "$(tl_fmt '#{pane_pid}')"
    tl_check "SIG$sig: exits and restores the terminal" eval 'tl_wait_exit && restored'
done

echo "# hostile cgroup and process names"
EVIL=$TL_DIR/evil-root
cp -R "$FIX" "$EVIL"
chmod -R u+w "$EVIL"
esc=$'\e'
bel=$'\a'
evil_name="lxc.payload.evil${esc}[31mred${esc}]0;pwned${bel}x"
evil_dir="$EVIL/sys/fs/cgroup/$evil_name"
cp -R "$EVIL/sys/fs/cgroup/docker/$(printf 'f%.0s' {1..64})" "$evil_dir"
echo 777 >"$evil_dir/cgroup.procs"
mkdir -p "$EVIL/proc/777"
printf 'Name:\tbad%s[2Jname\nRssAnon:\t 100 kB\nRssFile:\t 0 kB\nRssShmem:\t 0 kB\n' "$esc" \
    >"$EVIL/proc/777/status"
tl_start 160 40 -- --root "$EVIL" -d 0.5
tl_check "hostile cgroup is listed, sanitized" tl_wait '^lxc:evil\?\[31mred\?\]0;pwned\?x'
tl_check "no raw ESC reaches the screen" eval '! tl_screen | grep -q "$esc"'
tl_check "the pane title was not changed" eval '[ "$(tl_fmt "#{pane_title}")" != pwned ]'
tl_keys / e v i l Enter
tl_wait_names lxc:evil >/dev/null
tl_keys Enter
tl_check "hostile process name sanitized in the detail pane" tl_wait '^ +777 bad\?\[2Jname'
tl_check "still no raw ESC" eval '! tl_screen | grep -q "$esc"'
tl_keys F10
tl_check "F10 quits" tl_wait_exit

echo "# vanished cgroups"
GONE=$TL_DIR/gone-root
cp -R "$FIX" "$GONE"
chmod -R u+w "$GONE"
dimmed() { tl_screen_ansi | grep "$1" | grep -q $'\e\\[2m'; }
tl_start 120 40 -- --root "$GONE" -d 0.3 --tombstone 60
tl_wait_names $WS_ORDER >/dev/null
tl_check "a live container is not dimmed" eval '! dimmed docker:ffff'
rm -rf "$GONE/sys/fs/cgroup/docker/$(printf 'f%.0s' {1..64})"
tl_check "a vanished container stays listed as a dimmed tombstone" \
    tl_until 5 eval 'dimmed docker:ffff && tl_names_are $WS_ORDER'
tl_keys q

echo "# paused history shows the values of past ticks"
# docker:aaaa: usage 338M - inactive file 40M = WS 298M; raise usage to 438M
tl_start 120 40 -- --root "$GONE" -d 0.3
tl_wait '^docker:aaaa[a…]* +298M ' >/dev/null
echo $((438 * 1024 * 1024)) >"$GONE/sys/fs/cgroup/system.slice/docker-$(printf 'a%.0s' {1..64}).scope/memory.current"
tl_check "live: the new working set is shown" tl_wait '^docker:aaaa[a…]* +398M '
tl_keys p
tl_wait 'PAUSED' >/dev/null
stepped_back_to_old() {
    tl_has '^docker:aaaa[a…]* +298M ' && return 0
    tl_keys Left
    sleep 0.1
    return 1
}
tl_check "Left steps back to a tick with the old working set" tl_until 10 stepped_back_to_old
tl_check "the header shows a past tick" tl_until 5 eval 'tl_has "PAUSED .* tick ([0-9]+)/" && ! tl_screen | grep -qE "tick ([0-9]+)/\1\b"'
tl_keys p
tl_check "resume: the latest value again" tl_wait '^docker:aaaa[a…]* +398M '
tl_keys q

echo "# NO_COLOR, --ascii, TERM=dumb"
tl_start 120 30 NO_COLOR=1 -- --root "$FIX" -d 0.5
tl_wait_names $WS_ORDER >/dev/null
tl_check "NO_COLOR: no colour escapes, only attributes" \
    eval '! tl_screen_ansi | grep -qE "\[(3[0-7]|4[0-7]|38;|48;|9[0-7])(;[0-9]+)*m"'
tl_check "NO_COLOR: selection still visible (reverse)" eval 'tl_screen_ansi | grep -q "\[7m"'
tl_keys q
tl_start 120 30 -- --root "$FIX" -d 0.5 --ascii
tl_check "--ascii: ASCII sort arrow" tl_wait '^NAME +WSv '
tl_wait_names docker:bbbb pod:1a2b containerd:cccc docker:aaaa pod:5e6f containerd:eeee docker:ffff containerd:dddd >/dev/null
tl_check "--ascii: no UTF-8 block glyphs" eval '! tl_screen | grep -q "[▁▂▃▄▅▆▇█▼…]"'
tl_keys q
tl_start 120 30 TERM=dumb -- --root "$FIX"
tl_check "TERM=dumb: batch mode with a note" eval 'tl_wait "TERM is unset or dumb; using batch mode" && tl_wait "^NAME +WS +LIMIT"'

echo "# -n: quit after N ticks, like top"
t0=$(date +%s%N)
tl_start 120 30 -- --root "$FIX" -d 0.5 -n 4
tl_check "-n 4: draws frames" tl_wait 'WS HISTORY'
tl_check "-n 4: exits by itself with status 0" eval 'tl_wait_exit && [ "$(tl_fmt "#{pane_dead_status}")" = 0 ]'
tl_check "-n 4: not before the 4th tick (1.5 s)" eval '[ $(( ($(date +%s%N) - t0) / 1000000 )) -ge 1500 ]'
tl_check "-n 4: terminal restored" restored

tl_finish
