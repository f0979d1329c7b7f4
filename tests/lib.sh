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

skip_all() { echo "SKIP: $*"; exit 77; }

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
