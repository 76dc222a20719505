#!/usr/bin/env python3
"""Ranking quality on judged queries: index the bundled corpus into a fresh index, run every
query of a qrels file through the real `lanzsearch search --json`, write the run as TSV and score
it with the scorer that comes with the judgments (../shared/eval/evaluate.py by default).

    python3 bench/eval.py --lanzsearch build/lanzsearch [--qrels FILE] [--run OUT] [-- extra]

Extra arguments after `--` go to every `lanzsearch search` (e.g. `-- --and`), so alternatives
can be compared on the same judgments."""
import json
import os
import subprocess
import sys
import tempfile

from judged import arguments, fresh_index, judgments


def main():
    ap = arguments(__doc__)
    ap.add_argument("--scorer", default=None, help="evaluate.py (default: beside the qrels)")
    ap.add_argument("--run", default=None, help="keep the run TSV here")
    ap.add_argument("extra", nargs="*", help="arguments passed to every search")
    args = ap.parse_args()

    rows = judgments(args.qrels, "eval")
    if rows is None:
        return 0
    scorer = args.scorer or os.path.join(os.path.dirname(args.qrels), "evaluate.py")

    queries = {}
    for cols in rows:
        if len(cols) >= 2:
            queries.setdefault(cols[0], cols[1])

    with tempfile.TemporaryDirectory() as tmp:
        index = fresh_index(args.lanzsearch, args.corpus, tmp)
        run_path = args.run or os.path.join(tmp, "run.tsv")
        with open(run_path, "w", encoding="utf-8") as run:
            for qid, query in queries.items():
                p = subprocess.run([args.lanzsearch, "search", "--json", "-n", "10", "--index",
                                    index] + args.extra + ["--", query],
                                   capture_output=True, text=True)
                if p.returncode not in (0, 1):
                    print(f"eval: {qid} {query!r}: {p.stderr.strip()}", file=sys.stderr)
                    continue
                for hit in json.loads(p.stdout)["hits"]:
                    first, last = hit["lines"]
                    run.write(f"{qid}\t{hit['rank']}\t{hit['path']}\t{first}\t{last}\n")
        cmd = [sys.executable, scorer, args.qrels, run_path]
        if args.per_query:
            cmd.append("--per-query")
        return subprocess.run(cmd).returncode


if __name__ == "__main__":
    sys.exit(main())
