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
#   memtop -b -d 1 -n 10           (and with --all, which prints every cgroup)
#   memtop -d 1 -n 10              (the terminal UI in a 120x40 tmux pane)
# under bench/runstat (CPU from wait4, peak RSS, first-frame latency),
# bench/statfloor for the kernel's own cost of one memory.stat read per
# cgroup (the floor of any sampler that reads it every tick), and
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

# tui_run ARGS...: memtop's terminal UI in a 120x40 tmux pane for 10 ticks
# (-n 10 quits by itself); prints runstat's line plus tty_bytes=.
tui_run() {
    command -v tmux >/dev/null 2>&1 || { echo "tmux=missing"; return; }
    sock=memtop-bench-$$
    rm -f "$work/tui.stat" "$work/tui.out"
    tmux -L "$sock" -f /dev/null new-session -d -x 120 -y 40 -- env TERM=tmux-256color \
        LANG=C.UTF-8 LC_ALL=C.UTF-8 "$bin/runstat" -t -s "$work/tui.stat" -- "$memtop" "$@"
    tmux -L "$sock" pipe-pane -t 0 "cat >> '$work/tui.out'"
    t=0
    while [ ! -s "$work/tui.stat" ] && [ $t -lt 1200 ]; do sleep 0.1; t=$((t + 1)); done
    tmux -L "$sock" kill-server 2>/dev/null
    echo "$(cat "$work/tui.stat" 2>/dev/null) tty_bytes=$(wc -c < "$work/tui.out" 2>/dev/null || echo 0)"
}

# row LABEL RUNSTAT-LINE: one measured program, CPU per tick over 10 ticks.
row() {
    cpu=$(field cpu_ms "$2")
    printf '  %-44s %9.2f %7s %9s %9s\n' "$1" "$(calc "$cpu / 10")" \
        "$(calc "$cpu / $ccpu")" "$(field maxrss_kib "$2")" "$(field first_ms "$2")"
}

ncpu=$(nproc)
model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "machine: $model, $ncpu CPUs, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r), $(systemd-cgtop --version | head -n 1)"
echo "cgroups below $base; half run holder (${ANON_KIB} KiB anon + ${CACHE_KIB} KiB page cache)"
echo "ms/tick = CPU (user+sys from wait4) of a 10-tick run / 10, first tick included; ratio = / cgtop's"
have=0
for n in "$@"; do
    grow "$have" "$n"
    have=$n
    ncg=$(find "$memroot" -type d 2>/dev/null | wc -l)
    c=$("$bin/runstat" -- systemd-cgtop -b -d 1 -n 10 -m --depth=10 2>&1 >/dev/null | tail -n 1)
    m=$("$bin/runstat" -- "$memtop" -b -d 1 -n 10 2>&1 >/dev/null | tail -n 1)
    a=$("$bin/runstat" -- "$memtop" -b -d 1 -n 10 --all 2>&1 >/dev/null | tail -n 1)
    t=$(tui_run -d 1 -n 10)
    f=$("$bin/statfloor" "$memroot" memory.stat 10)
    b=$("$bin/bench_model" --all --ticks 600 --history 600)
    ccpu=$(field cpu_ms "$c")
    echo
    echo "N=$n containers ($ncg memory cgroups on the node)"
    printf '  %-44s %9s %7s %9s %9s\n' program ms/tick ratio rss_KiB first_ms
    row "systemd-cgtop -b -d 1 -n 10 -m --depth=10" "$c"
    row "memtop -b -d 1 -n 10" "$m"
    row "memtop -b -d 1 -n 10 --all" "$a"
    row "memtop (TUI 120x40 in tmux) -d 1 -n 10" "$t"
    fl=$(field cpu_ms_per_round "$f")
    printf '  %-44s %9.2f %7s   (kernel only: %s us per read)\n' \
        "floor: one memory.stat read per cgroup" "$fl" "$(calc "$fl * 10 / $ccpu")" \
        "$(field us_per_read "$f")"
    echo "  TUI bytes to the terminal per tick: $(( $(field tty_bytes "$t") / 10 ))"
    echo "  model alone (600 ticks, ring full): steady tick $(field tick_cpu_ms_mean "$b") ms, first tick $(field first_tick_cpu_ms "$b") ms, rss $(field hwm_kib "$b") KiB"
    echo "  raw: cgtop $c"
    echo "  raw: memtop $m"
    echo "  raw: memtop --all $a"
    echo "  raw: tui $t"
done
exit 0
