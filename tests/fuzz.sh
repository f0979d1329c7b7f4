#!/bin/sh
# fuzz.sh - build the libFuzzer targets in fuzz/ with clang
# (-fsanitize=fuzzer,address,undefined) and run each for FUZZ_SECONDS
# (default 3: the short run of `make check`; `make fuzz` runs 300 s each).
# Exits 77 when clang or libFuzzer is unavailable.  Crash inputs are kept
# as fuzz/out/crash-* in the build tree.  Prints executions per target.
set -u

srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
builddir=${top_builddir:-$srcdir}
secs=${FUZZ_SECONDS:-3}
cc=${FUZZ_CC:-clang}
targets=${FUZZ_TARGETS:-"keyed events psi value meminfo mountinfo names runtime oomlog"}
out=$builddir/fuzz/out
mkdir -p "$out"

if ! command -v "$cc" >/dev/null 2>&1; then
    echo "fuzz: skipped: $cc not installed (apt-get install clang)"
    exit 77
fi
probe=$out/probe
printf '#include <stdint.h>\n#include <stddef.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' > "$probe.c"
if ! "$cc" -fsanitize=fuzzer,address "$probe.c" -o "$probe" >/dev/null 2>&1; then
    echo "fuzz: skipped: $cc cannot build libFuzzer targets (-fsanitize=fuzzer)"
    exit 77
fi

# json-c for the runtimes' JSON files (names_parse.c)
jsonc_cflags=$(pkg-config --cflags json-c 2>/dev/null)
jsonc_libs=$(pkg-config --libs json-c 2>/dev/null || echo -ljson-c)
cflags="-g -O1 -std=gnu11 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
        -I$builddir -I$srcdir/include -I$srcdir/fuzz -DHAVE_CONFIG_H $jsonc_cflags"
# The parsers and the code that handles untrusted names; nothing with I/O
# beyond what layout.c links against.
libsrc="sample/parse sample/layout sample/fsroot sample/classify util/format sample/fields forensics/names_parse forensics/oomparse forensics/oomlog util/xalloc"
objs=""
for s in $libsrc; do
    # shellcheck disable=SC2086
    "$cc" $cflags -c "$srcdir/src/$s.c" -o "$out/$(basename $s).o" || { echo "fuzz: cannot compile $s.c"; exit 1; }
    objs="$objs $out/$(basename $s).o"
done

pass=0 fail=0
for t in $targets; do
    bin=$out/fuzz_$t
    # shellcheck disable=SC2086
    if ! "$cc" $cflags -fsanitize=fuzzer "$srcdir/fuzz/fuzz_$t.c" $objs $jsonc_libs -lm -o "$bin"; then
        echo "FAIL: fuzz_$t does not build"
        fail=$((fail + 1))
        continue
    fi
    corpus=$out/corpus_$t
    mkdir -p "$corpus"
    log=$out/fuzz_$t.log
    "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$out/" "$corpus" "$srcdir/fuzz/corpus/$t" > "$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
    if [ $rc -eq 0 ]; then
        echo "ok: fuzz_$t ${execs:-?} execs in ${secs}s ($cov)"
        pass=$((pass + 1))
    else
        echo "FAIL: fuzz_$t exit $rc after ${execs:-?} execs; see $log"
        grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" | head -n 5
        fail=$((fail + 1))
    fi
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
