#!/bin/sh
# vm_v2.sh - memtop on a real cgroup v2 kernel: boots Debian's kernel in qemu
# (tests/vm/run-vm.sh) and runs tests/vm/guest-v2.sh there, which builds
# container-shaped cgroups with real workloads and checks memtop --json and
# memtop -b against the kernel's files.  Exit 77 (with the reason) when the
# VM cannot be had: no qemu, no kernel package, no static libc.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${MEMTOP:=$top_srcdir/src/memtop}"
VM=$top_srcdir/tests/vm
CC=${CC:-gcc}

skip() { echo "vm_v2: SKIP: $*"; exit 77; }
[ -x "$MEMTOP" ] || skip "no memtop binary at $MEMTOP"
command -v qemu-system-x86_64 >/dev/null 2>&1 || skip "qemu-system-x86_64 not installed (./bootstrap installs qemu-system-x86)"

STAGE=$(mktemp -d "${TMPDIR:-/tmp}/memtop-vm-stage.XXXXXX") || exit 1
trap 'rm -rf "$STAGE"' EXIT
# the workload helpers run next to busybox in the guest: link them statically
for h in mtwork jflat; do
    if ! $CC -static -O2 -o "$STAGE/$h" "$VM/$h.c" 2>"$STAGE/cc.err"; then
        cat "$STAGE/cc.err"
        skip "cannot build static $h.c (the static libc is in libc6-dev)"
    fi
done
cp "$MEMTOP" "$STAGE/memtop" && cp "$VM/check-v2.awk" "$STAGE/" || exit 1

"$VM/run-vm.sh" --timeout "${MEMTOP_VM_TIMEOUT:-300}" --mem 512 --cpus 1 --swap 64M --disk 96M \
    --add "$STAGE/memtop" --add "$STAGE/mtwork" --add "$STAGE/jflat" \
    --add "$STAGE/check-v2.awk" -- "$VM/guest-v2.sh" > "$STAGE/out.txt" 2> "$STAGE/err.txt"
rc=$?
cat "$STAGE/out.txt"
cat "$STAGE/err.txt"
case $rc in
    0) ;;
    77) exit 77 ;;
    *) if ! grep -q '^[0-9]* passed, [0-9]* failed$' "$STAGE/out.txt"; then
           echo "vm_v2: the VM run failed (status $rc)"
           echo "0 passed, 1 failed"
       fi
       exit 1 ;;
esac
# repeat the guest's summary as the last line
grep '^[0-9]* passed, [0-9]* failed$' "$STAGE/out.txt" | tail -n 1
