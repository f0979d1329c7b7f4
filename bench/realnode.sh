#!/bin/sh
# realnode.sh - memtop against systemd-cgtop on real cgroups.
#
#   realnode.sh MEMTOP BENCHBIN [N]...
#
# As root with a writable cgroup v1 memory hierarchy, builds N container
# cgroups (default 100, 500 and 1000, grown in place) below memtop's own
# memory cgroup, shaped like docker (cgroupfs and systemd drivers),
# kubepods with containerd and CRI-O, and podman; half of them run
# bench/holder with 1 MiB of anon memory and 1 MiB of page cache
# (BENCH_BUSY=1: each holder also frees and re-touches BENCH_BUSY_KIB,
# default 512, of it every other second, so every container's usage moves
# on every tick).  For each N it runs, one after the other,
#   systemd-cgtop -b -d 1 -n 10 -m --depth=10
#   memtop -b -d 1 -n 10           (and with --all, which prints every cgroup)
#   memtop -d 1 -n 10              (the terminal UI on a 120x40 pseudo-terminal
#                                   inside a tmux pane)
# each with -n 2 and with -n 10 (BENCH_REPS rounds, default 3, programs
# taking turns, the run with the median CPU kept), under bench/runstat (CPU from
# wait4, peak RSS, first-frame latency) in a cgroup of its own whose peak
# kernel memory is read afterwards; bench/statfloor for the kernel's own
# cost of one memory.stat read per cgroup (the floor of any sampler that
# reads it every tick), and bench_model for the RSS with a full 600-tick
# history.  Everything it created is removed on exit.  Exits 77 when the
# machine does not allow it, 2 on bad settings.
set -u

memtop=${1:?usage: realnode.sh MEMTOP BENCHBIN [N]...}
bin=${2:?usage: realnode.sh MEMTOP BENCHBIN [N]...}
shift 2
[ $# -gt 0 ] || set -- 100 500 1000
reps=${BENCH_REPS:-3}
ANON_KIB=${BENCH_ANON_KIB:-1024}
CACHE_KIB=${BENCH_CACHE_KIB:-1024}
BUSY_KIB=
case ${BENCH_BUSY:-0} in
0) ;;
1) BUSY_KIB=${BENCH_BUSY_KIB:-512} ;;
*) echo "realnode: BENCH_BUSY must be 0 or 1" >&2; exit 2 ;;
esac
case $reps in
''|*[!0-9]*|0) echo "realnode: BENCH_REPS must be a positive number: '$reps'" >&2; exit 2 ;;
esac
for v in "$ANON_KIB" "$CACHE_KIB" ${BUSY_KIB:+"$BUSY_KIB"}; do
    case $v in
    ''|*[!0-9]*) echo "realnode: sizes must be whole KiB numbers: '$v'" >&2; exit 2 ;;
    esac
done
if [ -n "$BUSY_KIB" ] && [ "$BUSY_KIB" -gt "$ANON_KIB" ]; then
    echo "realnode: BENCH_BUSY_KIB ($BUSY_KIB) exceeds BENCH_ANON_KIB ($ANON_KIB)" >&2
    exit 2
fi
for n in "$@"; do
    case $n in
    ''|*[!0-9]*|0) echo "realnode: N must be a positive number: '$n'" >&2; exit 2 ;;
    esac
done

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

sock=memtop-bench-$$
cleanup() {
    trap - EXIT INT TERM
    command -v tmux >/dev/null 2>&1 && tmux -L "$sock" kill-server 2>/dev/null
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
trap 'exit 130' INT TERM HUP
. "$(dirname "$0")/nodelib.sh"

calc() { awk "BEGIN { printf \"%.3f\", $1 }"; }

field() {   # field KEY LINE
    echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

# metered LABEL RUNSTAT-ARGS...: bench/runstat in a memory cgroup of its own
# (below $base); prints runstat's line plus kmem_kib=, the peak kernel
# memory charged to the cgroup (every file the program keeps open pins a
# page-sized seq_file buffer there).
metered() {
    meter=$base/meter-$1
    shift
    mkdir "$meter" || return 1
    line=$(sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' sh "$meter" \
        "$bin/runstat" "$@" 2>&1 >/dev/null | tail -n 1)
    kmem=$(( $(cat "$meter/memory.kmem.max_usage_in_bytes") / 1024 ))
    rmdir "$meter" 2>/dev/null
    echo "$line kmem_kib=$kmem"
}

# tui_run TICKS: memtop's terminal UI for TICKS ticks (-n quits by itself)
# on runstat's pseudo-terminal inside a 120x40 tmux pane; first_ms is the
# time until the header's "memtop" appears, out_bytes what memtop wrote.
tui_run() {
    command -v tmux >/dev/null 2>&1 || { echo "tmux=missing"; return; }
    rm -f "$work/tui.stat"
    tmux -L "$sock" -f /dev/null new-session -d -x 120 -y 40 -- env TERM=tmux-256color \
        LANG=C.UTF-8 LC_ALL=C.UTF-8 sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' \
        sh "$base/meter-tui" "$bin/runstat" -p memtop -o /dev/stdout -s "$work/tui.stat" -- \
        "$memtop" -d 1 -n "$1"
    t=0
    while [ ! -s "$work/tui.stat" ] && [ $t -lt 1200 ]; do sleep 0.1; t=$((t + 1)); done
    tmux -L "$sock" kill-server 2>/dev/null
    echo "$(cat "$work/tui.stat" 2>/dev/null) kmem_kib=$(( $(cat "$base/meter-tui/memory.kmem.max_usage_in_bytes") / 1024 ))"
}
metered_tui() {
    mkdir "$base/meter-tui" || return 1
    tui_run "$1"
    rmdir "$base/meter-tui" 2>/dev/null
}

# median FILE: the line of FILE with the median cpu_ms.
median() {
    sed 's/.*cpu_ms=\([0-9.]*\).*/\1 &/' "$1" | sort -n | \
        awk '{ l[NR] = $0 } END { sub(/^[^ ]* /, "", l[int((NR + 1) / 2)]); print l[int((NR + 1) / 2)] }'
}

# measure_all: every program with -n 2 and with -n 10, $reps rounds; the
# programs take turns within a round (the VM's speed drifts over minutes,
# and a ratio is only fair between runs made side by side).  Sets
# c2 c10 m2 m10 a2 a10 t2 t10 to the runs with the median CPU.
measure_all() {
    for x in c m a t; do : > "$work/$x.2"; : > "$work/$x.10"; done
    k=0
    while [ $k -lt "$reps" ]; do
        for ticks in 2 10; do
            metered cgtop -- systemd-cgtop -b -d 1 -m --depth=10 -n $ticks >> "$work/c.$ticks"
            metered memtop -- "$memtop" -b -d 1 -n $ticks >> "$work/m.$ticks"
            metered all -- "$memtop" -b -d 1 --all -n $ticks >> "$work/a.$ticks"
            metered_tui $ticks >> "$work/t.$ticks"
        done
        k=$((k + 1))
    done
    c2=$(median "$work/c.2") c10=$(median "$work/c.10")
    m2=$(median "$work/m.2") m10=$(median "$work/m.10")
    a2=$(median "$work/a.2") a10=$(median "$work/a.10")
    t2=$(median "$work/t.2") t10=$(median "$work/t.10")
}

# row LABEL TWO TEN: one measured program.  avg = CPU of the 10-tick run /
# 10 (first tick included); steady = (CPU of 10 ticks - CPU of 2 ticks) / 8,
# ticks 3 to 10: the second tick is left out too, because the terminal UI's
# second tick reads what its quick first tick left.
row() {
    r10=$(field cpu_ms "$3")
    r2=$(field cpu_ms "$2")
    st=$(calc "($r10 - $r2) / 8")
    printf '  %-40s %8.2f %6s %8s %6s %8s %8s %9s\n' "$1" "$(calc "$r10 / 10")" \
        "$(calc "$r10 / $ccpu10")" "$st" "$(calc "($r10 - $r2) / ($ccpu10 - $ccpu2)")" \
        "$(field maxrss_kib "$3")" "$(field kmem_kib "$3")" "$(field first_ms "$2")"
}

ncpu=$(nproc)
model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "machine: $model, $ncpu CPUs, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r), $(systemd-cgtop --version | head -n 1)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "cgroups below $base; half run holder (${ANON_KIB} KiB anon + ${CACHE_KIB} KiB page cache)"
if [ -n "$BUSY_KIB" ]; then
    echo "node: busy (each holder frees and re-touches $BUSY_KIB KiB every other second)"
else
    echo "node: quiet (holders sleep; BENCH_BUSY=1 for a busy node)"
fi
echo "avg = CPU (user+sys from wait4) of a 10-tick run / 10, first tick included;"
echo "steady = (CPU of the 10-tick run - CPU of a 2-tick run) / 8; ratios are to cgtop's;"
echo "$reps rounds (BENCH_REPS), programs taking turns, the run with the median CPU kept;"
echo "first_ms = start to first frame (-n 2 run); kmem = peak kernel memory charged to"
echo "the program's cgroup (each file kept open pins a 4 KiB kernel buffer)"
have=0
for n in "$@"; do
    grow "$have" "$n"
    have=$n
    ncg=$(find "$memroot" -type d 2>/dev/null | wc -l)
    measure_all
    f=$("$bin/statfloor" "$memroot" memory.stat 10)
    b=$("$bin/bench_model" --all --ticks 600 --history 600)
    ccpu2=$(field cpu_ms "$c2")
    ccpu10=$(field cpu_ms "$c10")
    echo
    echo "N=$n containers ($ncg memory cgroups on the node)"
    printf '  %-40s %8s %6s %8s %6s %8s %8s %9s\n' program avg ratio steady ratio \
        rss_KiB kmem_KiB first_ms
    row "systemd-cgtop -b -d 1 -n 10 -m --depth=10" "$c2" "$c10"
    row "memtop -b -d 1 -n 10" "$m2" "$m10"
    row "memtop -b -d 1 -n 10 --all" "$a2" "$a10"
    row "memtop (TUI 120x40) -d 1 -n 10" "$t2" "$t10"
    fl=$(field cpu_ms_per_round "$f")
    printf '  %-40s %8s %6s %8.2f %6s   (kernel only: %s us per read)\n' \
        "floor: one memory.stat read per cgroup" "" "" "$fl" \
        "$(calc "$fl * 8 / ($ccpu10 - $ccpu2)")" "$(field us_per_read "$f")"
    echo "  TUI bytes to the terminal per tick: $(( $(field out_bytes "$t10") / 10 ))"
    echo "  model alone (600 ticks, ring full): steady tick $(field tick_cpu_ms_mean "$b") ms, first tick $(field first_tick_cpu_ms "$b") ms, rss $(field hwm_kib "$b") KiB"
    for r in "cgtop -n 2:$c2" "cgtop:$c10" "memtop -n 2:$m2" "memtop:$m10" \
             "memtop --all -n 2:$a2" "memtop --all:$a10" "tui -n 2:$t2" "tui:$t10"; do
        echo "  raw: ${r%%:*}: ${r#*:}"
    done
done
exit 0
