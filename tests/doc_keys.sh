#!/bin/sh
# doc_keys.sh - the documentation names the keys and options the program has.
#
# Keys: the man page (INTERACTIVE KEYS, live and replay) is the complete
# list.  The key tables of doc/interactive.md ("## Keys") and
# doc/recording.md ("## Keys, live and in a replay") together name the same
# keys; every key on the help screen (the keys_help table in src/tui/) is in
# the man page and every man page key is on the help screen (but for
# HELP_MAY_OMIT below); every key README's "## Keys" table names is real.
# A key cell holding something that is not a key (a word the parser does not
# know) fails too, so a new key cannot slip past in prose.
#
# Options come from the output of `memtop --help` (never from the C source,
# so a generated help text works the same): every option --help defines has
# an entry (a .TP tag) in the man page's OPTIONS; every option the man page,
# README or doc/*.md names exists (in doc/, long options outside memtop's
# own are listed in FOREIGN below, short ones are checked in memtop command
# lines); the --sort keys of --help and of the man page agree and every key
# or alias the documents use is accepted by memtop; the --threshold names of
# --help, the man page and doc/risk.md agree; every column of the batch
# output has an entry in the man page's COLUMNS.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

[ -n "$PY" ] || skip_all "python3 is needed"
[ -x "$MEMTOP" ] || skip_all "memtop is not built ($MEMTOP)"
scratch_dir

"$MEMTOP" --help >"$tmp/help" 2>&1 || { echo "memtop --help failed"; cat "$tmp/help"; exit 1; }
"$MEMTOP" --root "$FIXTURES/tui" -b -n 1 >"$tmp/batch" 2>&1 ||
    { echo "memtop -b on the fixture failed"; cat "$tmp/batch"; exit 1; }

"$PY" - "$top_srcdir" "$MEMTOP" "$tmp/help" "$tmp/batch" >"$tmp/out" 2>&1 <<'PYEOF'
import glob, os, re, subprocess, sys
top, memtop, help_file, batch_file = sys.argv[1:5]
failed = []

def problem(msg):
    failed.append(msg)
    print(f"FAIL: {msg}")

def note(msg):
    print(msg)

def read(path):
    with open(os.path.join(top, path), encoding="utf-8") as f:
        return f.read()

# ---------------------------------------------------------------- keys
NAMED = re.compile(r"^(Up|Down|Left|Right|PgUp|PgDn|Home|End|Enter|Esc|Backspace|space|mouse|F\d+)$")
FILLER = {"or", "also", "table"}
# Keys the man page documents that the help screen may leave out.
HELP_MAY_OMIT = {"Backspace"}

def check_key(tok, where):
    tok = tok.strip()
    if not tok:
        return None
    if len(tok) == 1 or NAMED.match(tok):
        return tok
    problem(f"not a key in {where}: {tok!r}")
    return None

def man_split(text, where):
    """'Up/Down, j/k' -> Up Down j k; a lone '/' or ',' is a key itself."""
    out = set()
    for part in re.split(r",\s+|\s+", text.strip()):
        for p in ([part] if part in ("/", ",") else part.split("/")):
            k = check_key(p, where)
            if k:
                out.add(k)
    return out

man = read("man/memtop.1")
man_lines = man.split("\n")

def man_section(name):
    i = man_lines.index(f".SH {name}")
    j = next(k for k in range(i + 1, len(man_lines)) if man_lines[k].startswith(".SH "))
    return man_lines[i:j]

man_keys = set()
sec = man_section("INTERACTIVE KEYS")
for a, b in zip(sec, sec[1:]):
    if a == ".TP" and b.startswith(".B "):
        man_keys |= man_split(b[3:].replace("\\-", "-"), "man")

def table_after(text, heading, where):
    """Rows (without header and separator) of the first table after heading."""
    lines = text.split("\n")
    try:
        i = lines.index(heading)
    except ValueError:
        problem(f"{where}: no heading {heading!r}")
        return []
    rows, started = [], False
    for line in lines[i + 1:]:
        if line.startswith("#") and not started:
            break
        if line.startswith("|"):
            started = True
            rows.append(line)
        elif started:
            break
    if not rows:
        problem(f"{where}: no table after {heading!r}")
    return rows[2:]

def md_keys(text, heading, where):
    keys = set()
    for row in table_after(text, heading, where):
        cell = row.split("|")[1]
        for t in re.findall(r"`([^`]+)`", cell):
            k = check_key(t, where)
            if k:
                keys.add(k)
        rest = re.sub(r"`[^`]+`", " ", cell)
        for w in re.split(r"[\s/,()]+", rest):
            if w and w not in FILLER:
                k = check_key(w, where)
                if k:
                    keys.add(k)
    return keys

readme = read("README.md")
docs = {os.path.relpath(p, top): open(p, encoding="utf-8").read()
        for p in sorted(glob.glob(os.path.join(top, "doc", "*.md")))}
doc_keys = md_keys(docs.get("doc/interactive.md", ""), "## Keys", "doc/interactive.md") | \
    md_keys(docs.get("doc/recording.md", ""), "## Keys, live and in a replay", "doc/recording.md")
readme_keys = md_keys(readme, "## Keys", "README.md")

# help screen: the first strings of the keys_help table
help_src = None
for dirpath, _, files in os.walk(os.path.join(top, "src")):
    for f in files:
        if f.endswith(".c"):
            text = open(os.path.join(dirpath, f), encoding="utf-8").read()
            if re.search(r"\bkeys_help\s*\[", text):
                help_src = text
if help_src is None:
    problem("no keys_help table below src/")
    help_src = "keys_help[][2] = { };"
block = help_src[help_src.index("keys_help"):]
block = block[:block.index("};")]
help_keys = set()
for cell in re.findall(r'\{\s*"([^"]+)",\s*"', block):
    for tok in cell.split():
        subs = [tok] if len(tok) == 1 else [s for s in tok.rstrip(",").split("/") if s]
        for s in subs:
            k = check_key(s, "help screen")
            if k:
                help_keys.add(k)

def differ(name, a, b):
    d = sorted(a - b)
    if d:
        problem(f"{name}: {' '.join(d)}")

differ("keys in the man page, not in doc/interactive.md or doc/recording.md", man_keys, doc_keys)
differ("keys in doc/interactive.md or doc/recording.md, not in the man page", doc_keys, man_keys)
differ("keys on the help screen, not in the man page", help_keys, man_keys)
differ("keys in the man page, not on the help screen", man_keys - HELP_MAY_OMIT, help_keys)
differ("keys in README, not in the man page", readme_keys, man_keys)
note(f"keys: {len(man_keys)} in the man page, {len(doc_keys)} in doc/, "
     f"{len(help_keys)} on the help screen, {len(readme_keys)} in README")

# ---------------------------------------------------------------- options
help_text = open(help_file, encoding="utf-8").read()
OPTDEF = re.compile(r"^\s{1,12}(?:(-[A-Za-z0-9])(?:,\s*|\s+|$))?(--[a-z0-9][a-z0-9-]*)?")
help_long, help_short = set(), set()
for line in help_text.split("\n"):
    m = OPTDEF.match(line)
    if m and (m.group(1) or m.group(2)) and line.lstrip().startswith("-"):
        if m.group(1):
            help_short.add(m.group(1))
        if m.group(2):
            help_long.add(m.group(2))
if len(help_long) < 10:
    problem(f"found only {len(help_long)} long options in --help: the parser does not fit it")

LONG = re.compile(r"(?<![\w-])--[a-z0-9][a-z0-9-]*[a-z0-9]")
SHORT = re.compile(r"(?<![\w/.-])-[A-Za-z](?![\w-])")

def plain(roff):
    return roff.replace("\\-", "-").replace("\\(aq", "'")

# man: the tags of OPTIONS (the line after each .TP)
man_opts = man_section("OPTIONS")
tag_long, tag_short = set(), set()
for a, b in zip(man_opts, man_opts[1:]):
    if a == ".TP":
        tag_long |= set(LONG.findall(plain(b)))
        tag_short |= set(SHORT.findall(plain(b)))
differ("options in --help without an entry in the man page's OPTIONS", help_long, tag_long)
differ("short options in --help without an entry in the man page's OPTIONS", help_short, tag_short)
man_plain = plain("\n".join(l for l in man_lines if not l.startswith('.\\"')))
differ("options in the man page that --help does not have", set(LONG.findall(man_plain)), help_long)
man_short = set()
for l in man_lines:
    if re.match(r"\.(B|BR|BI|IR|RB)\b", l):
        man_short |= set(SHORT.findall(plain(l)))
differ("short options in the man page that --help does not have", man_short, help_short)

# README: every option it names is real
differ("options in README that --help does not have", set(LONG.findall(readme)), help_long)
differ("short options in README that --help does not have", set(SHORT.findall(readme)), help_short)

# doc/: long options anywhere; options of other programs must be listed here
FOREIGN = {
    "--enable-werror", "--enable-sanitizers",        # ./configure
    "--depth",                                       # systemd-cgtop
    "--swap", "--disk", "--add", "--verbose", "--keep",  # tests/vm/run-vm.sh
    "--animate",                                     # tests/tui-bytes.sh
    "--collector", "--storage", "--config",          # node_exporter, prometheus
    "--variable", "--now",                           # pkg-config, systemctl
    "--with-systemdsystemunitdir",                   # ./configure
}
for name, text in docs.items():
    differ(f"options in {name} that are neither in --help nor in FOREIGN",
           set(LONG.findall(text)) - FOREIGN, help_long)

# memtop command lines in README and doc/: short options, sort keys
def command_lines(text):
    spans = re.findall(r"`([^`\n]+)`", text)
    spans += [l for l in text.split("\n") if l.startswith("    ")]
    spans += re.findall(r"```[a-z]*\n(.*?)```", text, re.S)
    for span in spans:
        for line in span.split("\n"):
            m = re.search(r"(?:^|[\s$])(?:src/)?memtop\s+(.*)", line)
            if m:
                yield re.split(r"(?:^|\s)#", m.group(1))[0]

sort_used = set()
for name, text in [("README.md", readme)] + list(docs.items()):
    shorts = set()
    for cmd in command_lines(text):
        shorts |= set(SHORT.findall(cmd))
        sort_used |= set(re.findall(r"(?:^|\s)(?:-s|--sort)[ =]([A-Za-z_]+)", cmd))
    differ(f"short options in memtop command lines of {name} that --help does not have",
           shorts, help_short)

# sort keys: --help's list, the man page's list (and aliases)
m = re.search(r"keys:\s*([a-z_, ]+)", help_text)
help_sort = set(re.split(r"[,\s]+", m.group(1).strip())) if m else set()
if not help_sort:
    problem("no sort keys in --help")
sort_tp = man_opts[next(i for i, l in enumerate(man_opts) if "\\-\\-sort" in l) + 1:]
sort_tp = "\n".join(sort_tp[:next(i for i, l in enumerate(sort_tp) if l == ".TP")])
keys_part, _, alias_part = sort_tp.partition("Aliases:")
word = lambda s: set(re.findall(r'(?<![\\\w])([a-z][a-z_]*[a-z])(?=["\s,.]|$)',
                                "\n".join(l for l in s.split("\n") if l.startswith(".BR"))))
man_sort = word(keys_part) - {"default"}
man_alias = word(alias_part.split("\n.")[0] + "\n" + "\n".join(
    l for l in alias_part.split("\n")[1:] if l.startswith(".BR")))
differ("sort keys in --help, not in the man page's --sort", help_sort, man_sort)
differ("sort keys in the man page's --sort, not in --help", man_sort, help_sort)
for k in sorted(man_alias | sort_used):
    r = subprocess.run([memtop, "-s", k, "--help"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        problem(f"sort key {k!r} (man page alias or used in a document) is refused: "
                f"{r.stderr.strip()}")

# thresholds: --help, man page, doc/risk.md
help_thr = set(re.findall(r"^    ([a-z][a-z0-9_]+)\s+[0-9.]+\s", help_text, re.M))
if not help_thr:
    problem("no thresholds in --help")
thr_sec = man_section("OOM RISK")
man_thr = {b.split()[1] for a, b in zip(thr_sec, thr_sec[1:]) if a == ".TP" and b.startswith(".BR ")}
differ("thresholds in --help, not in the man page's OOM RISK", help_thr, man_thr)
differ("thresholds in the man page's OOM RISK, not in --help", man_thr, help_thr)
risk_thr = set()
for row in table_after(docs.get("doc/risk.md", ""), "## Thresholds", "doc/risk.md"):
    risk_thr |= set(re.findall(r"`([a-z0-9_]+)`", row.split("|")[1]))
differ("thresholds in --help, not in doc/risk.md", help_thr, risk_thr)
differ("thresholds in doc/risk.md, not in --help", risk_thr, help_thr)

# columns: the batch output's header line against the man page's COLUMNS tags
header = next((l for l in open(batch_file, encoding="utf-8") if l.startswith("NAME ")), "")
batch_cols = set(header.split())
if len(batch_cols) < 5:
    problem("no column header in the batch output")
col_sec = man_section("COLUMNS")
man_cols = set()
for a, b in zip(col_sec, col_sec[1:]):
    if a == ".TP":
        man_cols |= set(re.findall(r'[A-Z][A-Z_%/s]*[A-Z%s]', plain(b).replace('"', " ")))
differ("batch columns without an entry in the man page's COLUMNS", batch_cols, man_cols)

note(f"options: {len(help_long)} long and {len(help_short)} short in --help, "
     f"{len(tag_long)} long in the man page's OPTIONS tags; {len(help_sort)} sort keys, "
     f"{len(help_thr)} thresholds, {len(batch_cols)} batch columns")
sys.exit(1 if failed else 0)
PYEOF
rc=$?
sed 's/^/# /' "$tmp/out"
check "README, doc/, --help, the man page and the help screen agree on keys and options" \
    test "$rc" -eq 0
for k in '^\.B Left/Right$' '^\.B PgUp/PgDn$' '^\.B \[, \]$' '^\.B g$'; do
    check "man's replay section has $k" sh -c "sed -n '/^In replay/,/^\.SH/p' '$top_srcdir/man/memtop.1' | grep -q '$k'"
done
finish
