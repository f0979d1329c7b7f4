#!/bin/sh
# record_live.sh - record and replay a real cgroup v1 workload.
#
# Below memtop's own memory cgroup, a docker-shaped cgroup with a 48 MiB
# limit runs a process that grows by 16 MiB/s until the kernel OOM-kills
# it.  `memtop -w FILE --json --dump-on-oom DIR` records it; the replayed
# JSON must be identical to what memtop printed live, the workload and its
# OOM kill must be in the recording, and the OOM dump must hold the ticks
# before the kill.  Needs root and a writable v1 memory cgroup (else 77).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

needs_v1_workload

ID=$(printf 'a%.0s' $(seq 60))$$
ID=$(printf '%.64s' "${ID}000000000")
top="$base/memtop-record-live-$$"
CG="$top/docker/$ID"
tmp=$(mktemp -d /var/tmp/memtop-record-live.XXXXXX)
pids=""
mt=""

cleanup() {
    stop_pids $mt $pids
    rmdir_cgroups "$top"
    [ -n "${KEEP:-}" ] && echo "kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

mkdir -p "$CG" || skip_all "cannot create cgroups below $base"
echo $((48 << 20)) >"$CG/memory.limit_in_bytes" || skip_all "cannot set a memory limit"
[ -f "$CG/memory.memsw.limit_in_bytes" ] && echo $((48 << 20)) >"$CG/memory.memsw.limit_in_bytes"
grep -q '^oom_kill ' "$CG/memory.oom_control" || skip_all "kernel without the v1 oom_kill counter"
mkdir "$tmp/dumps"

"$MEMTOP" -w "$tmp/live.rec" --json -d 0.5 --history 60 --dump-on-oom "$tmp/dumps" \
    --min-free 0 >"$tmp/live.json" 2>"$tmp/memtop.err" &
mt=$!
# a few ticks before the workload starts, so the dump has a "before"
for i in $(seq 100); do [ "$(wc -l <"$tmp/live.json")" -ge 3 ] && break; sleep 0.2; done
# the workload: 16 MiB/s up to 128 MiB, far above the 48 MiB limit
sh -c 'echo $$ > "$1/cgroup.procs" && exec "$2" grow 16 128' sh "$CG" "$WL" >"$tmp/wl.out" &
wl=$!
pids="$wl"

killed() { [ "$(awk '$1 == "oom_kill" {print $2}' "$CG/memory.oom_control")" -ge 1 ]; }
dumped() { ls "$tmp/dumps"/memtop-oom-*.rec >/dev/null 2>&1; }
for i in $(seq 300); do killed && break; sleep 0.2; done
check "the kernel OOM-killed the workload" killed
for i in $(seq 100); do dumped && break; sleep 0.1; done
check "an OOM dump was written when the kernel killed the workload" dumped
sleep 1.2       # two more ticks after the kill
kill "$mt"; wait "$mt"
rc=$?
mt=""
check "memtop -w exits cleanly on SIGTERM (status $rc)" test "$rc" -eq 0
grep -q 'OOM kill seen: wrote the last 60 ticks to' "$tmp/memtop.err" &&
    ok "memtop says where the OOM dump went" || fail "memtop says where the OOM dump went"

"$MEMTOP" -R "$tmp/live.rec" --json >"$tmp/replay.json" 2>"$tmp/replay.err"
check "the replay prints as many ticks as were live ($(wc -l <"$tmp/live.json"))" \
    test "$(wc -l <"$tmp/live.json")" -eq "$(wc -l <"$tmp/replay.json")"
check "replayed JSON is identical to the live JSON (forensics fields aside)" same_json "$tmp/live.json" "$tmp/replay.json"
check "the replay reports no damage" test ! -s "$tmp/replay.err"

rel=${CG#"$(awk '$9 == "cgroup" && $0 ~ /[ ,]memory([ ,]|$)/ { print $5; exit }' /proc/self/mountinfo)"}
check "the recording shows the workload growing and its OOM kill" "$PY" - "$tmp/replay.json" "$rel" <<'PYEOF'
import json, sys
path = sys.argv[2]
usage, kills = [], []
for line in open(sys.argv[1]):
    for c in json.loads(line)["cgroups"]:
        if c["path"] == path:
            usage.append(c["usage"] or 0)
            kills.append(c["oom_kills"] or 0)
assert usage, "workload cgroup not in the recording"
assert max(usage) >= 8 << 20, max(usage)
assert kills[0] == 0 and kills[-1] >= 1, kills
PYEOF
dump=$(ls "$tmp/dumps"/memtop-oom-*.rec | head -1)
"$MEMTOP" -R "$dump" --json >"$tmp/dump.json" 2>"$tmp/dump.err"
check "the OOM dump replays without damage" test "$?" -eq 0 -a ! -s "$tmp/dump.err"
check "the OOM dump ends with the kill and holds the ticks before it" "$PY" - "$tmp/dump.json" "$rel" <<'PYEOF'
import json, sys
path = sys.argv[2]
ticks = [json.loads(l) for l in open(sys.argv[1])]
assert len(ticks) >= 3, len(ticks)
mine = [[c for c in t["cgroups"] if c["path"] == path] for t in ticks]
last = mine[-1][0]
assert last["oom_kills"] >= 1, last
assert any(m and (m[0]["oom_kills"] or 0) == 0 for m in mine[:-1]), "no tick before the kill"
PYEOF
finish
