#!/bin/sh
# record_cli.sh - memtop -w / -R / --dump-on-oom from the command line, on
# the record-v2 fixture: headless recording, replay through the batch and
# JSON code (identical to the live output), --from/--to, appending,
# rotation, the free-space floor, kill -9, damaged and foreign files.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

[ -n "$PY" ] || skip_all "python3 is needed to compare JSON"
scratch_dir /tmp/memtop-record-cli.XXXXXX
out=$tmp
FIX="$FIXTURES/record-v2"
REC="$out/a.rec"

ticks() { "$MEMTOP" -R "$1" --json 2>/dev/null | wc -l; }

# -- headless recording, JSON printed live at the same time -----------------
"$MEMTOP" --root "$FIX" -w "$REC" --json -d 0.2 -n 4 -a --min-free 0 >"$out/live.json" 2>"$out/e"
check "-w with --json records and prints (exit 0)" test "$?" -eq 0 -a "$(wc -l <"$out/live.json")" -eq 4
check "the file starts with the recording magic" \
    "$PY" -c 'import sys; assert open(sys.argv[1], "rb").read(8) == b"\x89MTREC\r\n"' "$REC"
"$MEMTOP" -R "$REC" --json -a >"$out/replay.json" 2>"$out/e"
check "replay --json prints every recorded tick" test "$(wc -l <"$out/replay.json")" -eq 4
check "replayed JSON is identical to the live JSON (forensics fields aside)" same_json "$out/live.json" "$out/replay.json"
check "a clean replay prints nothing on stderr" test ! -s "$out/e"

"$MEMTOP" --root "$FIX" -w "$out/b.rec" -b -d 0.2 -n 3 --sort usage --min-free 0 >"$out/live.txt"
"$MEMTOP" -R "$out/b.rec" -b --sort usage >"$out/replay.txt"
check "replayed batch text is identical to the live text" cmp -s "$out/live.txt" "$out/replay.txt"

"$MEMTOP" --root "$FIX" -w "$out/q.rec" -d 0.2 -n 2 --min-free 0 >"$out/o" 2>"$out/e"
check "-w without -b/--json is silent (headless)" test "$?" -eq 0 -a ! -s "$out/o" -a ! -s "$out/e"

# -- appending: a second run adds a segment -------------------------------
"$MEMTOP" --root "$FIX" -w "$REC" -d 0.2 -n 2 --min-free 0
check "a second -w run appends (6 ticks)" test "$(ticks "$REC")" -eq 6
check "-n limits replayed ticks" test "$("$MEMTOP" -R "$REC" --json -n 2 | wc -l)" -eq 2

# -- --from / --to ------------------------------------------------------------
t2=$("$PY" -c 'import json,sys; print(json.loads(open(sys.argv[1]).readlines()[1])["time"])' "$out/replay.json")
t3=$("$PY" -c 'import json,sys; print(json.loads(open(sys.argv[1]).readlines()[2])["time"])' "$out/replay.json")
echo "tick times: $t2 $t3"
n=$("$MEMTOP" -R "$out/q.rec" --json | wc -l)
check "q.rec has 2 ticks" test "$n" -eq 2
"$MEMTOP" -R "$REC" --json -a --from "$t2" --to "$t3" >"$out/range.json"
check "--from/--to select ticks 2 and 3" "$PY" -c '
import json, sys
want = [json.loads(l) for l in open(sys.argv[1]).readlines()[1:3]]
got = [json.loads(l) for l in open(sys.argv[2])]
assert got == want, (len(got), len(want))' "$out/replay.json" "$out/range.json"
first=$("$PY" -c 'import json,sys,time; t=json.loads(open(sys.argv[1]).readline())["time"]; print(time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(int(t) - 1)))' "$out/replay.json")
n=$("$MEMTOP" -R "$REC" --json --from "$first" | wc -l)
check "--from 'YYYY-mm-dd HH:MM:SS' is accepted" test "$n" -eq 6
check "--from garbage: one line, exit 2" one_line_error 2 -R "$REC" --from yesterday
check "--from without -R: one line, exit 2" one_line_error 2 --from 1700000000
check "-w and -R together: one line, exit 2" one_line_error 2 -R "$REC" -w "$out/x.rec"
check "--max-size garbage: one line, exit 2" one_line_error 2 -w "$REC" --max-size 12Q

# -- foreign, future and damaged files -------------------------------------
check "replaying a non-memtop file: one line, exit 1" one_line_error 1 -R /etc/passwd -b
grep -q 'not a memtop recording' "$out/e" && ok "... says it is not a recording" ||
    fail "... says it is not a recording"
: >"$out/empty.rec"
check "replaying an empty file: one line, exit 1" one_line_error 1 -R "$out/empty.rec" -b
check "replaying a missing file: one line, exit 1" one_line_error 1 -R "$out/missing.rec" -b
"$PY" -c '
import sys
b = bytearray(open(sys.argv[1], "rb").read()); b[8] = 9
open(sys.argv[2], "wb").write(b)' "$REC" "$out/future.rec"
check "a future format version: one line, exit 1" one_line_error 1 -R "$out/future.rec" -b
grep -q 'newer memtop' "$out/e" && ok "... names the newer version" || fail "... names the newer version"
echo "precious" >"$out/notrec.txt"
check "-w refuses to append to a non-recording" one_line_error 1 --root "$FIX" -w "$out/notrec.txt" -n 1
check "... and leaves it alone" grep -qx precious "$out/notrec.txt"

size=$(wc -c <"$REC")
head -c $((size - 7)) "$REC" >"$out/trunc.rec"
"$MEMTOP" -R "$out/trunc.rec" --json >"$out/o" 2>"$out/e"
check "a truncated file replays its intact frames (exit 0, 5 of 6)" test "$?" -eq 0 -a "$(wc -l <"$out/o")" -eq 5
grep -q 'byte offset [0-9]' "$out/e" && ok "... and reports the byte offset of the damage" ||
    fail "... and reports the byte offset of the damage"
"$PY" -c '
import sys
b = bytearray(open(sys.argv[1], "rb").read())
i = b.index(b"\xf7MTF", 300)      # second frame or later
b[i + 20] ^= 0x10
open(sys.argv[2], "wb").write(b)' "$REC" "$out/flip.rec"
"$MEMTOP" -R "$out/flip.rec" --json >"$out/o" 2>"$out/e"
n=$(wc -l <"$out/o")
check "a flipped bit loses frames until the next keyframe, not the file ($n ticks)" \
    test "$?" -eq 0 -a "$n" -ge 1 -a "$n" -lt 6
grep -q 'checksum' "$out/e" && ok "... reported as a checksum mismatch" ||
    fail "... reported as a checksum mismatch"

# -- rotation -------------------------------------------------------------------
mkdir "$out/rot"
"$MEMTOP" --root "$FIX" -w "$out/rot/r.rec" -d 0.2 -n 5 --max-size 1 --min-free 0
nfiles=$(ls "$out/rot" | wc -l)
check "--max-size rotates (5 files for 5 oversized ticks)" test "$nfiles" -eq 5
total=0
for f in "$out/rot"/*; do total=$((total + $(ticks "$f"))); done
check "every rotated file replays on its own (5 ticks in all)" test "$total" -eq 5

# -- free-space floor --------------------------------------------------------
"$MEMTOP" --root "$FIX" -w "$out/full.rec" -d 0.2 -n 3 --min-free 1P >"$out/o" 2>"$out/e"
check "a nearly full file system stops the recording (exit 1)" test "$?" -eq 1
grep -q 'nearly full' "$out/e" && ok "... with a clear message" || fail "... with a clear message"
check "... and writes nothing" test ! -s "$out/full.rec"

# -- kill -9 loses at most the frame being written ----------------------------
"$MEMTOP" --root "$FIX" -w "$out/k.rec" -d 0.2 --min-free 0 &
bgpid=$!
for i in $(seq 100); do
    [ "$(ticks "$out/k.rec")" -ge 4 ] && break
    sleep 0.1
done
kill -9 "$bgpid"; wait "$bgpid" 2>/dev/null; bgpid=""
"$MEMTOP" -R "$out/k.rec" --json >"$out/o" 2>"$out/e"
check "after kill -9 the recording replays (>= 4 ticks)" test "$(wc -l <"$out/o")" -ge 4
check "... without damage" test ! -s "$out/e"
finish
