"""The merge of a build's segments alone (index/whoosh_ext/merge.py): time, CPU, peak memory, size.

Takes a built index (a store folder with ``CURRENT``, e.g. ``benchmarks/scale.py``'s
``ours-SIZE``), hard-links its live generation into ``--work`` (``cp -al``: the index
stays as it is; the merge writes new files and unlinks only the copy's), and merges
every segment of the copy into one in a child process, measured by
``measure.run`` (wall, CPU, the peak summed RSS sampled every 50 ms). Prints one JSON
line: segments and bytes per article before and after, the load average before and after.
``--first N`` merges only the first N segments (the documents they hold are printed):
the cost of merging many small segments, as a 1M build writes them, without merging all::

    .venv/bin/python benchmarks/merge_segments.py --index /tmp/x1/scale/ours-120000 --work /tmp/mg/merge
    .venv/bin/python benchmarks/merge_segments.py --index /tmp/x1/scale/ours-1000000 --work /tmp/mg/m1 --first 80

``--build CORPUS --docs N --segment-postings P`` first builds ``--index`` (when it does not
exist) from the first N articles of a JSONL file without the end merge, its workers
writing a segment every P postings: many small segments, as a large build writes them::

    .venv/bin/python benchmarks/merge_segments.py --index /tmp/mg/u60 --work /tmp/mg/merge \
        --build /tmp/x1/scale/scale-120000.jsonl --docs 60000 --segment-postings 500000
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import measure  # noqa: E402


def _generation(index: Path) -> Path:
    current = index / "CURRENT"
    return index / current.read_text().strip() if current.exists() else index


def _segments(folder: Path) -> tuple[int, int]:
    """(number of .seg files, their bytes)."""
    found = list(folder.glob("*.seg"))
    return len(found), sum(p.stat().st_size for p in found)


def child(folder: Path, first: int | None) -> None:
    from whoosh.writing import SegmentWriter

    from index.whoosh_ext.codec import SidecarCodec
    from index.whoosh_ext.mapped import MappedStorage
    from index.whoosh_ext.merge import merge_segments

    ix = MappedStorage(str(folder)).open_index()
    writer = SegmentWriter(ix, codec=SidecarCodec())
    segments = writer.segments
    chosen = segments[:first] if first else segments
    merged = merge_segments(ix.storage, ix.schema, ix.indexname, chosen,
                            lambda phase: print(phase, file=sys.stderr, flush=True))
    writer._close_segment()
    writer._commit_toc([merged] + segments[len(chosen):])
    writer._finish()
    print(json.dumps({"merged_segments": len(chosen), "merged_documents": merged.doc_count_all()}))


def build_unmerged(index: Path, corpus: Path, docs: int, segment_postings: int) -> None:
    """``index`` from the first ``docs`` articles of ``corpus``, its segments left unmerged."""
    import itertools
    import tempfile

    from index.build.limits import BuildSettings
    from search import SearchIndex

    with tempfile.TemporaryDirectory() as work:
        sample = Path(work) / "sample.jsonl"
        with open(corpus, encoding="utf-8") as source, open(sample, "w", encoding="utf-8") as out:
            out.writelines(itertools.islice(source, docs))
        settings = BuildSettings(merge_above=None, segment_postings=segment_postings)
        report = SearchIndex(index, build=settings).add([sample])
    print(json.dumps({"built": str(index), "added": report.added, "segments": _segments(_generation(index))[0]}), file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path)
    parser.add_argument("--work", type=Path)
    parser.add_argument("--first", type=int, help="merge only the first N segments")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--build", type=Path, help="JSONL corpus to build --index from first, unmerged")
    parser.add_argument("--docs", type=int, default=60000)
    parser.add_argument("--segment-postings", type=int, default=500000)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.first)
    if args.build and not args.index.exists():
        build_unmerged(args.index, args.build, args.docs, args.segment_postings)
    source = _generation(args.index)
    copy = args.work / "copy"
    shutil.rmtree(copy, ignore_errors=True)
    args.work.mkdir(parents=True, exist_ok=True)
    subprocess.run(["cp", "-al", str(source), str(copy)], check=True)
    segments_before, bytes_before = _segments(copy)
    load_before = os.getloadavg()
    run = measure.run([sys.executable, __file__, "--child", str(copy)] + (["--first", str(args.first)] if args.first else []))
    if run.returncode:
        sys.exit(run.stderr)
    segments_after, bytes_after = _segments(copy)
    manifest = json.loads((copy / "manifest.json").read_text()) if (copy / "manifest.json").exists() else {}
    articles = sum(len(entry["ids"]) for entry in manifest.get("files", {}).values()) or None
    print(json.dumps({
        "index": str(args.index), "articles": articles, **json.loads(run.stdout.strip().splitlines()[-1]),
        "segments": [segments_before, segments_after],
        "bytes_per_article": [round(b / articles) if articles else None for b in (bytes_before, bytes_after)],
        "wall_s": round(run.wall_s, 1), "cpu_s": round(run.cpu_s, 1), "peak_rss_mb": round(run.peak_rss_mb),
        "load_before": [round(x, 2) for x in load_before], "load_after": [round(x, 2) for x in os.getloadavg()],
    }))


if __name__ == "__main__":
    main()
