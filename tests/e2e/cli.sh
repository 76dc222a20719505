#!/usr/bin/env bash
# End to end: the real lanzsearch CLI on the bundled corpus in a fresh directory. Exit statuses,
# the stdout/stderr split, citations whose lines hold the highlighted words, --json parsed by a
# JSON library; then bad input and broken setups, each followed by xapian-check and an unchanged
# passage count. Needs LZ_BIN and LZ_SOURCE_DIR (set by ctest).
set -u
BIN=${LZ_BIN:?}
SRC=${LZ_SOURCE_DIR:?}
HOLD=${LZ_HOLD_INDEX:-}
EXAMPLE=${LZ_EXAMPLE_SEARCH:-}
. "$(dirname "${BASH_SOURCE[0]}")/common.bash"


passages() { "$BIN" info --index "$1" | awk '/^passages:/ {print $2}'; }
xcheck() { xapian-check "$1" >/dev/null 2>&1; }

IDX="$T/idx"
cp -r "$SRC/corpus" "$T/corpus"
cd "$T"

# --- index the corpus --------------------------------------------------------------------------
run "$BIN" index --index "$IDX" corpus
check "index exits 0 ($err)" test "$rc" = 0
check "index prints nothing on stdout" test -z "$out"
check "index summary on stderr" grep -q '5 files indexed' "$T/err"
N=$(passages "$IDX")
check "index holds passages ($N)" test "${N:-0}" -gt 500
check "xapian-check after indexing" xcheck "$IDX"

run "$BIN" index --index "$IDX" corpus
check "unchanged files skipped" grep -q '0 files indexed.*5 unchanged' "$T/err"
check "reindex keeps the count" test "$(passages "$IDX")" = "$N"

# --- text search -------------------------------------------------------------------------------
run "$BIN" search --index "$IDX" sextortion dual criminality
check "search exits 0" test "$rc" = 0
check "search has ranked hits" grep -q '^1\. corpus/' "$T/out"
check "search highlights" grep -q '\*\*[^*]*\*\*' "$T/out"
check "search cites" grep -q 'Cite: .*lines\? [0-9]' "$T/out"
check "search stderr empty ($err)" test -z "$err"

# every hit's cited lines contain the highlighted words (case-insensitively)
run "$BIN" search --index "$IDX" --json -n 10 dual criminality
check "json search exits 0" test "$rc" = 0
python3 - "$T/out" "$T" <<'PY' && ok || bad "json contract and cited lines"
import json, subprocess, sys, unicodedata
res = json.load(open(sys.argv[1], encoding="utf-8"))
assert set(res) >= {"query", "corrected", "total", "hits"}, res.keys()
assert res["query"] == "dual criminality" and res["total"] >= len(res["hits"]) > 0
keys = {"rank", "score", "doc", "path", "title", "section", "lines", "snippet", "highlights",
        "citation"}
for i, h in enumerate(res["hits"]):
    assert keys <= set(h), h.keys()
    assert h["rank"] == i + 1 and isinstance(h["section"], list)
    first, last = h["lines"]
    src = subprocess.run(["sed", "-n", f"{first},{last}p", h["path"]], cwd=sys.argv[2],
                         capture_output=True, text=True).stdout.casefold()
    snip = h["snippet"].encode("utf-8")
    assert h["highlights"], h
    for off, ln in h["highlights"]:
        word = snip[off:off + ln].decode("utf-8").casefold()
        assert word in src, (word, h["path"], first, last)
    assert h["path"] in h["citation"] and str(first) in h["citation"]
PY

# a phrase with stopwords matches (stopwords are dropped only from the query's loose words)
run "$BIN" search --index "$IDX" --json '"prosecuted as a last resort"'
check "phrase with stopwords matches" test "$rc" = 0
# identifiers
run "$BIN" search --index "$IDX" --json -n 3 'Recommendation II-6'
check "identifier query finds hits" test "$rc" = 0
# no hit: exit 1, a note on stderr, nothing else on stdout
run "$BIN" search --index "$IDX" --no-correct zzqqxxv
check "no hit exits 1" test "$rc" = 1
check "no hit noted on stderr" grep -q 'no matches' "$T/err"
check "no hit prints no hits" test -z "$out"
# did you mean
run "$BIN" search --index "$IDX" --json sextorsion
check "misspelling corrected" python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["corrected"] and r["hits"]' "$T/out"
# options after the query are options, not query words; after "--" everything is a word
run "$BIN" search --index "$IDX" --json -n 3 dual criminality
before=$out
run "$BIN" search --index "$IDX" dual criminality -n 3 --json
check "options after the query" test "$rc" = 0 -a "$out" = "$before"
check "options after the query leave the query alone" \
    python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["query"] == "dual criminality"' "$T/out"
run "$BIN" search --index "$IDX" dual criminality --limit=3 --json
check "--opt=value after the query" test "$rc" = 0 -a "$out" = "$before"
run "$BIN" search --index "$IDX" --json -- dual criminality -n
check "after -- every argument is a word" \
    python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["query"] == "dual criminality -n"' "$T/out"
run "$BIN" search --index "$IDX" dual criminality -n
check "a last option without its value is an error ($err)" test "$rc" = 2 -a -z "$out"
check "and says so" grep -q "needs a value" "$T/err"
run "$BIN" search --index "$IDX" --json -n 50 dual criminality -sextortion
check "-word stays an exclusion" python3 -c '
import json,sys
r = json.load(open(sys.argv[1]))
assert r["query"] == "dual criminality -sextortion" and r["hits"]
assert all("sextortion" not in h["snippet"].lower() for h in r["hits"])' "$T/out"
# the library example gives the same first hit as the CLI
if [ -n "$EXAMPLE" ]; then
    run "$EXAMPLE" "$IDX" 'sextortion dual criminality'
    check "examples/search runs ($err)" test "$rc" = 0
    first_cli=$("$BIN" search --index "$IDX" --json -n 1 sextortion dual criminality |
                python3 -c 'import json,sys; print(json.load(sys.stdin)["hits"][0]["citation"])')
    check "example and CLI agree" grep -qF "$first_cli" "$T/out"
fi

# structure: entity keys and facets in JSON, show
run "$BIN" search --index "$IDX" --json --facets -n 50 'rec:IV-6'
check "rec filter exits 0" test "$rc" = 0
python3 - "$T/out" <<'PY' && ok || bad "entity keys and facets in JSON"
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
assert set(r["facets"]) == {"document", "country", "level", "chapter", "kind"}, r["facets"].keys()
assert sum(r["facets"]["document"].values()) == r["total"] == len(r["hits"])
for h in r["hits"]:
    assert {"footnotes", "recommendations", "articles", "paras", "countries", "addressed_to",
            "level", "chapter", "columns"} <= set(h)
    assert h["columns"] is None         # no table row cites IV-6
    assert "IV-6" in h["recommendations"]
    assert all(set(f) == {"n", "text"} for f in h["footnotes"])
assert any(f["n"] == 56 and f["text"] == "Recommendation IV-6."
           for h in r["hits"] for f in h["footnotes"])
PY
run "$BIN" show --index "$IDX" rec:IV-6
check "show rec exits 0" test "$rc" = 0
check "show rec starts with the recommendation" \
    test "$(head -n 1 "$T/out" | cut -d' ' -f1)" = "corpus/lanzarote-recommendations-finland.txt:87"
run "$BIN" show --index "$IDX" --json corpus/lanzarote-factsheet-bulgaria.txt:330 -C 1
check "show PATH:LINE exits 0" test "$rc" = 0
check "show PATH:LINE gives the joined passage" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["hits"][r["target"]]["lines"] == [323, 333], r["hits"][r["target"]]["lines"]' "$T/out"
run "$BIN" show --index "$IDX" corpus/lanzarote-factsheet-bulgaria.txt:999999
check "show of a missing line exits 2" test "$rc" = 2
run "$BIN" show --index "$IDX" 'rec:IV-6;x'
check "show of a malformed number exits 2" test "$rc" = 2

run "$BIN" similar --index "$IDX" --json -n 3 corpus/lanzarote-factsheet-bulgaria.txt:335
check "similar exits 0" test "$rc" = 0
check "similar finds the recommendation's row" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["hits"][0]["lines"] == [87, 87] and len(r["hits"]) == 3' "$T/out"

# --- usage errors ------------------------------------------------------------------------------
run "$BIN" search --index "$IDX" --bogus x
check "unknown option exits 2" test "$rc" = 2
run "$BIN" frobnicate
check "unknown command exits 2" test "$rc" = 2
run "$BIN" search --index "$IDX"
check "no query exits 2" test "$rc" = 2
run "$BIN" search --index "$IDX" ''
check "empty query exits 2" test "$rc" = 2
check "empty query says why" grep -q 'lanzsearch: ' "$T/err"
run "$BIN" search --index "$IDX" 'AND OR NOT'
check "malformed query exits 2" test "$rc" = 2
run "$BIN" search --help
check "search --help exits 0 to stdout" test "$rc" = 0 -a -n "$out" -a -z "$err"
run "$BIN" --version
check "--version names Xapian and ICU" grep -q 'Xapian.*ICU' "$T/out"

# --- missing and locked index ------------------------------------------------------------------
run "$BIN" search --index "$T/nothing-here" anything
check "missing index exits 2" test "$rc" = 2
check "missing index says so" grep -q 'no index' "$T/err"
if [ -n "$HOLD" ]; then
    coproc HOLDER { "$HOLD" "$IDX"; }
    read -r line <&"${HOLDER[0]}"
    check "holder took the lock" test "$line" = locked
    run "$BIN" index --index "$IDX" corpus
    check "locked index exits 2" test "$rc" = 2
    check "locked index names the lock" grep -qi 'another process is writing' "$T/err"
    run "$BIN" search --index "$IDX" dual criminality
    check "search works while another writes" test "$rc" = 0
    exec {HOLDER[1]}>&-
    wait "$HOLDER_PID" 2>/dev/null
fi
check "xapian-check after lock" xcheck "$IDX"
check "count unchanged after lock" test "$(passages "$IDX")" = "$N"

# --- bad input ---------------------------------------------------------------------------------
mkdir -p bad
printf 'A heading line\n\nCaf\xc3\xa9 ok, then bad \xc3\x28 byte here.\n' >bad/invalid.txt
printf 'text\0with NUL\n' >bad/nul.txt
: >bad/empty.txt
head -c 10000000 /dev/zero | tr '\0' 'a' | sed 's/a\{80\}/& /g' >bad/hugeline.txt
echo >>bad/hugeline.txt
run "$BIN" index --index "$IDX" bad
check "bad input run exits 0 ($err)" test "$rc" = 0
check "invalid UTF-8 warned with file:line" grep -q 'invalid.txt:3:.*invalid UTF-8' "$T/err"
check "NUL file skipped with file:line" grep -q 'nul.txt:1:5: NUL byte' "$T/err"
check "xapian-check after bad input" xcheck "$IDX"
run "$BIN" search --index "$IDX" --json -n 1 'Café'
check "repaired file is searchable" grep -q 'invalid.txt' "$T/out"

# a failing run changes nothing: a path that does not exist aborts the whole run
M=$(passages "$IDX")
run "$BIN" index --index "$IDX" corpus "$T/does-not-exist"
check "missing path exits 2" test "$rc" = 2
check "missing path named" grep -q 'does-not-exist' "$T/err"
check "xapian-check after failed run" xcheck "$IDX"
check "count unchanged after failed run" test "$(passages "$IDX")" = "$M"

# deleting a file from an indexed folder removes its passages
rm bad/invalid.txt
run "$BIN" index --index "$IDX" bad
check "removed file reported" grep -q '1 removed' "$T/err"
run "$BIN" search --index "$IDX" --json 'Café'
check "removed file no longer found" test "$(grep -c invalid.txt "$T/out")" = 0

# --- the default index is built from the bundled corpus on first use ----------------------------
run "$BIN" search -n 1 dual criminality
check "default index built on first search ($err)" test "$rc" = 0
check "default index build announced" grep -q 'building it from the bundled corpus' "$T/err"
check "default index in XDG_DATA_HOME" test -d "$T/xdg/lanzsearch/index"

finish
