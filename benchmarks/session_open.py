"""What opening a writing session on a kept index costs, stage by stage: the per-document
state an ``index add`` builds before its first record (benchmarks/README.md, "Scale to 1M").

Reads the live generation's manifest and copy finder, never writes: the manifest's JSON,
its file holders (:class:`index.build.holders.Holders`), its body keys
(:class:`index.build.bodies.BodyKeys`) and the copy finder
(:meth:`index.build.copies.CopyFinder.load`), CPU seconds of this process each. The code
timed is the one this interpreter imports: run it with ``PYTHONPATH`` on another tree to
time that tree's::

    .venv/bin/python benchmarks/session_open.py --index /tmp/lead/scale/ours-1000000
    PYTHONPATH=/work/other .venv/bin/python benchmarks/session_open.py --index /tmp/lead/scale/ours-1000000
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import index.build.numbering
from index.build.bodies import BodyKeys
from index.build.copies import CopyFinder
from index.build.holders import Holders


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="an index folder (one shard)")
    args = parser.parse_args()
    gen = args.index / (args.index / "CURRENT").read_text().strip()
    stages = {}
    start = time.process_time()
    manifest = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
    stages["manifest JSON"] = time.process_time() - start
    for name, open_stage in [
        ("holders", lambda: Holders.of_files(manifest["files"])),
        ("body keys", lambda: BodyKeys(manifest.get("bodies"))),
        ("copy finder", lambda: CopyFinder.load([gen / "copies.npz"])),
    ]:
        start = time.process_time()
        open_stage()
        stages[name] = time.process_time() - start
    print(json.dumps({"code": str(Path(index.build.numbering.__file__).parent), "cpu_s": {k: round(v, 2) for k, v in stages.items()},
                      "total_cpu_s": round(sum(stages.values()), 2)}))


if __name__ == "__main__":
    main()
