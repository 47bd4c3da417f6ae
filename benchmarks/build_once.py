"""One full build by the CLI: wall time, CPU of all its processes, summed peak RSS, size.

What ``benchmarks/speed.py`` measures for our build, without the peers and the queries,
for trying a change of the writer on the whole corpus:

    .venv/bin/python benchmarks/build_once.py --index /work/b/ours [--limit 10000]
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import folder_mb, run  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared/corpus/saudinewsnet/articles.jsonl.gz"
SEARCH = Path(sys.executable).with_name("search")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--index", type=Path, required=True, help="removed first if it exists")
    parser.add_argument("--limit", type=int, default=None, help="first N articles only")
    args = parser.parse_args()
    shutil.rmtree(args.index, ignore_errors=True)
    with tempfile.TemporaryDirectory() as work:
        corpus = args.corpus
        if args.limit:
            corpus = Path(work) / "sample.jsonl"
            with gzip.open(args.corpus, "rt", encoding="utf-8") as source, open(corpus, "w", encoding="utf-8") as out:
                out.writelines(itertools.islice(source, args.limit))
        result = run([str(SEARCH), "index", "add", str(corpus), "--index", str(args.index)])
    if result.returncode:
        sys.exit(result.stderr)
    summary = {
        "wall_s": round(result.wall_s, 1), "cpu_s": round(result.cpu_s, 1),
        "peak_rss_mb": round(result.peak_rss_mb), "size_mb": round(folder_mb(args.index), 1),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
