#!/bin/sh
# doc_keys.sh - the interactive keys are documented alike: the set of keys
# in man/memtop.1 (INTERACTIVE KEYS, live and replay) equals the set in the
# key columns of README's tables ("### Keys" and the replay table of
# "Recording and replay"), and every key on the help screen
# (src/tui/view_help.c) is in both.  A key cell holding something that is not
# a key (a word the parser does not know) fails too, so a new key cannot
# slip past in prose.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

[ -n "$PY" ] || skip_all "python3 is needed"
scratch_dir

"$PY" - "$top_srcdir" >"$tmp/keys" 2>&1 <<'PYEOF'
import re, sys
top = sys.argv[1]
NAMED = re.compile(r"^(Up|Down|Left|Right|PgUp|PgDn|Home|End|Enter|Esc|Backspace|space|mouse|F\d+)$")
FILLER = {"or", "also", "table"}

def check(tok, where):
    tok = tok.strip()
    if not tok:
        return None
    if len(tok) == 1 or NAMED.match(tok):
        return tok
    print(f"not a key in {where}: {tok!r}")
    sys.exit(1)

def split_keys(text, where):
    """'Up/Down, j/k' -> Up Down j k; a lone '/' or ',' is a key itself."""
    out = set()
    for part in re.split(r",\s+|\s+", text.strip()):
        subs = [part] if part in ("/", ",") else part.split("/")
        for p in subs:
            k = check(p, where)
            if k:
                out.add(k)
    return out

# man: the .B line after each .TP of the INTERACTIVE KEYS section
man = open(f"{top}/man/memtop.1").read().split("\n")
i = man.index(".SH INTERACTIVE KEYS")
man_keys = set()
for a, b in zip(man[i:], man[i + 1:]):
    if b.startswith(".SH"):
        break
    if a == ".TP" and b.startswith(".B "):
        man_keys |= split_keys(b[3:].replace("\\-", "-"), "man")

# README: first cell of the rows of the two key tables
readme = open(f"{top}/README.md").read()
def table_after(marker):
    rest = readme[readme.index(marker):].split("\n")
    rows, started = [], False
    for line in rest[1:]:
        if line.startswith("|"):
            started = True
            rows.append(line)
        elif started:
            break
    return rows[2:]        # header and separator
readme_keys = set()
for row in table_after("### Keys") + table_after("Keys in the TUI:"):
    cell = row.split("|")[1]
    ticked = re.findall(r"`([^`]+)`", cell)
    for t in ticked:
        readme_keys.add(check(t, "README"))
    rest = re.sub(r"`[^`]+`", " ", cell)
    for w in re.split(r"[\s/,()]+", rest):
        if w and w not in FILLER:
            readme_keys.add(check(w, "README"))

# help screen: first strings of keys_help[]
src = open(f"{top}/src/tui/view_help.c").read()
block = src[src.index("keys_help[][2]"):src.index("};")]
help_keys = set()
for cell in re.findall(r'\{ "([^"]+)", "', block):
    for w in re.split(r"[\s/,]+", cell) if cell != "/" else ["/"]:
        if w:
            help_keys.add(check(w, "help"))

bad = False
for name, a, b in (("man only", man_keys, readme_keys), ("README only", readme_keys, man_keys),
                   ("help screen, not in README", help_keys, readme_keys)):
    d = sorted(a - b)
    if d:
        bad = True
        print(f"{name}: {' '.join(d)}")
print(f"{len(man_keys)} keys in man, {len(readme_keys)} in README, {len(help_keys)} on the help screen")
sys.exit(1 if bad else 0)
PYEOF
rc=$?
sed 's/^/# /' "$tmp/keys"
check "man and README document the same keys; the help screen's are among them" test "$rc" -eq 0
for k in '^\.B Left/Right$' '^\.B PgUp/PgDn$' '^\.B \[, \]$' '^\.B g$'; do
    check "man's replay section has $k" sh -c "sed -n '/^In replay/,/^\.SH/p' '$top_srcdir/man/memtop.1' | grep -q '$k'"
done
finish
