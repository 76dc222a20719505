# Sourced by the end-to-end scripts of this folder (not a test itself: ctest runs *.sh). It
# gives each a scratch folder $T, removed at exit (a script with more to clean up sets its own
# trap after sourcing), an environment no user setting leaks into, the pass/fail counters with
# ok, bad and check, run (sets rc, out and err) and finish (the summary line and the status).
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export NO_COLOR=1 XDG_DATA_HOME="$T/xdg" HOME="$T/home"
unset LANZSEARCH_INDEX
pass=0 fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAILED: $*" >&2; }
check() { local what=$1; shift; if "$@"; then ok; else bad "$what"; fi; }

run() {
    "$@" >"$T/out" 2>"$T/err"
    rc=$?
    out=$(cat "$T/out")
    err=$(cat "$T/err")
}

finish() {
    echo "$pass passed, $fail failed"
    [ "$fail" = 0 ]
}
