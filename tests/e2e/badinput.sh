#!/usr/bin/env bash
# Bad input, each answered: the real CLI on files and queries a PDF converter or a hurried user
# produces. Every command runs under a timeout (a hang fails) and must exit 0, 1 or 2 (a signal
# fails: no crash), with diagnostics on stderr starting "lanzsearch: " and naming the problem;
# after each run that fails, xapian-check passes and the passage count is unchanged. Prints each
# answer. What tests/e2e/cli.sh already checks (a NUL byte at file:line, a 10 MB line, a missing
# path, unknown options, an empty query) is not repeated. Needs LZ_BIN and LZ_SOURCE_DIR.
set -u
BIN=${LZ_BIN:?}
SRC=${LZ_SOURCE_DIR:?}
. "$(dirname "${BASH_SOURCE[0]}")/common.bash"
trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
LIMIT=${LZ_TIMEOUT:-120}       # seconds any one command may take

# run CMD...: sets $rc, $out, $err; a timeout or a signal is a failure of its own
run() {
    timeout -k 5 "$LIMIT" "$@" >"$T/out" 2>"$T/err"
    rc=$?
    out=$(cat "$T/out")
    err=$(cat "$T/err")
    if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
        bad "hang (over ${LIMIT}s): $(printf '%q ' "$@" | head -c 200)"
    elif [ "$rc" -ge 128 ] || [ "$rc" -gt 2 ]; then
        bad "exit $rc (crash?): $(printf '%q ' "$@" | head -c 200): $(head -c 300 "$T/err")"
    fi
}

# answer NAME: record the last command's answer (exit status and first stderr line) and check
# that an error (2) comes with a "lanzsearch: " message on stderr
ANSWERS="$T/answers"
answer() {
    local first
    first=$(head -n 1 "$T/err" | cut -c 1-150)
    printf '%-34s exit %s  %s\n' "$1" "$rc" "$first" >>"$ANSWERS"
    if [ "$rc" = 2 ]; then
        check "$1: error message starts 'lanzsearch: '" grep -q '^lanzsearch: ' "$T/err"
    fi
}

passages() { "$BIN" info --index "$1" 2>/dev/null | awk '/^passages:/ {print $2}'; }
documents() { "$BIN" info --index "$1" 2>/dev/null | awk '/^documents:/ {print $2}'; }
xcheck() { xapian-check "$1" >/dev/null 2>&1; }
hit_path() { "$BIN" search --index "$IDX" --json -n 1 --no-correct "$1" 2>/dev/null |
             python3 -c 'import json,sys; h=json.load(sys.stdin)["hits"]; print("%s:%d" % (h[0]["path"], h[0]["lines"][0]) if h else "")'; }

IDX="$T/idx"
cp -r "$SRC/corpus" "$T/corpus"
cd "$T"
run "$BIN" index -q --index "$IDX" corpus
check "corpus indexed ($err)" test "$rc" = 0
N=$(passages "$IDX")

# unchanged NAME: after a run that failed, the index is intact
unchanged() {
    check "$1: xapian-check" xcheck "$IDX"
    check "$1: passage count unchanged" test "$(passages "$IDX")" = "$N"
}

# --- files -------------------------------------------------------------------------------------
mkdir -p in
# invalid UTF-8 in the middle of a line: repaired, warned with file:line:column, rest indexed
printf 'Heading\n\nA first paragraph.\n\nBroken \xff byte then zzafterbad words.\n' >in/utf8.txt
# a legacy 8-bit file (Latin-1): every non-ASCII byte is invalid UTF-8, so it is repaired the
# same way (U+FFFD) and warned about; its ASCII words are found
printf 'R\xe9sum\xe9 du rapport\n\nLa proc\xe9dure p\xe9nale zzlatinword est d\xe9crite.\n' >in/latin1.txt
# binary and UTF-16 files: NUL bytes, skipped with a warning
head -c 20000 "$(command -v ls)" >in/program.txt
printf '\xff\xfeH\0i\0 \0t\0h\0e\0r\0e\0\n\0' >in/utf16.txt
# empty and blank files: indexed, no passages
: >in/empty.txt
printf '\n   \n\t\n' >in/blank.txt
# a 1 MB line (1 000 000 bytes) is indexed and cited; one byte over the limit is skipped
python3 - <<'PY'
words = "sexual exploitation of children online "
line = (words * (1000000 // len(words) + 1))[:1000000 - len(" zzmegaline")] + " zzmegaline"
open("in/megaline.txt", "w").write("Title\n\nA first paragraph.\n\n" + line + "\n\nAfter it.\n")
over = (words * (1048577 // len(words) + 1))[:1048577]
open("in/overline.txt", "w").write(over + "\n")
PY
# a 50 MB file without a newline
yes 'lorem ipsum dolor sit amet' | tr -d '\n' | head -c 52428800 >in/fifty-mb.txt
run "$BIN" index --index "$IDX" in
answer "index: bad files in a folder"
check "bad files: run exits 0 ($err)" test "$rc" = 0
check "invalid UTF-8 warned with file:line:column" \
    grep -q '^lanzsearch: in/utf8.txt:5:8: invalid UTF-8 byte 0xFF (1 sequence replaced by U+FFFD)' "$T/err"
check "the rest of the repaired file is indexed" test "$(hit_path zzafterbad)" = "in/utf8.txt:5"
check "Latin-1 warned as invalid UTF-8 with file:line" \
    grep -q '^lanzsearch: in/latin1.txt:1:2: invalid UTF-8 byte 0xE9 (5 sequences replaced' "$T/err"
check "Latin-1 file's words are found" test "$(hit_path zzlatinword)" = "in/latin1.txt:3"
check "binary file skipped with file:line" \
    grep -q '^lanzsearch: in/program.txt:1:[0-9]*: NUL byte: not a text file, skipped' "$T/err"
check "UTF-16 file skipped (NUL bytes)" grep -q '^lanzsearch: in/utf16.txt:1:4: NUL byte' "$T/err"
check "1 MB line indexed and cited" test "$(hit_path zzmegaline)" = "in/megaline.txt:5"
check "line over 1 MiB: file skipped, line and limit named" \
    grep -q '^lanzsearch: in/overline.txt:1: line of 1048577 bytes, longer than the limit of 1048576' "$T/err"
check "50 MB without newline: skipped, named" \
    grep -q '^lanzsearch: in/fifty-mb.txt:1: line of 52428800 bytes, longer than the limit' "$T/err"
check "summary counts them" grep -q '5 files indexed.*4 skipped, 2 warnings' "$T/err"
run "$BIN" check --index "$IDX" in
answer "check: after the bad files"
check "check: index consistent with the folder (skipped files are no difference)" test "$rc" = 0
check "xapian-check after bad files" xcheck "$IDX"
N=$(passages "$IDX")

# deep folders: 100 levels, a file at levels 10, 63, 64 and 100; folders nested 64 deep are
# skipped with a warning naming the folder
d=deep
for level in $(seq 1 100); do
    d="$d/d"
    mkdir -p "$d"
    case $level in 10|63|64|100) echo "Deep file zzlevel$level here." >"$d/f.txt" ;; esac
done
run "$BIN" index --index "$IDX" deep
answer "index: 100 nested folders"
check "deep: run exits 0" test "$rc" = 0
check "deep: the folder 64 levels down is named and skipped" \
    grep -q "^lanzsearch: deep$(printf '/d%.0s' $(seq 64)): folders nested more than 64 deep, skipped" "$T/err"
check "deep: file at level 63 indexed" test -n "$(hit_path zzlevel63)"
check "deep: file at level 64 not indexed" test -z "$(hit_path zzlevel64)"
N=$(passages "$IDX")

# symbolic link loops, a link to itself, a dangling link
mkdir -p loop/sub
echo 'Looped file zzloopword.' >loop/a.txt
ln -s .. loop/sub/back
ln -s self.txt loop/self.txt
ln -s nowhere.txt loop/dangling.txt
run "$BIN" index --index "$IDX" loop
answer "index: symlink loops"
check "loop: run exits 0" test "$rc" = 0
check "loop: the loop is named and skipped" \
    grep -q '^lanzsearch: loop/sub/back: folder loop (symbolic link to a folder above it), skipped' "$T/err"
check "loop: a link to itself is named" \
    grep -q '^lanzsearch: loop/self.txt: Too many levels of symbolic links, skipped' "$T/err"
check "loop: a dangling link is named" \
    grep -q '^lanzsearch: loop/dangling.txt: No such file or directory, skipped' "$T/err"
check "loop: the file is indexed once" \
    test "$("$BIN" search --index "$IDX" --json zzloopword | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["hits"]))')" = 1
N=$(passages "$IDX")

# a FIFO and a folder named like text files: a FIFO named on the command line is refused (the
# run fails, nothing changes); in a folder it is not a file to index; a folder named x.txt is
# walked
mkdir -p odd/folder.txt
mkfifo odd/fifo.txt
echo 'Inside a folder named like a file, zzodd.' >odd/folder.txt/inner.txt
run "$BIN" index --index "$IDX" odd/fifo.txt
answer "index: a FIFO named x.txt"
check "FIFO named: exit 2" test "$rc" = 2
check "FIFO named: says why" grep -q 'fifo.txt: not a regular file or folder' "$T/err"
unchanged "FIFO named"
run "$BIN" index --index "$IDX" odd
answer "index: folder with a FIFO"
check "folder with a FIFO: exit 0" test "$rc" = 0
check "folder named x.txt walked" test "$(hit_path zzodd)" = "odd/folder.txt/inner.txt:1"
N=$(passages "$IDX")

# unreadable file and folder (permissions): skipped with a warning, the rest indexed. As root,
# permissions do not stop us: the check runs as nobody when setpriv can switch to it.
mkdir -p perm/locked
echo 'Readable zzreadable.' >perm/ok.txt
echo 'Secret.' >perm/secret.txt
echo 'Hidden.' >perm/locked/inner.txt
chmod 000 perm/secret.txt perm/locked
AS=()
if [ "$(id -u)" = 0 ]; then
    if setpriv --reuid=nobody --regid=nogroup --clear-groups true 2>/dev/null; then
        AS=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
        mkdir -p nb && chmod 777 nb && chmod 755 "$T" "$T/perm"
    else
        AS=(skip)
    fi
fi
if [ "${AS[0]:-}" = skip ]; then
    echo "note: running as root without setpriv: the permission checks are skipped" >&2
else
    PIDX="$T/nb/idx"
    [ ${#AS[@]} = 0 ] && PIDX="$T/pidx"
    run "${AS[@]}" "$BIN" index --index "$PIDX" perm
    answer "index: unreadable file and folder"
    check "unreadable: run exits 0 ($err)" test "$rc" = 0
    check "unreadable file named and skipped" \
        grep -q '^lanzsearch: perm/secret.txt: Permission denied, skipped' "$T/err"
    check "unreadable folder named and skipped" \
        grep -q '^lanzsearch: perm/locked: Permission denied, skipped' "$T/err"
    check "the readable file is indexed" grep -q '1 file indexed' "$T/err"
fi
chmod 755 perm/secret.txt perm/locked

# a folder of 10 000 small files, each with a word of its own
python3 - <<'PY'
import os
os.makedirs("many")
for i in range(10000):
    with open("many/f%05d.txt" % i, "w") as fp:
        fp.write("Note %d\n\nA small file with its own word qz%05d.\n" % (i, i))
PY
run "$BIN" index --index "$IDX" many
answer "index: 10 000 small files"
check "10 000 files: run exits 0" test "$rc" = 0
check "10 000 files: all indexed" grep -q '10000 files indexed' "$T/err"
check "10 000 files: one is found by its word" test "$(hit_path qz04242)" = "many/f04242.txt:3"
N=$(passages "$IDX")

# --- queries -----------------------------------------------------------------------------------
q() {   # q NAME QUERY [OPTIONS...]: run a search, record its answer
    local name=$1 query=$2
    shift 2
    run "$BIN" search --index "$IDX" -n 3 "$@" -- "$query"
    answer "search: $name"
}
q "only spaces" '   '
check "only spaces: exit 2, no words" grep -q 'no words to search for' "$T/err"
q "only stopwords" 'the of and'
check "only stopwords: answered (0 or 1)" test "$rc" -le 1
q "only punctuation" '!!! ??? ... ;;'
check "only punctuation: exit 2, no words" grep -q 'no words to search for' "$T/err"
q "unbalanced quote" '"dual criminality'
check "unbalanced quote: hits" test "$rc" = 0
q "unbalanced open parenthesis" '(dual criminality'
check "unbalanced (: hits" test "$rc" = 0
q "unbalanced close parenthesis" 'dual) criminality)'
check "unbalanced ): hits" test "$rc" = 0
q "brackets only" '(((('
check "brackets only: answered" test "$rc" -le 2
# at both limits, 100 000 bytes and 1000 words: 999 words and one of 88 012 letters
python3 -c "import sys; sys.stdout.write('criminality ' * 999 + 'x' * 88012)" >"$T/q100k"
q "100 000-byte query" "$(cat "$T/q100k")"
check "100 000-byte query of 1000 words: answered without error" test "$rc" -le 1
python3 -c "import sys; sys.stdout.write(('dual criminality ' * 6000)[:100000])" >"$T/q11k"
q "11 766-word query" "$(cat "$T/q11k")"
check "11 766-word query: refused with the limit" \
    grep -q '11766 words, more than the limit of 1000' "$T/err"
q "100 001-byte query" "$(cat "$T/q100k")x"
check "100 001-byte query: refused with the limit" \
    grep -q 'longer than the limit of 100000' "$T/err"
q "unknown field prefix" 'foo:bar criminality'
check "unknown field: searched as words" test "$rc" = 0
q "wildcard over the limit" 'qz*'
check "wildcard over 1000 terms: exit 2, bounded" \
    grep -q 'wildcard matches too many terms (limit 1000)' "$T/err"
q "wildcard alone" '*'
check "wildcard alone: exit 2" test "$rc" = 2
q "wildcard on a field" 'doc:*'
check "wildcard on a field: answered" test "$rc" -le 2
q "control character inside" "$(printf 'dual\001criminality')"
q "escape sequence" "$(printf '\033[31mdual\033[0m criminality')"
check "escape sequence: answered (0 or 1)" test "$rc" -le 1
q "DEL and tab" "$(printf 'dual\177\tcriminality')"
check "DEL and tab: answered (0 or 1)" test "$rc" -le 1
q "invalid UTF-8 query" "$(printf 'caf\351')"
check "invalid UTF-8 query: exit 2, says so" grep -q 'not valid UTF-8' "$T/err"
q "operator only" 'NOT'
check "operator only: exit 2 with the parser's message" grep -q 'Syntax' "$T/err"
q "NEAR without operands" 'NEAR/3'
q "deep brackets" "$(python3 -c 'print("(" * 5000 + "dual" + ")" * 5000)')"
check "5000 nested brackets: answered" test "$rc" -le 2
unchanged "after the queries"

echo "--- answers ---"
cat "$ANSWERS"
finish
