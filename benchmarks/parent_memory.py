"""What a first build's parent process holds per document and per word form.

Builds a corpus with ``search index add`` in this process and, just before the session
commits (every document read, the workers still holding their last postings), walks the
parent's structures that grow with the collection: the session's duplicate and manifest
state (:class:`index.build.batch.Batch`), the copy finder (:mod:`index.build.copies`) and
the parallel writer's word-form numbering (:mod:`index.whoosh_ext.parallel`). Each
object is counted once, in the structure listed first that reaches it (a document id
shared by several structures is counted in the first). Prints one JSON line:

    .venv/bin/python benchmarks/parent_memory.py /tmp/x1/scale/scale-30000.jsonl --index /tmp/pm/ix
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cli  # noqa: E402
from index.build import batch as batch_module  # noqa: E402

_CONTAINERS = (dict, list, tuple, set, frozenset)


def deep_size(root: object, seen: set[int]) -> int:
    """Bytes of ``root`` and what it reaches through containers, objects not in ``seen``."""
    total, todo = 0, [root]
    while todo:
        obj = todo.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        total += sys.getsizeof(obj)
        if isinstance(obj, np.ndarray) and obj.base is not None:
            todo.append(obj.base)
        elif isinstance(obj, dict):
            todo += obj.keys()
            todo += obj.values()
        elif isinstance(obj, _CONTAINERS):
            todo += obj
        elif hasattr(obj, "__dict__") and not isinstance(obj, type):
            todo.append(vars(obj))
    return total


def _parallel_writers(batch) -> list:
    return [shard.writer for shard in batch.shards if hasattr(shard.writer, "numbers")]


def parts(batch) -> dict[str, object]:
    """The structures measured, in the order their objects are attributed."""
    writers = _parallel_writers(batch)
    found: dict[str, object] = {
        "refs": getattr(batch, "refs", None),
        "bodies": batch.bodies,
        "written": batch.written,
        "manifest files": batch.manifest["files"],
        **{f"copies.{name}": value for name, value in vars(batch.copies).items()},
        "word numbers": [w.numbers for w in writers],
        "word terms": [w.terms for w in writers],
    }
    return {name: value for name, value in found.items() if value is not None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--index", type=Path, default=Path("/tmp/parent-memory"))
    args = parser.parse_args()
    shutil.rmtree(args.index, ignore_errors=True)
    sizes: dict[str, int] = {}
    counts: dict[str, int] = {}
    commit = batch_module.Batch.commit

    def measured(self) -> None:
        seen: set[int] = set()
        for name, value in parts(self).items():
            sizes[name] = deep_size(value, seen)
        writers = _parallel_writers(self)
        counts["documents"] = len(self.written)
        counts["word forms"] = sum(len(w.numbers) for w in writers)
        counts["parent_rss_mb_before_commit"] = _rss_mb()
        commit(self)

    batch_module.Batch.commit = measured
    try:
        cli.app(["index", "add", str(args.corpus), "--index", str(args.index)], standalone_mode=False)
    finally:
        batch_module.Batch.commit = commit
        shutil.rmtree(args.index, ignore_errors=True)
    docs, forms = counts["documents"], counts["word forms"]
    row = {**counts, "parent_peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}
    for name, size in sizes.items():
        per = forms if name.startswith("word") else docs
        row[name] = {"mb": round(size / 2**20, 1), "bytes_per": round(size / max(per, 1))}
    print(json.dumps(row, ensure_ascii=False), flush=True)


def _rss_mb() -> int:
    return int(Path("/proc/self/statm").read_text().split()[1]) * 4096 // 2**20


if __name__ == "__main__":
    main()
