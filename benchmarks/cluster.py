"""Cluster benchmark: one machine against a Dask cluster of 2 workers, in one run.

Builds the same articles twice: ``search index add`` on one machine (one index, the
usual two-process build) and ``search index add --shards 3 --cluster`` on a cluster
started here as a user would (``dask scheduler`` and two ``dask worker`` processes,
one thread each, on 127.0.0.1); then asks both the same fixed-seed two-word title
queries as speed.py (top 10 with snippets), checks the answers agree, and measures
what the fan-out costs: rounds per query and the latency of one empty round.

Usage (from the repository root, in the project's virtualenv, with the cluster extra)::

    python benchmarks/cluster.py                 # the 30k SaudiNewsNet corpus
    python benchmarks/cluster.py --limit 3000    # a quick smoke run
    python benchmarks/cluster.py --work DIR --reuse   # queries only, on the indexes DIR holds

Prints a Markdown table and writes ``benchmarks/out/cluster.json`` (with the load
average before and after: the machine is shared).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import measure  # noqa: E402
import peers  # noqa: E402
import speed  # noqa: E402

from search import SearchIndex  # noqa: E402

OUT = speed.OUT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_cluster(workers: int, logs: Path) -> tuple[str, list[subprocess.Popen]]:
    """``dask scheduler`` and ``workers`` × ``dask worker`` as separate processes."""
    dask = str(Path(sys.executable).parent / "dask")
    address = f"tcp://127.0.0.1:{free_port()}"
    port = address.rsplit(":", 1)[1]
    procs = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"],
                              stdout=open(logs / "scheduler.log", "w"), stderr=subprocess.STDOUT)]
    time.sleep(3)
    for n in range(workers):
        procs.append(subprocess.Popen([dask, "worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard"],
                                      stdout=open(logs / f"worker-{n}.log", "w"), stderr=subprocess.STDOUT))
    from distributed import Client

    with Client(address, timeout=30) as client:
        client.wait_for_workers(workers, timeout=60)
    return address, procs


def cpu_seconds(procs: list[subprocess.Popen]) -> float:
    """CPU time so far of the cluster's processes (psutil comes with distributed)."""
    import psutil

    total = 0.0
    for proc in procs:
        times = psutil.Process(proc.pid).cpu_times()
        total += times.user + times.system
    return total


def fan_out(ix: SearchIndex, queries: list[str]) -> dict:
    """Rounds per query (calls that go to every shard) and the latency of an empty round."""
    ix.query(queries[0])
    shards = ix.cluster.coordinator.shards
    calls = []
    original = shards.call

    def counted(method, args):
        calls.append(method)
        return original(method, args)

    shards.call = counted
    for text in queries:
        ix.query(text)
    shards.call = original
    per_method = {m: round(calls.count(m) / len(queries), 2) for m in sorted(set(calls))}
    times = []
    for _ in range(100):
        start = time.perf_counter()
        shards.call("state", {k: () for k in shards.live()})
        times.append((time.perf_counter() - start) * 1000)
    return {
        "rounds_per_query": round(len(calls) / len(queries), 2),
        "rounds_by_kind": per_method,
        "empty_round_p50_ms": round(measure.percentile(times, 50), 2),
        "empty_round_p95_ms": round(measure.percentile(times, 95), 2),
    }


def _tied(hits) -> list[set[str]]:
    """Ids grouped by equal score in rank order (their order within a group follows
    document numbers, i.e. how documents were spread over segments and shards)."""
    groups: list[tuple[float, set[str]]] = []
    for hit in hits:
        if groups and abs(groups[-1][0] - hit.score) <= 1e-6:
            groups[-1][1].add(hit.id)
        else:
            groups.append((hit.score, {hit.id}))
    return [ids for _, ids in groups]


def agreement(one: SearchIndex, cluster: SearchIndex, queries: list[str], collapse: bool) -> dict:
    """How many queries get the same top 10: ids in order, and ties aside (equal scores
    in order, the same ids in each group of equal scores but the one the page's end cuts);
    and the largest score difference at equal ranks."""
    same = ties_aside = 0
    worst = 0.0
    for text in queries:
        a, b = one.query(text, limit=10, collapse=collapse), cluster.query(text, limit=10, collapse=collapse)
        same += [h.id for h in a.hits] == [h.id for h in b.hits]
        scores_equal = all(abs(x.score - y.score) <= 1e-6 for x, y in zip(a.hits, b.hits)) and len(a.hits) == len(b.hits)
        ties_aside += scores_equal and _tied(a.hits)[:-1] == _tied(b.hits)[:-1]
        worst = max([worst] + [abs(x.score - y.score) for x, y in zip(a.hits, b.hits)])
    return {"same_top10": same, "same_top10_ties_aside": ties_aside, "queries": len(queries), "max_score_diff": worst}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=speed.DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=0, help="articles (0: all)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--shards", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--work", type=Path, default=None, help="keep the indexes here")
    parser.add_argument("--reuse", action="store_true", help="queries only, on the indexes --work holds")
    args = parser.parse_args()

    records = peers.records(args.corpus)
    if args.limit:
        records = records[: args.limit]
    work = args.work or Path(tempfile.mkdtemp(prefix="cluster-bench-"))
    queries = speed.make_queries(records, args.queries, seed=11)
    results: dict = {"machine": speed.machine(), "documents": len(records), "shards": args.shards,
                     "workers": args.workers, "load_before": os.getloadavg()}
    if args.reuse:
        results.update({k: v for k, v in json.loads((OUT / "cluster.json").read_text()).items() if k.endswith("_build")})
    else:
        shutil.rmtree(work / "one", ignore_errors=True)
        shutil.rmtree(work / "sharded", ignore_errors=True)
        work.mkdir(parents=True, exist_ok=True)
        corpus = speed.write_jsonl(records, work / "articles.jsonl", len(records))
        local = measure.run([*speed.search_command(), "index", "add", str(corpus), "--index", str(work / "one")])
        assert local.returncode == 0, local.stderr
        results["one_machine_build"] = {"wall_s": round(local.wall_s, 1), "cpu_s": round(local.cpu_s, 1)}

    address, procs = start_cluster(args.workers, work)
    try:
        if not args.reuse:
            before = cpu_seconds(procs)
            built = measure.run([*speed.search_command(), "index", "add", str(corpus), "--index",
                                 str(work / "sharded"), "--shards", str(args.shards), "--cluster", address])
            assert built.returncode == 0, built.stderr
            results["cluster_build"] = {"wall_s": round(built.wall_s, 1), "client_cpu_s": round(built.cpu_s, 1),
                                        "workers_cpu_s": round(cpu_seconds(procs) - before, 1)}
        one = SearchIndex(work / "one")
        cluster = SearchIndex(work / "sharded", cluster=address)
        results["one_machine_query"] = speed.latencies(speed.ours_query(work / "one"), queries)
        results["cluster_query"] = speed.latencies(lambda text: cluster.query(text, limit=10), queries)
        results["fan_out"] = fan_out(cluster, speed.make_queries(records, 50, seed=12))  # new words
        results["agreement"] = agreement(one, cluster, queries, collapse=False)
        results["agreement_collapsed"] = agreement(one, cluster, queries, collapse=True)
        cluster.close()
    finally:
        for proc in reversed(procs):
            proc.kill()
    results["load_after"] = os.getloadavg()
    OUT.mkdir(exist_ok=True)
    (OUT / "cluster.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(table(results))


def table(r: dict) -> str:
    one, clu = r["one_machine_query"], r["cluster_query"]
    lines = [
        f"{r['documents']} documents, {r['shards']} shards, {r['workers']} workers; "
        f"load {r['load_before'][0]:.1f} before, {r['load_after'][0]:.1f} after",
        "",
        "| | build wall | build CPU | query p50 | query p95 |",
        "|---|---|---|---|---|",
        f"| one machine | {r['one_machine_build']['wall_s']} s | {r['one_machine_build']['cpu_s']} s "
        f"| {one['p50_ms']} ms | {one['p95_ms']} ms |",
        f"| cluster | {r['cluster_build']['wall_s']} s | {r['cluster_build']['workers_cpu_s']} s workers + "
        f"{r['cluster_build']['client_cpu_s']} s client | {clu['p50_ms']} ms | {clu['p95_ms']} ms |",
        "",
        f"fan-out: {r['fan_out']['rounds_per_query']} rounds per query, an empty round "
        f"{r['fan_out']['empty_round_p50_ms']} ms p50 / {r['fan_out']['empty_round_p95_ms']} ms p95; "
        f"same top 10 (every copy listed): {r['agreement']['same_top10']}/{r['agreement']['queries']} in order, "
        f"{r['agreement']['same_top10_ties_aside']} ties aside, "
        f"largest score difference {r['agreement']['max_score_diff']:.2e}; copies collapsed: "
        f"{r['agreement_collapsed']['same_top10']}/{r['agreement_collapsed']['queries']}",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
