#!/usr/bin/env bash
# lanzsearch check, end to end: exit 0 when the index matches the files, 1 with one line per
# difference on stdout (changed, missing, new) and a summary on stderr, 2 for an error; the
# index is never changed by it. Needs LZ_BIN and LZ_SOURCE_DIR (set by ctest).
set -u
BIN=${LZ_BIN:?}
SRC=${LZ_SOURCE_DIR:?}
. "$(dirname "${BASH_SOURCE[0]}")/common.bash"

cd "$T"
cp -r "$SRC/corpus" corpus
chmod -R u+w corpus
"$BIN" index -q --index idx corpus

run "$BIN" check --index idx
check "fresh index: exit 0" test "$rc" = 0
check "fresh index: nothing on stdout" test -z "$out"
check "fresh index: summary on stderr" \
    grep -q '^lanzsearch: idx: 5 files indexed: 5 unchanged, 0 changed, 0 missing, 0 damaged; 0 new, 0 skipped' "$T/err"
run "$BIN" check --index idx -v
check "-v lists unchanged files" test "$(grep -c '^ok  *corpus/' "$T/out")" = 5

echo "One more line." >>corpus/lanzarote-factsheet-bulgaria.txt
rm corpus/lanzarote-factsheet-civil-society.txt
printf 'New\n\nA new report.\n' >corpus/new-report.txt
printf 'bin\0ary' >corpus/binary.txt
mkdir -p elsewhere/sub
printf 'Else\n\nElsewhere.\n' >elsewhere/sub/other.md
run "$BIN" check --index idx
check "differences: exit 1" test "$rc" = 1
check "differences: one line each, in order" \
    test "$out" = "changed  corpus/lanzarote-factsheet-bulgaria.txt
missing  corpus/lanzarote-factsheet-civil-society.txt
new      corpus/new-report.txt"
check "differences: summary" \
    grep -q '5 files indexed: 3 unchanged, 1 changed, 1 missing, 0 damaged; 1 new, 1 skipped' "$T/err"
run "$BIN" check --index idx -q elsewhere
check "PATH: new files under it, with subfolders" grep -q '^new  *elsewhere/sub/other.md$' "$T/out"
check "-q: no summary" test ! -s "$T/err"
run "$BIN" index -q --index idx corpus
run "$BIN" check --index idx
check "after indexing again: exit 0 ($out)" test "$rc" = 0

run "$BIN" check --index idx no-such-path
check "a PATH that does not exist: exit 2" test "$rc" = 2
check "... named" grep -q '^lanzsearch: no-such-path: No such file or directory' "$T/err"
run "$BIN" check --index nothing-here
check "no index: exit 2" test "$rc" = 2
check "... says so" grep -q '^lanzsearch: nothing-here: no index here' "$T/err"
run "$BIN" check --bogus
check "unknown option: exit 2" test "$rc" = 2
run "$BIN" check --help
check "--help: exit 0 on stdout" test "$rc" = 0 -a -n "$out"
run "$BIN" help check
check "help check: exit 0" test "$rc" = 0
run "$BIN" --help
check "the command list names check" grep -q '^  check' "$T/out"

finish
