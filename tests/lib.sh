# lib.sh - helpers for memtop's shell tests.  Source it; then use ok/fail/
# check_*, and end with `finish`, which prints "N passed, N failed" and
# exits 1 on any failure.
#
# Environment (set by `make check`): MEMTOP (the binary), top_srcdir.
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${MEMTOP:=$top_srcdir/src/memtop}"
FIXTURES="$top_srcdir/tests/fixtures"
PY=$(command -v /usr/bin/python3 || command -v python3 || true)
T_PASS=0
T_FAIL=0

ok() { T_PASS=$((T_PASS + 1)); echo "ok - $*"; }
fail() { T_FAIL=$((T_FAIL + 1)); echo "FAIL - $*"; }

# check DESC CMD... : passes when CMD exits 0
check() {
    desc=$1; shift
    if "$@"; then ok "$desc"; else fail "$desc"; fi
}

skip_all() { echo "SKIP: $*"; echo "0 passed, 0 failed"; exit 77; }

finish() {
    echo "$T_PASS passed, $T_FAIL failed"
    [ "$T_FAIL" -eq 0 ]
}

# The memory cgroup directory memtop itself runs in (cgroup v1 hierarchy),
# or nothing when there is none / we cannot write there.
own_v1_memcg() {
    mnt=$(awk '$9 == "cgroup" && $0 ~ /[ ,]memory([ ,]|$)/ { print $5; exit }' /proc/self/mountinfo)
    [ -n "$mnt" ] || return 1
    rel=$(awk -F: '$2 ~ /(^|,)memory(,|$)/ { print $3; exit }' /proc/self/cgroup)
    [ -n "$rel" ] || return 1
    dir="$mnt$rel"
    [ -d "$dir" ] && [ -w "$dir" ] || return 1
    printf '%s\n' "$dir"
}

# needs_v1_workload: skip unless this is root with a writable cgroup v1
# memory hierarchy, python3 and the tests/workload helper; sets base
# (memtop's own memory cgroup dir) and WL (the helper).
needs_v1_workload() {
    [ "$(id -u)" -eq 0 ] || skip_all "needs root to create memory cgroups"
    base=$(own_v1_memcg) || skip_all "no writable cgroup v1 memory hierarchy here"
    [ -n "$PY" ] || skip_all "python3 is needed to read the JSON"
    WL="${top_builddir:-$top_srcdir}/tests/workload"
    [ -x "$WL" ] || skip_all "tests/workload was not built"
}

# stop_pids PID...: SIGTERM each (ignoring those already gone), then reap.
stop_pids() {
    for p in "$@"; do kill "$p" 2>/dev/null; done
    for p in "$@"; do wait "$p" 2>/dev/null; done
    return 0
}

# rmdir_cgroups DIR: remove a cgroup tree of our own bottom-up, retrying
# for up to 2 s while the kernel drains killed tasks.
rmdir_cgroups() {
    for i in 1 2 3 4 5 6 7 8 9 10; do
        find "$1" -depth -type d -exec rmdir {} \; 2>/dev/null
        [ -d "$1" ] || return 0
        sleep 0.2
    done
    return 1
}

# scratch_dir [TEMPLATE]: a temporary directory in $tmp, removed on exit.
# The same EXIT trap (INT and TERM exit through it) stops the background
# process whose pid the test keeps in $bgpid ("" when none) and first calls
# the test's on_exit function when it defines one.
scratch_dir() {
    tmp=$(mktemp -d ${1:+"$1"}) || { echo "cannot create a temporary directory"; exit 99; }
    bgpid=
    trap scratch_cleanup EXIT
    trap 'exit 1' INT TERM
}
scratch_cleanup() {
    if command -v on_exit >/dev/null 2>&1; then on_exit; fi
    [ -n "${bgpid:-}" ] && stop_pids "$bgpid"
    rm -rf "$tmp"
}

# one_line_error STATUS ARGS...: memtop ARGS exits with STATUS, prints
# nothing on stdout and exactly one "memtop: " line on stderr (left in
# $out/e for further checks; $out is the test's scratch directory).
one_line_error() {
    want=$1; shift
    "$MEMTOP" "$@" >"$out/o" 2>"$out/e"
    rc=$?
    [ "$rc" -eq "$want" ] && [ "$(wc -l <"$out/e")" -eq 1 ] && [ ! -s "$out/o" ] &&
        grep -q '^memtop: ' "$out/e"
}

# same_json LIVE REPLAY: the two JSON-lines files are identical except for
# the fields of the forensics layer (names from runtime files, OOM
# history), which recording format version 1 does not record (README
# "Recording and replay").
same_json() {
    "$PY" - "$1" "$2" <<'PYEOF'
import json, sys
NOT_RECORDED = {"container_name", "container_type", "name_source", "namespace", "pod_name",
                "oom_history", "processes", "likely_victim"}
live = [json.loads(l) for l in open(sys.argv[1])]
rep = [json.loads(l) for l in open(sys.argv[2])]
assert len(live) == len(rep), (len(live), len(rep))
for a, b in zip(live, rep):
    for c in a["cgroups"]:
        for k in NOT_RECORDED:
            c.pop(k, None)
    assert a == b, [k for k in a if a.get(k) != b.get(k)]
PYEOF
}
