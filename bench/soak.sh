#!/bin/sh
# soak.sh - `make soak`: memtop for SOAK_SECS (default 1800) on SOAK_N
# (default 500) real container cgroups (half with a holder process), JSON
# every SOAK_DELAY s (default 1) with 600 ticks of history, VmRSS sampled
# every SOAK_SAMPLE s (default 60).  The history rings fill during the
# first 600 ticks (calloc'd pages get touched as they wrap in), so RSS
# may grow during warm-up; after it, it must stay flat: the mean of the
# last 5 samples at most 2 MiB above the mean of the first 5.
# With an --enable-sanitizers build this also runs under ASan/LSan.
# Needs root and a writable cgroup v1 memory hierarchy, else exits 77.
#
#   soak.sh MEMTOP BENCHBIN
set -u
memtop=${1:?usage: soak.sh MEMTOP BENCHBIN}
bin=${2:?usage: soak.sh MEMTOP BENCHBIN}
secs=${SOAK_SECS:-1800}
n=${SOAK_N:-500}
delay=${SOAK_DELAY:-1}
every=${SOAK_SAMPLE:-60}
ANON_KIB=${BENCH_ANON_KIB:-1024}
CACHE_KIB=${BENCH_CACHE_KIB:-1024}

skip() { echo "soak: skipped: $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "needs root"
self=$(awk -F: '$2 ~ /(^|,)memory(,|$)/ { print $3 }' /proc/self/cgroup)
memroot=$(awk '$9 == "cgroup" && $NF ~ /(^|,)memory(,|$)/ { print $5; exit }' /proc/self/mountinfo)
[ -n "$memroot" ] || skip "no cgroup v1 memory hierarchy"
base=$memroot${self%/}/memtop-soak-$$
mkdir "$base" 2>/dev/null || skip "cannot create $base"
work=$(mktemp -d /var/tmp/memtop-soak.XXXXXX)
pids=$work/pids
: > "$pids"
mpid=""
cleanup() {
    trap - EXIT
    [ -n "$mpid" ] && kill "$mpid" 2>/dev/null && wait "$mpid" 2>/dev/null
    [ -s "$pids" ] && xargs kill < "$pids" 2>/dev/null
    for p in $(cat "$pids"); do while kill -0 "$p" 2>/dev/null; do sleep 0.05; done; done
    rm -rf "$work"
    find "$base" -depth -type d -exec rmdir {} + 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM
. "$(dirname "$0")/nodelib.sh"

grow 0 "$n"
"$memtop" --json --all -n 0 -d "$delay" --history 600 > /dev/null 2> "$work/err" &
mpid=$!
warm=${SOAK_WARM:-$(awk "BEGIN { print int(600 * $delay + 0.5) }")}   # 600 ticks
echo "soak: $n containers, $secs s, -d $delay, warm-up ${warm}s; RSS every ${every}s"
t=0
min_after=""
max_after=0
while [ $t -le "$secs" ]; do
    rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$mpid/status" 2>/dev/null)
    [ -n "$rss" ] || { echo "soak: memtop died"; cat "$work/err"; exit 1; }
    echo "t=${t}s rss_kib=$rss" | tee -a "$work/rss"
    if [ $t -ge "$warm" ]; then
        [ -n "$min_after" ] && [ "$rss" -ge "$min_after" ] || min_after=$rss
        [ "$rss" -gt "$max_after" ] && max_after=$rss
    fi
    sleep "$every"
    t=$((t + every))
done
kill -TERM "$mpid"; wait "$mpid"; rc=$?; mpid=""
grep -E 'Sanitizer|runtime error' "$work/err" && { echo "soak: sanitizer report"; exit 1; }
[ $rc -eq 0 ] || { echo "soak: memtop exit $rc"; exit 1; }
# Growth = mean of the last 5 samples after warm-up minus the mean of the
# first 5: an ASan build's RSS wobbles by several MiB (allocator
# quarantine), so single samples are compared to nothing.
samples=$(awk -F'[= ]' -v w="$warm" '/^t=/ { sub("s", "", $2); if ($2 + 0 >= w) print $4 }' "$work/rss")
cnt=$(echo "$samples" | grep -c .)
if [ "$cnt" -ge 10 ]; then
    growth=$(echo "$samples" | awk '{ v[NR] = $1 } END { for (i = 1; i <= 5; i++) { a += v[i]; b += v[NR - 5 + i] }; printf "%d", (b - a) / 5 }')
    echo "soak: after warm-up: $cnt samples, min $min_after KiB, max $max_after KiB, growth (mean of last 5 - mean of first 5) $growth KiB"
    [ "$growth" -le 2048 ] || { echo "soak: FAIL: RSS grew after warm-up"; exit 1; }
else
    echo "soak: fewer than 10 samples after warm-up; no growth verdict"
fi
echo "soak: ok"
