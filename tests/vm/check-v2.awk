# check-v2.awk - compare memtop's output with the kernel's cgroup v2 files
# (busybox awk).  Input files, in this order, named by -v variables:
#   EXPECT  "path<TAB>key<TAB>op<TAB>value": expectations from the scenario
#           (op is =, >= or <=; path "node" means the top level of the JSON)
#   KERN    "path<TAB>key<TAB>value": the kernel's files read right after
#           memtop (keys: current, max, high, low, min, peak, swap.current,
#           swap.max, stat.<k>, events.<k>, pressure.some_total, dir, and
#           path "meminfo" for /proc/meminfo in KiB)
#   MEMTOP  jflat output of the last memtop --json tick
#   BATCH   memtop -b -a -r output
# PRE and PREPASS are the failures and passes already counted by the caller.
#
# Tolerance: the workloads are idle when memtop runs, but the kernel still
# moves a little between memtop's read and the snapshot (slab, per-CPU
# charge batches of up to 64 pages per CPU, memory.stat flushing every 2 s).
# Byte values must agree within 1 MiB + 2 %; the root cgroup within
# 16 MiB + 5 %: the test's own processes, memtop included, run there and are
# gone when the snapshot is taken (an ASan build of memtop alone adds ~6 MiB
# of anon to the root while it runs).
# Event counters must be equal; PSI totals only grow (memtop <= kernel).
BEGIN { FS = "\t"; MIB = 1048576; pass = PREPASS + 0; fail = PRE + 0 }

FILENAME == EXPECT { NX++; XP[NX] = $1; XK[NX] = $2; XO[NX] = $3; XV[NX] = $4; next }
FILENAME == KERN   { K[$1, $2] = $3; if ($2 == "dir") { NP++; P[NP] = $1 }; next }
FILENAME == MEMTOP {
    if ($1 ~ /^cgroups\./) {
        split($1, a, ".")
        k = substr($1, length(a[1]) + length(a[2]) + 3)
        M[a[2], k] = $2
        if (k == "path") IDX[$2] = a[2]
    } else {
        TOP[$1] = $2
    }
    next
}
FILENAME == BATCH {
    n = split($0, f, " ")
    if (f[1] == "NAME") { for (i = 1; i <= n; i++) BC[f[i]] = i; inrows = 1; next }
    if (inrows && n > 0 && ("PATH" in BC)) {
        p = f[BC["PATH"]]; BROW[p] = 1
        for (c in BC) B[p, c] = f[BC[c]]
    }
    next
}

function ok(cond, what) {
    if (cond) pass++
    else { fail++; print "FAIL " what }
}
function abs(x) { return x < 0 ? -x : x }
function isnum(s) { return s ~ /^[0-9]+(\.[0-9]+)?$/ }
function near(m, k, root,   tol) {
    tol = root ? 16 * MIB + k * 0.05 : MIB + k * 0.02
    return isnum(m) && abs(m - k) <= tol
}
# K[p, k] without creating the element (awk creates on reference)
function kget(p, k) { return ((p, k) in K) ? K[p, k] : "(none)" }
function parent(p) { sub(/\/[^\/]*$/, "", p); return p == "" ? "/" : p }
# effective value of a v2 limit file over p and its ancestors; the nearest
# cgroup wins ties.  Sets EFF_FROM; returns "null" when nothing is set.
function effective(p, file,   best, v) {
    best = "null"; EFF_FROM = "null"
    while (1) {
        if (((p, file) in K) && K[p, file] != "max") {
            v = K[p, file] + 0
            if (best == "null" || v < best) { best = v; EFF_FROM = p }
        }
        if (p == "/") break
        p = parent(p)
    }
    return best
}
function opt_equal(m, p, file) {    # own setting: number, or null for "max"
    if (!((p, file) in K)) return m == "null"
    return K[p, file] == "max" ? m == "null" : m == K[p, file]
}

function check_cgroup(p,   i, root, acc, kcur, n, j, key, skey, lim, from, hi, kv, mv) {
    i = IDX[p]
    ok(i != "", p ": listed by memtop --json --all")
    if (i == "") return
    root = (p == "/")
    acc = ((p, "stat.anon") in K)
    if (!acc) {
        ok(M[i, "memory_accounted"] == "false", p ": memory_accounted false without memory.* files")
        ok(M[i, "usage"] == "null", p ": usage null without memory.* files")
        return
    }
    ok(M[i, "memory_accounted"] == "true", p ": memory_accounted")
    if (root) {
        ok(!((p, "current") in K), "/: the v2 root has no memory.current")
        kcur = K[p, "stat.anon"] + K[p, "stat.file"]
    } else {
        kcur = K[p, "current"]
    }
    ok(near(M[i, "usage"], kcur, root), p ": usage " M[i, "usage"] " vs kernel " kcur)
    n = split("anon anon file file shmem shmem mapped_file file_mapped dirty file_dirty " \
              "writeback file_writeback active_anon active_anon inactive_anon inactive_anon " \
              "active_file active_file inactive_file inactive_file unevictable unevictable " \
              "swapcached swapcached kernel kernel slab_reclaimable slab_reclaimable sock sock " \
              "anon_thp anon_thp", FLD, " ")
    for (j = 1; j < n; j += 2) {
        key = FLD[j]; skey = "stat." FLD[j + 1]
        if ((p, skey) in K)
            ok(near(M[i, key], K[p, skey], root), p ": " key " " M[i, key] " vs memory.stat " FLD[j + 1] " " K[p, skey])
        else
            ok(M[i, key] == "null", p ": " key " null when memory.stat lacks " FLD[j + 1])
    }
    if ((p, "swap.current") in K)
        ok(near(M[i, "swap"], K[p, "swap.current"], root), p ": swap " M[i, "swap"] " vs memory.swap.current " K[p, "swap.current"])
    else
        ok(M[i, "swap"] == "null", p ": swap null without memory.swap.current")
    kv = kcur - K[p, "stat.inactive_file"]; if (kv < 0) kv = 0
    ok(near(M[i, "working_set"], kv, root), p ": working_set " M[i, "working_set"] " vs current - inactive_file " kv)
    mv = M[i, "usage"] - M[i, "inactive_file"]; if (mv < 0) mv = 0
    ok(M[i, "working_set"] == mv, p ": working_set = usage - inactive_file within the tick")
    if ((p, "peak") in K)
        ok(near(M[i, "peak"], K[p, "peak"], root) && M[i, "peak"] <= K[p, "peak"], p ": peak " M[i, "peak"] " vs memory.peak " K[p, "peak"])
    else
        ok(M[i, "peak"] == "null", p ": peak null without memory.peak")
    ok(opt_equal(M[i, "limit_own"], p, "max"), p ": limit_own " M[i, "limit_own"] " vs memory.max " kget(p, "max"))
    ok(opt_equal(M[i, "low"], p, "low"), p ": low " M[i, "low"] " vs memory.low " kget(p, "low"))
    ok(opt_equal(M[i, "min"], p, "min"), p ": min " M[i, "min"] " vs memory.min " kget(p, "min"))
    ok(opt_equal(M[i, "swap_limit_own"], p, "swap.max"), p ": swap_limit_own vs memory.swap.max")
    lim = effective(p, "max"); from = EFF_FROM
    ok(M[i, "limit"] == lim && M[i, "limit_from"] == from,
       p ": limit " M[i, "limit"] " from " M[i, "limit_from"] " vs memory.max walk " lim " from " from)
    hi = effective(p, "high"); from = EFF_FROM
    ok(M[i, "high"] == hi && M[i, "high_from"] == from,
       p ": high " M[i, "high"] " from " M[i, "high_from"] " vs memory.high walk " hi " from " from)
    n = split("oom_events oom oom_kills oom_kill oom_group_kills oom_group_kill " \
              "limit_hits max high_events high", FLD, " ")
    for (j = 1; j < n; j += 2) {
        skey = "events." FLD[j + 1]
        if ((p, skey) in K)
            ok(M[i, FLD[j]] == K[p, skey], p ": " FLD[j] " " M[i, FLD[j]] " vs memory.events " FLD[j + 1] " " K[p, skey])
        else
            ok(M[i, FLD[j]] == "null", p ": " FLD[j] " null without memory.events")
    }
    ok((p, "pressure.some_total") in K, p ": kernel has memory.pressure")
    ok(isnum(M[i, "psi_some_avg10"]) && isnum(M[i, "psi_full_avg10"]), p ": PSI averages present")
    ok(isnum(M[i, "psi_some_total"]) && M[i, "psi_some_total"] <= K[p, "pressure.some_total"] &&
       M[i, "psi_full_total"] <= K[p, "pressure.full_total"],
       p ": PSI totals " M[i, "psi_some_total"] "/" M[i, "psi_full_total"] " <= kernel " \
       K[p, "pressure.some_total"] "/" K[p, "pressure.full_total"])

    # the batch view of the same cgroup (a second run, so the same tolerance)
    ok(p in BROW, p ": listed by memtop -b -a")
    if (p in BROW) {
        ok(near(B[p, "USAGE"], kcur, root), p ": batch USAGE " B[p, "USAGE"] " vs kernel " kcur)
        lim = effective(p, "max")
        ok(B[p, "LIMIT"] == (lim == "null" ? "max" : lim), p ": batch LIMIT " B[p, "LIMIT"] " vs " lim)
        ok(near(B[p, "WS"], kv, root), p ": batch WS " B[p, "WS"] " vs " kv)
    }
}

function check_expect(j,   p, k, op, want, got, i) {
    p = XP[j]; k = XK[j]; op = XO[j]; want = XV[j]
    if (p == "node") got = TOP[k]
    else { i = IDX[p]; got = (i == "") ? "(not listed)" : M[i, k] }
    if (op == "=")       ok(got == want, p ": " k " = " want ", got " got)
    else if (op == ">=") ok(isnum(got) && got + 0 >= want + 0, p ": " k " >= " want ", got " got)
    else if (op == "<=") ok(isnum(got) && got + 0 <= want + 0, p ": " k " <= " want ", got " got)
    else ok(0, "bad expectation operator " op)
}

END {
    for (j = 1; j <= NP; j++) check_cgroup(P[j])
    for (j = 1; j <= NX; j++) check_expect(j)
    rootsum = K["/", "stat.anon"] + K["/", "stat.file"]
    ok(near(TOP["node.usage"], rootsum, 1), "node.usage " TOP["node.usage"] " vs root anon+file " rootsum)
    ok(TOP["node.mem_total"] == K["meminfo", "MemTotal"] * 1024, "node.mem_total vs /proc/meminfo")
    ok(TOP["node.swap_total"] == K["meminfo", "SwapTotal"] * 1024 && K["meminfo", "SwapTotal"] > 0,
       "node.swap_total vs /proc/meminfo (zram swap)")
    print pass " passed, " fail " failed"
    exit (fail > 0)
}
