#!/bin/sh
# oom_real.sh - a real OOM kill on this kernel (cgroup v1 memory, root).
#
# A container-like cgroup (docker-<id>.scope) below memtop's own memory
# cgroup gets a 64 MiB limit and a process that allocates 128 MiB.  memtop,
# running through the kill and reading the kernel log, must report the kill
# with the victim's pid and command, and keep the container listed after the
# test removes its cgroup (OOM tombstone), while a sibling that was not
# killed disappears after the ordinary tombstone time.
set -u

MEMTOP=${MEMTOP:-src/memtop}
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
skip() { echo "SKIP: $1"; echo "0 passed, 0 failed"; exit 77; }

[ "$(id -u)" = 0 ] || skip "needs root (creates a memory cgroup)"
command -v python3 >/dev/null 2>&1 || skip "needs python3"
memline=$(grep -E '^[0-9]+:([^:]*,)?memory(,[^:]*)?:' /proc/self/cgroup | head -n 1)
[ -n "$memline" ] || skip "no cgroup v1 memory controller"
mypath=${memline#*:}
mypath=${mypath#*:}
base=/sys/fs/cgroup/memory${mypath%/}
[ -w "$base" ] || skip "memory cgroup $base is not writable"
dd if=/dev/kmsg of=/dev/null bs=8192 count=1 iflag=nonblock 2>/dev/null ||
    skip "/dev/kmsg is not readable (memtop would only see the counters)"

id1=$(printf 'memtop-oomreal-%s-a' "$$" | sha256sum | cut -c1-64)
id2=$(printf 'memtop-oomreal-%s-b' "$$" | sha256sum | cut -c1-64)
cg1=$base/docker-$id1.scope
cg2=$base/docker-$id2.scope
tmp=$(mktemp -d)
mtpid=
hogpid=
victim=

cleanup() {
    [ -n "$hogpid" ] && kill -9 "$hogpid" 2>/dev/null
    [ -n "$mtpid" ] && kill "$mtpid" 2>/dev/null && wait "$mtpid" 2>/dev/null
    for c in "$cg1" "$cg2"; do
        [ -d "$c" ] && rmdir "$c" 2>/dev/null
    done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

mkdir "$cg1" "$cg2" || skip "cannot create a child memory cgroup in $base"
echo $((64 * 1024 * 1024)) > "$cg1/memory.limit_in_bytes" || skip "cannot set a memory limit"

# A distinctive command name (comm) for the victim: a symlink to python3.
pybin=$(python3 -c "import os, sys; print(os.path.realpath(sys.executable))")
ln -s "$pybin" "$tmp/oomhog$$"
hogname=$(printf 'oomhog%s' "$$" | cut -c1-15)

# memtop: every 0.5 s, ordinary tombstones 1 s, OOM tombstones 10 min.
"$MEMTOP" --json -n 0 -d 0.5 --oom-source kmsg --tombstone 1 --oom-tombstone 600 \
    > "$tmp/out.json" 2> "$tmp/err.txt" &
mtpid=$!

cat > "$tmp/check.py" <<EOF
import json, sys
id1, id2, hog = "$id1", "$id2", "$hogname"
lines = [json.loads(l) for l in sys.stdin if l.strip()]
def entry(t, cid):
    for c in t["cgroups"]:
        if c.get("id") == cid:
            return c
    return None
def killed(c):
    return c is not None and any(
        ev.get("pid") == int(sys.argv[2]) and ev.get("comm") == hog and ev.get("source") == "kmsg"
        for ev in c.get("oom_history", []))
cond = sys.argv[1]
last = lines[-1] if lines else None
ok = False
if cond == "started":
    ok = last is not None and entry(last, id1) is not None
elif cond == "killed":
    ok = any(killed(entry(t, id1)) for t in lines)
elif cond == "gone":
    c = entry(last, id1) if last else None
    ok = c is not None and c.get("state") == "gone" and killed(c)
elif cond == "tomb":
    c1 = entry(last, id1) if last else None
    c2 = entry(last, id2) if last else None
    # exactly one kill: the counter increase is explained by the report
    ok = (c1 is not None and c1.get("state") == "gone" and killed(c1) and
          len(c1["oom_history"]) == 1 and c2 is None)
sys.exit(0 if ok else 1)
EOF

# check.py wants the victim pid as argv[2]; until it is known use 0.
wait_for_pid() { # cond secs
    deadline=$(( $(date +%s) + $2 ))
    while [ "$(date +%s)" -le "$deadline" ]; do
        python3 "$tmp/check.py" "$1" "${victim:-0}" < "$tmp/out.json" 2>/dev/null && return 0
        sleep 0.2
    done
    return 1
}

if wait_for_pid started 30; then
    ok "memtop lists the test container"
else
    bad "memtop did not list the test container in 30 s"; cat "$tmp/err.txt"
fi

# The victim: joins cg1, then touches 128 MiB (the limit is 64 MiB).
sh -c 'echo $$ > "$1/cgroup.procs" && exec "$2" -c "b = b\"x\" * (128 << 20)"' \
    hog "$cg1" "$tmp/oomhog$$" 2>/dev/null &
hogpid=$!
wait "$hogpid" 2>/dev/null
hogrc=$?
victim=$hogpid
hogpid=
if [ "$hogrc" -eq 137 ]; then
    ok "the kernel killed the hog (pid $victim, exit 137)"
else
    bad "the hog was not OOM-killed (exit $hogrc)"
fi

if wait_for_pid killed 20; then
    ok "memtop reported the kill with pid $victim and command $hogname (kmsg)"
else
    bad "memtop did not report the kill of pid $victim ($hogname)"
fi

# Remove both cgroups; the killed one must stay listed, the other must go.
rmdir "$cg1" "$cg2"
if wait_for_pid gone 20; then
    ok "after rmdir the container is listed as gone with its kill history"
else
    bad "the removed container was not listed as gone with its kill"
fi
sleep 3     # well past the ordinary 1 s tombstone
if wait_for_pid tomb 10; then
    ok "3 s later the OOM tombstone is still listed (one kill, no duplicate counter kill), the unkilled sibling is not"
else
    bad "OOM tombstone not kept (or the unkilled sibling was kept)"
fi

kill "$mtpid" 2>/dev/null
wait "$mtpid" 2>/dev/null
mtpid=
python3 - "$tmp/out.json" "$id1" <<'EOF'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
for t in lines:
    for c in t["cgroups"]:
        if c.get("id") == sys.argv[2] and c["oom_history"]:
            ev = c["oom_history"][0]
            print("measured: first tick listing the kill began %+.2f s after the kernel logged it; anon_rss %s, "
                  "file_rss %s, shmem_rss %s bytes" % (t["time"] - ev["time"], ev["anon_rss"],
                  ev["file_rss"], ev["shmem_rss"]))
            sys.exit(0)
EOF

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
