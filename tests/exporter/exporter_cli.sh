#!/bin/sh
# exporter_cli.sh - the exporter's command line: bad --listen values and a
# port in use are one-line errors with status 1, --textfile checks its
# directory at start and replaces DIR/memtop.prom atomically every tick,
# conflicting options are refused, SIGINT/SIGTERM stop cleanly.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

[ -n "$PY" ] || skip_all "python3 is needed"
scratch_dir
out=$tmp
ROOT="--root $FIXTURES/v2-layouts --no-bus --oom-source none"

for bad in abc 1.2.3.4:99999 ::1:80 localhost:80 '[::1]' 127.0.0.1: -5; do
    # shellcheck disable=SC2086
    check "--listen '$bad': one line, status 1" one_line_error 1 $ROOT --listen "$bad"
    grep -q "invalid --listen" "$out/e" || fail "--listen '$bad' says: $(cat "$out/e")"
done

# a port somebody else holds
"$PY" - "$tmp/port" <<'PYEOF' &
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(1)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
time.sleep(30)
PYEOF
bgpid=$!
for i in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(cat "$tmp/port")
# shellcheck disable=SC2086
check "a port in use: one line, status 1" one_line_error 1 $ROOT --listen "127.0.0.1:$port"
check "... saying so" grep -q "cannot listen on 127.0.0.1:$port: Address already in use" "$out/e"
kill "$bgpid"; wait "$bgpid" 2>/dev/null; bgpid=

# shellcheck disable=SC2086
check "--textfile: a missing directory is one line, status 1" one_line_error 1 $ROOT --textfile "$tmp/nope"
# shellcheck disable=SC2086
check "--textfile: a file is not a directory" one_line_error 1 $ROOT --textfile /etc/hostname
# shellcheck disable=SC2086
check "--textfile: a directory where no file can be made" one_line_error 1 $ROOT --textfile /proc/self
for combo in "--listen 0 -b" "--listen 0 --json" "--textfile /tmp --explain x" \
    "--openmetrics --prometheus" "--replay x --listen 0" "--replay x --prometheus"; do
    # shellcheck disable=SC2086
    check "refused: $combo (status 2)" one_line_error 2 $combo
done

# --listen PORT alone listens on 127.0.0.1; SIGINT stops it with 0
# shellcheck disable=SC2086
"$MEMTOP" $ROOT --listen 0 -d 0.5 2>"$tmp/l.err" &
bgpid=$!
for i in $(seq 50); do grep -q serving "$tmp/l.err" && break; sleep 0.1; done
check "--listen 0 listens on 127.0.0.1" grep -q "serving metrics on 127.0.0.1:[0-9]" "$tmp/l.err"
kill -INT "$bgpid"; wait "$bgpid"
check "SIGINT: status 0" test $? -eq 0
bgpid=

# IPv6 loopback, when this host has it
if "$PY" -c 'import socket; s = socket.socket(socket.AF_INET6); s.bind(("::1", 0))' 2>/dev/null; then
    # shellcheck disable=SC2086
    "$MEMTOP" $ROOT --listen '[::1]:0' -d 0.5 2>"$tmp/v6.err" &
    bgpid=$!
    for i in $(seq 50); do grep -q serving "$tmp/v6.err" && break; sleep 0.1; done
    v6port=$(sed -n 's/.*serving metrics on \[::1\]:\([0-9]*\).*/\1/p' "$tmp/v6.err")
    check "--listen [::1]:0 serves over IPv6" "$PY" -c "
import urllib.request
b = urllib.request.urlopen('http://[::1]:$v6port/metrics', timeout=5).read()
assert b.startswith(b'# TYPE ')"
    kill "$bgpid"; wait "$bgpid"; bgpid=
fi

# one daemon: exporter, textfile and flight recorder together
mkdir "$tmp/dump" "$tmp/tf2"
# shellcheck disable=SC2086
check "--listen with --textfile, -w and --dump-on-oom: 3 ticks, status 0" \
    "$MEMTOP" $ROOT --listen 0 --textfile "$tmp/tf2" -w "$tmp/both.rec" --dump-on-oom "$tmp/dump" \
    -n 3 -d 0.3
check "... the recording has the 3 ticks" sh -c "[ \"\$('$MEMTOP' --replay '$tmp/both.rec' --json | wc -l)\" -eq 3 ]"
check "... and the textfile the last" grep -q '^memtop_ticks_total 3$' "$tmp/tf2/memtop.prom"

# --textfile: every read sees a whole file; no temporary file stays
mkdir "$tmp/tf"
# shellcheck disable=SC2086
"$MEMTOP" $ROOT -a --textfile "$tmp/tf" -d 0.2 2>"$tmp/tf.err" &
bgpid=$!
check "--textfile: 300 reads over 3 s each see a complete exposition" "$PY" - "$tmp/tf/memtop.prom" <<'PYEOF'
import sys, time
p = sys.argv[1]
for _ in range(100):
    try:
        open(p).close()
        break
    except OSError:
        time.sleep(0.05)
n = 0
for _ in range(300):
    text = open(p).read()
    lines = text.split("\n")
    assert text.endswith("\n") and lines[-2].startswith("process_start_time_seconds "), lines[-3:]
    assert text.startswith("# TYPE memtop_cgroup_info gauge\n"), text[:60]
    n += 1
    time.sleep(0.01)
print("%d complete reads" % n)
PYEOF
kill "$bgpid"; wait "$bgpid"
check "--textfile: SIGTERM, status 0" test $? -eq 0
bgpid=
check "--textfile: no temporary file left" sh -c "[ \"\$(ls -A '$tmp/tf')\" = memtop.prom ]"
if command -v promtool >/dev/null 2>&1; then
    check "--textfile: promtool check metrics" sh -c "promtool check metrics <'$tmp/tf/memtop.prom'"
fi
finish
