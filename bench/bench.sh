#!/bin/sh
# bench.sh - `make bench`: sampler cost on a synthetic 1000-container node
# (v1 and v2 layouts) and, where the kernel allows, on real cgroups side by
# side with systemd-cgtop (bench/realnode.sh).
#
#   bench.sh MEMTOP            BENCH_N=1000 containers, BENCH_REAL=0 skips
#                              the real-cgroup part, BENCH_REAL_N="100 500 1000",
#                              BENCH_BUSY=1 makes the real node busy (every
#                              holder frees and re-touches BENCH_BUSY_KIB,
#                              default 512, every other second), BENCH_REPS=3
#                              runs per measurement (the median is kept)
set -u

memtop=${1:?usage: bench.sh MEMTOP}
bin=$(cd "$(dirname "$memtop")/../bench" && pwd)
src=$(cd "$(dirname "$0")" && pwd)
n=${BENCH_N:-1000}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

echo "== synthetic node, $n containers, 600 ticks of history =="
for mode in v1 v2; do
    "$src/mkfixture.sh" "$tmp/$mode" "$mode" "$n" || exit 1
    echo "-- $mode: bench_model (model_tick back to back, ring filled) --"
    "$bin/bench_model" --root "$tmp/$mode" --all --ticks 600 --history 600 || exit 1
    echo "-- $mode: memtop -b -d 0.2 -n 10 --all (wait4 of the process) --"
    "$bin/runstat" -- "$memtop" --root "$tmp/$mode" -b -d 0.2 -n 10 --all || exit 1
done

# the Prometheus exporter: render, gzip and scrape costs (bench/exporter.sh)
"$src/exporter.sh" "$memtop" "$bin" "$n" || exit 1

if [ "${BENCH_REAL:-1}" != 0 ]; then
    echo
    echo "== real cgroups, side by side with systemd-cgtop =="
    # shellcheck disable=SC2086
    "$src/realnode.sh" "$memtop" "$bin" ${BENCH_REAL_N:-100 500 1000}
    r=$?
    [ $r -eq 77 ] && r=0    # not possible here: said why, not a failure
    exit $r
fi
