#!/usr/bin/env python3
"""check.py RESULT_DIR - host-side assertions over the real-runtime guest's output.

RESULT_DIR is the unpacked result.tar of guest-scenario.sh (run.sh does that):
containers.tsv (ground truth: label, runtime, expected name, id, main pid,
the main pid's cgroup, the limit the runtime was asked for, ctr namespace),
memtop/ (memtop's outputs), answers/ (the runtimes' own answers),
capture/ (the kernel's cgroup files right after memtop's reference run).

The checks describe the CORRECT behaviour (README "Which cgroups are
containers", "Names", "--explain"), also where memtop is known to fall short:

* the container's cgroup is the outermost ancestor of its main process's
  cgroup whose name carries the container's id (docker-<id>.scope,
  libpod-<id>.scope, cri-containerd-<id>.scope, /<namespace>/<id>) or, for
  machines, its name (machine-<name>.scope, systemd-nspawn@<name>.service);
* effective limit = the lowest memory.max on the path from the root to the
  cgroups where the container's processes run, descendants of the
  container's cgroup included (podman/crun put memory.max on .../container);
  limit_from names that cgroup;
* containerd's cgroupfs layout /<namespace>/<id> of a live task is a
  container, runtime containerd, named from its bundle's CRI annotations
  when present, else by its id;
* --explain accepts the container name, pod/name, namespace/pod/name, an id
  prefix and the cgroup path.

One line per check, "ok ..." or "FAIL ...", then "N passed, M failed";
exit status 1 on any failure.
"""
import json
import os
import re
import sys

MIB = 1 << 20

R = sys.argv[1] if len(sys.argv) > 1 else "."
CG = os.path.join(R, "capture", "sys", "fs", "cgroup")
passed = failed = 0


def check(ok, what, why=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok   " + what)
    else:
        failed += 1
        print("FAIL " + what + (": " + why if why else ""))
    return ok


def info(what):
    print("info " + what)


def read(path, default=None):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return default


def ticks(name):
    out = []
    for line in (read(os.path.join(R, "memtop", name), "") or "").splitlines():
        line = line.strip()
        if line:
            try:
                out.append(json.loads(line))
            except ValueError:
                pass
    return out


def by_path(tick):
    return {c["path"]: c for c in tick.get("cgroups", [])} if tick else {}


# --------------------------------------------------------- the kernel's files
def cg_file(path, name):
    return read(os.path.join(CG, path.lstrip("/"), name))


def cg_max(path):
    v = cg_file(path, "memory.max")
    if v is None:
        return None
    v = v.strip()
    return float("inf") if v == "max" else int(v)


def cg_current(path):
    v = cg_file(path, "memory.current")
    return int(v) if v and v.strip().isdigit() else None


def cg_populated(path):
    procs = cg_file(path, "cgroup.procs")
    return bool(procs and procs.strip())


def cg_children(path):
    d = os.path.join(CG, path.lstrip("/"))
    try:
        names = sorted(n for n in os.listdir(d) if os.path.isdir(os.path.join(d, n)))
    except OSError:
        return []
    return [(path.rstrip("/") + "/" + n) for n in names]


def ancestors(path):
    """root first, path last ("/" itself excluded: it has no memory.max)"""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) for i in range(len(parts))]


def expected_limit(cpath):
    """(limit or None, [cgroups holding it]) per the rule in the docstring"""
    cands = ancestors(cpath)

    # descendants on a path to a populated cgroup
    def walk(p):
        sub = []
        for ch in cg_children(p):
            below = walk(ch)
            if below or cg_populated(ch):
                sub.append(ch)
                sub.extend(below)
        return sub

    cands += walk(cpath)
    vals = [(cg_max(p), p) for p in cands]
    vals = [(v, p) for v, p in vals if v is not None]
    if not vals:
        return None, []
    low = min(v for v, _ in vals)
    if low == float("inf"):
        return None, []
    return low, [p for v, p in vals if v == low]


def container_path(cgpath, key):
    """outermost ancestor-or-self of cgpath whose last component names key"""
    for p in ancestors(cgpath):
        if key in p.rsplit("/", 1)[-1]:
            return p
    return None


def within(a, b, abs_tol=MIB, rel=0.05):
    return abs(a - b) <= abs_tol + rel * max(a, b)


# ---------------------------------------------------------------- inputs
st = read(os.path.join(R, "boot-status"))
if st is not None:
    check(st.strip() == "0", "guest scenario finished without errors", "status " + st.strip())

rows = []
for line in (read(os.path.join(R, "containers.tsv"), "") or "").splitlines():
    f = line.split("\t")
    if len(f) >= 8:
        rows.append(dict(label=f[0], runtime=f[1], name=f[2], id=f[3], pid=f[4],
                         cgroup=f[5], asked=int(f[6] or 0), ns=f[7]))
check(len(rows) >= 10, "containers.tsv lists the scenario's containers", "%d rows" % len(rows))

json_ticks = ticks("json.ndjson")
all_ticks = ticks("json-all.ndjson")
live_ticks = ticks("live.ndjson")
backlog_ticks = ticks("backlog.ndjson")
check(len(json_ticks) == 3, "memtop --json -n 3 printed 3 ticks", "%d" % len(json_ticks))
check(len(all_ticks) == 2, "memtop --json --all -n 2 printed 2 ticks", "%d" % len(all_ticks))
DEF = by_path(json_ticks[-1] if json_ticks else None)
ALL = by_path(all_ticks[-1] if all_ticks else None)
if json_ticks:
    check(json_ticks[-1].get("cgroup_mode") == "v2", "cgroup_mode is v2", str(json_ticks[-1].get("cgroup_mode")))

docker = {}
try:
    for d in json.loads(read(os.path.join(R, "answers", "docker-inspect.json"), "[]")):
        docker[d["Name"].lstrip("/")] = d
except ValueError:
    pass
podman = {}
try:
    for d in json.loads(read(os.path.join(R, "answers", "podman-inspect.json"), "[]")):
        podman[d["Name"]] = d
except ValueError:
    pass


def runtime_limit(row):
    """the limit as the runtime itself reports it (None: no answer / no limit)"""
    if row["runtime"] == "docker" and row["name"] in docker:
        return docker[row["name"]]["HostConfig"].get("Memory") or None
    if row["runtime"] == "podman" and row["name"] in podman:
        return podman[row["name"]]["HostConfig"].get("Memory") or None
    if row["runtime"] == "containerd":
        txt = read(os.path.join(R, "answers", "ctr-info-%s-%s.json" % (row["ns"], row["id"][:12])))
        try:
            spec = json.loads(txt)["Spec"]
            return (spec.get("linux", {}).get("resources", {}).get("memory", {}) or {}).get("limit") or None
        except (ValueError, TypeError, KeyError):
            return None
    if row["runtime"] == "nspawn":
        txt = read(os.path.join(R, "answers", "machine-unit-%s.txt" % row["name"]), "") or ""
        m = re.search(r"^MemoryMax=(\d+)$", txt, re.M)
        return int(m.group(1)) if m else None
    return None


# ---------------------------------------------------------- per container
expected_paths = {}
for row in rows:
    L = row["label"]
    key = row["id"]
    cpath = container_path(row["cgroup"], key)
    expected_paths[L] = cpath
    if not check(cpath is not None, "%s: its cgroup is known" % L,
                 "no component of %s names %s" % (row["cgroup"], key)):
        continue
    info("%s: main pid %s in %s; container cgroup %s" % (L, row["pid"], row["cgroup"], cpath))
    c = DEF.get(cpath)
    a = ALL.get(cpath)
    if not check(c is not None, "%s: listed by default" % L,
                 "absent from memtop --json; --all shows it as kind=%s runtime=%s name=%s"
                 % ((a or {}).get("kind"), (a or {}).get("runtime"), (a or {}).get("name"))
                 if a else "absent from --json and --json --all"):
        c = a
    if c is None:
        continue
    check(c.get("kind") == "container", "%s: kind container" % L, "kind=%s subkind=%s" % (c.get("kind"), c.get("subkind")))
    check(c.get("runtime") == row["runtime"], "%s: runtime %s" % (L, row["runtime"]), "runtime=%s" % c.get("runtime"))
    check(c.get("id") == row["id"], "%s: id" % L, "id=%s, expected %s" % (c.get("id"), row["id"]))
    name_ok = c.get("name") == row["name"]
    if (not name_ok and row["runtime"] == "nspawn" and c.get("name_source") == "cgroup"
            and c.get("name") == "nspawn:" + row["name"]):
        # machined's answer comes over the bus, asynchronously (100 ms per
        # tick at most); a TCG guest on a loaded host may miss the window
        info("%s: machined's name had not arrived yet; cgroup-derived %r" % (L, c.get("name")))
        name_ok = True
    check(name_ok, "%s: name %r" % (L, row["name"]), "name=%r (name_source %s)" % (c.get("name"), c.get("name_source")))

    # processes below the container cgroup are not containers of their own
    inner = [p for p, x in DEF.items() if p.startswith(cpath + "/") and x.get("kind") == "container"]
    check(not inner, "%s: no separate container below its cgroup" % L, ", ".join(inner))

    # the limit
    lim, where = expected_limit(cpath)
    info("%s: kernel: lowest memory.max %s at %s; runtime asked %s"
         % (L, lim, ", ".join(where) or "-", row["asked"] or "none"))
    rlim = runtime_limit(row)
    if row["asked"]:
        # scenario sanity: the runtime's answer and the kernel agree with what was asked
        check(rlim == row["asked"], "%s: runtime reports the limit it was given" % L, "runtime says %s" % rlim)
        check(lim == row["asked"] or (lim is not None and lim < row["asked"]),
              "%s: kernel memory.max in the container's subtree is the asked %d" % (L, row["asked"]),
              "lowest is %s at %s" % (lim, where))
    check(c.get("limit") == lim, "%s: effective limit %s" % (L, lim),
          "memtop limit=%s limit_from=%s limit_own=%s" % (c.get("limit"), c.get("limit_from"), c.get("limit_own")))
    if lim is None:
        check(c.get("limit_from") is None, "%s: no limit_from" % L, "limit_from=%s" % c.get("limit_from"))
    else:
        check(c.get("limit_from") in where, "%s: limit_from %s" % (L, " or ".join(where)),
              "limit_from=%s" % c.get("limit_from"))

    # usage against memory.current, read right after memtop's last tick
    cur = cg_current(cpath)
    if check(cur is not None and c.get("usage") is not None, "%s: usage and memory.current present" % L,
             "usage=%s memory.current=%s" % (c.get("usage"), cur)):
        check(within(c["usage"], cur), "%s: usage %d ~ memory.current %d" % (L, c["usage"], cur))

# ------------------------------------------------------- specific layouts
rowby = {r["label"]: r for r in rows}

shm = rowby.get("docker/shm")
if shm and expected_paths.get("docker/shm") in DEF:
    c = DEF[expected_paths["docker/shm"]]
    check((c.get("shmem") or 0) >= 15 * MIB, "docker/shm: 16 MiB in /dev/shm counted as shmem", "shmem=%s" % c.get("shmem"))

ng = rowby.get("containerd/nginx")
if ng and expected_paths.get("containerd/nginx") in DEF:
    c = DEF[expected_paths["containerd/nginx"]]
    check(c.get("pod_uid") == "3a1d0c8e-5b2f-4c9a-9e4d-7f6a5b4c3d2e" and c.get("qos") == "burstable",
          "containerd/nginx: pod_uid and qos from the pod slice", "pod_uid=%s qos=%s" % (c.get("pod_uid"), c.get("qos")))
    check(c.get("container_name") == "nginx" and c.get("pod_name") == "web-7d9f" and c.get("namespace") == "prod",
          "containerd/nginx: container_name/pod_name/namespace from the CRI annotations",
          "%s/%s/%s" % (c.get("namespace"), c.get("pod_name"), c.get("container_name")))
sb = rowby.get("containerd/sandbox")
if sb and expected_paths.get("containerd/sandbox") in DEF:
    c = DEF[expected_paths["containerd/sandbox"]]
    check(c.get("container_type") == "sandbox", "containerd/sandbox: container_type sandbox", str(c.get("container_type")))
pod_path = None
for p, c in ALL.items():
    if re.search(r"/kubepods-burstable-pod3a1d0c8e_5b2f_4c9a_9e4d_7f6a5b4c3d2e\.slice$", p):
        pod_path = p
if check(pod_path is not None, "kubepods pod slice present in --all"):
    c = DEF.get(pod_path) or ALL[pod_path]
    check(pod_path in DEF, "kubepods pod slice listed by default")
    check(c.get("kind") == "pod" and c.get("qos") == "burstable", "kubepods pod slice: kind pod, qos burstable",
          "kind=%s qos=%s" % (c.get("kind"), c.get("qos")))
    check(c.get("name") == "prod/web-7d9f", "kubepods pod slice: name prod/web-7d9f", "name=%r" % c.get("name"))

for p in ("/default", "/k8s.io"):
    c = ALL.get(p)
    if c is not None:
        check(c.get("kind") != "container", "%s (containerd namespace cgroup) is not a container" % p, "kind=%s" % c.get("kind"))

for p, c in ALL.items():
    last = p.rsplit("/", 1)[-1]
    if last.startswith("libpod-conmon-"):
        check(c.get("kind") == "helper", "%s: podman's conmon scope is a helper" % last[:26],
              "kind=%s" % c.get("kind"))
    if last.startswith("machine-libpod_pod_"):
        info("podman pod slice %s: kind=%s runtime=%s name=%s listed-by-default=%s"
             % (p, c.get("kind"), c.get("runtime"), c.get("name"), p in DEF))

# exited containers have no cgroup and must not be listed live
for n in ("exited", "pm-exited"):
    hits = [p for p, c in DEF.items() if c.get("name") == n and c.get("state") == "live"]
    check(not hits, "exited container %s not listed as live" % n, ", ".join(hits))

# ------------------------------------------------------------------- OOM
klog = read(os.path.join(R, "answers", "kernel.log"), "") or ""
m = re.search(r"Killed process (\d+) \((\S+)\)", klog)
victim_pid, victim_comm = (int(m.group(1)), m.group(2)) if m else (None, None)
check(victim_comm == "hog", "kernel log: the OOM victim is hog", "victim %s %s" % (victim_pid, victim_comm))
oom = rowby.get("docker/oomer")
opath = expected_paths.get("docker/oomer")
if oom and opath:
    kills = cg_file(opath, "memory.events") or ""
    mk = re.search(r"^oom_kill (\d+)", kills, re.M)
    check(mk and int(mk.group(1)) >= 1, "oomer: memory.events oom_kill >= 1", kills.replace("\n", " "))

    def kill_in(tick_list, what, sources=("journal",)):
        last = by_path(tick_list[-1]) if tick_list else {}
        c = last.get(opath)
        if not check(c is not None, "%s: oomer listed" % what):
            return None
        h = c.get("oom_history") or []
        good = [k for k in h if k.get("pid") == victim_pid and k.get("comm") == victim_comm]
        check(bool(good), "%s: oom_history of %r has the victim %s (%s)" % (what, c.get("name"), victim_pid, victim_comm),
              json.dumps(h)[:300])
        if good:
            k = good[-1]
            check(k.get("source") in sources, "%s: kill read from %s" % (what, "/".join(sources)), str(k.get("source")))
            check(k.get("cgroup") == opath and k.get("oom_cgroup") == opath,
                  "%s: kill's cgroup and oom_cgroup are oomer's scope" % what,
                  "cgroup=%s oom_cgroup=%s" % (k.get("cgroup"), k.get("oom_cgroup")))
            check((k.get("anon_rss") or 0) >= 16 * MIB, "%s: victim's anon_rss is large" % what, str(k.get("anon_rss")))
        check(c.get("name") == "oomer", "%s: the killed container is named oomer" % what, "name=%r" % c.get("name"))
        return c

    c = kill_in(live_ticks, "live run")
    if live_ticks:
        levels = [(by_path(t).get(opath) or {}).get("risk") or {} for t in live_ticks]
        crit = [r for r in levels if r.get("level") == "CRITICAL" and "C1" in (r.get("rules") or [])]
        check(bool(crit), "live run: oomer's risk is CRITICAL (C1) after the kill",
              "levels %s" % [(r.get("level"), r.get("rules")) for r in levels][-6:])
        check(((levels[-1] or {}).get("oom_kills_seen") or 0) >= 1, "live run: risk.oom_kills_seen >= 1",
              str((levels[-1] or {}).get("oom_kills_seen")))
    kill_in(backlog_ticks, "--oom-backlog run")
    exp = read(os.path.join(R, "answers", "journal-oom.export"), "") or ""
    check("Killed process %s" % victim_pid in exp and "oom-kill:" in exp,
          "journal export holds the kill's records", "%d bytes" % len(exp))

# ----------------------------------------------------------------- batch
batch = read(os.path.join(R, "memtop", "batch.txt"), "") or ""
for row in rows:
    if expected_paths.get(row["label"]):
        nm = row["name"][:16]
        check(nm in batch, "batch: a row for %s (%s)" % (row["label"], nm))

# --------------------------------------------------------------- explain
label_of = {"docker-name": "docker/web", "docker-id": "docker/web", "podman-name": "podman/pm-plain",
            "podman-path": "podman/pm-plain", "cri-name": "containerd/nginx", "cri-pod-name": "containerd/nginx",
            "cri-full-name": "containerd/nginx", "cri-id": "containerd/nginx",
            "ctr-plain-name": "containerd/ctr-plain", "ctr-plain-path": "containerd/ctr-plain",
            "oomer": "docker/oomer", "nspawn": "nspawn/bbox"}
for line in (read(os.path.join(R, "memtop", "explain.tsv"), "") or "").splitlines():
    key, arg, rc = (line.split("\t") + ["", "", ""])[:3]
    txt = read(os.path.join(R, "memtop", "explain-%s.txt" % key), "") or ""
    want = expected_paths.get(label_of.get(key, ""), None)
    check(rc == "0" and want is not None and want in txt,
          "--explain %s (%s) finds %s" % (arg, key, label_of.get(key)),
          "status %s: %s" % (rc, txt.strip().splitlines()[0] if txt.strip() else "(no output)"))

# ------------------------------------------------------------------- TUI
tui = read(os.path.join(R, "memtop", "tui.txt"))
if tui is not None:
    for n in ("web", "oomer", "pm-plain"):
        check(re.search(r"\b%s\b" % re.escape(n), tui) is not None, "TUI (tmux) shows %s" % n)

# ------------------------------------------------- memtop --root capture
for f in ("root-capture.ndjson", "host-root-capture.ndjson"):
    t = ticks(f)
    if not check(len(t) == 1, "memtop --root capture (%s) printed a tick" % f,
                 (read(os.path.join(R, "memtop", f.replace(".ndjson", ".err")), "") or "").strip()[:200]):
        continue
    view = by_path(t[0])
    for p, c in sorted(DEF.items()):
        if c.get("state") != "live":
            continue
        v = view.get(p)
        same = v is not None and all(v.get(k) == c.get(k) for k in ("kind", "runtime", "id", "limit", "limit_from"))
        # machined names need the bus, which a fixture does not have
        if same and c.get("name_source") != "machined":
            same = v.get("name") == c.get("name")
        check(same, "%s: %s seen alike from the capture" % (f, c.get("name")),
              "capture: %s" % ({k: (v or {}).get(k) for k in ("kind", "runtime", "name", "limit")} if v else "absent"))

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
