#!/usr/bin/env bash
# End to end: the progress line of `lanzsearch index`. On a terminal (a pseudo-terminal from
# script(1), bsdutils) it shows files and MB done of the totals on one line redrawn with '\r'
# and blanked before warnings and the summary; with --quiet, or when stderr is a pipe or a file,
# there is none (stderr as before: the summary and warnings only). Needs LZ_BIN and
# LZ_SOURCE_DIR (set by ctest); skipped without script(1).
set -u
BIN=${LZ_BIN:?}
SRC=${LZ_SOURCE_DIR:?}
. "$(dirname "${BASH_SOURCE[0]}")/common.bash"

if ! command -v script >/dev/null; then
    echo "script(1) not found (bsdutils): progress on a terminal not tested"
    echo "0 passed, 0 failed"
    exit 0
fi

cp -r "$SRC/corpus" "$T/corpus"
printf 'Caf\303\251 and \303\050 wombat.\n' >"$T/corpus/bad.txt"      # a warning mid-run
cd "$T"
N_FILES=$(ls corpus/*.txt | wc -l)
MB=$(cat corpus/*.txt | wc -c | awk '{printf "%.1f", $1 / 1e6}')

# on_tty FILE CMD...: run CMD with stdin, stdout and stderr on a pseudo-terminal; what the
# terminal received goes to FILE.
on_tty() {
    local out=$1; shift
    script -qec "$(printf '%q ' "$@")" /dev/null </dev/null >"$out" 2>&1
}

# What a terminal shows of FILE: each line as left by its last '\r' (the pty adds \r to \n).
shown() { python3 -c 'import sys
for line in open(sys.argv[1], encoding="utf-8", errors="replace", newline="").read().replace("\r\n", "\n").split("\n"):
    print(line.split("\r")[-1].rstrip())' "$1"; }

on_tty "$T/tty" "$BIN" index --index "$T/idx" corpus
rc=$?
check "index on a terminal exits 0" test "$rc" = 0
check "progress with the totals ($(tr '\r' '|' <"$T/tty" | head -c 300))" \
    grep -q "$N_FILES/$N_FILES files, $MB/$MB MB" "$T/tty"
check "progress starts from the totals" grep -q "0/$N_FILES files, 0.0/$MB MB" "$T/tty"
check "progress shows the speed" grep -q '[0-9.]* MB/s' "$T/tty"
check "progress says when it commits" grep -q 'committing' "$T/tty"
check "progress redrawn on one line" grep -q $'\r'"[0-9]*/$N_FILES files" "$T/tty"
shown "$T/tty" >"$T/shown"
check "the progress line is blanked at the end ($(cat "$T/shown"))" \
    test "$(grep -cv '^lanzsearch: \|^$' "$T/shown")" = 0
check "the warning is on a line of its own" grep -q '^lanzsearch: corpus/bad.txt:1:.*UTF-8' "$T/shown"
check "the summary is on a line of its own" grep -q "^lanzsearch: .*$N_FILES files indexed" "$T/shown"

# unchanged files count as done
on_tty "$T/tty2" "$BIN" index --index "$T/idx" corpus
check "unchanged: progress reaches the totals" grep -q "$N_FILES/$N_FILES files" "$T/tty2"

# --compact on a terminal: a note while compacting, blanked too
on_tty "$T/tty4" "$BIN" index --compact --force --index "$T/idx" corpus
check "--compact: a note while compacting" grep -q 'compacting .*idx\.\.\.' "$T/tty4"
shown "$T/tty4" >"$T/shown4"
check "--compact: the note is blanked ($(cat "$T/shown4"))" \
    test "$(grep -cv '^lanzsearch: \|^$' "$T/shown4")" = 0
check "--compact: reported" grep -q '^lanzsearch: .*compacted, ' "$T/shown4"

# --quiet on a terminal: nothing but the warning
on_tty "$T/tty3" "$BIN" index --quiet --force --index "$T/idx" corpus
check "--quiet: no progress ($(tr '\r' '|' <"$T/tty3"))" test -z "$(grep files "$T/tty3")"
check "--quiet: the warning still" grep -q 'bad.txt:1:' "$T/tty3"

# stderr a pipe or a file: no progress, no '\r'
"$BIN" index --force --index "$T/idx" corpus 2>"$T/err" >"$T/out"
check "file: exit 0" test "$?" = 0
check "file: no '\\r' on stderr" test "$(tr -cd '\r' <"$T/err" | wc -c)" = 0
check "file: the warning and the summary only ($(cat "$T/err"))" test "$(wc -l <"$T/err")" = 2
check "file: nothing on stdout" test ! -s "$T/out"
"$BIN" index --force --index "$T/idx" corpus 2>&1 | cat >"$T/pipe"
check "pipe: no progress" test "$(tr -cd '\r' <"$T/pipe" | wc -c)" = 0 -a "$(wc -l <"$T/pipe")" = 2
# stdout on a terminal but stderr not: still none
script -qec "$(printf '%q ' "$BIN" index --force --index "$T/idx" corpus) 2>$T/err2" /dev/null \
    </dev/null >/dev/null 2>&1
check "stderr redirected under a terminal: no progress" \
    test "$(tr -cd '\r' <"$T/err2" | wc -c)" = 0 -a "$(wc -l <"$T/err2")" = 2

finish
