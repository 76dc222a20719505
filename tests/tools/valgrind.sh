#!/usr/bin/env bash
# One end-to-end run under valgrind memcheck (`make valgrind`): index two documents of the
# bundled corpus, search them (text and --json, a corrected query, a refused query), check the
# index and show its info. Any memcheck error or definite leak fails the run; "still reachable"
# blocks (ICU's and libstdc++'s caches, freed at exit by the system) are not leaks. Prints
# "N passed, N failed" last. Usage: tests/tools/valgrind.sh path/to/lanzsearch
set -u
BIN=${1:?usage: valgrind.sh LANZSEARCH}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export NO_COLOR=1 XDG_DATA_HOME="$T/xdg" HOME="$T/home"
unset LANZSEARCH_INDEX
pass=0 fail=0
VG=(valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite
    --errors-for-leak-kinds=definite --error-exitcode=99 --track-origins=yes --quiet)

# vg NAME WANT CMD...: run CMD under memcheck; its exit status must be WANT (99: memcheck found
# something, whose report is shown)
vg() {
    local name=$1 want=$2 rc
    shift 2
    "${VG[@]}" --log-file="$T/vg.log" "$@" >"$T/out" 2>"$T/err"
    rc=$?
    if [ "$rc" = "$want" ] && [ ! -s "$T/vg.log" ]; then
        pass=$((pass + 1))
        echo "ok: $name"
    else
        fail=$((fail + 1))
        echo "FAILED: $name: exit $rc (want $want)" >&2
        head -n 60 "$T/vg.log" "$T/err" >&2
    fi
}

mkdir "$T/docs"
cp "$SRC/corpus/lanzarote-factsheet-bulgaria.txt" "$SRC/corpus/lanzarote-recommendations-finland.txt" \
    "$T/docs/"
printf 'Broken \xff byte.\n' >"$T/docs/repaired.txt"
printf 'bin\0ary\n' >"$T/docs/binary.txt"
vg "index" 0 "$BIN" index --index "$T/idx" "$T/docs"
vg "search" 0 "$BIN" search --index "$T/idx" -n 5 sextortion dual criminality
vg "search --json" 0 "$BIN" search --index "$T/idx" --json -n 3 '"last resort" OR Article 25(4)'
vg "search, corrected" 0 "$BIN" search --index "$T/idx" -n 2 sextorsion
vg "search, refused" 2 "$BIN" search --index "$T/idx" 'AND'
vg "check" 0 "$BIN" check --index "$T/idx"
vg "info" 0 "$BIN" info --index "$T/idx"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
