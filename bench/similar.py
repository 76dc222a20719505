#!/usr/bin/env python3
""""More like this" on judged queries: for every query of a qrels file with two judged spans or
more, run the real `lanzsearch similar --json -n 10` on the first passage judged 2 (its first line that a passage holds) and count how
many of the query's other judged spans are among the similar passages (a span is found when a
hit overlaps it). The passages a researcher judged relevant to one question share its theme, so
the share found measures how well `similar` follows a theme.

    python3 bench/similar.py --lanzsearch build/lanzsearch [--qrels FILE] [--per-query]"""
import collections
import json
import os
import subprocess
import sys
import tempfile

from judged import arguments, fresh_index, judgments


def main():
    args = arguments(__doc__).parse_args()
    rows = judgments(args.qrels, "similar")
    if rows is None:
        return 0
    spans = collections.defaultdict(list)
    for cols in rows:
        if len(cols) >= 6:
            spans[cols[0]].append((cols[2], int(cols[3]), int(cols[4]), int(cols[5])))

    found = total = queries = 0
    with tempfile.TemporaryDirectory() as tmp:
        index = fresh_index(args.lanzsearch, args.corpus, tmp)
        for qid, judged in spans.items():
            best = [s for s in judged if s[3] == 2]
            if len(judged) < 2 or not best:
                continue
            name, first, last, _ = best[0]
            for line in range(first, last + 1):     # a span may start with its heading
                p = subprocess.run([args.lanzsearch, "similar", "--json", "-n", "10", "--index",
                                    index, os.path.join(args.corpus, name) + f":{line}"],
                                   capture_output=True, text=True)
                if "no passage holds" not in p.stderr:
                    break
            if p.returncode not in (0, 1):
                print(f"similar: {qid}: {p.stderr.strip()}", file=sys.stderr)
                continue
            hits = [(os.path.basename(h["path"]), h["lines"][0], h["lines"][1])
                    for h in json.loads(p.stdout)["hits"]]
            others = [s for s in judged if not (s[0] == name and s[1] == first)]
            got = sum(1 for (f, a, b, _) in others
                      if any(hf == f and x <= b and a <= y for hf, x, y in hits))
            if args.per_query:
                print(f"{qid}\t{got}/{len(others)}\t{name}:{first}")
            found += got
            total += len(others)
            queries += 1
    share = found / total if total else 0.0
    print(f"similar: {found} of {total} other judged spans of the same query in the top 10 "
          f"({queries} queries): {share:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
