#!/bin/sh
# live_v1.sh - memtop against the real cgroup v1 memory controller.
#
# Creates container-shaped cgroups BELOW memtop's own memory cgroup (docker
# cgroupfs layout and a kubepods burstable pod), runs a process touching
# 64 MiB of anon memory in one and one filling 64 MiB of page cache in the
# other, and checks what `memtop --json --all` reports.  Everything created
# is removed on exit.  Needs root and a writable v1 memory cgroup (else 77).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

needs_v1_workload

ID=$(printf 'e%.0s' $(seq 64))
UID_=5d1e7a2c-0b9f-4c1d-8e2a-7f3b6c5d4e01
top="$base/memtop-live-$$"
DOCKER="$top/docker/$ID"
POD="$top/kubepods/burstable/pod$UID_"
CTR="$POD/$(printf 'f%.0s' $(seq 64))"
tmp=$(mktemp -d /var/tmp/memtop-live.XXXXXX)
pids=""

cleanup() {
    stop_pids $pids
    rmdir_cgroups "$top"
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

mkdir -p "$DOCKER" "$CTR" || skip_all "cannot create cgroups below $base"
echo $((256 << 20)) >"$POD/memory.limit_in_bytes"

# start WORKLOAD ARGS... in cgroup DIR; wait until it says ready
start_in() {
    dir=$1; shift
    sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' sh "$dir" "$WL" "$@" >"$tmp/ready.$$" &
    pids="$pids $!"
    for i in $(seq 100); do
        grep -q ready "$tmp/ready.$$" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

check "anon workload started in the docker-shaped cgroup" start_in "$DOCKER" anon 64
check "page-cache workload started in the kubepods container" start_in "$CTR" writefile "$tmp/cache.dat" 64

# memory.stat is flushed every ~2 s (SPEC 2.8): wait until the kernel shows
# the workloads before sampling
settled() {
    rss=$(awk '$1 == "total_rss" {print $2}' "$DOCKER/memory.stat")
    cache=$(awk '$1 == "total_cache" {print $2}' "$CTR/memory.stat")
    [ "$rss" -ge $((60 << 20)) ] && [ "$cache" -ge $((60 << 20)) ]
}
for i in $(seq 60); do settled && break; sleep 0.25; done
check "the kernel shows both workloads in memory.stat" settled

rel_top=${top#"$(awk '$9 == "cgroup" && $0 ~ /[ ,]memory([ ,]|$)/ { print $5; exit }' /proc/self/mountinfo)"}
"$MEMTOP" --json --all >"$tmp/out.json" || fail "memtop --json failed"
# the kernel's own view, read right after
cat "$DOCKER/memory.stat" >"$tmp/docker.stat"
cat "$DOCKER/memory.usage_in_bytes" >"$tmp/docker.usage"

check "memtop reports both workloads as the right containers" "$PY" - "$tmp" "$rel_top" "$ID" <<'PYEOF'
import json, sys
tmp, rel, cid = sys.argv[1], sys.argv[2], sys.argv[3]
t = json.load(open(tmp + "/out.json"))
cg = {c["path"]: c for c in t["cgroups"]}
MiB = 1 << 20
d = cg[rel + "/docker/" + cid]
assert d["kind"] == "container" and d["runtime"] == "docker" and d["id"] == cid, d
# 64 MiB of anon put in: within 5%
assert abs(d["anon"] - 64 * MiB) <= 0.05 * 64 * MiB, d["anon"]
# working set = usage - inactive_file of the same read
assert d["working_set"] == max(0, d["usage"] - d["inactive_file"]), d
# the kernel's files, read right after memtop: same magnitude
st = dict(l.split() for l in open(tmp + "/docker.stat"))
assert abs(int(st["total_rss"]) - d["anon"]) <= 2 * MiB, (st["total_rss"], d["anon"])
u = int(open(tmp + "/docker.usage").read())
assert abs(u - d["usage"]) <= 4 * MiB, (u, d["usage"])
pods = [c for c in t["cgroups"] if c["kind"] == "pod" and c["path"].startswith(rel)]
assert len(pods) == 1 and pods[0]["qos"] == "burstable", pods
assert pods[0]["pod_uid"] == "5d1e7a2c-0b9f-4c1d-8e2a-7f3b6c5d4e01"
ctr = [c for c in t["cgroups"] if c["path"].startswith(pods[0]["path"] + "/")]
assert len(ctr) == 1 and ctr[0]["kind"] == "container" and ctr[0]["runtime"] == "cri", ctr
c = ctr[0]
# 64 MiB of page cache put in: within 5%
assert abs(c["file"] - 64 * MiB) <= 0.05 * 64 * MiB, c["file"]
assert c["working_set"] == max(0, c["usage"] - c["inactive_file"]), c
# the pod's 256 MiB limit binds the container
assert c["limit"] == 256 * MiB and c["limit_from"] == pods[0]["path"], (c["limit"], c["limit_from"])
PYEOF
"$MEMTOP" -b >"$tmp/out.txt"
check "batch mode lists the docker container by short id" grep -q "docker:eeeeeeeeeeee" "$tmp/out.txt"
finish
