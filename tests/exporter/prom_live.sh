#!/bin/sh
# prom_live.sh - a real Prometheus server (Debian's prometheus) scrapes
# `memtop --listen` every second while real cgroup v1 memory cgroups below
# memtop's own cgroup come, are OOM-killed and go (tests/exporter/
# prom_live.py has the checks).  Needs root, a writable v1 memory cgroup,
# python3 and prometheus; else 77 with the reason.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

needs_v1_workload
PROM=$(command -v prometheus) || skip_all "prometheus is not installed (Debian package prometheus)"
mnt=$(awk '$9 == "cgroup" && $0 ~ /[ ,]memory([ ,]|$)/ { print $5; exit }' /proc/self/mountinfo)
scratch_dir /var/tmp/memtop-prom.XXXXXX
"$PY" "$top_srcdir/tests/exporter/prom_live.py" "$MEMTOP" "$WL" "$PROM" "$base" "$tmp" "$mnt"
