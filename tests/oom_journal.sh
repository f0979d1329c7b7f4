#!/bin/sh
# oom_journal.sh - OOM forensics through sd-journal: a real journal file is
# written from export format by systemd-journal-remote (kernel transport
# entries with real report lines), then read with --journal-file/-dir.
set -u
. "${top_srcdir:-.}/tests/forensics-lib.sh"

jr=
for p in /lib/systemd/systemd-journal-remote /usr/lib/systemd/systemd-journal-remote; do
    [ -x "$p" ] && jr=$p && break
done
[ -n "$jr" ] || skip_all "systemd-journal-remote is not installed (package systemd-journal-remote)"
oom_fixture
BOOT=0123456789abcdef0123456789abcdef
T0=1763800000000000     # 2025-11-22 08:26:40 UTC, in microseconds

# $1 realtime usec, $2 message; plus one non-kernel entry that must be ignored
entry() {
    printf '__REALTIME_TIMESTAMP=%s\n__MONOTONIC_TIMESTAMP=%s\n_BOOT_ID=%s\n_TRANSPORT=%s\nPRIORITY=3\nMESSAGE=%s\n\n' \
        "$1" "$(($1 - T0 + 6000000))" "$BOOT" "${3:-kernel}" "$2"
}
{
    entry $T0 "python3 invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0"
    entry $((T0 + 1000)) "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=$OOMCG,task_memcg=$OOMCG,task=python3,pid=275,uid=0"
    entry $((T0 + 2000)) "Memory cgroup out of memory: Killed process 275 (python3) total-vm:68576kB, anon-rss:32488kB, file-rss:4kB, shmem-rss:272kB, UID:0 pgtables:108kB oom_score_adj:0"
    entry $((T0 + 3000)) "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=$OOMCG,task_memcg=$OOMCG,task=fake,pid=999,uid=0" stdout
    entry $((T0 + 4000)) "Memory cgroup out of memory: Killed process 999 (fake) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB" stdout
} > "$tmp/export.txt"
mkdir -p "$tmp/jdir"
if "$jr" --output="$tmp/jdir/kernel.journal" "$tmp/export.txt" 2> "$tmp/jr.err"; then
    ok "systemd-journal-remote wrote a journal file"
else
    bad "systemd-journal-remote failed: $(cat "$tmp/jr.err")"
fi

want="[(275, 'python3', 33267712, 4096, 278528, 'journal', 1763800000.002)]"
expr='[(e["pid"], e["comm"], e["anon_rss"], e["file_rss"], e["shmem_rss"], e["source"], round(e["time"], 3)) for e in c["oom_history"]]'
"$MEMTOP" --root "$R" --json -n 1 --journal-file "$tmp/jdir/kernel.journal" --oom-backlog \
    > "$tmp/a.json" 2> "$tmp/err" || bad "memtop --journal-file failed: $(cat "$tmp/err")"
got=$(jget "$tmp/a.json" "$ID_OOM" "$expr")
[ "$got" = "$want" ] && ok "--journal-file: kernel entries only, time from the journal: $got" ||
    bad "--journal-file: got $got, want $want"

"$MEMTOP" --root "$R" --json -n 1 --journal-dir "$tmp/jdir" --oom-backlog > "$tmp/b.json"
got=$(jget "$tmp/b.json" "$ID_OOM" "$expr")
[ "$got" = "$want" ] && ok "--journal-dir" || bad "--journal-dir: got $got"

"$MEMTOP" --root "$R" --json -n 1 --journal-file "$tmp/jdir/kernel.journal" > "$tmp/c.json"
got=$(jget "$tmp/c.json" "$ID_OOM" 'len(c["oom_history"])')
[ "$got" = "0" ] && ok "without --oom-backlog the journal is read from its tail" ||
    bad "journal tail: $got entries"

# Follow: memtop reads from the tail; a kill appended to the journal file
# while it runs (systemd-journal-remote appends) must show up.
"$MEMTOP" --root "$R" --json -n 0 -d 0.2 --journal-file "$tmp/jdir/kernel.journal" \
    > "$tmp/f.json" 2> "$tmp/err" &
bgpid=$!
deadline=$(( $(date +%s) + 20 ))
while [ "$(wc -l < "$tmp/f.json")" -lt 1 ] && [ "$(date +%s)" -le "$deadline" ]; do sleep 0.1; done
{
    entry $((T0 + 9000000)) "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=$OOMCG,task_memcg=$OOMCG,task=late,pid=7070,uid=0"
    entry $((T0 + 9001000)) "Memory cgroup out of memory: Killed process 7070 (late) total-vm:100kB, anon-rss:64kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0"
} > "$tmp/export2.txt"
"$jr" --output="$tmp/jdir/kernel.journal" "$tmp/export2.txt" 2> "$tmp/jr.err" ||
    bad "systemd-journal-remote could not append: $(cat "$tmp/jr.err")"
deadline=$(( $(date +%s) + 20 ))
while :; do
    got=$(jget "$tmp/f.json" "$ID_OOM" '[(e["pid"], e["comm"], e["source"]) for e in c["oom_history"]]')
    [ "$got" = "[(7070, 'late', 'journal')]" ] && break
    [ "$(date +%s)" -gt "$deadline" ] && break
    sleep 0.1
done
[ "$got" = "[(7070, 'late', 'journal')]" ] && ok "a kill appended to the journal while memtop runs: $got" ||
    bad "journal follow: got $got"
kill "$bgpid"
wait "$bgpid" 2>/dev/null
bgpid=

# What does this host have?  (Informational: the live journal is used only
# when it holds kernel messages of this boot.)
for d in /run/log/journal /var/log/journal; do
    if [ -d "$d" ] && [ -n "$(ls -A "$d" 2>/dev/null)" ]; then
        echo "note: $d has journal files"
    else
        echo "note: $d is missing or empty: memtop falls back to /dev/kmsg here"
    fi
done

finish
