#!/bin/sh
# live_risk.sh - OOM-risk verdicts on the real kernel (cgroup v1 memory).
#
# Creates four child cgroups below this process's own memory cgroup, runs a
# workload in each (tests/workload) while `memtop --json -a -d 0.5` samples
# them, then checks the verdicts:
#   grow   256 MiB limit, anon +6 MiB/s: HIGH with an ETA before any OOM kill
#   tmpfs  96 MiB limit, 64 MiB tmpfs file: shmem in the floor, >= WATCH
#   cache  64 MiB limit, 400 MiB file read once: at the limit, never HIGH
#          (but for ticks of real thrashing the kernel counted, see below)
#   oom    100 MiB limit, allocating past it: CRITICAL with the kill sentence
# Needs root and a writable v1 memory cgroup, else exits 77.  About 60 s.
set -u

passed=0
failed=0
skip() {
    echo "SKIP: $*"
    echo "0 passed, 0 failed"
    exit 77
}

builddir=${top_builddir:-.}
MEMTOP=${MEMTOP:-$builddir/src/memtop}
WORKLOAD=${WORKLOAD:-$builddir/tests/workload}
[ "$(id -u)" = 0 ] || skip "needs root to create memory cgroups"
command -v python3 >/dev/null 2>&1 || skip "needs python3 to read the JSON"
[ -x "$WORKLOAD" ] || skip "workload helper $WORKLOAD not built"
rel=$(sed -n 's/^[0-9]*:memory:\(.*\)$/\1/p' /proc/self/cgroup)
[ -n "$rel" ] || skip "no cgroup v1 memory controller for this process"
[ "$rel" = / ] && rel=
base=/sys/fs/cgroup/memory$rel
[ -f "$base/memory.limit_in_bytes" ] && [ -w "$base" ] ||
    skip "memory cgroup $base is not writable"
name=memtop-live-risk-$$
dir=$base/$name
mkdir "$dir" 2>/dev/null || skip "cannot create $dir"

shm=/dev/shm/$name
data=${TMPDIR:-/var/tmp}/$name.dat
out=${TMPDIR:-/tmp}/$name.json
[ -n "${KEEP_JSON:-}" ] && out=$KEEP_JSON
pids=
cleanup() {
    for p in $pids; do
        kill -9 "$p" 2>/dev/null
    done
    for p in $pids; do
        wait "$p" 2>/dev/null
    done
    rm -f "$shm" "$data"
    [ -n "${KEEP_JSON:-}" ] || rm -f "$out"
    for c in grow tmpfs cache oom; do
        [ -d "$dir/$c" ] || continue
        # wait (bounded) for killed tasks to leave before rmdir
        i=0
        while [ -s "$dir/$c/cgroup.procs" ] && [ $i -lt 50 ]; do
            sleep 0.1
            i=$((i + 1))
        done
        rmdir "$dir/$c" 2>/dev/null
    done
    rmdir "$dir" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 1' INT TERM

mkcg() {
    mkdir "$dir/$1" && echo "$2" > "$dir/$1/memory.limit_in_bytes" ||
        skip "cannot configure cgroup $dir/$1"
}

# Run a command inside cgroup $1 (in the background).
run_in() {
    cg=$1
    shift
    sh -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$dir/$cg" "$@" >/dev/null &
    pids="$pids $!"
}

mkcg grow 268435456
mkcg tmpfs 100663296
mkcg cache 67108864
mkcg oom 104857600
dd if=/dev/zero of="$data" bs=1M count=400 conv=fsync status=none ||
    skip "cannot write the 400 MiB cache file $data"

# Poll until $1 succeeds or $2 tenths of a second pass.
wait_for() {
    i=0
    while ! eval "$1"; do
        [ $i -ge "$2" ] && return 1
        sleep 0.1
        i=$((i + 1))
    done
}

run_in tmpfs "$WORKLOAD" tmpfs "$shm" 64
run_in cache "$WORKLOAD" cache "$data" 10
"$MEMTOP" --json -a -n 0 -d 0.5 > "$out" &
memtop_pid=$!
pids="$pids $memtop_pid"
# Start the growing workloads only once memtop is sampling (slow under load
# or sanitizers), so their whole history is seen.
wait_for '[ "$(wc -l < "$out")" -ge 2 ]' 300 || echo "memtop is slow to start"
run_in grow "$WORKLOAD" grow 6 400
grow_pid=$!
sleep 2
run_in oom "$WORKLOAD" hog 40
# The grower reaches its limit after ~43 s and is OOM-killed; give memtop
# a few more ticks, then stop it (SIGTERM ends it cleanly).
wait_for '! kill -0 $grow_pid 2>/dev/null' 900 || echo "grow workload still alive"
n=$(wc -l < "$out")
wait_for '[ "$(wc -l < "$out")" -ge $((n + 6)) ]' 100
kill -TERM "$memtop_pid" 2>/dev/null
wait "$memtop_pid"
rc=$?
[ $rc = 0 ] || echo "memtop exited with $rc"
# The kernel's own totals for the cache reader (see the cache check).
kstat() {
    awk -v k="$1" '$1 == k { print $2 }' "$dir/cache/memory.stat" 2>/dev/null
}
cache_refaults=$(kstat total_workingset_refault_file)
cache_majflt=$(kstat total_pgmajfault)

python3 - "$out" "$rel/$name" "${cache_refaults:-0}" "${cache_majflt:-0}" <<'EOF'
import json
import os
import sys

path, base = sys.argv[1], sys.argv[2]
kernel_refaults, kernel_majflt = int(sys.argv[3]), int(sys.argv[4])
ticks = [json.loads(line) for line in open(path) if line.strip()]
MiB = 1 << 20


def entries(name):
    """(tick index, cgroup object) for every tick that lists base/name."""
    for i, t in enumerate(ticks):
        for c in t["cgroups"]:
            if c["path"] == base + "/" + name and c.get("risk"):
                yield i, c


results = []


def check(ok, what, detail):
    results.append(ok)
    print(("ok   " if ok else "FAIL ") + what + ": " + detail)


# grow: HIGH (or worse) with an ETA while nothing was killed yet.
hit = None
for i, c in entries("grow"):
    r = c["risk"]
    if r["level"] in ("HIGH", "CRITICAL") and r["eta_ws_s"] is not None and not c["oom_kills"]:
        hit = (i, c)
        break
if hit:
    i, c = hit
    check(True, "anon growth reaches HIGH with an ETA",
          "tick %d: ws %.0f MiB of 256, eta_ws %.0f s, level %s, rules %s"
          % (i, c["working_set"] / MiB, c["risk"]["eta_ws_s"], c["risk"]["level"],
             c["risk"]["rules"]))
else:
    last = [(i, c["working_set"], c["risk"]["level"], c["risk"]["eta_ws_s"])
            for i, c in entries("grow")][-5:]
    check(False, "anon growth reaches HIGH with an ETA", "never; last ticks %s" % last)

# tmpfs: shmem counted in the floor, at least WATCH at the end.
tm = list(entries("tmpfs"))
if tm:
    i, c = tm[-1]
    r = c["risk"]
    ok = (c["shmem"] >= 60 * MiB and r["floor"] >= c["shmem"]
          and r["reclaimable"] < 96 * MiB - c["shmem"]
          and r["level"] in ("WATCH", "HIGH", "CRITICAL"))
    check(ok, "64 MiB tmpfs in 96 MiB is non-reclaimable and >= WATCH",
          "shmem %.1f MiB, floor %.1f MiB, reclaimable %.1f MiB, level %s, rules %s"
          % (c["shmem"] / MiB, r["floor"] / MiB, r["reclaimable"] / MiB, r["level"],
             r["rules"]))
else:
    check(False, "64 MiB tmpfs in 96 MiB is non-reclaimable and >= WATCH", "cgroup not listed")

# cache: at its limit at some point, never HIGH or CRITICAL for being at
# it.  One exception is right, not wrong: the kernel may evict some pages
# before they are read (readahead under the limit, or the host's proactive
# reclaim) and report them as refaults; H6 (thrashing) is then the correct
# verdict for that tick, if the refault or major-fault rate memtop printed
# for it crosses H6's threshold and the faults it implies are no more than
# the kernel counted for the cgroup in the whole run.  Ticks held at HIGH by
# hysteresis (no rule of their own) follow the tick that raised them.
PAGE = os.sysconf("SC_PAGE_SIZE")
tick_time = [t["time"] for t in ticks]


def thrash_explained(c):
    r = c["risk"]
    lim = r.get("limit") or 0
    refault_pct = 100.0 * (c.get("refault_rate") or 0) * PAGE / lim if lim else 0
    return refault_pct >= 1.0 or (c.get("pgmajfault_rate") or 0) >= 1000


ca = list(entries("cache"))
levels = sorted({c["risk"]["level"] for _, c in ca})
peak_use = max([c["risk"]["use_ratio"] or 0 for _, c in ca] or [0])
bad, thrash, raised_ok = [], [], True
for i, c in ca:
    r = c["risk"]
    if r["level"] not in ("HIGH", "CRITICAL"):
        continue
    raising = [x for x in r["rules"] if x[0] in "HC"]
    if not raising:
        if not raised_ok:
            bad.append((i, r["level"], r["rules"]))
        continue
    raised_ok = set(raising) == {"H6"} and thrash_explained(c)
    (thrash if raised_ok else bad).append((i, r["level"], r["rules"]))
implied_refaults = implied_majflt = 0.0
for i, _, _ in thrash:
    c = dict(ca)[i]
    dt = tick_time[i] - tick_time[i - 1] if i > 0 else 0
    implied_refaults += (c.get("refault_rate") or 0) * dt
    implied_majflt += (c.get("pgmajfault_rate") or 0) * dt
if thrash and (implied_refaults > kernel_refaults * 1.1 + 16 or
               implied_majflt > kernel_majflt * 1.1 + 16):
    bad.append(("thrash rates imply %.0f refaults / %.0f major faults, the kernel counted "
                "%d / %d" % (implied_refaults, implied_majflt, kernel_refaults, kernel_majflt),))
check(bool(ca) and peak_use >= 0.9 and not bad,
      "page-cache reader at its limit stays below HIGH",
      "peak usage %.0f%% of limit, levels seen %s%s%s"
      % (100 * peak_use, levels, (", bad ticks %s" % bad[:3]) if bad else "",
         (", HIGH from measured refaults at ticks %s" % [t[0] for t in thrash])
         if thrash else ""))

# oom: CRITICAL with C1 and the kill sentence.
crit = None
for i, c in entries("oom"):
    r = c["risk"]
    if r["level"] == "CRITICAL" and "C1" in r["rules"]:
        crit = (i, c)
        break
if crit:
    i, c = crit
    sent = [s for s in c["risk"]["sentences"] if "OOM killer killed" in s]
    check(bool(sent), "allocating past 100 MiB gives CRITICAL with the OOM-kill sentence",
          "tick %d: %s" % (i, sent[0] if sent else c["risk"]["sentences"]))
else:
    seen = sorted({c["risk"]["level"] for _, c in entries("oom")})
    kills = max([c["oom_kills"] or 0 for _, c in entries("oom")] or [0])
    check(False, "allocating past 100 MiB gives CRITICAL with the OOM-kill sentence",
          "levels seen %s, oom_kills %d" % (seen, kills))

print("%d passed, %d failed" % (results.count(True), results.count(False)))
sys.exit(0 if all(results) else 1)
EOF
