#!/bin/sh
# systemd.sh - the shipped units: `systemd-analyze verify` finds nothing to
# say about them (a misspelled key is shown to be caught), the offline
# security exposure stays low, and memtop serves on a socket passed the
# systemd way (systemd-socket-activate sets LISTEN_FDS as the .socket unit
# would).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

command -v systemd-analyze >/dev/null 2>&1 || skip_all "systemd-analyze is not installed"
[ -n "$PY" ] || skip_all "python3 is needed"
scratch_dir
SRC=$top_srcdir/contrib/systemd
bindir=$(cd "$(dirname "$MEMTOP")" && pwd)
mkdir "$tmp/u" "$tmp/bad"
sed "s|@bindir@|$bindir|g" "$SRC/memtop-exporter.service.in" >"$tmp/u/memtop-exporter.service"
cp "$SRC/memtop-exporter.socket" "$tmp/u/"

verify() { # DIR: verify quietly, nothing printed
    systemd-analyze verify --man=no "$1/memtop-exporter.service" "$1/memtop-exporter.socket" \
        >"$tmp/verify.out" 2>&1 && [ ! -s "$tmp/verify.out" ]
}
check "systemd-analyze verify: the service and socket units are clean" verify "$tmp/u"
[ -s "$tmp/verify.out" ] && cat "$tmp/verify.out"
sed 's/^ProtectSystem=/ProtectSytem=/' "$tmp/u/memtop-exporter.service" >"$tmp/bad/memtop-exporter.service"
cp "$tmp/u/memtop-exporter.socket" "$tmp/bad/"
if verify "$tmp/bad"; then fail "a misspelled key is caught (control)"; else ok "a misspelled key is caught (control)"; fi
grep -q '^ExecStart=.*--listen 127.0.0.1:' "$tmp/u/memtop-exporter.service" &&
grep -q '^ListenStream=127.0.0.1:' "$tmp/u/memtop-exporter.socket"
check "the units listen on the loopback only" test $? -eq 0
for key in NoNewPrivileges=yes ProtectSystem=strict DynamicUser=yes \
    'CapabilityBoundingSet=CAP_DAC_READ_SEARCH CAP_SYSLOG'; do
    check "hardened: $key" grep -qx "$key" "$tmp/u/memtop-exporter.service"
done
if systemd-analyze security --offline=yes "$tmp/u/memtop-exporter.service" >"$tmp/sec" 2>&1; then
    level=$(sed -n 's/.*Overall exposure level for memtop-exporter.service: \([0-9.]*\).*/\1/p' "$tmp/sec")
    check "systemd-analyze security: exposure $level <= 3.0" \
        "$PY" -c "import sys; sys.exit(0 if 0 < float('${level:-99}') <= 3.0 else 1)"
fi

# socket activation
if command -v systemd-socket-activate >/dev/null 2>&1; then
    port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    systemd-socket-activate -l "127.0.0.1:$port" "$MEMTOP" --root "$FIXTURES/v2-layouts" \
        --no-bus --oom-source none -d 0.5 --listen 127.0.0.1:1 2>"$tmp/sa.err" &
    bgpid=$!
    check "memtop answers on the socket it was passed" "$PY" - "$port" <<'PYEOF'
import sys, time, urllib.request
for i in range(50):
    try:
        body = urllib.request.urlopen("http://127.0.0.1:%s/metrics" % sys.argv[1], timeout=10).read()
        sys.exit(0 if b"memtop_build_info" in body else 1)
    except Exception:
        time.sleep(0.1)
sys.exit(1)
PYEOF
    check "it says it serves the passed socket, not --listen" \
        grep -q "serving metrics on the socket systemd passed (127.0.0.1:$port)" "$tmp/sa.err"
    kill "$bgpid"
    wait "$bgpid"
    check "and stops with 0 on SIGTERM" test $? -eq 0
    bgpid=
fi
finish
