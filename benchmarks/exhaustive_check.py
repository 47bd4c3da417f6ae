"""Same top 10 with and without skipping the documents that cannot reach it (issue 16).

Why: a keyword query's tier of more than ``search.rank.ceiling.WHOLE_UP_TO`` documents is
ranked from the documents that can reach its top (:mod:`search.rank.ceiling`); the issue
asks for the same top 10 as exhaustive scoring. This runs news-known-item queries on one
index twice, each in a fresh process: as shipped, and with that threshold past any tier
(every tier scored whole), and compares the hit ids, their order and their scores
(rounded to 6 decimals). The threshold is a module constant, not a ranking setting: no
result may depend on it, which is what this checks.

    .venv/bin/python benchmarks/exhaustive_check.py --index /tmp/scale/ours-1000000
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT.parent / "shared" / "eval" / "news-known-item" / "queries-clean.jsonl"


def top10(index: Path, queries: list[str], exhaustive: bool) -> dict[str, list]:
    """Each query's top 10 as (id, score), from a child process."""
    code = (
        "import json, sys\n"
        "from search import SearchIndex\n"
        "from search.rank import ceiling\n"
        f"if {exhaustive}: ceiling.WHOLE_UP_TO = 1 << 62\n"
        "queries = json.load(sys.stdin)\n"
        f"with SearchIndex({str(index)!r}) as ix:\n"
        "    json.dump({t: [(d, round(s, 6)) for d, s in ix.ranked(t, limit=10)[1]] for t in queries}, sys.stdout)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], input=json.dumps(queries), capture_output=True, text=True,
                          check=True, cwd=ROOT)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--queries", type=int, default=200, help="every fourth clean query, up to this many")
    args = parser.parse_args()
    with open(QUERIES, encoding="utf-8") as lines:
        queries = [json.loads(line)["text"] for line in lines][::4][: args.queries]
    shipped, whole = top10(args.index, queries, False), top10(args.index, queries, True)
    differ = [text for text in queries if shipped[text] != whole[text]]
    print(f"{len(queries)} queries, {len(differ)} with another top 10 than exhaustive scoring")
    for text in differ[:10]:
        print(f"  {text}: {shipped[text][:3]} … against {whole[text][:3]} …")


if __name__ == "__main__":
    main()
