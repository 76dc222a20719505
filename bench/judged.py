"""What bench/eval.py and bench/similar.py share: their common options (the lanzsearch binary,
the judgments, the corpus), reading the judgments, and a fresh index of the corpus."""
import argparse
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def arguments(doc):
    """An argument parser with --lanzsearch, --qrels, --corpus and --per-query."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--lanzsearch", default=os.path.join(ROOT, "build", "lanzsearch"))
    ap.add_argument("--qrels", default=os.path.join(ROOT, "..", "shared", "eval", "dev-qrels.tsv"))
    ap.add_argument("--corpus", default=os.path.join(ROOT, "corpus"))
    ap.add_argument("--per-query", action="store_true")
    return ap


def judgments(path, who):
    """The rows of a qrels file (its columns as strings, header left out), or None, said on
    stderr, when there is no such file (they live in ../shared/eval beside a checkout)."""
    if not os.path.exists(path):
        print(f"{who}: no judgments at {path} (they live in ../shared/eval beside a "
              "checkout); nothing to score", file=sys.stderr)
        return None
    with open(path, encoding="utf-8") as f:
        next(f)
        return [line.rstrip("\n").split("\t") for line in f]


def fresh_index(lanzsearch, corpus, tmp):
    """Index the corpus into tmp/index with the real CLI; returns the index's folder."""
    index = os.path.join(tmp, "index")
    subprocess.run([lanzsearch, "index", "-q", "--index", index, corpus], check=True)
    return index
