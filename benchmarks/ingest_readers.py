"""How fast the readers turn files into records, and what the duplicate key costs.

Run: .venv/bin/python benchmarks/ingest_readers.py [../shared]
Measures, in one run: read_file over the SaudiNewsNet raw sample (.txt pages, full
boilerplate/date/source extraction) and over articles.jsonl.gz, and body_key over
the JSONL bodies; the peer for the page reader is the plain "first line is the title"
split the foundation used. Timings depend on machine load: rerun on a quiet machine.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from index.ingest.files import read_file
from index.ingest.duplicates import body_key


def timed(label: str, work) -> object:
    start = time.perf_counter()
    result = work()
    print(f"{label:<45} {time.perf_counter() - start:7.2f} s")
    return result


def main() -> None:
    shared = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared")
    raw = sorted((shared / "corpus" / "saudinewsnet" / "raw-sample").glob("*.txt"))
    jsonl = shared / "corpus" / "saudinewsnet" / "articles.jsonl.gz"
    list(read_file(raw[0]))  # imports
    timed(f"first-line split, {len(raw)} pages (peer)", lambda: [p.read_text().partition("\n") for p in raw])
    timed(f"read_file, {len(raw)} pages", lambda: [list(read_file(p)) for p in raw])
    records = timed("read_file, articles.jsonl.gz", lambda: list(read_file(jsonl)))
    keys = timed(f"body_key, {len(records)} bodies", lambda: [body_key(r.body) for r in records])
    print(f"distinct body keys: {len(set(keys))} of {len(keys)}")


if __name__ == "__main__":
    main()
