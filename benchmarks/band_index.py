"""CPU time and peak array memory of keeping a first build's band hashes
(:mod:`index.build.bands`) against the single sorted array re-sorted every 4,096
documents that it replaced, for random bands of N documents:

    .venv/bin/python benchmarks/band_index.py --docs 100000,200000,400000
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from index.build.bands import BandIndex  # noqa: E402

PENDING, BANDS = 4096, 16


def resorted(bands: np.ndarray) -> None:
    """The replaced scheme: the latest rows' bands in a dict, and every PENDING rows all
    band hashes concatenated and re-sorted."""
    keys, rows = np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    new: dict[int, list[int]] = {}
    pending: list[tuple[int, np.ndarray]] = []
    for row, hashes in enumerate(bands):
        for band in hashes.tolist():
            new.setdefault(band, []).append(row)
        pending.append((row, hashes))
        if len(pending) >= PENDING:
            new_rows = np.repeat(np.array([r for r, _ in pending], dtype=np.int64), BANDS)
            keys = np.concatenate([keys, np.concatenate([b for _, b in pending])])
            rows = np.concatenate([rows, new_rows])
            order = np.argsort(keys, kind="stable")
            keys, rows = keys[order], rows[order]
            new.clear()
            pending.clear()


def runs(bands: np.ndarray) -> None:
    index = BandIndex(PENDING)
    for row, hashes in enumerate(bands):
        index.add(row, hashes)


def measure(how, bands: np.ndarray) -> dict:
    """CPU seconds of a plain run, then the peak of traced memory of a second run
    (tracing slows the first's Python loop several times)."""
    started = time.process_time()
    how(bands)
    cpu = time.process_time() - started
    tracemalloc.start()
    how(bands)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"cpu_s": round(cpu, 1), "peak_mb": round(peak / 2**20)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", default="100000,200000")
    args = parser.parse_args()
    draw = np.random.default_rng(1)
    for docs in (int(n) for n in args.docs.split(",")):
        bands = draw.integers(0, 2**63, size=(docs, BANDS), dtype=np.uint64)
        print(json.dumps({"docs": docs, "runs": measure(runs, bands), "resorted": measure(resorted, bands)}), flush=True)


if __name__ == "__main__":
    main()
