#!/bin/sh
# fuzz_record.sh - build fuzz/fuzz_record.c with clang's libFuzzer (plus
# ASan and UBSan) and run it for FUZZ_SECONDS (default 5; `make
# fuzz-record` runs 300).  The seed corpus is a fresh recording of the
# record-v2 fixture.  Exits 77 when clang or libFuzzer is not available.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

CLANG=${CLANG:-$(command -v clang || true)}
[ -n "$CLANG" ] || skip_all "clang is not installed (apt-get install clang)"
build="${top_builddir:-$top_srcdir}"
[ -f "$build/config.h" ] || skip_all "run configure first (config.h missing)"
work=$(mktemp -d /tmp/memtop-fuzz-record.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM

echo 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; return (int)n & 0; }' >"$work/probe.c"
"$CLANG" -fsanitize=fuzzer "$work/probe.c" -o "$work/probe" 2>/dev/null ||
    skip_all "$CLANG cannot link -fsanitize=fuzzer (libFuzzer missing)"

SRC="util/crc32 record/recfmt record/recdec record/replay sample/model sample/derive sample/hist sample/cgtable sample/reader sample/memfiles sample/carryover sample/discover sample/layout sample/fsroot sample/parse sample/classify sample/fields util/format util/xalloc"
files=""
for s in $SRC; do files="$files $top_srcdir/src/$s.c"; done
# shellcheck disable=SC2086
if "$CLANG" -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -DREC_FUZZ_IGNORE_CRC -I"$build" -I"$top_srcdir/include" $files "$top_srcdir/fuzz/fuzz_record.c" -lm \
    -o "$work/fuzz_record" 2>"$work/build.log"; then
    ok "fuzz_record builds with libFuzzer"
else
    cat "$work/build.log"
    fail "fuzz_record builds with libFuzzer"
    finish
    exit 1
fi

mkdir -p "$work/corpus"
"$MEMTOP" --root "$FIXTURES/record-v2" -w "$work/corpus/seed.rec" -d 0.2 -n 3 --min-free 0 &&
    ok "seed recording written" || fail "seed recording written"
head -c 8 "$work/corpus/seed.rec" >"$work/corpus/magic"

secs=${FUZZ_SECONDS:-5}
if "$work/fuzz_record" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=1024 \
    -print_final_stats=1 -artifact_prefix="$work/" "$work/corpus" >"$work/fuzz.log" 2>&1; then
    ok "fuzz_record ran ${secs}s without a crash ($(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/fuzz.log" | grep -o '[0-9]*$') runs)"
else
    tail -40 "$work/fuzz.log"
    mkdir -p "$build/fuzz-artifacts" && cp "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$build/fuzz-artifacts/" 2>/dev/null
    fail "fuzz_record found a problem (input saved in fuzz-artifacts/)"
fi
finish
