#!/usr/bin/env bash
# Concurrent use and broken setups, with the real CLI: searches running while index runs commit
# over and over each succeed and see one committed state; a second writer fails at once naming
# the lock and its holder; an index of another format or pipeline, a damaged database file, a
# read-only index and a full disk each give a clear error (exit 2, "lanzsearch: " on stderr)
# and leave the previous data intact. Mounts (tmpfs, read-only bind) need root; without it
# the full disk is injected with a file size limit and the read-only index made with chmod.
# Needs LZ_BIN and LZ_SOURCE_DIR (set by ctest); LZ_HOLD_INDEX is used when set.
set -u
BIN=${LZ_BIN:?}
SRC=${LZ_SOURCE_DIR:?}
HOLD=${LZ_HOLD_INDEX:-}
. "$(dirname "${BASH_SOURCE[0]}")/common.bash"
MOUNTS=()
cleanup() {
    local m
    kill $(jobs -p) 2>/dev/null
    wait 2>/dev/null
    for m in "${MOUNTS[@]}"; do umount "$m" 2>/dev/null; done
    chmod -R u+rwx "$T" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT

run() {
    timeout -k 5 120 "$@" >"$T/out" 2>"$T/err"
    rc=$?
    err=$(head -c 400 "$T/err")
    [ "$rc" -gt 2 ] && bad "exit $rc (crash or hang): $*: $err"
}
# error NAME: the last command failed as an error should (exit 2, message on stderr)
error() {
    check "$1: exit 2 (got $rc)" test "$rc" = 2
    check "$1: message starts 'lanzsearch: '" grep -q '^lanzsearch: ' "$T/err"
    printf '%-36s %s\n' "$1" "$(grep -m 1 '^lanzsearch: ' "$T/err" | cut -c 1-160)"
}
passages() { "$BIN" info --index "$1" 2>/dev/null | awk '/^passages:/ {print $2}'; }
total() {
    "$BIN" search --index "$1" --json -n 5 --no-correct zzcommon 2>/dev/null |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'
}
xcheck() { xapian-check "$1" >/dev/null 2>&1; }
intact() {      # intact NAME DIR COUNT: the index in DIR is as it was
    check "$1: xapian-check" xcheck "$2"
    check "$1: passage count unchanged" test "$(passages "$2")" = "$3"
    run "$BIN" search --index "$2" -n 1 dual criminality
    check "$1: search still works" test "$rc" = 0
}

cd "$T"
cp -r "$SRC/corpus" corpus
python3 - <<'PY'
import os
os.makedirs("docs")
os.makedirs("extra")
for i in range(100):
    open("docs/n%03d.txt" % i, "w").write("Note %d\n\nA note with the word zzcommon, number %d.\n" % (i, i))
    open("extra/x%03d.txt" % i, "w").write("Extra %d\n\nAn extra note with zzcommon too, %d.\n" % (i, i))
PY
cp corpus/*.txt docs/
IDX="$T/idx"
run "$BIN" index -q --index "$IDX" docs
check "state A indexed ($err)" test "$rc" = 0
A=$(total "$IDX")
cp extra/*.txt docs/
run "$BIN" index -q --index "$T/ref" docs
B=$(total "$T/ref")
rm -f docs/x*.txt
check "states A and B differ ($A, $B)" test "${A:-0}" -gt 0 -a "${B:-0}" -gt "${A:-0}"

# --- searches while an index run commits, again and again ----------------------------------
# The writer alternates between B's files and A's, reindexing all of them (--force); each run
# is one commit. Two readers search meanwhile: every search must exit 0 and see A or B, never a
# state between them.
(
    for i in $(seq 1 6); do
        if [ $((i % 2)) = 1 ]; then cp extra/*.txt docs/; else rm -f docs/x*.txt; fi
        "$BIN" index -q --force --index "$IDX" docs 2>>"$T/writer.err" ||
            echo "run $i: exit $?" >>"$T/writer.fail"
    done
    touch "$T/writer.done"
) &
reader() {
    local n=0 bad_n=0 t
    while [ ! -e "$T/writer.done" ]; do
        t=$("$BIN" search --index "$IDX" --json -n 5 --no-correct zzcommon 2>>"$T/reader$1.err" |
            python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])' 2>/dev/null)
        n=$((n + 1))
        if [ "$t" != "$A" ] && [ "$t" != "$B" ]; then
            bad_n=$((bad_n + 1))
            echo "search $n saw '$t'" >>"$T/reader$1.err"
        fi
    done
    echo "$n $bad_n" >"$T/reader$1.count"
}
reader 1 &
reader 2 &
wait
read -r n1 bad1 <"$T/reader1.count"
read -r n2 bad2 <"$T/reader2.count"
check "writer: 6 runs, each committed ($(cat "$T/writer.fail" 2>/dev/null))" test ! -e "$T/writer.fail"
check "readers searched ($n1 + $n2 searches)" test $((n1 + n2)) -gt 10
check "every search exited 0 and saw A ($A) or B ($B): $((bad1 + bad2)) did not" \
    test $((bad1 + bad2)) = 0
[ $((bad1 + bad2)) = 0 ] || head -n 5 "$T"/reader*.err >&2
echo "searches during 6 commits: $((n1 + n2)), all from a committed state"
check "after the runs: state A" test "$(total "$IDX")" = "$A"
N=$(passages "$IDX")

# --- a second writer fails at once, naming the lock and its holder ----------------------------
if [ -n "$HOLD" ]; then
    coproc HOLDER { exec "$HOLD" "$IDX"; }
    read -r line <&"${HOLDER[0]}"
    start=$(date +%s%N)
    run "$BIN" index --index "$IDX" docs
    ms=$((($(date +%s%N) - start) / 1000000))
    error "second writer (library holder)"
    check "second writer: fails at once (${ms} ms)" test "$ms" -lt 5000
    check "second writer: names the lock and the holder's PID" \
        grep -q "another process is writing to this index (lock held by PID $HOLDER_PID, hold_index;" "$T/err"
    run "$BIN" search --index "$IDX" -n 1 dual criminality
    check "search works while another process writes" test "$rc" = 0
    exec {HOLDER[1]}>&-
    wait "$HOLDER_PID" 2>/dev/null
fi
# two CLI runs: the second starts once the first has reported a file of its walk
printf 'First\n\nAn early file with a bad byte \xff here.\n' >docs/a-early.txt
"$BIN" index --force --index "$IDX" docs 2>"$T/first.err" &
first=$!
for i in $(seq 2000); do grep -q a-early "$T/first.err" && break; sleep 0.005; done
run "$BIN" index --index "$IDX" docs
error "second writer (lanzsearch index)"
check "second writer names the first's PID" \
    grep -q "another process is writing to this index (lock held by PID $first, lanzsearch;" "$T/err"
wait "$first"
check "the first run completes" test $? = 0
rm -f docs/a-early.txt
run "$BIN" index -q --index "$IDX" docs
N=$(passages "$IDX")
intact "after two writers" "$IDX" "$N"

# --- another format or pipeline, damaged files ------------------------------------------------
FP=$(xapian-metadata get "$IDX" lanzsearch:fingerprint)
xapian-metadata set "$IDX" lanzsearch:fingerprint "format=99; a newer lanzsearch"
run "$BIN" search --index "$IDX" dual
error "newer fingerprint: search"
check "newer fingerprint: says other rules" grep -q 'index built with other rules' "$T/err"
run "$BIN" index --index "$IDX" docs
error "newer fingerprint: index"
run "$BIN" check --index "$IDX"
error "newer fingerprint: check"
xapian-metadata set "$IDX" lanzsearch:fingerprint "$FP"
intact "fingerprint restored" "$IDX" "$N"

xapian-metadata set "$IDX" lanzsearch:fingerprint ""
run "$BIN" search --index "$IDX" dual
error "foreign Xapian database: search"
check "foreign database: says not a lanzsearch index" grep -q 'not a lanzsearch index' "$T/err"
run "$BIN" index --index "$IDX" docs
error "foreign Xapian database: index"
xapian-metadata set "$IDX" lanzsearch:fingerprint "$FP"
intact "fingerprint restored again" "$IDX" "$N"

cp -r "$IDX" newer
printf '\x7f' | dd of=newer/iamglass bs=1 seek=14 conv=notrunc 2>/dev/null
run "$BIN" search --index newer dual
error "newer database format: search"
check "newer format: says so" grep -q 'unsupported index format' "$T/err"
run "$BIN" index --index newer docs
error "newer database format: index"

cp -r "$IDX" cut
truncate -s 8192 cut/postlist.glass     # its first block only: the root is gone
run "$BIN" search --index cut dual criminality
error "truncated postlist.glass: search"
run "$BIN" index --index cut docs
error "truncated postlist.glass: index"
run "$BIN" info --index cut
check "truncated postlist.glass: info answers (0 or 2)" test "$rc" -le 2

cp -r "$IDX" garbage
head -c 8192 /dev/urandom | dd of=garbage/termlist.glass bs=1 conv=notrunc 2>/dev/null
run "$BIN" search --index garbage dual criminality
check "random bytes in termlist.glass: search answers ($rc)" test "$rc" -le 2
run "$BIN" index --force --index garbage docs
check "random bytes in termlist.glass: index answers ($rc)" test "$rc" -le 2
intact "the original beside the damaged copies" "$IDX" "$N"

# --- a read-only index --------------------------------------------------------------------------
AS=()
RO=""
if [ "$(id -u)" = 0 ]; then
    mkdir -p ro
    if mount --bind "$IDX" ro 2>/dev/null; then
        MOUNTS+=("$T/ro")
        if mount -o remount,ro,bind "$T/ro" 2>/dev/null; then RO="$T/ro"; fi
    fi
else
    cp -r "$IDX" ro && chmod -R a-w ro && RO="$T/ro"
fi
if [ -n "$RO" ]; then
    run "$BIN" index --index "$RO" docs
    error "read-only index: index"
    check "read-only: says it cannot write" grep -q 'cannot lock the index for writing' "$T/err"
    run "$BIN" search --index "$RO" -n 1 dual criminality
    check "read-only: search works" test "$rc" = 0
    intact "read-only index" "$IDX" "$N"
else
    echo "note: no read-only mount here: the read-only case is skipped" >&2
fi
if [ "$(id -u)" = 0 ] && setpriv --reuid=nobody --regid=nogroup --clear-groups true 2>/dev/null; then
    chmod 755 "$T"
    run setpriv --reuid=nobody --regid=nogroup --clear-groups "$BIN" index --index "$IDX" docs
    error "index owned by another user: index"
    run setpriv --reuid=nobody --regid=nogroup --clear-groups "$BIN" search --index "$IDX" -n 1 dual
    check "index owned by another user: search works" test "$rc" = 0
    intact "index owned by another user" "$IDX" "$N"
fi

# --- a full disk --------------------------------------------------------------------------------
# The first run fits, the second does not: it fails with a message, and the first run's index
# stays. With root: a 3 MB tmpfs. Always: a file size limit (writes beyond it fail, EFBIG).
mkdir -p small
cp corpus/lanzarote-factsheet-civil-society.txt corpus/lanzarote-factsheet-assistance-to-victims.txt small/
full_disk() {   # full_disk NAME DIR PREFIX...: DIR on a small disk, PREFIX runs the second run
    local name=$1 dir=$2 m
    shift 2
    run "$BIN" index -q --index "$dir" small
    check "$name: the first run fits ($err)" test "$rc" = 0
    m=$(passages "$dir")
    # Xapian leaks a little when a commit fails (tests/lsan.supp), which LeakSanitizer would
    # report; its frames are only seen with the slow unwinder (Xapian has no frame pointers)
    run env LSAN_OPTIONS="suppressions=$SRC/tests/lsan.supp" \
        ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}fast_unwind_on_malloc=0" \
        "$@" "$BIN" index --index "$dir" corpus docs
    error "$name: a run that does not fit"
    intact "$name" "$dir" "$m"
}
if [ "$(id -u)" = 0 ] && mkdir -p disk && mount -t tmpfs -o size=3m tmpfs disk 2>/dev/null; then
    MOUNTS+=("$T/disk")
    full_disk "full disk (3 MB tmpfs)" "$T/disk/idx"
    umount "$T/disk"
else
    echo "note: cannot mount a tmpfs here: the full disk is only injected" >&2
fi
full_disk "file size limit (1 MB, EFBIG)" "$T/fsize" \
    bash -c 'ulimit -f 1024; trap "" XFSZ; exec "$@"' limited

finish
