#!/bin/sh
# exporter.sh - what the Prometheus exporter costs on a synthetic node of
# N containers (bench/mkfixture.sh), v1 and v2:
#   1. bench_metrics: CPU per render of each format next to the CPU of one
#      steady tick, body sizes raw and gzipped, memory around the renders;
#   2. memtop --listen on the v2 node, -d 0.5: VmRSS after 50, 1050 and
#      2050 scrapes (text, OpenMetrics, gzip in turn), and over 10 s
#      without any scrape and with 10 Prometheus-like scrapes a second:
#      memtop's CPU per tick and the tick's own (memtop_tick_cpu_seconds).
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
for i in range(1000):
    scrape(i)
r2 = rss()
print("   VmRSS: %d KiB after 50 scrapes, %d after 1050, %d after 2050 (%.1f ms per scrape "
      "end to end)" % (r0, r1, r2, dt))
def metric(body, name):
    m = re.search(rb"^" + name.encode() + rb" ([0-9.e+-]+)$", body, re.M)
    return float(m.group(1)) if m else None
PROM = {"Accept": OM, "Accept-Encoding": "gzip"}    # what Prometheus sends
def fetch(h):
    with urllib.request.urlopen(urllib.request.Request(url, headers=h), timeout=10) as r:
        b = r.read()
        return gzip.decompress(b) if r.headers.get("Content-Encoding") == "gzip" else b
def window(rate):
    """10 s without any scrape (rate 0) or with `rate` Prometheus-like
    scrapes a second: memtop's CPU, ticks taken, the ticks' own CPU"""
    b0 = fetch({})
    c0, n0, ticks = cpu(), metric(b0, "memtop_ticks_total"), []
    end = time.time() + 10
    while time.time() < end:
        if rate:
            v = metric(fetch(PROM), "memtop_tick_cpu_seconds")
            if v is not None:
                ticks.append(v)
            time.sleep(1.0 / rate)
        else:
            time.sleep(0.5)
    c1 = cpu()
    b1 = fetch({})
    n = metric(b1, "memtop_ticks_total") - n0
    if not ticks:
        ticks = [metric(b1, "memtop_tick_cpu_seconds")]
    return c1 - c0, n, sum(ticks) / len(ticks) * 1000
for rate in (0, 10):
    c, n, t = window(rate)
    print("   over 10 s with %s: memtop CPU %.2f s for %d ticks (%.1f ms per tick, "
          "scrapes included); the tick's own CPU %.1f ms" %
          ("no scrape" if rate == 0 else "%d Prometheus-like scrapes/s (OpenMetrics, gzip)" % rate,
           c, n, c / n * 1000, t))
PYEOF
kill "$pid"; wait "$pid"; pid=
