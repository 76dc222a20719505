#!/usr/bin/env bash
# The bundled corpus is shipped byte for byte: every file matches corpus/SHA256SUMS, and every
# .txt in corpus/ is listed there.
set -u
cd "${LZ_SOURCE_DIR:?}/corpus" || exit 1
pass=0 fail=0
if sha256sum --quiet -c SHA256SUMS; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
for f in *.txt; do
    if grep -q "  $f\$" SHA256SUMS; then pass=$((pass + 1)); else
        echo "FAILED: $f is not in SHA256SUMS" >&2; fail=$((fail + 1)); fi
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
