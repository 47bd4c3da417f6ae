"""Measuring a command: wall time, CPU time and the peak memory of its process tree.

Peak RSS is sampled (every 50 ms) as the SUM over the process and all its
descendants, because Whoosh's multiprocess writer spreads a build over several
processes and the largest one alone would flatter it.
"""

from __future__ import annotations

import os
import platform
import resource
import statistics
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Run:
    """What one command cost."""

    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    returncode: int
    stdout: str
    stderr: str


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def proc_kb(pid: int, file: str, field: str) -> int:
    """A kB figure of ``/proc/PID/FILE`` (``status``'s ``VmRSS:``, ``smaps_rollup``'s
    ``Pss:``); 0 once the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/{file}").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _rss_kb(pid: int) -> int:
    return proc_kb(pid, "status", "VmRSS:")


def tree_rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and every descendant, in MB."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += _rss_kb(current)
        todo += _children(current)
    return total / 1024


def run(cmd: list[str], env: dict | None = None, cwd: str | None = None,
        watch: Callable[[int, float], None] | None = None, interval: float = 0.05) -> Run:
    """Run ``cmd`` to completion, sampling its process tree's memory every ``interval``
    seconds; ``watch(pid, seconds since start)`` is called at each sample too, for a
    caller that records more than the peak."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, **(env or {})}, cwd=cwd,
    )
    peak = 0.0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_mb(proc.pid))
            if watch is not None:
                watch(proc.pid, time.perf_counter() - start)
            done.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(wall, cpu, peak, proc.returncode, out, err)


def folder_mb(path: Path) -> float:
    """Bytes of every file under ``path``, in MB (10^6)."""
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file()) / 1e6


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0–100) by linear interpolation."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def machine() -> dict:
    """CPUs, their model and Python: the machine line of every speed report."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def md_table(columns: list[str], rows: list[list]) -> list[str]:
    """A Markdown table: the first column left-aligned, the figures right-aligned."""
    lines = ["| " + " | ".join(columns) + " |", "|---|" + "---:|" * (len(columns) - 1)]
    return lines + ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]


def latencies(run_query: Callable[[str], object], queries: list[str]) -> dict:
    """Wall and CPU milliseconds of ``run_query`` per query, after ten warm-up calls."""
    for text in queries[:10]:  # warm caches and the open searcher
        run_query(text)
    times, cpu = [], []
    for text in queries:
        start, start_cpu = time.perf_counter(), time.process_time()
        run_query(text)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return {
        "queries": len(times),
        "p50_ms": round(percentile(times, 50), 2),
        "p95_ms": round(percentile(times, 95), 2),
        "mean_ms": round(statistics.fmean(times), 2),
        # CPU time of this process: steadier than wall time on a shared machine.
        "cpu_p50_ms": round(percentile(cpu, 50), 2),
        "cpu_p95_ms": round(percentile(cpu, 95), 2),
    }
