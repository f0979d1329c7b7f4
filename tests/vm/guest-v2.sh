#!/bin/sh
# guest-v2.sh - memtop on a real cgroup v2 kernel; runs as the test script of
# tests/vm/run-vm.sh (busybox sh, in /t, which holds memtop, mtwork, jflat and
# check-v2.awk).  Builds container-shaped cgroups, runs real workloads in
# them, then runs memtop --json and memtop -b and compares every normalized
# field with the kernel's files read right afterwards (check-v2.awk).
# Prints "N passed, N failed" and exits 1 when a check failed.
set -u
C=/sys/fs/cgroup
MIB=1048576
T0=$(cut -d' ' -f1 /proc/uptime)
say() { echo "guest-v2: $*"; }

hexid() { echo "$1" | sha256sum | cut -c1-64; }
enable() { echo +memory > "$C/$1/cgroup.subtree_control" || say "cannot enable memory in $1"; }
mkcg() { mkdir -p "$C/$1" || say "cannot create $1"; }
setf() { echo "$3" > "$C/$1/$2" || say "cannot write $3 to $1/$2"; }

POD1_UID=6f2a3c1e-8b1d-4c5e-9a7f-0d1e2f3a4b5c
POD2_UID=0b9d7e21-55aa-4c10-8e3e-f00dcafe1234
POD1_=$(echo $POD1_UID | tr - _)
POD2_=$(echo $POD2_UID | tr - _)
ID_JAVA=$(hexid java); ID_OOM=$(hexid oom); ID_PAUSE=$(hexid pause)
ID_NGINX=$(hexid nginx); ID_REDIS=$(hexid redis); ID_PG=$(hexid postgres)

KP=kubepods.slice
KB=$KP/kubepods-burstable.slice
POD1=$KB/kubepods-burstable-pod$POD1_.slice
POD2=$KB/kubepods-burstable-pod$POD2_.slice
JAVA=system.slice/docker-$ID_JAVA.scope
OOMD=system.slice/docker-$ID_OOM.scope
PAUSE=$POD1/cri-containerd-$ID_PAUSE.scope
NGINX=$POD1/cri-containerd-$ID_NGINX.scope
REDIS=$POD2/cri-containerd-$ID_REDIS.scope
PG=machine.slice/libpod-$ID_PG.scope
PLAIN=memtest

# ---- files on a block device (ext2 on zram), not yet in the page cache ----
mtwork -x write /disk/www.dat 8 && mtwork -x write /disk/www.idx 2 &&
    mtwork -x write /disk/big.dat 12 || say "cannot write the disk files"
sync
echo 3 > /proc/sys/vm/drop_caches

TD=$(cut -d' ' -f1 /proc/uptime)

# ---- the tree ----
for d in system.slice $KP $KB $POD1 $POD2 machine.slice; do mkcg $d; enable $d; done
for d in $JAVA $OOMD $PAUSE $NGINX $REDIS $PG $PLAIN $PLAIN/nomem; do mkcg $d; done
setf $KP memory.max 400M
setf $POD1 memory.max 96M           # the binding limit of the pod's containers
setf $REDIS memory.high 8M          # page cache beyond it is reclaimed: high events
setf $OOMD memory.max 8M
setf $OOMD memory.swap.max 0
setf $PG memory.max 8M              # 16 MiB of anon: the rest goes to zram swap
setf $PG memory.low 4M

# ---- workloads (each joins its cgroup itself, then holds its memory) ----
R=/tmp/ready
mkdir -p $R
mtwork -c $C/$JAVA -r $R/java anon 16 &
mtwork -c $C/$PAUSE -r $R/pause hold &
mtwork -c $C/$NGINX -r $R/nginx read /disk/www.dat &
mtwork -c $C/$NGINX -r $R/nginxmap map /disk/www.idx &
mtwork -c $C/$REDIS -r $R/redis read /disk/big.dat &
mtwork -c $C/$PG -r $R/pg anon 16 &
mtwork -c $C/$PLAIN -x write /dev/shm/shm.dat 4 || say "tmpfs writer failed"
# 16 MiB into 8 MiB without swap: the kernel's OOM killer ends it
mtwork -c $C/$OOMD -r $R/oom anon 16 &
OOM_PID=$!
wait $OOM_PID
OOM_RC=$?

# the guest clock runs unevenly under TCG on a busy host; run-vm.sh's
# --timeout is the real bound, this one only reports a stuck workload
deadline=$(( $(cut -d. -f1 /proc/uptime) + 240 ))
for w in java pause nginx nginxmap redis pg; do
    while [ ! -e $R/$w ]; do
        [ "$(cut -d. -f1 /proc/uptime)" -lt $deadline ] || { say "workload $w not ready after 240 s"; break; }
        sleep 0.2
    done
done
# Debian's kernel has THP "always": khugepaged would keep collapsing the
# idle workloads' pages into huge pages (and the podman scope, at its limit,
# would swap for it), so anon_thp/usage would drift between memtop's read and
# the snapshot.  The workloads have faulted in; stop further collapsing.
echo madvise > /sys/kernel/mm/transparent_hugepage/enabled || say "cannot set THP to madvise"
# memory.stat is flushed from per-CPU counters every 2 s (FLUSH_TIME); wait
# one period so that memtop and the snapshot below see the settled values
sleep 2.5
T1=$(cut -d' ' -f1 /proc/uptime)

# ---- memtop, then the kernel's own files ----
./memtop --json --all -n 2 -d 1 > /tmp/memtop.json 2>/tmp/memtop.err
JSON_RC=$?
T2=$(cut -d' ' -f1 /proc/uptime)
snapshot() {
    find $C -type f \( -name memory.current -o -name memory.max -o -name memory.high \
        -o -name memory.low -o -name memory.min -o -name memory.peak -o -name memory.swap.current \
        -o -name memory.swap.max -o -name memory.stat -o -name memory.events \
        -o -name memory.pressure -o -name cgroup.type \) | sort | xargs awk -v C=$C '
        FNR == 1 { f = FILENAME; n = split(f, a, "/"); base = a[n]
                   dir = substr(f, length(C) + 1, length(f) - length(C) - length(base) - 1)
                   if (dir == "") dir = "/"
                   sub(/^memory\./, "", base) }
        base == "stat" || base == "events" { print dir "\t" base "." $1 "\t" $2; next }
        base == "pressure" { for (i = 2; i <= NF; i++) if ($i ~ /^total=/) print dir "\tpressure." $1 "_total\t" substr($i, 7); next }
        { print dir "\t" base "\t" $1 }'
    # directories without memory files (controller not enabled above them)
    find $C -type d | while read -r d; do
        rel=${d#$C}; echo "${rel:-/}	dir	1"
    done
    awk '{ sub(/:$/, "", $1); print "meminfo\t" $1 "\t" $2 }' /proc/meminfo
}
snapshot > /tmp/kernel.txt
./memtop -b -a -r -n 1 > /tmp/batch.txt 2>/tmp/batch.err
BATCH_RC=$?
T3=$(cut -d' ' -f1 /proc/uptime)
jflat < /tmp/memtop.json > /tmp/memtop.flat || say "memtop's JSON does not parse"
# OOM forensics: the kernel's report of the kill, read back from /dev/kmsg
./memtop --json --all -n 1 --oom-source kmsg --oom-backlog > /tmp/oom.json 2>/tmp/oom.err
OOMJ_RC=$?
jflat < /tmp/oom.json > /tmp/oom.flat || say "memtop's JSON (oom) does not parse"

# ---- expectations that follow from how the tree was built ----
{
    e() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4"; }
    e / kind = cgroup
    e /$JAVA kind = container; e /$JAVA runtime = docker; e /$JAVA id = $ID_JAVA
    e /$JAVA anon '>=' $((15 * MIB))
    e /$OOMD kind = container; e /$OOMD runtime = docker; e /$OOMD id = $ID_OOM
    e /$OOMD oom_kills '>=' 1; e /$OOMD oom_events '>=' 1; e /$OOMD limit_hits '>=' 1
    e /$OOMD limit = $((8 * MIB)); e /$OOMD limit_from = /$OOMD
    e /$KP kind = slice
    e /$POD1 kind = pod; e /$POD1 pod_uid = $POD1_UID; e /$POD1 qos = burstable
    e /$POD1 limit = $((96 * MIB)); e /$POD1 limit_from = /$POD1
    e /$POD2 kind = pod; e /$POD2 pod_uid = $POD2_UID; e /$POD2 qos = burstable
    e /$POD2 limit = $((400 * MIB)); e /$POD2 limit_from = /$KP
    for c in PAUSE:$ID_PAUSE:$POD1_UID NGINX:$ID_NGINX:$POD1_UID REDIS:$ID_REDIS:$POD2_UID; do
        v=${c%%:*}; rest=${c#*:}; eval "p=\$$v"
        e /$p kind = container; e /$p runtime = containerd; e /$p id = ${rest%%:*}
        e /$p pod_uid = ${rest#*:}; e /$p qos = burstable
    done
    e /$PAUSE limit = $((96 * MIB)); e /$PAUSE limit_from = /$POD1
    e /$NGINX limit = $((96 * MIB)); e /$NGINX limit_from = /$POD1
    e /$NGINX file '>=' $((9 * MIB)); e /$NGINX mapped_file '>=' $((1 * MIB))
    e /$REDIS high = $((8 * MIB)); e /$REDIS high_from = /$REDIS
    e /$REDIS high_events '>=' 1; e /$REDIS usage '<=' $((12 * MIB))
    e /$PG kind = container; e /$PG runtime = podman; e /$PG id = $ID_PG
    e /$PG swap '>=' $((4 * MIB)); e /$PG limit = $((8 * MIB)); e /$PG low = $((4 * MIB))
    e /$PLAIN kind = cgroup; e /$PLAIN runtime = null; e /$PLAIN id = null
    e /$PLAIN shmem '>=' $((4 * MIB)); e /$PLAIN limit = null
    e /$PLAIN/nomem memory_accounted = false
    e node cgroup_mode = v2
} > /tmp/expect.txt

say "guest clock: start ${T0}s, disk files ${TD}s, workloads settled ${T1}s, memtop --json done ${T2}s, snapshot and memtop -b done ${T3}s"
fails=0
passes=0
sh_ok() { say "ok: $1"; passes=$((passes + 1)); }
sh_fail() { say "FAIL: $1"; fails=$((fails + 1)); }
[ "$OOM_RC" = 137 ] && sh_ok "OOM workload was SIGKILLed" || sh_fail "OOM workload exit $OOM_RC, not 137"
[ "$JSON_RC" = 0 ] && sh_ok "memtop --json exit 0" || { sh_fail "memtop --json exit $JSON_RC"; cat /tmp/memtop.err; }
[ "$BATCH_RC" = 0 ] && sh_ok "memtop -b exit 0" || { sh_fail "memtop -b exit $BATCH_RC"; cat /tmp/batch.err; }
[ "$(grep -c . /tmp/memtop.json)" = 2 ] && sh_ok "two JSON ticks" || sh_fail "not two JSON ticks"
[ "$OOMJ_RC" = 0 ] && sh_ok "memtop --oom-source kmsg exit 0" || { sh_fail "memtop --oom-source kmsg exit $OOMJ_RC"; cat /tmp/oom.err; }
# the kill is in the history of the container and of its ancestors
out=$(awk -F'\t' -v P=/$OOMD -v PID=$OOM_PID '
    $1 ~ /^cgroups\.[0-9]+\.path$/ { split($1, a, "."); path[a[2]] = $2 }
    $1 ~ /^cgroups\.[0-9]+\.oom_history\.0\./ { split($1, a, "."); h[a[2], a[5]] = $2 }
    END {
        for (i in path) {
            p = path[i]
            if (p != P && p != "/system.slice") continue
            n++
            if (h[i, "pid"] != PID) print "FAIL " p ": oom_history pid " h[i, "pid"] ", want " PID
            else if (h[i, "comm"] != "mtwork") print "FAIL " p ": oom_history comm " h[i, "comm"]
            else if (h[i, "source"] != "kmsg") print "FAIL " p ": oom_history source " h[i, "source"]
            else if (h[i, "oom_cgroup"] != P) print "FAIL " p ": oom_history oom_cgroup " h[i, "oom_cgroup"]
            else if (h[i, "cgroup"] != P) print "FAIL " p ": oom_history cgroup " h[i, "cgroup"]
            else if (h[i, "anon_rss"] + 0 < 4194304) print "FAIL " p ": oom_history anon_rss " h[i, "anon_rss"]
            else print "ok: " p ": OOM kill of pid " PID " in oom_history from /dev/kmsg"
        }
        if (n != 2) print "FAIL oom_history: " P " or /system.slice not listed"
    }' /tmp/oom.flat)
echo "$out" | sed 's/^/guest-v2: /'
passes=$((passes + $(echo "$out" | grep -c '^ok')))
fails=$((fails + $(echo "$out" | grep -c '^FAIL')))
awk -v PRE=$fails -v PREPASS=$passes -v EXPECT=/tmp/expect.txt -v KERN=/tmp/kernel.txt -v MEMTOP=/tmp/memtop.flat \
    -v BATCH=/tmp/batch.txt -f check-v2.awk /tmp/expect.txt /tmp/kernel.txt /tmp/memtop.flat /tmp/batch.txt
rc=$?
if [ "${MEMTOP_VM_DUMP:-0}" = 1 ] || [ $rc != 0 ]; then
    echo "--- memtop -b -a -r ---"; cat /tmp/batch.txt
fi
exit $rc
