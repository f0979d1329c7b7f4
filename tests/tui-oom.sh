#!/usr/bin/env bash
# tui-oom.sh - OOM forensics in the interactive UI, driven through tmux on
# the forensics fixture tree (tests/forensics-lib.sh) with kernel OOM
# reports appended to its dev/kmsg while memtop runs:
#   * a live container with a recent kill carries an "OOM Xs ago" tag;
#   * a killed container whose cgroup vanished stays as a dimmed
#     "OOM-killed 2m ago" tombstone, an unkilled one as "(gone)";
#   * the detail pane lists the kills: time, victim pid and comm
#     (sanitized), RSS at the kill, which limit was hit (own / pod), the
#     source (kmsg / counter); "none on record" without kills;
#   * a replay says the history is not available.
# Exit 77 without tmux or python3.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(dirname "$here")}
MEMTOP=${MEMTOP:-$top_srcdir/src/memtop}
# shellcheck source=tests/tui-lib.sh
. "$here/tui-lib.sh"
# shellcheck source=tests/forensics-lib.sh
. "$here/forensics-lib.sh"

[ -x "$MEMTOP" ] || tl_skip_all "memtop binary $MEMTOP not built"
PY=$(command -v /usr/bin/python3 || command -v python3 || true)
[ -n "$PY" ] || tl_skip_all "python3 is needed"

R=$TL_DIR/root
make_tree "$R"
: >"$R/dev/kmsg"
CG=$R/sys/fs/cgroup
OOMCG=/system.slice/docker-$ID_OOM.scope
POD_A=/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod$(echo "$UID_A" | tr - _).slice
NGINXCG=$POD_A/cri-containerd-$ID_NGINX.scope
esc=$'\e'

# kmsg timestamp (microseconds since boot) of a moment $1 seconds ago
usec_ago() { "$PY" -c 'import time,sys; print(int((time.clock_gettime(time.CLOCK_MONOTONIC) - float(sys.argv[1])) * 1e6))' "$1"; }
# A kernel OOM report as /dev/kmsg records: $1 seq, $2 usec, $3 pid,
# $4 comm (kmsg-escaped), $5 oom_memcg, $6 task_memcg
report() {
    printf '6,%d,%d,-;oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=%s,task_memcg=%s,task=%s,pid=%d,uid=0\n' \
        "$1" "$2" "$5" "$6" "$4" "$3"
    printf '3,%d,%d,-;Memory cgroup out of memory: Killed process %d (%s) total-vm:68576kB, anon-rss:32488kB, file-rss:4kB, shmem-rss:272kB, UID:0 pgtables:108kB oom_score_adj:0\n' \
        "$(($1 + 1))" "$(($2 + 1000))" "$3" "$4"
}
OOMNAME=docker:${ID_OOM:0:12}
BADNAME=docker:${ID_BAD:0:12}
dimmed() { tl_screen_ansi | grep -F "$1" | grep -q $'\e\\[2m'; }
# open_detail FILTER [ROW]: filter the table by FILTER, move the selection
# to the row starting with ROW (BRE; default FILTER), open its detail pane
open_detail() {
    local want=${2:-$1} i
    tl_keys /
    tl_text "$1"
    tl_keys Enter
    tl_wait "filter:$1" >/dev/null
    tl_keys Home
    for i in 1 2 3 4 5 6; do
        tl_until 1 tl_selected "$want" && break
        tl_keys Down
    done
    tl_keys Enter
    tl_wait '^Detail: '
}
close_detail() {
    tl_keys Escape
    tl_wait 'WS HISTORY' >/dev/null
    tl_keys / Escape
}

echo "# live TUI on the forensics fixture, kills appended to its kmsg"
tl_start 170 50 TZ=UTC -- --root "$R" -d 0.3 --tombstone 60 --oom-tombstone 600 --oom-source kmsg
tl_check "the table is up with names" tl_wait '^web-1 '
tl_check "no OOM tags before any kill" tl_has_not 'OOM'
kill_t=$("$PY" -c 'import time; print(int(time.time()) - 150)')
{
    report 10 "$(usec_ago 150)" 5151 newproc "$OOMCG" "$OOMCG"
    report 20 "$(usec_ago 20)" 6262 'bad\x1b[2Jcomm' "$POD_A" "$NGINXCG"
} >>"$R/dev/kmsg"
printf 'low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\noom_group_kill 0\n' \
    >"$CG/system.slice/docker-$ID_WEB.scope/memory.events"
tl_check "live container killed 2.5 min ago: tag 'OOM 2m ago'" \
    tl_until 10 tl_has "^$OOMNAME  OOM [23]m ago +4\.00M "
tl_check "the kill in a pod's container tags the container " \
    tl_until 10 tl_has '^prod/web-7d9f/nginx  OOM [0-9]+[sm] ago +8\.00M '
tl_check "... and its pod" tl_until 10 tl_has '^prod/web-7d9f  OOM [0-9]+[sm] ago +0B '
tl_check "the pod's sandbox has no tag" tl_has '^prod/web-7d9f \(sandbox\) +64\.0K '
tl_check "a counter-only kill tags the container too" tl_until 10 tl_has '^web-1  OOM [0-9]+[sm] ago '
tl_check "the live tag is not dimmed" eval 'tl_has "^web-1  OOM" && ! dimmed "web-1"'
tl_check "the live tag is drawn bold" eval 'tl_screen_ansi | grep -E "web-1" | grep -qE $'"'"'\e\\[1m(\e\\[[0-9;]*m)*OOM'"'"
tl_check "containers without kills have no tag" eval 'tl_has "^pg-main +8\.00M " && tl_has "^data/cache-0/redis\?\[31m +8\.00M "'
tl_check "no raw ESC from the victim's comm" eval '! tl_screen_ansi | sed "s/\x1b\[[0-9;]*m//g" | grep -q "$esc"'

tl_keys p
tl_wait PAUSED >/dev/null
open_detail "$OOMNAME" >/dev/null
tl_check "detail: the kill count" tl_wait '^OOM kills +1 on record, newest first'
tl_check "detail: when, victim pid and comm, RSS at the kill" \
    tl_wait '^ • 20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9:]{8} \([23]m ago\): killed pid 5151 \(newproc\); its RSS then: anon 31\.7M, file 4\.00K, shmem 272K'
shown=$(tl_screen | sed -n 's/^ • \(20[0-9-]* [0-9:]*\) ([23]m ago).*/\1/p' | head -n1)
shown_t=$(TZ=UTC date -d "$shown" +%s 2>/dev/null || echo 0)
tl_check "detail: the time is the kill's local time ($shown vs $(TZ=UTC date -d "@$kill_t" '+%F %T'))" \
    test "$((shown_t - kill_t))" -ge -2 -a "$((shown_t - kill_t))" -le 2
tl_check "detail: own limit, source kmsg" tl_wait "^     limit hit: this container's own limit; source: kernel log \(kmsg\)"
close_detail
open_detail prod/web-7d9f/nginx >/dev/null
tl_check "detail: pod-level kill, comm sanitized" tl_wait '^ • .* \([0-9]+[sm] ago\): killed pid 6262 \(bad\?\[2Jcomm\); its RSS then'
tl_check "detail: the pod's limit was hit" tl_wait "^     limit hit: its pod's limit \(prod/web-7d9f\); source: kernel log \(kmsg\)"
tl_check "detail: still no raw ESC" eval '! tl_screen | grep -q "$esc"'
close_detail
open_detail prod/web-7d9f "prod/web-7d9f  OOM" >/dev/null
tl_check "detail of the pod: the kill and the container it hit" \
    tl_wait '^ • .*: killed pid 6262 \(bad\?\[2Jcomm\) in prod/web-7d9f/nginx;'
tl_check "detail of the pod: its own limit" tl_wait "^     limit hit: this pod's own limit; source: kernel log \(kmsg\)"
close_detail
open_detail web-1 >/dev/null
tl_check "detail: a counter-only kill in plain words" \
    tl_wait '^ • .*: a process was killed; no kernel report names it'
tl_check "detail: counter kill has no known limit" \
    tl_wait '^     limit hit: unknown \(only the oom_kill counter saw it\); source: counter only, no kernel report'
close_detail
open_detail pg-main >/dev/null
tl_check "detail: no kill on record" tl_wait '^OOM kills +none on record since memtop started'
close_detail
tl_keys p
tl_wait_not PAUSED >/dev/null

echo "# tombstones"
rm -rf "$CG$OOMCG" "$CG/system.slice/docker-$ID_BAD.scope"
tl_check "the killed, vanished container: 'OOM-killed 2m ago'" \
    tl_until 10 tl_has "^$OOMNAME  OOM-killed [23]m ago +4\.00M "
tl_check "the tombstone row is dimmed" tl_until 5 dimmed "OOM-killed"
tl_check "an unkilled vanished container: '(gone)'" tl_until 10 tl_has "^$BADNAME  \(gone\) "
tl_check "... dimmed as well" tl_until 5 dimmed "(gone)"
tl_keys p
tl_wait PAUSED >/dev/null
open_detail "$OOMNAME" >/dev/null
tl_check "detail of the tombstone: its kill" tl_wait '^ • .* \([23]m ago\): killed pid 5151 \(newproc\)'
tl_check "detail of the tombstone: the cgroup is gone" tl_wait '^Processes +none \(cgroup is gone: tombstone\)'
close_detail
tl_keys p
tl_resize 80 24
tl_check "80x24: the tombstone tag fits the NAME column" \
    tl_until 10 tl_has '^docker:cd24[^ ]*  OOM(-killed)?( [23]m)?( ago)? +4\.00M '
tl_check "80x24: the live tag too" tl_until 10 tl_has '^web-1  OOM [0-9]+[sm]'
PGCG=/machine.slice/libpod-$ID_PODMAN.scope
us=$(usec_ago 60)
for i in 1 2 3 4 5 6 7; do report $((100 + 2 * i)) $((us + i * 1000000)) $((700 + i)) java "$PGCG" "$PGCG"; done >>"$R/dev/kmsg"
tl_check "80x24: 7 kills of pg-main are seen" tl_until 10 tl_has '^pg-main  OOM'
open_detail pg-main >/dev/null
tl_check "80x24: 7 on record" tl_wait '^OOM kills +7 on record, newest first'
tl_check "80x24: three kills listed, the newest first" \
    eval '[ "$(tl_screen | grep -c "^ • ")" = 3 ] && tl_screen | grep -m1 "^ • " | grep -q "killed pid 707 (java)"'
tl_check "80x24: the rest are counted" tl_wait '^   and 4 older \(memtop --json lists every kill\)'
tl_check "80x24: the composition still shows" tl_wait '^Composition'
close_detail
tl_check "80x24: (gone) gives way to the name" tl_until 10 tl_has "^${BADNAME:0:16}[^ ]* +4\.00M "
tl_keys q
tl_check "q exits" tl_wait_exit
tl_check "exit status 0" eval '[ "$(tl_fmt "#{pane_dead_status}")" = 0 ]'

echo "# replay: recordings carry no forensics"
"$MEMTOP" --root "$R" -w "$TL_DIR/r.rec" -d 0.2 -n 5 --min-free 0 ||
    tl_skip_all "could not record the fixture"
tl_start 150 50 -- -R "$TL_DIR/r.rec"
tl_check "replay: the table is up" tl_wait '^web-1 '
tl_check "replay: no OOM tags" tl_has_not 'OOM'
tl_keys p
open_detail web-1 >/dev/null
tl_check "replay: the pane says the history is not available" \
    tl_wait '^OOM kills +history is not available in replays'
tl_keys Escape
tl_wait 'WS HISTORY' >/dev/null
tl_keys q
tl_check "replay: q exits" tl_wait_exit
tl_check "replay: exit status 0" eval '[ "$(tl_fmt "#{pane_dead_status}")" = 0 ]'

tl_finish
