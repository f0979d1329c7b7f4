#!/bin/sh
# replay_tsdb.sh - a recording printed as OpenMetrics (--replay FILE
# --openmetrics) goes through `promtool tsdb create-blocks-from openmetrics`
# into a TSDB; a Prometheus started on it answers, at each recorded tick's
# time, the value the replayed JSON has for that tick.  The recording is
# made here from a fixture tree whose container memory changes every tick,
# so a sample put at the wrong time (milliseconds taken as seconds, a
# series out of order) gives another value.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"

command -v promtool >/dev/null 2>&1 || skip_all "promtool is not installed (package prometheus)"
PROM=$(command -v prometheus) || skip_all "prometheus is not installed"
[ -n "$PY" ] || skip_all "python3 is needed"
scratch_dir
cp -a "$FIXTURES/v2-layouts" "$tmp/tree"
CG=$tmp/tree/sys/fs/cgroup/docker/a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1

# memtop records 12 ticks 0.3 s apart while the container's usage and anon
# grow by 1 MiB every 0.1 s (rewritten in place: memtop keeps files open)
"$PY" - "$CG" 4.5 <<'PYEOF' &
import sys, time
cg, secs = sys.argv[1], float(sys.argv[2])
end = time.time() + secs
n = 0
while time.time() < end:
    n += 1
    for name, key in (("memory.current", None), ("memory.stat", "anon")):
        p = cg + "/" + name
        text = open(p).read()
        if key is None:
            text = "%d\n" % (482344960 + n * (1 << 20))
        else:
            text = "".join("%s %d\n" % (key, 400000000 + n * (1 << 20)) if l.split()[0] == key
                           else l + "\n" for l in text.splitlines() if l)
        with open(p, "r+") as f:
            f.write(text)
            f.truncate()
    time.sleep(0.1)
PYEOF
bgpid=$!
"$MEMTOP" --root "$tmp/tree" --no-bus --oom-source none -w "$tmp/rec" -d 0.3 -n 12 ||
    fail "recording the fixture tree"
wait "$bgpid"
bgpid=

"$MEMTOP" --replay "$tmp/rec" --openmetrics >"$tmp/rec.om" || fail "--replay --openmetrics"
"$MEMTOP" --replay "$tmp/rec" --json >"$tmp/rec.json" || fail "--replay --json"
check "the OpenMetrics replay ends with # EOF" sh -c "tail -n 1 '$tmp/rec.om' | grep -qx '# EOF'"
check "each TYPE line once" sh -c "[ -z \"\$(grep '^# TYPE ' '$tmp/rec.om' | sort | uniq -d)\" ]"
check "promtool tsdb create-blocks-from openmetrics" \
    sh -c "promtool tsdb create-blocks-from openmetrics '$tmp/rec.om' '$tmp/data' >'$tmp/promtool.log' 2>&1"

cat >"$tmp/prometheus.yml" <<'YAML'
global: {scrape_interval: 1h}
scrape_configs: []
YAML
port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$PROM" --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/data" \
    --storage.tsdb.retention.time=100y --web.listen-address="127.0.0.1:$port" \
    --log.level=warn >"$tmp/prom.log" 2>&1 &
bgpid=$!
check "Prometheus on the TSDB answers the recorded ticks as the JSON has them" \
    "$PY" - "$tmp/rec.json" "$port" <<'PYEOF'
import json, sys, time, urllib.parse, urllib.request
ticks = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
api = "http://127.0.0.1:%s" % sys.argv[2]
for _ in range(120):
    try:
        urllib.request.urlopen(api + "/-/ready", timeout=2).read()
        break
    except Exception:
        time.sleep(0.25)
cid = "/docker/" + "a1" * 32
def q(expr, t):
    u = api + "/api/v1/query?" + urllib.parse.urlencode({"query": expr, "time": "%.3f" % t})
    r = json.loads(urllib.request.urlopen(u, timeout=5).read())["data"]["result"]
    return r[0]["value"][1] if r else None
seen = set()
compared = 0
for t in ticks:
    c = next(c for c in t["cgroups"] if c["path"] == cid)
    for fam, key in (("memtop_memory_usage_bytes", "usage"), ("memtop_memory_anon_bytes", "anon"),
                     ("memtop_memory_working_set_bytes", "working_set")):
        got = q('%s{id="%s"}' % (fam, cid), t["time"])
        assert got is not None and int(got) == c[key], (fam, t["time"], got, c[key])
        compared += 1
    seen.add(c["usage"])
    # the risk level of the replayed tick, too
    lvl = q('memtop_oom_risk{id="%s"} == 1' % cid, t["time"])
    assert lvl == "1", (t["time"], lvl)
assert len(ticks) == 12, len(ticks)
assert len(seen) >= 8, ("the recorded usage must change from tick to tick", seen)
print("compared %d values at %d ticks" % (compared, len(ticks)))
PYEOF
finish
