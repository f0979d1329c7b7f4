#!/bin/sh
# exporter.sh - what the Prometheus exporter costs on a synthetic node of
# N containers (bench/mkfixture.sh), v1 and v2:
#   1. bench_metrics: CPU per render of each format next to the CPU of one
#      steady tick, body sizes raw and gzipped, memory around the renders;
#   2. memtop --listen on the v2 node, -d 0.5: VmRSS after 50 and after
#      1000 more scrapes (text, OpenMetrics, gzip in turn), and the tick's
#      own CPU (memtop_tick_cpu_seconds) and memtop's total CPU over 10 s
#      without and with 10 scrapes a second.
#
#   exporter.sh MEMTOP BENCH_BIN_DIR [N]
set -u
memtop=${1:?usage: exporter.sh MEMTOP BENCH_BIN_DIR [N]}
bin=${2:?usage: exporter.sh MEMTOP BENCH_BIN_DIR [N]}
n=${3:-1000}
src=$(cd "$(dirname "$0")" && pwd)
PY=$(command -v python3) || { echo "exporter.sh: python3 is needed"; exit 77; }
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

echo "== exporter: synthetic node, $n containers =="
for mode in v1 v2; do
    "$src/mkfixture.sh" "$tmp/$mode" "$mode" "$n" || exit 1
    for all in "" --all; do
        echo "-- $mode ${all:-(containers and pods)}: bench_metrics --"
        # shellcheck disable=SC2086
        "$bin/bench_metrics" --root "$tmp/$mode" $all --ticks 20 --renders 50 | tr ' ' '\n' |
            sed 's/^/   /' || exit 1
    done
done

echo "-- v2: memtop --listen -d 0.5, scraped --"
"$memtop" --root "$tmp/v2" --no-bus --oom-source none --listen 127.0.0.1:0 -d 0.5 2>"$tmp/err" &
pid=$!
"$PY" - "$tmp/err" "$pid" <<'PYEOF'
import gzip, re, sys, time, urllib.request
err, pid = sys.argv[1], int(sys.argv[2])
for _ in range(200):
    m = re.search(r"127\.0\.0\.1:(\d+)", open(err).read())
    if m:
        break
    time.sleep(0.05)
url = "http://127.0.0.1:%s/metrics" % m.group(1)
OM = "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5"
def scrape(i):
    h = [{}, {"Accept": OM}, {"Accept-Encoding": "gzip"}][i % 3]
    with urllib.request.urlopen(urllib.request.Request(url, headers=h), timeout=10) as r:
        return r.read()
def rss():
    for l in open("/proc/%d/status" % pid):
        if l.startswith("VmRSS:"):
            return int(l.split()[1])
def cpu():
    f = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / 100.0
def tick_cpu(body):
    m = re.search(rb"^memtop_tick_cpu_seconds ([0-9.e+-]+)$", body, re.M)
    return float(m.group(1)) if m else None
time.sleep(2)
for i in range(50):
    scrape(i)
r0 = rss()
t0 = time.time()
for i in range(1000):
    scrape(i)
dt = time.time() - t0
r1 = rss()
print("   rss_kib_after_50_scrapes=%d rss_kib_after_1050_scrapes=%d (1000 scrapes in %.1f s, "
      "%.1f ms each end to end)" % (r0, r1, dt, dt))
def window(rate):
    c0, ticks, end = cpu(), [], time.time() + 10
    while time.time() < end:
        if rate:
            b = scrape(0)
        else:
            time.sleep(0.5)
            b = scrape(0)       # one read of the tick figure per tick
        v = tick_cpu(b)
        if v is not None:
            ticks.append(v)
        if rate:
            time.sleep(1.0 / rate)
    return cpu() - c0, sum(ticks) / len(ticks) * 1000
c_idle, t_idle = window(0)
c_busy, t_busy = window(10)
print("   over 10 s: memtop CPU %.2f s with 2 scrapes/s, %.2f s with ~10 scrapes/s" % (c_idle, c_busy))
print("   tick CPU (memtop_tick_cpu_seconds, mean): %.2f ms with 2 scrapes/s, %.2f ms with ~10/s"
      % (t_idle, t_busy))
PYEOF
kill "$pid"; wait "$pid"; pid=
