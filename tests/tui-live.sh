#!/usr/bin/env bash
# tui-live.sh - the interactive UI on the live machine: real child cgroups
# below memtop's own memory cgroup, shaped like docker and kubepods paths,
# with real workloads (anonymous memory in one, page cache in the other).
# Needs root and a writable memory cgroup; exits 77 otherwise.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
# shellcheck source=tests/tui-lib.sh
. "$(dirname "$0")/tui-lib.sh"

[ "$(id -u)" = 0 ] || tl_skip_all "needs root to create cgroups"

# Our own memory cgroup: the v1 "memory" line, else the v2 "0::" line.
if rel=$(sed -n 's/^[0-9]*:memory:\(.*\)$/\1/p' /proc/self/cgroup) && [ -n "$rel" ] &&
    [ -d /sys/fs/cgroup/memory ]; then
    CGROOT=/sys/fs/cgroup/memory$rel
    V1=1
elif rel=$(sed -n 's/^0::\(.*\)$/\1/p' /proc/self/cgroup) && [ -n "$rel" ] &&
    [ -f /sys/fs/cgroup/cgroup.controllers ]; then
    CGROOT=/sys/fs/cgroup$rel
    V1=0
else
    tl_skip_all "no memory cgroup found in /proc/self/cgroup"
fi
CGROOT=${CGROOT%/}
BASE="$CGROOT/memtop-tui-live-$$"
mkdir "$BASE" 2>/dev/null || tl_skip_all "cannot create $BASE (not writable)"

ID1=$(printf 'a1%062x' $$)
ID2=$(printf 'c2%062x' $$)
POD=$(printf '%08x-0000-4000-8000-%012x' $$ $$)
C1="$BASE/docker/$ID1"
P2="$BASE/kubepods/burstable/pod$POD"
C2="$P2/$ID2"
CACHEDIR=$(mktemp -d /var/tmp/memtop-tui-live.XXXXXX)

live_cleanup() {
    local d p tries
    for tries in 1 2 3 4 5 6 7 8 9 10; do
        # only our workloads live in these cgroups: we created them
        for d in "$C1" "$C2"; do
            [ -f "$d/cgroup.procs" ] || continue
            for p in $(cat "$d/cgroup.procs" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
        done
        sleep 0.1
        for d in "$C1" "$C2" "$P2" "$BASE/kubepods/burstable" "$BASE/kubepods" "$BASE/docker" "$BASE"; do
            [ -d "$d" ] && rmdir "$d" 2>/dev/null
        done
        [ -d "$BASE" ] || break
    done
    rm -rf "$CACHEDIR"
}
tl_at_exit live_cleanup

mkdir -p "$C1" "$C2" || tl_skip_all "cannot create child cgroups below $BASE"
if [ "$V1" = 0 ]; then
    echo +memory >"$BASE/cgroup.subtree_control" 2>/dev/null
    for d in "$BASE/docker" "$BASE/kubepods" "$BASE/kubepods/burstable" "$P2"; do
        echo +memory >"$d/cgroup.subtree_control" 2>/dev/null
    done
    [ -f "$C1/memory.current" ] || tl_skip_all "memory controller not delegated below $CGROOT"
    echo $((256 * 1024 * 1024)) >"$C1/memory.max"
    USAGE=memory.current
else
    echo $((256 * 1024 * 1024)) >"$C1/memory.limit_in_bytes" ||
        tl_skip_all "cannot set a memory limit in $C1"
    USAGE=memory.usage_in_bytes
fi

# Workload 1: ~64 MiB of anonymous memory held by a shell variable.
bash -c 'echo $$ >"$1/cgroup.procs" && exec bash -c '\''x=$(head -c 67108864 /dev/zero | tr "\0" a); sleep 600 & wait'\' _ "$C1" &
# Workload 2: ~96 MiB of page cache (a file written and read back).
bash -c 'echo $$ >"$1/cgroup.procs" && exec bash -c '\''head -c 100663296 /dev/urandom >"$0/f"; cat "$0/f" >/dev/null; sleep 600 & wait'\'' "$2"' _ "$C2" "$CACHEDIR" &

disown -a 2>/dev/null  # no "Killed" notices when cleanup ends them
usage_at_least() { [ "$(cat "$1/$USAGE" 2>/dev/null || echo 0)" -ge "$2" ]; }
tl_until 60 usage_at_least "$C1" $((60 * 1024 * 1024)) || tl_skip_all "anon workload did not grow (machine too loaded?)"
tl_until 60 usage_at_least "$C2" $((90 * 1024 * 1024)) || tl_skip_all "page cache workload did not grow"

# WS column of the first row whose name starts with $1, in MiB
ws_mib() {
    tl_screen | awk -v p="$1" 'index($1, p) == 1 { v = $2; u = substr(v, length(v));
        n = substr(v, 1, length(v) - 1) + 0; if (u == "G") n *= 1024; if (u == "K") n /= 1024;
        print int(n); exit }'
}
first_row() { tl_table_names | head -n1; }

echo "# live machine: $BASE"
tl_start 120 40 -- -d 0.5
tl_check "live header" tl_wait 'cgroup (v1|v2|hybrid) +interval 0\.5s'
tl_keys / ; tl_text "memtop-tui-live-$$"; tl_keys Enter
# The kubepods-shaped tree sits below our own cgroup, not at the top of the
# hierarchy: whether the classifier lists its pod depends on how far it
# looks for kubepods, so the pod row is optional (it sorts with its container).
PODP="pod:$(printf '%08x' $$)"
ws_order() { tl_names_are docker:a1000000 "*:c2000000" || tl_names_are docker:a1000000 "$PODP" "*:c2000000"; }
cache_order() { tl_names_are "*:c2000000" docker:a1000000 || tl_names_are "$PODP" "*:c2000000" docker:a1000000; }
tl_check "filter by our test directory shows our containers, WS order" tl_until "$TL_TIMEOUT" ws_order
tl_check "anon container: WS >= 60M" tl_until 10 eval '[ "$(ws_mib docker:a1)" -ge 60 ]'
tl_check "anon container: limit 256M" tl_wait '^docker:a1[0-9a-f]*[ …]+[0-9.]+M +256M '
tl_keys R
tl_check "R: the anon workload first" tl_until 10 eval 'first_row | grep -q "^docker:a1"'
tl_keys C
tl_check "C: the page cache container (and its pod) first" tl_until "$TL_TIMEOUT" cache_order
tl_keys R Enter
tl_check "Enter: detail of the anon container" tl_wait '^Detail: docker:a1'
tl_check "detail: processes of the container" tl_wait '^Processes +2'
tl_check "detail: the shell holding the memory is the top process" \
    tl_wait '^ +[0-9]+ bash +[0-9.]+M '
tl_check "detail: composition against the limit" tl_wait 'Composition \(bar = limit\)'
tl_keys Escape
tl_resize 80 24
tl_check "80x24 on the live machine" tl_wait '^NAME +WS. +LIMIT +WS%'
tl_keys q
tl_check "q exits 0" eval 'tl_wait_exit && [ "$(tl_fmt "#{pane_dead_status}")" = 0 ]'
tl_check "terminal restored" tl_restored

tl_finish
