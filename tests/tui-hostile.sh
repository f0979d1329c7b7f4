#!/usr/bin/env bash
# tui-hostile.sh - the interactive UI on cgroups with hostile names (ESC
# sequences, C1 controls raw and UTF-8 encoded, newline, invalid UTF-8,
# 255 bytes), resized to 10x3 and back: it must stay alive, relay out, exit
# cleanly, and never pass the names' control sequences to the terminal.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
# shellcheck source=tests/tui-lib.sh
. "$(dirname "$0")/tui-lib.sh"

root=$TL_DIR/root
cp -a "$top_srcdir/tests/fixtures/v1-layouts/." "$root/"
mem=$root/sys/fs/cgroup/memory
tmpl=$mem/docker/a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1
for n in $'esc\e[2J\e]0;pwned\ax' $'c1\xc2\x9b31m\xc2\x9c' $'raw\x9b\x85x' $'new\nline' \
         $'bad\xff\xfe' "$(printf '%0255d' 0 | tr 0 x)"; do
    mkdir "$mem/docker/$n" && cp "$tmpl"/memory.* "$mem/docker/$n/" ||
        tl_skip_all "cannot create hostile names"
done

tl_start 100 30 -- --root "$root" -a -d 0.5
tl_check "starts on hostile names" tl_wait '^NAME '
tl_check "the ESC name is shown defused" tl_wait 'esc\?\[2J\?\]0;pwned\?x'
tl_resize 10 3
sleep 1.5
tl_check "alive at 10x3" eval '[ "$(tl_fmt "#{pane_dead}")" = 0 ]'
tl_resize 100 30
tl_check "relays out at 100x30 again" tl_until 10 tl_has '^NAME '
tl_check "rows still listed after the resize" tl_wait 'esc\?\[2J'
tl_keys q
tl_check "q exits" tl_wait_exit
tl_check "exit status 0" eval '[ "$(tl_fmt "#{pane_dead_status}")" = 0 ]'
tl_check "terminal restored" tl_restored
# Bytes sent to the terminal: no payload of the names may get through.
tl_check "no OSC title from a name reached the terminal" eval '! LC_ALL=C grep -qaP "\x1b\]0;pwned" "$TL_OUT"'
tl_check "no C1 CSI (raw or UTF-8) reached the terminal" eval '! LC_ALL=C grep -qaP "\xc2[\x80-\x9f]|[^\x80-\xff][\x80-\x9f]" "$TL_OUT"'
tl_check "no ESC[2J from a name (only the UI's own clear)" eval '! LC_ALL=C grep -qaF "esc"$'"'"'\e'"'"' "$TL_OUT"'
tl_finish
