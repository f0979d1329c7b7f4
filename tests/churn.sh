#!/bin/sh
# churn.sh - memtop keeps up with cgroups coming and going.  While memtop
# runs (JSON, every cgroup, -d 0.2, tombstones 1 s), create and destroy
# CHURN_RATE cgroups per second (default 20), each with a short-lived
# process (tests/churner), for CHURN_SECS (default 20; `make churn-long` runs 600).  Then:
# no crash, a clean exit on SIGTERM (no ASan/LSan report when built with
# --enable-sanitizers), no fd left open on a removed cgroup, and no removed
# cgroup in the JSON once its tombstone time has passed.
# Needs root and a writable cgroup v1 memory hierarchy, else exits 77.
. "$(dirname "$0")/lib.sh"

secs=${CHURN_SECS:-20}
rate=${CHURN_RATE:-20}
[ "$(id -u)" -eq 0 ] || skip_all "needs root"
own=$(own_v1_memcg) || skip_all "no writable cgroup v1 memory hierarchy"
base=$own/memtop-churn-$$
mkdir "$base" || skip_all "cannot create $base"
tmp=$(mktemp -d)
mpid=""

cleanup() {
    trap - EXIT
    [ -n "$mpid" ] && kill "$mpid" 2>/dev/null && wait "$mpid" 2>/dev/null
    find "$base" -depth -type d -exec rmdir {} + 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$MEMTOP" --json --all -n 0 -d 0.2 --tombstone 1 > "$tmp/out.json" 2> "$tmp/err" &
mpid=$!
# Wait for the first frame (deadline, not a fixed sleep).
t=0
while [ ! -s "$tmp/out.json" ] && [ $t -lt 300 ]; do sleep 0.1; t=$((t + 1)); done
check "memtop started (first frame)" [ -s "$tmp/out.json" ]
fd0=$(ls "/proc/$mpid/fd" | wc -l)
fdbase0=$(ls -l "/proc/$mpid/fd" 2>/dev/null | grep -c "memtop-churn-$$/memory")

churner=${CHURNER:-$(dirname "$MEMTOP")/../tests/churner}
[ -x "$churner" ] || skip_all "tests/churner not built"
res=$("$churner" "$base" "$rate" "$secs")
echo "churn: $res in ${secs}s (target $rate/s)"
created=$(echo "$res" | awk '{ print $2 }')
check "churner removed everything it made ($res)" [ "$(echo "$res" | awk '{ print $6 }')" -eq 0 ]
left=$(find "$base" -mindepth 1 -type d | wc -l)
check "every churned cgroup was removed by the test ($left left)" [ "$left" -eq 0 ]

# Tombstones last 1 s; give memtop a few ticks past that (deadline).
t=0
while [ $t -lt 100 ]; do
    sleep 0.2
    t=$((t + 1))
    last=$(tail -n 1 "$tmp/out.json")
    case $last in *"memtop-churn-$$/c"*) ;; *) [ $t -ge 15 ] && break ;; esac
done
check "memtop still running after the churn" kill -0 "$mpid"
seen=$(grep -o "memtop-churn-$$/c[0-9]*" "$tmp/out.json" | sort -u | wc -l)
# Each cgroup lives about a second; a slow (ASan, loaded host, large tree)
# memtop tick misses some, so ask only for a tenth of them.
check "memtop saw the churned cgroups ($seen of $created)" [ "$seen" -gt $((created / 10)) ]
stale=$(tail -n 1 "$tmp/out.json" | grep -o "memtop-churn-$$/c[0-9]*" | sort -u | wc -l)
check "no stale rows after the sweep ($stale)" [ "$stale" -eq 0 ]
fd1=$(ls "/proc/$mpid/fd" | wc -l)
fdc=$(ls -l "/proc/$mpid/fd" 2>/dev/null | grep -c "memtop-churn-$$/c")
fdbase1=$(ls -l "/proc/$mpid/fd" 2>/dev/null | grep -c "memtop-churn-$$/memory")
echo "fds: $fd0 before, $fd1 after (the rest of the live tree may have changed meanwhile)"
check "no fd left on a removed cgroup ($fdc)" [ "$fdc" -eq 0 ]
check "fds on the churn parent unchanged ($fdbase0 -> $fdbase1)" [ "$fdbase0" -eq "$fdbase1" ]

kill -TERM "$mpid"
wait "$mpid"
rc=$?
mpid=""
check "memtop exits 0 on SIGTERM (rc $rc)" [ $rc -eq 0 ]
if grep -qE 'Sanitizer|runtime error' "$tmp/err"; then
    fail "sanitizer report:"; head -n 20 "$tmp/err"
else
    ok "no sanitizer report (leaks included when built with --enable-sanitizers)"
fi
finish
