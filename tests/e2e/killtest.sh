#!/usr/bin/env bash
# Kill -9: an indexing run is one transaction, so a run killed at any moment leaves the index
# exactly as the last committed run left it. 3000 small files made from corpus slices are
# indexed once (state A); a reference index gives state B (A plus 200 extra files). Then
# `lanzsearch index --force` runs again and again, over A's files or B's, and is killed with
# SIGKILL at random moments and at points chosen by watching it (right at the start, after its
# warning for a file at 10%, 50% and 90% of the walk, after the last file, at the first write to
# the database files). After each kill: xapian-check passes, `lanzsearch info` works, the
# passage count is exactly the last committed state's (or, for a kill that came after the commit,
# the run's target state), and the top hit of a search is that state's. Prints the kills
# survived. Needs LZ_BIN (set by ctest); LZ_KILLS sets the number of kills (24).
set -u
BIN=${LZ_BIN:?}
SRC=${LZ_SOURCE_DIR:?}
KILLS=${LZ_KILLS:-24}
. "$(dirname "${BASH_SOURCE[0]}")/common.bash"
trap 'kill -9 $(jobs -p) 2>/dev/null; rm -rf "$T"' EXIT
survived=0 before_commit=0 after_commit=0

passages() { "$BIN" info --index "$1" 2>/dev/null | awk '/^passages:/ {print $2}'; }
QUERY='sexual exploitation dual criminality'
top_hit() {
    "$BIN" search --index "$1" --json -n 1 --no-correct "$QUERY" 2>/dev/null |
        python3 -c 'import json,sys; h=json.load(sys.stdin)["hits"]; print("%s:%s" % (h[0]["path"], h[0]["lines"]) if h else "")'
}

# --- the files: 3000 documents of two corpus paragraphs each, 200 extra ones -----------------
# Files 0300, 1500, 2700 and 2999 hold an invalid UTF-8 byte: the indexer warns about each on
# stderr as it passes, which marks how far a run has got.
python3 - "$SRC/corpus" "$T/docs" "$T/extra" <<'PY'
import os, sys
src, docs, extra = sys.argv[1:]
lines = []
for f in sorted(os.listdir(src)):
    if f.endswith('.txt'):
        text = open(os.path.join(src, f), encoding='utf-8').read()
        lines += [l[:200] for l in text.splitlines() if l.strip()]
def write(folder, name, i, marker):
    k = (i * 7) % len(lines)
    body = "\n\n".join(lines[k:k + 2]).encode('utf-8')
    with open(os.path.join(folder, name), 'wb') as fp:
        fp.write(b"# Document %d\n\n%s%s\n" % (i, body, b" \xff" if marker else b""))
os.makedirs(docs)
os.makedirs(extra)
for i in range(3000):
    write(docs, 'd%04d.txt' % i, i, i in (300, 1500, 2700, 2999))
for i in range(200):
    write(extra, 'x%04d.txt' % i, 5000 + i, False)
PY
IDX="$T/idx"
REF="$T/ref"
cd "$T"

# with_extra 0|1: the extra files are in docs/ (state B) or not (state A)
with_extra() {
    if [ "$1" = 1 ]; then cp extra/*.txt docs/; else rm -f docs/x*.txt; fi
}

start=$(date +%s.%N)
"$BIN" index -q --index "$IDX" docs 2>"$T/err"
check "first run exits 0 ($(head -c 300 "$T/err"))" test $? = 0
RUN_SECONDS=$(python3 -c "import time; print(max(0.2, time.time() - $start))")
COUNT_A=$(passages "$IDX")
TOP_A=$(top_hit "$IDX")
with_extra 1
"$BIN" index -q --index "$REF" docs 2>/dev/null
COUNT_B=$(passages "$REF")
TOP_B=$(top_hit "$REF")
with_extra 0
check "state A holds passages ($COUNT_A)" test "${COUNT_A:-0}" -gt 3000
check "state B holds more ($COUNT_B)" test "${COUNT_B:-0}" -gt "${COUNT_A:-0}"
check "state A has a top hit" test -n "$TOP_A"
echo "state A: $COUNT_A passages, state B: $COUNT_B; a run takes ${RUN_SECONDS}s"

committed=A         # the state of the last committed run

# kill_at HOW: start a forced run and SIGKILL it at the moment HOW picks
kill_at() {
    local how=$1 pid i
    : >"$T/run.err"
    touch "$T/stamp"
    sleep 0.01       # so that files written by the run are newer than the stamp
    "$BIN" index --force --index "$IDX" docs 2>"$T/run.err" &
    pid=$!
    case $how in
    start) ;;
    random) sleep "$(python3 -c "import random; print(round(random.uniform(0, $RUN_SECONDS * 1.1), 3))")" ;;
    d*)     # after the warning for file $how
        for i in $(seq 6000); do
            grep -q "$how.txt" "$T/run.err" && break
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.005
        done ;;
    write)  # at the first write to the database files (the commit, or a flush before it)
        for i in $(seq 20000); do
            newer=0
            for f in "$IDX"/*.glass "$IDX"/iamglass; do
                [ "$f" -nt "$T/stamp" ] && newer=1 && break
            done
            [ "$newer" = 1 ] && break
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.002
        done ;;
    esac
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
}

points=(start d0300 d1500 d2700 d2999 write)
for k in $(seq 1 "$KILLS"); do
    extra=$((k / 4 % 2))                   # four kills over A's files, four over B's, ...
    with_extra "$extra"
    if [ "$extra" = 1 ]; then target=B; else target=A; fi
    if [ $((k % 2)) = 0 ]; then how=random; else how=${points[$(((k / 2) % ${#points[@]}))]}; fi
    kill_at "$how"
    "$BIN" info --index "$IDX" >"$T/info" 2>&1
    info_rc=$?
    n=$(awk '/^passages:/ {print $2}' "$T/info")
    top=$(top_hit "$IDX")
    eval "want_n=\$COUNT_$committed want_top=\$TOP_$committed"
    eval "target_n=\$COUNT_$target target_top=\$TOP_$target"
    state=""
    if [ "$n" = "$want_n" ] && [ "$top" = "$want_top" ]; then
        state=$committed
        [ "$committed" != "$target" ] && before_commit=$((before_commit + 1))
    elif [ "$n" = "$target_n" ] && [ "$top" = "$target_top" ]; then
        state=$target           # killed after its commit: that is the committed state now
        after_commit=$((after_commit + 1))
    fi
    xok=0
    xapian-check "$IDX" >"$T/xcheck" 2>&1 && xok=1
    if [ "$xok" = 1 ] && [ "$info_rc" = 0 ] && [ -n "$state" ]; then
        survived=$((survived + 1))
        ok
        committed=$state
    else
        bad "kill $k ($how, files of state $target, last committed $committed): xapian-check" \
            "$([ $xok = 1 ] && echo ok || tail -n 3 "$T/xcheck"), info exit $info_rc," \
            "$n passages (want $want_n), top hit '$top' (want '$want_top')"
    fi
done

# After all that, a run that is not killed still works and gives its state.
with_extra 0
"$BIN" index -q --index "$IDX" docs 2>/dev/null
check "a run after the kills exits 0" test $? = 0
check "and gives state A" test "$(passages "$IDX")" = "$COUNT_A"
check "xapian-check at the end" xapian-check "$IDX" >/dev/null 2>&1

echo "kills survived: $survived of $KILLS ($before_commit killed before their commit with a" \
     "different target state, $after_commit after their commit)"
finish
