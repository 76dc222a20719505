#!/usr/bin/env bash
# End to end: `lanzsearch compact` and `lanzsearch index --compact` with the real CLI on the
# bundled corpus. Compaction keeps what searches find (same top hits), passes xapian-check, does
# not grow the index and leaves nothing beside it; a held write lock, or no room for the copy,
# makes it fail with exit 2, naming the holder or the cause, and leaves the index as it was. Needs LZ_BIN, LZ_SOURCE_DIR and
# LZ_HOLD_INDEX (set by ctest).
set -u
BIN=${LZ_BIN:?}
SRC=${LZ_SOURCE_DIR:?}
HOLD=${LZ_HOLD_INDEX:?}
. "$(dirname "${BASH_SOURCE[0]}")/common.bash"
trap 'exec 3>&- 2>/dev/null; rm -rf "$T"' EXIT

passages() { "$BIN" info --index "$1" | awk '/^passages:/ {print $2}'; }
total() { "$BIN" info --index "$1" | awk '$1 == "total" {print $2}'; }
xcheck() { xapian-check "$1" >/dev/null 2>&1; }
# The top 10 of a few queries: path, lines and rank of each hit, one line per hit.
tops() {
    local q
    for q in "sextortion dual criminality" '"last resort"' "rec:IV-6" "grooming country:bulgaria" \
             "child sexual abuse material"; do
        "$BIN" search --index "$1" --json -n 10 "$q" |
            python3 -c 'import json, sys
for h in json.load(sys.stdin)["hits"]:
    print(h["rank"], h["path"], h["lines"][0], h["lines"][1], "%.4f" % h["score"])'
    done
}

cp -r "$SRC/corpus" "$T/corpus"
cd "$T"
IDX="$T/idx"

# --- help --------------------------------------------------------------------------------------
run "$BIN" compact --help
check "compact --help exits 0" test "$rc" = 0
for w in postlist position termlist docdata spelling synonym DIR.compact-PID "write lock"; do
    check "compact --help explains $w" grep -q -- "$w" "$T/out"
done
run "$BIN" help compact
check "help compact" test "$rc" = 0 -a -n "$out"

# --- compact an index built in several runs ----------------------------------------------------
run "$BIN" index --index "$IDX" corpus
check "index exits 0 ($err)" test "$rc" = 0
run "$BIN" index --index "$IDX" --force corpus     # free space to reclaim
N=$(passages "$IDX")
BEFORE=$(total "$IDX")
tops "$IDX" >"$T/tops-before"
check "searches give hits" test "$(wc -l <"$T/tops-before")" -gt 20

run "$BIN" info --index "$IDX"
check "info shows the tables" grep -q '^postlist  *[0-9][0-9]*  *[0-9.]*$' "$T/out"
check "info shows the input bytes" grep -q "^input  *$(cat corpus/*.txt | wc -c)$" "$T/out"

run "$BIN" compact --index "$IDX"
check "compact exits 0 ($err)" test "$rc" = 0
check "compact stderr empty ($err)" test -z "$err"
for t in postlist position termlist docdata spelling synonym total input; do
    check "compact prints $t" grep -q "^$t  *[0-9]" "$T/out"
done
AFTER=$(total "$IDX")
check "compact did not grow the index ($BEFORE -> $AFTER)" test "${AFTER:-0}" -gt 0 -a \
    "${AFTER:-0}" -le "${BEFORE:-0}"
check "a forced reindex leaves space to reclaim ($BEFORE -> $AFTER)" \
    test "$((AFTER * 10))" -lt "$((BEFORE * 9))"
check "printed sizes are the index's" grep -q "^total  *$BEFORE  *$AFTER " "$T/out"
check "xapian-check after compact" xcheck "$IDX"
check "same passages after compact" test "$(passages "$IDX")" = "$N"
tops "$IDX" >"$T/tops-after"
check "same top hits after compact ($(diff "$T/tops-before" "$T/tops-after" | head -3))" \
    cmp -s "$T/tops-before" "$T/tops-after"
check "nothing left beside the index ($(ls -d "$IDX".* 2>/dev/null))" \
    test -z "$(ls -d "$IDX".* 2>/dev/null)"
run "$BIN" index --index "$IDX" corpus
check "indexing after compact ($err)" grep -q '5 unchanged' "$T/err"

# a compacted index compacts again; quiet prints nothing
run "$BIN" compact -q --index "$IDX"
check "compact -q: exit 0, silent" test "$rc" = 0 -a -z "$out" -a -z "$err"
check "xapian-check after a second compact" xcheck "$IDX"

# through a symbolic link: the link stays, the folder it names is compacted
ln -s "$IDX" "$T/link"
run "$BIN" compact -q --index "$T/link"
check "compact through a link ($err)" test "$rc" = 0 -a -L "$T/link"
check "search through the link" test "$(passages "$T/link")" = "$N"

# --- index --compact ---------------------------------------------------------------------------
run "$BIN" index --index "$T/idx2" --compact corpus
check "index --compact exits 0 ($err)" test "$rc" = 0
check "index --compact reports the compaction" grep -q 'compacted, [0-9]* to [0-9]* bytes' "$T/err"
check "xapian-check after index --compact" xcheck "$T/idx2"
check "index --compact: same hits" cmp -s "$T/tops-before" <(tops "$T/idx2")
run "$BIN" index --index "$T/idx3" --compact --quiet corpus
check "index --compact --quiet is silent" test "$rc" = 0 -a -z "$err"

# --- failures ----------------------------------------------------------------------------------
run "$BIN" compact --index "$T/none"
check "missing index: exit 2" test "$rc" = 2
check "missing index: says so ($err)" grep -q 'no index here' "$T/err"
check "missing index: not created" test ! -e "$T/none"
run "$BIN" compact --index "$IDX" extra
check "unexpected argument: exit 2" test "$rc" = 2

# no room for the copy (a file size limit: writes beyond 256 KiB fail, EFBIG): exit 2, the copy
# removed, the index as it was
SIZE=$(total "$IDX")
# (Xapian leaks when compaction fails: tests/lsan.supp; its frames need the slow unwinder)
run env LSAN_OPTIONS="suppressions=$SRC/tests/lsan.supp" \
    ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}fast_unwind_on_malloc=0" \
    bash -c 'ulimit -f 256; trap "" XFSZ; exec "$@"' limited "$BIN" compact --index "$IDX"
check "no room: exit 2" test "$rc" = 2
check "no room: says why ($err)" grep -q '^lanzsearch: .*: compacting into ' "$T/err"
check "no room: the copy is removed" test -z "$(ls -d "$IDX".* 2>/dev/null)"
check "no room: index unchanged" test "$(total "$IDX")" = "$SIZE"
check "no room: xapian-check" xcheck "$IDX"

mkfifo "$T/hold-in"
"$HOLD" "$IDX" <"$T/hold-in" >"$T/hold-out" 2>&1 &
HOLDER=$!
exec 3>"$T/hold-in"
for _ in $(seq 50); do grep -q locked "$T/hold-out" && break; sleep 0.1; done
check "the helper holds the lock" grep -q locked "$T/hold-out"
SIZE=$(total "$IDX")
run "$BIN" compact --index "$IDX"
check "compact while locked: exit 2" test "$rc" = 2
check "compact while locked: names the holder ($err)" \
    grep -q "another process is writing to this index (lock held by PID $HOLDER, hold_index" \
    "$T/err"
check "compact while locked: index unchanged" test "$(total "$IDX")" = "$SIZE"
check "compact while locked: nothing left beside it" test -z "$(ls -d "$IDX".* 2>/dev/null)"
run "$BIN" index --index "$IDX" --compact corpus
check "index --compact while locked: exit 2" test "$rc" = 2
exec 3>&-
wait "$HOLDER"
check "xapian-check after the locked attempts" xcheck "$IDX"
check "passages after the locked attempts" test "$(passages "$IDX")" = "$N"

finish
