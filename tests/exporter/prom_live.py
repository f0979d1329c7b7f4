#!/usr/bin/env python3
"""prom_live.py - a real Prometheus scraping `memtop --listen` on real cgroup
v1 memory cgroups created below memtop's own cgroup (called by
prom_live.sh, which checks the prerequisites).

Checks: the target is up and negotiated OpenMetrics; values queried through
Prometheus' HTTP API equal memtop's JSON of the same tick (the exporter also
records with -w; the recording replayed as JSON gives every tick, and
memtop_last_tick_timestamp_seconds says which tick a scrape showed); a
removed container's series disappear; an OOM kill stays visible (and
increase() sees it) after the killed container's cgroup is removed; hostile
names keep the target up; SIGTERM stops memtop with status 0.

usage: prom_live.py MEMTOP WORKLOAD PROMETHEUS BASE_CGROUP TMPDIR MEMORY_MOUNT
"""
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

MEMTOP, WL, PROM, BASE, TMP, MNT = sys.argv[1:7]
passed = failed = 0
procs = []          # (Popen, what) we started
cgroups = []        # directories we created, removed bottom-up at the end


def check(cond, desc, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print("ok - " + desc)
    else:
        failed += 1
        print("FAIL - " + desc + (": " + str(detail) if detail != "" else ""))
    sys.stdout.flush()
    return cond


def hexid(s):
    return hashlib.sha256(("memtop-prom-%d-%s" % (os.getpid(), s)).encode()).hexdigest()


def rel(path):
    """cgroup path as memtop shows it (relative to the v1 memory mount)"""
    p = path[len(MNT.encode()):] if isinstance(path, bytes) else path[len(MNT):]
    return p


def mkcg(path):
    os.mkdir(path)
    cgroups.append(path)


def start_in(cg, *args):
    """start WORKLOAD args in cgroup cg; wait until it says ready"""
    out = open(os.path.join(TMP, "wl-%d.out" % len(procs)), "w+")
    p = subprocess.Popen(["sh", "-c", 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"',
                          "sh", cg, WL] + list(args), stdout=out, stderr=subprocess.DEVNULL)
    procs.append((p, "workload " + " ".join(args)))
    for _ in range(100):
        out.seek(0)
        if "ready" in out.read():
            return p
        if p.poll() is not None:
            return p
        time.sleep(0.1)
    return p


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def get(url, timeout=5):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read().decode()


def wait_for(fn, secs, step=0.25):
    end = time.time() + secs
    while time.time() < end:
        try:
            v = fn()
            if v:
                return v
        except Exception:
            pass
        time.sleep(step)
    return None


def stop_all():
    for p, _ in reversed(procs):
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
    for cg in reversed(cgroups):
        for _ in range(20):
            try:
                os.rmdir(cg)
                break
            except FileNotFoundError:
                break
            except OSError:
                time.sleep(0.1)


def main():
    # ---- cgroups and workloads ------------------------------------------------
    ida, idb, idc, idh = hexid("a"), hexid("b"), hexid("c"), hexid("h")
    cga = os.path.join(BASE, "docker-%s.scope" % ida)      # steady anon
    cgb = os.path.join(BASE, "docker-%s.scope" % idb)      # removed
    cgc = os.path.join(BASE, "docker-%s.scope" % idc)      # OOM-killed, then removed
    cgh = os.path.join(BASE, "docker-%s.scope" % idh)      # hostile runtime name
    uid = "5d1e7a2c-0b9f-4c1d-8e2a-%012x" % (os.getpid() & 0xFFFFFFFFFFFF)
    top = os.path.join(BASE, "memtop-prom-%d" % os.getpid())
    kube = os.path.join(top, "kubepods")
    pod = os.path.join(kube, "burstable", "pod" + uid)
    ctr = os.path.join(pod, hexid("p"))
    hostile_raw = os.path.join(BASE.encode(), b'evil"dir\\{x="1"}\xff\x1b[2J')
    for cg in (cga, cgb, cgc, cgh):
        mkcg(cg)
    for cg in (top, kube, os.path.join(kube, "burstable"), pod, ctr):
        mkcg(cg)
    mkcg(hostile_raw)
    open(os.path.join(pod, "memory.limit_in_bytes"), "w").write(str(256 << 20))
    open(os.path.join(cgc, "memory.limit_in_bytes"), "w").write(str(32 << 20))
    # a Docker config with a hostile name (memtop reads it below --docker-root)
    os.makedirs(os.path.join(TMP, "docker", "containers", idh))
    with open(os.path.join(TMP, "docker", "containers", idh, "config.v2.json"), "w") as f:
        json.dump({"Name": '/evil"name\\\n{le="1"}\u001b[31m\u00ff\u2028,x=y'}, f)

    check(start_in(cga, "anon", "48").poll() is None, "anon workload in container A")
    pb = start_in(cgb, "anon", "16")
    check(pb.poll() is None, "anon workload in container B")
    check(start_in(ctr, "anon", "32").poll() is None, "anon workload in the pod's container")
    check(start_in(cgh, "anon", "8").poll() is None, "workload in the hostile-named container")

    # ---- memtop and Prometheus --------------------------------------------------
    rec = os.path.join(TMP, "memtop.rec")
    err = open(os.path.join(TMP, "memtop.err"), "w+")
    mt = subprocess.Popen([MEMTOP, "--listen", "127.0.0.1:0", "-d", "1", "-a", "--no-bus",
                           "--docker-root", os.path.join(TMP, "docker"), "--oom-source", "auto",
                           "--tombstone", "1", "-w", rec],
                          stdout=subprocess.DEVNULL, stderr=err)
    procs.append((mt, "memtop"))

    def port_of_memtop():
        err.seek(0)
        for line in err.read().splitlines():
            if "serving metrics on 127.0.0.1:" in line:
                return int(line.rsplit(":", 1)[1])
        return None
    mport = wait_for(port_of_memtop, 15)
    if not check(mport is not None, "memtop --listen 127.0.0.1:0 says its port"):
        err.seek(0)
        print(err.read())
        return
    pport = free_port()
    cfg = os.path.join(TMP, "prometheus.yml")
    with open(cfg, "w") as f:
        f.write("global: {scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s}\n"
                "scrape_configs:\n"
                "  - job_name: memtop\n"
                "    static_configs: [{targets: ['127.0.0.1:%d']}]\n" % mport)
    plog = open(os.path.join(TMP, "prometheus.log"), "w")
    pr = subprocess.Popen([PROM, "--config.file=" + cfg,
                           "--storage.tsdb.path=" + os.path.join(TMP, "data"),
                           "--web.listen-address=127.0.0.1:%d" % pport, "--log.level=warn"],
                          stdout=plog, stderr=plog)
    procs.append((pr, "prometheus"))
    api = "http://127.0.0.1:%d" % pport

    def query(expr, t=None):
        qs = {"query": expr}
        if t is not None:
            qs["time"] = "%.3f" % t
        r = json.loads(get(api + "/api/v1/query?" + urllib.parse.urlencode(qs)))
        assert r["status"] == "success", r
        return r["data"]["result"]

    def target():
        t = json.loads(get(api + "/api/v1/targets"))["data"]["activeTargets"]
        return t[0] if t and t[0]["health"] == "up" else None
    check(wait_for(lambda: get(api + "/-/ready", 2), 60) is not None, "Prometheus is ready")
    tg = wait_for(target, 60)
    if not check(tg is not None, "the memtop target is up"):
        return
    check(tg.get("lastError", "") == "", "the first scrape had no error", tg.get("lastError"))

    # ---- OpenMetrics negotiated --------------------------------------------------
    def meta(metric):
        u = api + "/api/v1/targets/metadata?" + urllib.parse.urlencode(
            {"match_target": '{job="memtop"}', "metric": metric})
        return json.loads(get(u))["data"]
    md = wait_for(lambda: meta("memtop_memory_usage_bytes"), 20)
    check(md and md[0].get("unit") == "bytes",
          "OpenMetrics was negotiated (target metadata has the UNIT bytes)", md)
    mi = meta("memtop_cgroup")
    check(mi and mi[0].get("type") == "info", "memtop_cgroup has the OpenMetrics type info", mi)

    A = rel(cga)
    PC = rel(ctr)
    # ---- the same tick through Prometheus and through memtop's JSON -------------
    wait_for(lambda: len(query('memtop_memory_usage_bytes{id="%s"}[10s]' % A)[0]["values"]) >= 3
             if query('memtop_memory_usage_bytes{id="%s"}[10s]' % A) else None, 30)
    samples = []
    fams = {"memtop_memory_usage_bytes": "usage", "memtop_memory_working_set_bytes": "working_set",
            "memtop_memory_anon_bytes": "anon", "memtop_memory_file_bytes": "file",
            "memtop_memory_floor_bytes": "floor", "memtop_memory_limit_bytes": "limit",
            "memtop_memory_limit_hits_total": "limit_hits",
            "memtop_memory_inactive_file_bytes": "inactive_file"}
    for k in range(3):
        t = time.time() - 1.2
        tick = query("memtop_last_tick_timestamp_seconds", t)
        got = {"tick": float(tick[0]["value"][1]) if tick else None, "vals": {}}
        for cid in (A, PC):
            for fam in fams:
                r = query('%s{id="%s"}' % (fam, cid), t)
                if r:
                    got["vals"][(cid, fam)] = (r[0]["value"][1], r[0]["metric"].get("limit_from"))
        samples.append(got)
        time.sleep(1.5)
    check(all(s["tick"] for s in samples), "memtop_last_tick_timestamp_seconds tells the tick")
    check(samples[0]["vals"].get((PC, "memtop_memory_limit_bytes"), (None, None))[1] == rel(pod),
          "the pod's container is limited by the pod (limit_from)",
          samples[0]["vals"].get((PC, "memtop_memory_limit_bytes")))

    # the documented PromQL (doc/exporter.md): containers whose limit comes from their pod
    fp = query('memtop_memory_limit_bytes * on(instance, limit_from) group_left() '
               'label_replace(memtop_cgroup_info{kind="pod"}, "limit_from", "$1", "id", "(.*)") '
               'and on(instance, id) memtop_cgroup_info{kind="container"}')
    check([r["metric"]["id"] for r in fp] == [PC],
          "PromQL 'containers whose limit comes from the pod' finds the pod's container",
          [r["metric"]["id"] for r in fp])
    top = query("topk(10, memtop_memory_floor_bytes / ignoring(limit_from) memtop_memory_limit_bytes)")
    check(PC in [r["metric"]["id"] for r in top], "PromQL 'top-10 by floor ratio' lists it", top)

    # ---- a removed container disappears -----------------------------------------
    B = rel(cgb)
    check(query('memtop_memory_usage_bytes{id="%s"}' % B) != [], "container B is exported")
    pb.send_signal(signal.SIGKILL)
    pb.wait()
    wait_for(lambda: (os.rmdir(cgb), True)[1], 5)
    gone = wait_for(lambda: query('{id="%s"}' % B) == [], 10)
    check(gone, "every series of removed container B is gone from Prometheus within 10 s",
          query('{id="%s"}' % B))

    # ---- an OOM kill outlives its container ----------------------------------------
    C = rel(cgc)
    check(wait_for(lambda: query('memtop_oom_kills_total{id="%s"} == 0' % C), 15),
          "container C is scraped with 0 OOM kills before its kill")
    hog = start_in(cgc, "anon", "128")
    hog.wait(30)
    check(hog.returncode == -signal.SIGKILL, "the kernel OOM-killed the workload in C",
          hog.returncode)
    check(wait_for(lambda: (os.rmdir(cgc), True)[1], 5), "C's cgroup removed right after")
    kills = wait_for(lambda: query('memtop_oom_kills_total{id="%s"} >= 1' % C), 15)
    check(kills, "memtop_oom_kills_total of removed container C counts the kill")
    time.sleep(3)
    check(query('memtop_oom_kills_total{id="%s"} >= 1' % C), "and still does 3 s later")
    check(query('increase(memtop_oom_kills_total{id="%s"}[2m]) > 0' % C),
          "increase(memtop_oom_kills_total[2m]) sees the kill of the deleted container")
    check(query('memtop_cgroup_gone{id="%s"} == 1' % C), "C is exported as gone")
    lk = query('memtop_oom_last_kill_timestamp_seconds{id="%s"}' % C)
    check(lk and lk[0]["metric"].get("comm") == "workload" and
          abs(float(lk[0]["value"][1]) - time.time()) < 120,
          "the last kill's victim command and time", lk)
    check(query('memtop_memory_usage_bytes{id="%s"}' % C) == [], "no memory gauges for gone C")

    # ---- hostile names -------------------------------------------------------------
    tg = target()
    check(tg is not None and tg.get("lastError", "") == "",
          "the target stays up with hostile names", tg and tg.get("lastError"))
    hi = query('memtop_cgroup_info{id="%s"}' % rel(cgh))
    check(hi and hi[0]["metric"]["name"].startswith('evil"name\\?{le="1"}?[31m'),
          "the hostile runtime name arrives escaped and sanitized", hi)
    raw = query('memtop_cgroup_gone{id=~".*evil.*dir.*"}')
    # (the kernel refuses a newline in a cgroup name; quotes, backslashes,
    # braces, ESC and invalid UTF-8 it takes)
    check(raw and raw[0]["metric"]["id"].endswith('evil"dir\\{x="1"}\ufffd?[2J'),
          "the raw hostile cgroup name arrives with U+FFFD, '?' and its quotes", raw)
    check(query("up") and query("up")[0]["value"][1] == "1", "up == 1")

    # ---- clean stop, then compare with the recording ----------------------------------
    mt.send_signal(signal.SIGTERM)
    try:
        rc = mt.wait(10)
    except subprocess.TimeoutExpired:
        rc = None
    check(rc == 0, "SIGTERM stops memtop --listen with status 0", rc)
    rp = subprocess.run([MEMTOP, "--replay", rec, "--json", "-a"], capture_output=True, text=True)
    ticks = {}
    for line in rp.stdout.split("\n"):
        if not line:
            continue
        t = json.loads(line)
        ticks[round(t["time"], 3)] = {c["path"]: c for c in t["cgroups"]}
    compared = 0
    for s in samples:
        js = ticks.get(round(s["tick"], 3)) if s["tick"] else None
        if not check(js is not None, "the scraped tick %.3f is in the recording" % (s["tick"] or 0)):
            continue
        for (cid, fam), (val, lf) in sorted(s["vals"].items()):
            key = fams[fam]
            want = js[cid][key]
            compared += 1
            check(want is not None and int(val) == want,
                  "%s of %s equals the JSON (%s)" % (fam, "A" if cid == A else "pod container",
                                                    val), "JSON %s" % want)
            if fam == "memtop_memory_limit_bytes":
                check(lf == js[cid]["limit_from"], "limit_from equals the JSON", lf)
    check(compared >= 12, "compared at least 12 values", compared)


try:
    main()
finally:
    stop_all()
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
