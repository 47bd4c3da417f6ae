"""Which process of a command is busy when: CPU per process, sampled from /proc.

Why: a build runs a parent, two writer workers and a signer; its wall time is decided by
which of them waits for which (benchmarks/README.md, "Small builds"). This runs a
command, samples every descendant's CPU ticks every ``--interval`` seconds and prints,
per process, its CPU seconds, when it lived and one character per ``--bucket`` seconds
for the share of a core it used then (" " idle … "@" a whole core). Linux only.

    .venv/bin/python benchmarks/process_timeline.py -- .venv/bin/search index add 6k.jsonl --index /tmp/ix
"""

from __future__ import annotations

import argparse
import os
import subprocess
import time
from pathlib import Path

#: A core's share, from idle to whole, in ten steps.
SHADES = " .:-=+*#%@"
TICKS = os.sysconf("SC_CLK_TCK")


def _stats() -> dict[int, tuple[int, int]]:
    """Every process: pid → (parent pid, CPU ticks used, user and system)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        fields = text[text.rfind(")") + 2 :].split()
        found[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    return found


def _descendants(root: int, stats: dict[int, tuple[int, int]]) -> list[int]:
    tree, grew = {root}, True
    while grew:
        grew = False
        for pid, (parent, _) in stats.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return sorted(tree & stats.keys())


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ").strip()
    except OSError:
        return "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interval", type=float, default=0.1, help="seconds between samples")
    parser.add_argument("--bucket", type=float, default=0.5, help="seconds per character of the timeline")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command, after --")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    start = time.monotonic()
    child = subprocess.Popen(command)
    samples: dict[int, list[tuple[float, int]]] = {}
    names: dict[int, str] = {}
    while child.poll() is None:
        now = time.monotonic() - start
        stats = _stats()
        for pid in _descendants(child.pid, stats):
            samples.setdefault(pid, []).append((now, stats[pid][1]))
            names.setdefault(pid, _command_line(pid))
        time.sleep(args.interval)
    print(f"wall {time.monotonic() - start:.2f} s, exit {child.returncode}")
    for pid, points in samples.items():
        used = [0.0] * (int(points[-1][0] / args.bucket) + 1)
        for (_, before), (at, after) in zip(points, points[1:]):
            used[int(at / args.bucket)] += (after - before) / TICKS
        line = "".join(SHADES[min(9, int(9.99 * u / args.bucket))] for u in used)
        print(f"{pid:>7} {points[-1][1] / TICKS:6.2f} CPU-s {points[0][0]:5.1f}–{points[-1][0]:5.1f} s |{line}| {names[pid][:48]}")


if __name__ == "__main__":
    main()
