"""Where a build's memory goes: peak RSS of each process of ``search index add`` over time.

``benchmarks/speed.py`` reports the peak of the whole tree's summed RSS; this script
also keeps each process's own peak (the parent, the writer workers, the signer) and
the tree's summed PSS (shared pages counted once), so a change of one part's budget
can be checked against that part. The corpus is SaudiNewsNet repeated under new ids,
as ``speed.py --scale`` makes it:

    .venv/bin/python benchmarks/build_memory.py --docs 30000,60000 [--memory 1GB]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from measure import _children, _rss_kb, folder_mb, proc_kb, run  # noqa: E402
from speed import DEFAULT_CORPUS as CORPUS, search_command, write_jsonl  # noqa: E402

from index.ingest.files import Record, read_file  # noqa: E402


def _pss_kb(pid: int) -> int:
    return proc_kb(pid, "smaps_rollup", "Pss:")


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants, in the order they were found (children by pid)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop(0)
        found.append(current)
        todo += sorted(_children(current))
    return found


def command(source: Path | None) -> list[str]:
    """``search``, or the CLI of the code in ``source`` (another commit's files, for
    paired before/after runs with this checkout's environment)."""
    if source is None:
        return search_command()
    prelude = f"import sys; sys.path.insert(0, {str(source)!r}); sys.argv[0] = 'search'; import cli; cli.main()"
    return [sys.executable, "-c", prelude]


def build(corpus: Path, index: Path, extra: list[str], interval: float, timeline: Path | None = None,
          source: Path | None = None) -> dict:
    """One ``search index add``: wall, CPU, peak summed RSS/PSS, each process's peak RSS."""
    shutil.rmtree(index, ignore_errors=True)
    peaks: dict[int, int] = {}
    peak_rss = peak_pss = 0
    log = open(timeline, "w") if timeline else None

    def watch(root: int, seconds: float) -> None:
        nonlocal peak_rss, peak_pss
        rss = pss = 0
        row = []
        for pid in _tree(root):
            kb = _rss_kb(pid)
            peaks[pid] = max(peaks.get(pid, 0), kb)
            rss += kb
            pss += _pss_kb(pid)
            row.append(kb // 1024)
        peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
        if log:  # seconds, summed MB, then each process's MB
            print(f"{seconds:.1f} {rss // 1024} {' '.join(map(str, row))}", file=log)

    done = run(command(source) + ["index", "add", str(corpus), "--index", str(index), *extra],
               watch=watch, interval=interval)
    if log:
        log.close()
    if done.returncode:
        sys.exit(done.stderr[-2000:])
    err = done.stderr
    return {
        "wall_s": round(done.wall_s, 1),
        "cpu_s": round(done.cpu_s, 1),
        "peak_rss_mb": round(peak_rss / 1024), "peak_pss_mb": round(peak_pss / 1024),
        # The parent first, then its children in order of birth (pids ascend): the
        # writer workers, then the signer.
        "process_peaks_mb": [round(peaks[p] / 1024) for p in sorted(peaks)],
        "index_mb": round(folder_mb(index), 1),
        "segments": len(list(index.rglob("*.seg"))),
        "summary": err.strip().splitlines()[-1] if err.strip() else "",
        "warnings": [line for line in err.splitlines() if "--memory" in line],  # the build outgrew its setting
        "load": os.getloadavg()[0],
    }


def scale_corpus(pattern: str, size: int, work: Path) -> Path:
    """The scale corpus of ``size`` articles: its own file, else the first ``size`` lines
    of the smallest larger one (copied into ``work``)."""
    own = Path(pattern.format(size))
    if own.exists():
        return own
    larger = sorted((int(p.stem.rsplit("-", 1)[-1]), p) for p in own.parent.glob(Path(pattern.format("*")).name))
    source = next(p for n, p in larger if n > size)
    cut = work / f"scale-{size}.jsonl"
    if not cut.exists():
        with open(source, encoding="utf-8") as lines, open(cut, "w", encoding="utf-8") as out:
            out.writelines(itertools.islice(lines, size))
    return cut


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", default="30000", help="comma-separated document counts")
    parser.add_argument("--work", type=Path, default=Path("/tmp/build-memory"))
    parser.add_argument("--memory", default=None, help="passed as --memory to search index add")
    parser.add_argument("--timeline", action="store_true", help="write each sample to WORK/timeline-N.txt")
    parser.add_argument("--source", type=Path, default=None, help="run the CLI of the code in this folder (e.g. git archive of main)")
    parser.add_argument("--corpus", default=None, help=(
        "articles of benchmarks/scale_corpus.py instead: a path with {} for the size (e.g. /tmp/scale/scale-{}.jsonl); "
        "a size without its file takes the first lines of a larger one"))
    parser.add_argument("--interval", type=float, default=0.05, help="seconds between samples")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    records = [] if args.corpus else [r for r in read_file(CORPUS) if isinstance(r, Record)]
    extra = ["--memory", args.memory] if args.memory else []
    for size in (int(n) for n in args.docs.split(",")):
        corpus = scale_corpus(args.corpus, size, args.work) if args.corpus else args.work / f"corpus-{size}.jsonl"
        if not corpus.exists():
            write_jsonl(records, corpus, size)
        row = build(corpus, args.work / f"index-{size}", extra, args.interval,
                    args.work / f"timeline-{size}.txt" if args.timeline else None, args.source)
        print(json.dumps({"docs": size, "memory": args.memory, "source": str(args.source or "."), **row}), flush=True)
        shutil.rmtree(args.work / f"index-{size}", ignore_errors=True)


if __name__ == "__main__":
    main()
