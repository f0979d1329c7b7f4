#!/bin/sh
# readonly.sh - proof that memtop never opens cgroupfs or procfs for
# writing: run it on the live tree under strace -f (open, openat, openat2,
# with -y so relative opens show their directory) in batch and JSON mode,
# then look at every open of a path below /sys/fs/cgroup or /proc.
. "$(dirname "$0")/lib.sh"

command -v strace >/dev/null 2>&1 || skip_all "strace not installed"
[ -r /proc/self/mountinfo ] || skip_all "no /proc"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! strace -f -o "$tmp/probe" true 2>/dev/null; then
    skip_all "strace cannot trace here (ptrace not permitted)"
fi

for args in "-b --all -n 3 -d 0.2" "--json --all -n 3 -d 0.2" "-b -n 1"; do
    log=$tmp/trace
    # shellcheck disable=SC2086
    # LeakSanitizer cannot run under ptrace: leaks are checked by churn.sh.
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
        strace -f -y -qq -e trace=open,openat,openat2 -o "$log" "$MEMTOP" $args > "$tmp/out" 2> "$tmp/err"
    rc=$?
    check "memtop $args under strace exits 0 (rc $rc)" [ $rc -eq 0 ]
    [ $rc -eq 0 ] || head -n 5 "$tmp/err"
    # Lines look like: PID openat(3</sys/fs/cgroup/memory>, "a/memory.stat", O_RDONLY|O_CLOEXEC) = 5</...>
    sys=$(grep -E '(/sys/fs/cgroup|/proc)' "$log" | grep -Ev '= -1 E' || true)
    n=$(printf '%s\n' "$sys" | grep -c 'open' || true)
    check "memtop $args: the trace saw its cgroupfs/procfs opens ($n)" [ "$n" -gt 0 ]
    bad=$(printf '%s\n' "$sys" | grep -E 'O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND' || true)
    # Failed opens count too: memtop must not even try.
    badtry=$(grep -E '(/sys/fs/cgroup|/proc)' "$log" | grep -E 'O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND' || true)
    if [ -z "$bad" ] && [ -z "$badtry" ]; then
        ok "memtop $args: no write-mode open of cgroupfs or /proc"
    else
        fail "memtop $args: write-mode open: $bad $badtry"
    fi
done
finish
