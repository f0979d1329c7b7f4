#!/usr/bin/env bash
# boot.sh - boot the real-runtime test image (mkrootfs.sh) under qemu, run one
# script as root once systemd is up, hand back its output and exit status.
#
#   boot.sh [options] -- SCRIPT
#     --files DIR     shared read-only into the guest as $RTVM_IN (/run/rtvm/in),
#                     which is also the script's cwd and first in PATH
#     --out DIR       shared writable as $RTVM_OUT (/run/rtvm/out); default a
#                     temporary directory removed at exit
#     --timeout SEC   hard bound for the whole run, boot included (600)
#     --mem MIB (2560)  --cpus N (2)  --keep (keep the work dir)  --verbose
#
# Contract (the guest's side is memtop-rtvm.service + memtop-rtvm-run, written
# into the image by mkrootfs.sh):
#   * The disk image is attached with snapshot=on: every write goes to a
#     temporary overlay qemu discards, so the cached image stays pristine and
#     runs can share it.
#   * The kernel and initrd are the image's own (copied out of its /boot by
#     mkrootfs.sh) and booted with qemu -kernel; root=/dev/vda (no partition
#     table).  The kernel command line carries memtop.rtvm=1, which enables
#     the oneshot unit memtop-rtvm.service (after multi-user.target).
#   * Two virtio-9p shares: rtvm_in (read-only) holds DIR's files plus
#     .rtvm-script (SCRIPT) and .rtvm-timeout; rtvm_out is writable.  The
#     unit runs `sh .rtvm-script` with stdout+stderr to $RTVM_OUT/console.log
#     (also on the serial console), its status in $RTVM_OUT/rc and the guest's
#     uptime in $RTVM_OUT/uptime-start, then powers off at once.
#   * stdout of boot.sh is exactly the script's output; notes and the timing
#     line go to stderr.
#
# Exit status: the script's; 77 when the VM cannot be had (no qemu, the image
# cannot be built: mkrootfs.sh's reason is printed); 124 on timeout; 125 when
# the guest gave no status (boot failure: the console's tail is printed);
# 2 on a usage error.
set -uo pipefail

PROG=boot.sh
T0=$(date +%s.%N)
HERE=$(cd "$(dirname "$0")" && pwd)
TIMEOUT=600 MEM=2560 CPUS=2 FILES= OUT= KEEP=0 VERBOSE=0

usage() { sed -n '4,11p' "$0" | sed 's/^# \{0,1\}//'; }
note() { echo "$PROG: $*" >&2; }

while [ $# -gt 0 ]; do
    case $1 in
        --files)   FILES=${2:?}; shift 2 ;;
        --out)     OUT=${2:?}; shift 2 ;;
        --timeout) TIMEOUT=${2:?}; shift 2 ;;
        --mem)     MEM=${2:?}; shift 2 ;;
        --cpus)    CPUS=${2:?}; shift 2 ;;
        --keep)    KEEP=1; shift ;;
        --verbose) VERBOSE=1; shift ;;
        -h|--help) usage; exit 0 ;;
        --)        shift; break ;;
        *)         usage >&2; exit 2 ;;
    esac
done
[ $# -eq 1 ] && [ -f "$1" ] || { usage >&2; exit 2; }
SCRIPT=$1
for v in "$TIMEOUT" "$MEM" "$CPUS"; do
    [[ $v =~ ^[1-9][0-9]*$ ]] || { note "bad number: $v"; exit 2; }
done
[ -z "$FILES" ] || [ -d "$FILES" ] || { note "no directory $FILES"; exit 2; }
command -v qemu-system-x86_64 >/dev/null 2>&1 ||
    { note "SKIP: qemu-system-x86_64 not found (apt-get install qemu-system-x86)"; exit 77; }

left() { awk -v t0="$T0" -v t="$TIMEOUT" -v now="$(date +%s.%N)" \
             'BEGIN { x = t0 + t - now; printf "%d", x < 0 ? 0 : x }'; }

# the image (a no-op when cached; may build it, may exit 77)
ENTRY=$(timeout "$(left)" "$HERE/mkrootfs.sh") ; rc=$?
case $rc in
    0) ;;
    77) exit 77 ;;
    124) note "timeout while building the image"; exit 124 ;;
    *) note "mkrootfs.sh failed (status $rc)"; exit 125 ;;
esac
T_IMG=$(date +%s.%N)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/memtop-rtvm.XXXXXX") || exit 125
QPID=
cleanup() {
    if [ -n "$QPID" ] && kill -0 "$QPID" 2>/dev/null; then
        kill -TERM "$QPID" 2>/dev/null          # timeout(1) passes it to qemu
        for _ in $(seq 30); do kill -0 "$QPID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$QPID" 2>/dev/null
        wait "$QPID" 2>/dev/null
    fi
    if [ "$KEEP" = 1 ]; then note "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

IN=$WORK/in
mkdir -p "$IN"
if [ -n "$FILES" ]; then cp -a "$FILES/." "$IN/" || { note "cannot copy $FILES"; exit 125; }; fi
cp "$SCRIPT" "$IN/.rtvm-script"
# the guest's own bound: a little less than what is left, so that a hung
# scenario still writes its status and powers off before qemu is killed
echo $(( $(left) > 60 ? $(left) - 30 : $(left) )) > "$IN/.rtvm-timeout"
if [ -z "$OUT" ]; then OUT=$WORK/out; fi
mkdir -p "$OUT" && rm -f "$OUT/rc" "$OUT/console.log" "$OUT/uptime-start" "$OUT/uptime-end"
OUT=$(cd "$OUT" && pwd)

LOG=$WORK/serial.log
: > "$LOG"
APPEND="root=/dev/vda rw console=ttyS0 panic=-1 no_timer_check apparmor=0 memtop.rtvm=1"
# apparmor=0: Debian's kernel enables AppArmor, and dockerd then insists on
# loading its docker-default profile with apparmor_parser, which the image
# does not have (the apparmor package is only a Recommends of docker.io).
# no_timer_check: a TCG guest on a busy host can miss the early IO-APIC
# timer check's interrupts and panic; the check only tests the hardware.
[ "$VERBOSE" = 1 ] || APPEND="$APPEND quiet loglevel=3 systemd.show_status=error"
APPEND="$APPEND ${MEMTOP_RTVM_APPEND:-}"
# KVM is not tried by default: the lab's /dev/kvm is PVM (kvm_pvm), which
# cannot run a stock kernel; set MEMTOP_RTVM_ACCEL=kvm where a real KVM exists.
if [ "${MEMTOP_RTVM_ACCEL:-tcg}" = kvm ]; then ACCEL_ARGS=(-accel kvm -cpu host)
else ACCEL_ARGS=(-accel tcg,thread=multi -cpu max); fi
ARGS=(-nodefaults -no-user-config -display none -monitor none -no-reboot
      -serial "file:$LOG" -nic none -M pc -m "$MEM" -smp "$CPUS"
      "${ACCEL_ARGS[@]}"
      -kernel "$ENTRY/vmlinuz" -initrd "$ENTRY/initrd.img" -append "$APPEND"
      -drive "file=$ENTRY/rootfs.img,if=virtio,format=raw,snapshot=on,cache=unsafe"
      -device virtio-rng-pci
      -virtfs "local,path=$IN,mount_tag=rtvm_in,security_model=none,readonly=on"
      -virtfs "local,path=$OUT,mount_tag=rtvm_out,security_model=none")

T_QEMU=$(date +%s.%N) T_BEGIN=
L=$(left)
[ "$L" -gt 5 ] || { note "no time left to boot"; exit 124; }
# snapshot=on puts the overlay in $TMPDIR; qemu's stdin is /dev/null (no tty)
timeout -k 5 "$L" qemu-system-x86_64 "${ARGS[@]}" </dev/null >"$WORK/qemu.out" 2>&1 &
QPID=$!
while kill -0 "$QPID" 2>/dev/null; do
    if [ -z "$T_BEGIN" ] && grep -q -a 'RTVM-BEGIN' "$LOG"; then
        T_BEGIN=$(date +%s.%N)
        [ "$VERBOSE" = 1 ] && note "script started"
    fi
    sleep 0.2
done
wait "$QPID"; QRC=$?; QPID=
T_END=$(date +%s.%N)
[ -n "$T_BEGIN" ] || { grep -q -a 'RTVM-BEGIN' "$LOG" && T_BEGIN=$T_END; }

tr -d '\r' < "$LOG" > "$LOG.txt"
if [ "$VERBOSE" = 1 ]; then { echo "--- serial console ---"; cat "$LOG.txt"; echo "--- end ---"; } >&2; fi
[ -f "$OUT/console.log" ] && cat "$OUT/console.log"
RC=$(cat "$OUT/rc" 2>/dev/null)
[ -n "$RC" ] || RC=$(sed -n 's/^.*RTVM-EXIT \([0-9]*\).*/\1/p' "$LOG.txt" | head -n 1)
if [ -z "$RC" ]; then
    if [ "$QRC" = 124 ]; then note "timeout after ${TIMEOUT}s"; RC=124
    else note "no exit status from the guest (qemu status $QRC)"; RC=125; fi
    cat "$WORK/qemu.out" >&2
    tail -n 40 "$LOG.txt" | sed 's/^/    /' >&2
    exit "$RC"
fi
grep -a 'RTVM-ERROR' "$LOG.txt" | sed "s/^/$PROG: guest: /" >&2
UP=$(cat "$OUT/uptime-start" 2>/dev/null || echo '?')
awk -v p="$PROG" -v t0="$T0" -v ti="$T_IMG" -v tq="$T_QEMU" -v tb="${T_BEGIN:-$T_END}" -v te="$T_END" \
    -v up="$UP" -v rc="$RC" -v k="$(sed -n 's/^kernel //p' "$ENTRY/info")" 'BEGIN {
    printf "%s: kernel %s, tcg: image %.1fs, boot-to-script %.1fs (guest uptime %ss), script+poweroff %.1fs, total %.1fs, exit %d\n",
        p, k, ti - t0, tb - tq, up, te - tb, te - t0, rc > "/dev/stderr" }'
exit "$RC"
