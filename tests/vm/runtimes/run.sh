#!/usr/bin/env bash
# run.sh - memtop on real container runtimes: the make-check entry.
#
#   run.sh [--update-fixture]
#
# 1. mkrootfs.sh: the Debian bookworm image with systemd, docker.io,
#    containerd, runc, podman, crun, conmon, systemd-container (built once,
#    then reused from the cache).
# 2. Stages memtop ($MEMTOP, default $top_srcdir/src/memtop: the guest is
#    bookworm like the host, so the dynamically linked binary runs as is),
#    hog (hog.c, linked statically) and bb.tar, a busybox root file system
#    made from the host's static /bin/busybox with hog in /bin.
# 3. boot.sh runs guest-scenario.sh in the VM; its result.tar is unpacked.
# 4. memtop --root on the captured tree (on the host), then check.py.
#
# --update-fixture (or MEMTOP_RTVM_UPDATE_FIXTURE=1) copies the capture, the
# runtimes' answers and memtop's outputs to tests/fixtures/runtimes-real/.
#
# Environment: MEMTOP, top_srcdir, MEMTOP_RTVM_TIMEOUT (whole run, image
# build included; default 2400 s when the image must be built, else 1500 s:
# a TCG guest on a host with load average 10 needs ~13 min, on an idle one ~5),
# MEMTOP_RTVM_OUT (keep the results there; default: a temporary directory,
# kept only when a check fails), MEMTOP_RTVM_CACHE (see mkrootfs.sh), CC.
#
# Exit status: 0 all checks passed; 77 (with the reason) when qemu,
# mmdebstrap or the Debian mirror cannot be had; 1 otherwise.
set -uo pipefail

PROG=run.sh
T0=$(date +%s.%N)
HERE=$(cd "$(dirname "$0")" && pwd)
: "${top_srcdir:=$(cd "$HERE/../../.." && pwd)}"
: "${MEMTOP:=$top_srcdir/src/memtop}"
CC=${CC:-gcc}
UPDATE=${MEMTOP_RTVM_UPDATE_FIXTURE:-0}
[ "${1:-}" = --update-fixture ] && UPDATE=1

say() { echo "$PROG: $*"; }
skip() { say "SKIP: $*"; exit 77; }
fail() { say "FAIL: $*"; echo "0 passed, 1 failed"; exit 1; }

command -v qemu-system-x86_64 >/dev/null 2>&1 || skip "qemu-system-x86_64 not installed (apt-get install qemu-system-x86)"
command -v python3 >/dev/null 2>&1 || fail "python3 not found"
[ -x "$MEMTOP" ] || fail "no memtop binary at $MEMTOP"

# the timeout: generous when the image is still to be built
if [ -z "${MEMTOP_RTVM_TIMEOUT:-}" ]; then
    MEMTOP_RTVM_TIMEOUT=1500
    key=$("$HERE/mkrootfs.sh" --print-key)
    cache=${MEMTOP_RTVM_CACHE:-/var/cache/memtop-rtvm}
    [ -f "$cache/rootfs-$key/.complete" ] || MEMTOP_RTVM_TIMEOUT=2400
fi
[[ $MEMTOP_RTVM_TIMEOUT =~ ^[1-9][0-9]*$ ]] || fail "bad MEMTOP_RTVM_TIMEOUT"
left() { awk -v t0="$T0" -v t="$MEMTOP_RTVM_TIMEOUT" -v now="$(date +%s.%N)" \
             'BEGIN { x = t0 + t - now; printf "%d", x < 0 ? 0 : x }'; }

# ---------------------------------------------------------------- image ----
T_IMG0=$(date +%s.%N)
ENTRY=$(timeout "$(left)" "$HERE/mkrootfs.sh"); rc=$?
case $rc in
    0) ;;
    77) exit 77 ;;
    124) fail "timeout while building the image" ;;
    *) fail "mkrootfs.sh failed (status $rc)" ;;
esac
T_IMG1=$(date +%s.%N)
say "image $ENTRY ($(sed -n 's/^image //p' "$ENTRY/info"))"

# ---------------------------------------------------------------- stage ----
if [ -n "${MEMTOP_RTVM_OUT:-}" ]; then
    OUTD=$MEMTOP_RTVM_OUT; KEEP_OUT=1
    rm -rf "$OUTD"; mkdir -p "$OUTD" || fail "cannot create $OUTD"
else
    OUTD=$(mktemp -d "${TMPDIR:-/tmp}/memtop-rtvm-out.XXXXXX") || fail "mktemp"; KEEP_OUT=0
fi
OUTD=$(cd "$OUTD" && pwd)
STAGE=$OUTD/stage
mkdir -p "$STAGE" "$OUTD/share"
cp "$MEMTOP" "$STAGE/memtop" || fail "cannot copy $MEMTOP"
$CC -static -O2 -o "$STAGE/hog" "$HERE/hog.c" 2> "$OUTD/cc.err" ||
    { cat "$OUTD/cc.err"; fail "cannot link hog.c statically (the static libc is in libc6-dev)"; }
BUSYBOX=$(command -v busybox) || fail "busybox not found (apt-get install busybox-static)"
LC_ALL=C readelf -l "$BUSYBOX" 2>/dev/null | grep -q INTERP && fail "$BUSYBOX is dynamically linked; install busybox-static"
# the image's root file system: busybox with its applet links, and hog
BB=$OUTD/bbroot
mkdir -p "$BB"/{bin,etc,tmp,dev,proc,sys,root}
cp "$BUSYBOX" "$BB/bin/busybox" && cp "$STAGE/hog" "$BB/bin/hog" || fail "cannot build the busybox tree"
for a in $("$BUSYBOX" --list); do [ -e "$BB/bin/$a" ] || ln -s busybox "$BB/bin/$a"; done
echo 'root:x:0:0:root:/root:/bin/sh' > "$BB/etc/passwd"
echo 'root:x:0:' > "$BB/etc/group"
tar --numeric-owner --owner=0 --group=0 -C "$BB" -cf "$STAGE/bb.tar" . || fail "cannot make bb.tar"
rm -rf "$BB"

# ----------------------------------------------------------------- boot ----
say "booting the guest (timeout $(left) s)"
"$HERE/boot.sh" --timeout "$(left)" --files "$STAGE" --out "$OUTD/share" -- "$HERE/guest-scenario.sh" \
    > "$OUTD/guest.log" 2> "$OUTD/boot.err"
brc=$?
sed 's/^/  guest| /' "$OUTD/guest.log"
cat "$OUTD/boot.err"
case $brc in
    77) exit 77 ;;
esac
[ -f "$OUTD/share/result.tar" ] || fail "the guest left no result.tar (boot.sh status $brc)"
mkdir -p "$OUTD/result" && tar -C "$OUTD/result" -xf "$OUTD/share/result.tar" || fail "cannot unpack result.tar"
R=$OUTD/result

# memtop on the captured tree, on the host: the fixture must work with --root
"$MEMTOP" --root "$R/capture" --no-bus --oom-source none --json -n 1 \
    > "$R/memtop/host-root-capture.ndjson" 2> "$R/memtop/host-root-capture.err"
echo "$?" > "$R/memtop/host-root-capture.rc"

# ---------------------------------------------------------------- check ----
echo "$brc" > "$R/boot-status"       # check.py counts it as one check
python3 "$HERE/check.py" "$R" | tee "$OUTD/check.txt"
crc=${PIPESTATUS[0]}
SUMMARY=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$OUTD/check.txt" | tail -n 1)
[ -n "$SUMMARY" ] || { SUMMARY="0 passed, 1 failed"; crc=1; }

if [ "$UPDATE" = 1 ]; then
    FX=$top_srcdir/tests/fixtures/runtimes-real
    rm -rf "$FX" && mkdir -p "$FX" || fail "cannot write $FX"
    cp -a "$R/capture/." "$FX/"
    mkdir -p "$FX/answers" "$FX/memtop"
    cp -a "$R/answers/." "$FX/answers/"
    cp -a "$R/memtop/." "$FX/memtop/"
    # of memtop's NDJSON outputs only the last tick (the OOM history and the
    # risk verdicts accumulate there); the whole runs are in MEMTOP_RTVM_OUT
    for f in "$FX"/memtop/*.ndjson; do tail -n 1 "$f" > "$f.tmp" && mv "$f.tmp" "$f"; done
    find "$FX/memtop" -type f -size 0 -delete
    cp "$R/containers.tsv" "$R/timings.txt" "$FX/answers/"
    say "fixture written to $FX ($(du -sk "$FX" | cut -f1) KiB)"
fi

awk -v p="$PROG" -v t0="$T0" -v a="$T_IMG0" -v b="$T_IMG1" -v now="$(date +%s.%N)" \
    'BEGIN { printf "%s: image %.1fs, total %.1fs\n", p, b - a, now - t0 }'
if [ "$KEEP_OUT" = 0 ]; then
    if [ "$crc" = 0 ]; then rm -rf "$OUTD"; else say "results kept in $OUTD"; fi
fi

# repeat the summary line last
echo "$SUMMARY"
exit "$crc"
