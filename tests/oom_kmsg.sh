#!/bin/sh
# oom_kmsg.sh - OOM forensics from a kmsg text file under --root:
#   * --oom-backlog reads existing records (real report lines of a 6.1 kernel)
#   * without it, only records appended while memtop runs are reported
#   * a kill of a cgroup memtop never saw lands in its pod's history
#   * an oom_kill counter increase with no report becomes a "counter" kill,
#     one with a report does not
#   * a killed container whose cgroup disappears stays listed (tombstone);
#     an unkilled one does not
set -u
. "${top_srcdir:-.}/tests/forensics-lib.sh"

oom_fixture
POD_A=/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod$(echo "$UID_A" | tr - _).slice
GHOST=$(hexid ghost)

# Real 6.1 report lines (tests/fixtures share the shape of kmsg-raw.txt),
# with the cgroup paths of this tree.  $1 seq, $2 pid, $3 comm, $4 memcg
report() {
    printf '4,%d,6107766,-;%s invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n' "$1" "$3"
    printf '6,%d,6109733,-;memory: usage 32768kB, limit 32768kB, failcnt 84\n' "$(($1 + 1))"
    printf '6,%d,6110388,-;oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=%s,task_memcg=%s,task=%s,pid=%d,uid=0\n' \
        "$(($1 + 2))" "$4" "$4" "$3" "$2"
    printf ' SUBSYSTEM=memory\n'
    printf '3,%d,6111389,-;Memory cgroup out of memory: Killed process %d (%s) total-vm:68576kB, anon-rss:32488kB, file-rss:4kB, shmem-rss:272kB, UID:0 pgtables:108kB oom_score_adj:0\n' \
        "$(($1 + 3))" "$2" "$3"
}

# 1. backlog
report 100 275 python3 "$OOMCG" > "$R/dev/kmsg"
report 200 4242 ghostproc "$POD_A/cri-containerd-$GHOST.scope" >> "$R/dev/kmsg"
"$MEMTOP" --root "$R" --json -n 1 --oom-backlog > "$tmp/a.json" 2> "$tmp/err" ||
    bad "memtop --oom-backlog failed: $(cat "$tmp/err")"
got=$(jget "$tmp/a.json" "$ID_OOM" '[(e["pid"], e["comm"], e["anon_rss"], e["file_rss"], e["shmem_rss"], e["source"]) for e in c["oom_history"]]')
want="[(275, 'python3', 33267712, 4096, 278528, 'kmsg')]"
[ "$got" = "$want" ] && ok "backlog kill parsed: $got" || bad "backlog kill: got $got, want $want"
got=$(jget "$tmp/a.json" "$UID_A" '[(e["pid"], e["comm"], e["cgroup"].endswith("'"$GHOST"'.scope")) for e in c["oom_history"]]')
[ "$got" = "[(4242, 'ghostproc', True)]" ] && ok "kill of an unseen cgroup is in its pod's history" ||
    bad "unseen cgroup kill: $got"
got=$(jget "$tmp/a.json" "$ID_WEB" 'c["oom_history"]')
[ "$got" = "[]" ] && ok "other containers have an empty oom_history" || bad "web history: $got"

"$MEMTOP" --root "$R" --json -n 1 > "$tmp/b.json"
got=$(jget "$tmp/b.json" "$ID_OOM" 'len(c["oom_history"])')
[ "$got" = "0" ] && ok "without --oom-backlog old records are skipped" || bad "old records reported: $got"

"$MEMTOP" --root "$R" --json -n 1 --oom-source none --oom-backlog > "$tmp/b.json"
got=$(jget "$tmp/b.json" "$ID_OOM" 'len(c["oom_history"])')
[ "$got" = "0" ] && ok "--oom-source none reads no log" || bad "--oom-source none: $got"

"$MEMTOP" --root "$R" --json -n 1 --oom-source journal --journal-dir /nonexistent/j \
    > /dev/null 2> "$tmp/err" && bad "a missing journal dir was accepted" ||
    ok "an explicit source that cannot be opened is an error: $(head -n 1 "$tmp/err")"

# 2. follow: start, then append.  Ordinary tombstones 0.5 s, OOM ones 60 s.
"$MEMTOP" --root "$R" --json -n 0 -d 0.2 --tombstone 0.5 --oom-tombstone 60 \
    > "$tmp/f.json" 2> "$tmp/err" &
bgpid=$!

lines() { wc -l < "$tmp/f.json"; }
wait_lines() { # n secs: wait until the output has more than n lines
    deadline=$(( $(date +%s) + $2 ))
    while [ "$(lines)" -le "$1" ]; do
        [ "$(date +%s)" -gt "$deadline" ] && return 1
        sleep 0.1
    done
}
wait_cond() { # id expr want secs
    deadline=$(( $(date +%s) + $4 ))
    while :; do
        got=$(jget "$tmp/f.json" "$1" "$2" 2>/dev/null)
        [ "$got" = "$3" ] && return 0
        [ "$(date +%s)" -gt "$deadline" ] && return 1
        sleep 0.1
    done
}

wait_lines 1 20 || bad "memtop produced no ticks"
report 300 5151 newproc "$OOMCG" >> "$R/dev/kmsg"
if wait_cond "$ID_OOM" '[(e["pid"], e["comm"]) for e in c["oom_history"]]' "[(5151, 'newproc')]" 20; then
    ok "an appended record is reported (and only it): $got"
else
    bad "appended record: $got"
fi

# 3. counters: a kill the log does not explain, and one it does.
D=$R/sys/fs/cgroup/system.slice/docker-$ID_WEB.scope
printf 'low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\noom_group_kill 0\n' > "$D/memory.events"
if wait_cond "$ID_WEB" '[(e["source"], e["pid"], e["comm"]) for e in c["oom_history"]]' \
    "[('counter', None, None)]" 20; then
    ok "unexplained oom_kill increase became a counter kill"
else
    bad "counter kill: $got"
fi
D2=$R/sys/fs/cgroup/system.slice/docker-$ID_OOM.scope
printf 'low 0\nhigh 0\nmax 9\noom 1\noom_kill 1\noom_group_kill 0\n' > "$D2/memory.events"
report 400 6161 explained "$OOMCG" >> "$R/dev/kmsg"
n0=$(lines)
wait_lines $((n0 + 4)) 20
got=$(jget "$tmp/f.json" "$ID_OOM" '[e["source"] for e in c["oom_history"]]')
[ "$got" = "['kmsg', 'kmsg']" ] && ok "a counter increase explained by a report adds no counter kill" ||
    bad "explained counter: $got"

# 4. tombstones: remove the killed container and an unkilled one.
rm -rf "$D2" "$R/sys/fs/cgroup/system.slice/docker-$ID_BAD.scope"
if wait_cond "$ID_OOM" 'c["state"]' "gone" 20; then ok "removed container is listed as gone"; else bad "gone: $got"; fi
sleep 1.5   # three times the ordinary tombstone
n0=$(lines)
wait_lines "$n0" 10
got=$(jget "$tmp/f.json" "$ID_OOM" '(c["state"], len(c["oom_history"]), c["limit"], c["working_set"])')
[ "$got" = "('gone', 2, 67108864, 4194304)" ] &&
    ok "OOM tombstone kept with its last limit and working set: $got" || bad "tombstone: $got"
got=$(jget "$tmp/f.json" "$ID_BAD" 'c["state"]')
[ "$got" = "<missing>" ] && ok "the unkilled removed container is gone from the list" ||
    bad "unkilled container still listed: $got"
kill "$bgpid"
wait "$bgpid" 2>/dev/null
bgpid=

# 5. dmesg-format text is accepted too (--kmsg FILE).
grep -v '^ ' "$R/dev/kmsg" | sed 's/^[0-9]*,[0-9]*,\([0-9]*\),-;/[    0.\1] /' > "$tmp/dmesg.txt"
"$MEMTOP" --root "$R" --json -n 1 --kmsg "$tmp/dmesg.txt" --oom-backlog > "$tmp/c.json"
got=$(jget "$tmp/c.json" "$UID_A" '[e["pid"] for e in c["oom_history"]]')
[ "$got" = "[4242]" ] && ok "--kmsg FILE in dmesg format" || bad "dmesg format: $got"

finish
