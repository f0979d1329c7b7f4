#!/bin/sh
# realnode.sh - memtop against systemd-cgtop on real cgroups.
#
#   realnode.sh MEMTOP BENCHBIN [N]...
#
# As root with a writable cgroup v1 memory hierarchy, builds N container
# cgroups (default 100, 500 and 1000, grown in place) below memtop's own
# memory cgroup, shaped like docker (cgroupfs and systemd drivers),
# kubepods with containerd and CRI-O, and podman; half of them run
# bench/holder with 1 MiB of anon memory and 1 MiB of page cache.  For
# each N it runs, one after the other,
#   systemd-cgtop -b -d 1 -n 10 -m --depth=10
#   memtop -b -d 1 -n 10 --all
# under bench/runstat (CPU from wait4, peak RSS, first-frame latency) and
# bench_model for the RSS with a full 600-tick history.  Everything it
# created is removed on exit.  Exits 77 when the machine does not allow it.
set -u

memtop=${1:?usage: realnode.sh MEMTOP BENCHBIN [N]...}
bin=${2:?usage: realnode.sh MEMTOP BENCHBIN [N]...}
shift 2
[ $# -gt 0 ] || set -- 100 500 1000
ANON_KIB=${BENCH_ANON_KIB:-1024}
CACHE_KIB=${BENCH_CACHE_KIB:-1024}

skip() { echo "realnode: skipped: $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "needs root"
command -v systemd-cgtop >/dev/null 2>&1 || skip "systemd-cgtop not installed"
self=$(awk -F: '$2 ~ /(^|,)memory(,|$)/ { print $3 }' /proc/self/cgroup)
memroot=$(awk '$9 == "cgroup" && $NF ~ /(^|,)memory(,|$)/ { print $5; exit }' /proc/self/mountinfo)
[ -n "$memroot" ] || skip "no cgroup v1 memory hierarchy"
base=$memroot${self%/}/memtop-bench-$$
mkdir "$base" 2>/dev/null || skip "cannot create $base"

work=$(mktemp -d /var/tmp/memtop-bench.XXXXXX)
pids=$work/pids
: > "$pids"

cleanup() {
    trap - EXIT INT TERM
    # Kill only the holders we started, then remove cache files and cgroups.
    if [ -s "$pids" ]; then
        xargs kill < "$pids" 2>/dev/null
        for p in $(cat "$pids"); do
            while kill -0 "$p" 2>/dev/null; do sleep 0.05; done
        done
    fi
    rm -rf "$work"
    find "$base" -depth -type d -exec rmdir {} + 2>/dev/null
    [ -d "$base" ] && echo "realnode: warning: could not remove $base" >&2
}
trap cleanup EXIT
trap 'exit 130' INT TERM
. "$(dirname "$0")/nodelib.sh"

calc() { awk "BEGIN { printf \"%.3f\", $1 }"; }

field() {   # field KEY LINE
    echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

ncpu=$(nproc)
model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "machine: $model, $ncpu CPUs, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r), $(systemd-cgtop --version | head -n 1)"
echo "cgroups below $base; half run holder (${ANON_KIB} KiB anon + ${CACHE_KIB} KiB page cache)"
printf '%6s %8s | %12s %10s | %12s %10s %9s | %6s | %12s %12s\n' \
    N cgroups cgtop_ms/tick cgtop_rss memtop_ms/tick memtop_rss first_ms ratio model_ms/tick rss@600_KiB
have=0
status=0
for n in "$@"; do
    grow "$have" "$n"
    have=$n
    ncg=$(find "$memroot" -type d 2>/dev/null | wc -l)
    c=$("$bin/runstat" -- systemd-cgtop -b -d 1 -n 10 -m --depth=10 2>&1 >/dev/null | tail -n 1)
    m=$("$bin/runstat" -- "$memtop" -b -d 1 -n 10 --all 2>&1 >/dev/null | tail -n 1)
    b=$("$bin/bench_model" --all --ticks 600 --history 600)
    ccpu=$(field cpu_ms "$c"); mcpu=$(field cpu_ms "$m")
    printf '%6s %8s | %12.2f %10s | %12.2f %10s %9s | %6.3f | %12s %12s\n' \
        "$n" "$ncg" "$(calc "$ccpu / 10")" "$(field maxrss_kib "$c")" \
        "$(calc "$mcpu / 10")" "$(field maxrss_kib "$m")" "$(field first_ms "$m")" \
        "$(calc "$mcpu / $ccpu")" "$(field tick_cpu_ms_mean "$b")" "$(field hwm_kib "$b")"
    echo "  cgtop:  $c"
    echo "  memtop: $m"
    echo "  model:  $b"
done
exit $status
