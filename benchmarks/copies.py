"""Syndicated copies on SaudiNewsNet: how many stories, how large, a sample to check by eye,
and what collapsing costs a query.

    .venv/bin/python benchmarks/copies.py                       # clusters and the sample
    .venv/bin/python benchmarks/copies.py --index /tmp/ix        # also query latency on a built index

Stories are found as ``index add`` finds them (:class:`index.build.copies.CopyFinder`,
documents in corpus order). Besides the counts it reports, for every copy, the exact
Jaccard similarity of its shingles with the most similar earlier member of its story (MinHash estimates
it; a copy whose best earlier member is below the threshold was let in by the
estimate's error), and among pairs of articles
with the same normalized headline within the date window, how many exact-Jaccard copies
ended in different stories (missed by the bands). Results: benchmarks/copies.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.analysis.normalize import normalize_text  # noqa: E402
from index.build.copies import CopyFinder, shingle_hashes  # noqa: E402
from index.ingest.duplicates import body_words  # noqa: E402

CORPUS = ROOT.parent / "shared/corpus/saudinewsnet/articles.jsonl.gz"
QUERIES = ROOT.parent / "shared/eval/news-known-item/queries-clean.jsonl"


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if value else None


def _jaccard(a, b) -> float:
    a, b = set(a.tolist()), set(b.tolist())
    return len(a & b) / len(a | b) if a | b else 0.0


def clusters(corpus: Path, sample: int, seed: int) -> dict:
    articles = [json.loads(line) for line in gzip.open(corpus, "rt", encoding="utf-8")]
    finder = CopyFinder()
    started = time.perf_counter()
    for a in articles:
        finder.assign(a["id"], a["body"], _day(a.get("date")))
    seconds = time.perf_counter() - started
    by_id = {a["id"]: a for a in articles}
    members: dict[str, list[str]] = defaultdict(list)
    for doc_id, story in zip(finder.ids, finder.stories):
        members[story].append(doc_id)
    shared = {k: v for k, v in members.items() if len(v) > 1}
    sizes = Counter(len(v) for v in shared.values())
    settings = finder.settings
    shingles = {}

    def sh(doc_id: str):
        if doc_id not in shingles:
            shingles[doc_id] = shingle_hashes(body_words(by_id[doc_id]["body"]), settings.shingle)
        return shingles[doc_id]

    # A copy joins the story of its most similar earlier member, not always the first.
    exact = [max(_jaccard(sh(e), sh(d)) for e in v[:i]) for v in shared.values() for i, d in enumerate(v) if i]
    # Misses: same headline, dated within the window, exact Jaccard at the threshold, apart.
    heads = defaultdict(list)
    for a in articles:
        if a.get("title"):
            heads[normalize_text(a["title"]).strip()].append(a["id"])
    story_of = dict(zip(finder.ids, finder.stories))
    pairs = missed = 0
    for ids in heads.values():
        for i, x in enumerate(ids):
            for y in ids[i + 1:]:
                dx, dy = _day(by_id[x].get("date")), _day(by_id[y].get("date"))
                if dx and dy and abs((dx - dy).days) > settings.max_days:
                    continue
                if len(sh(x)) < 21 or len(sh(y)) < 21 or _jaccard(sh(x), sh(y)) < settings.threshold:
                    continue
                pairs += 1
                missed += story_of[x] != story_of[y]
    rng = random.Random(seed)
    picked = rng.sample(sorted(shared), min(sample, len(shared)))
    return {
        "articles": len(articles),
        # Texts too short to compare have no signature: each is a story of its own.
        "stories": len(members) + len(articles) - len(finder.ids),
        "too_short_to_compare": len(articles) - len(finder.ids),
        "stories_with_copies": len(shared),
        "articles_in_them": sum(len(v) for v in shared.values()),
        "largest": sorted((len(v) for v in shared.values()), reverse=True)[:10],
        "sizes": dict(sorted(sizes.items())),
        "seconds": round(seconds, 1),
        "ms_per_article": round(1000 * seconds / len(articles), 2),
        "copies_exact_jaccard_below_threshold": sum(j < settings.threshold for j in exact),
        "copies_exact_jaccard_median": round(statistics.median(exact), 3) if exact else None,
        "same_headline_pairs_at_threshold": pairs,
        "same_headline_pairs_missed": missed,
        "sample": [
            [{"id": d, "source": by_id[d].get("source"), "date": by_id[d].get("date"), "title": by_id[d].get("title"),
              "jaccard_with_first": round(_jaccard(sh(shared[k][0]), sh(d)), 3), "start": by_id[d]["body"][:160]}
             for d in shared[k]]
            for k in picked
        ],
    }


def latency(index: Path, queries: Path, count: int) -> dict:
    from search import SearchIndex

    texts = [json.loads(line)["text"] for line in open(queries, encoding="utf-8")][:count]
    out = {}
    with SearchIndex(index) as ix:
        started = time.perf_counter()
        ix.query(texts[0])
        out["first_query_ms"] = round(1000 * (time.perf_counter() - started), 1)
        for collapse in (False, True, False, True):  # twice each, interleaved: the machine is shared
            times, stories, documents = [], 0, 0
            for text in texts:
                started = time.perf_counter()
                results = ix.query(text, collapse=collapse)
                times.append(1000 * (time.perf_counter() - started))
                stories += sum(1 for h in results.hits if h.copies)
                documents += len(results.hits) + sum(len(h.copies) for h in results.hits)
            times.sort()
            key = "collapse" if collapse else "no_collapse"
            out.setdefault(key, []).append({
                "median_ms": round(statistics.median(times), 2), "p90_ms": round(times[int(0.9 * len(times))], 2),
                "hits_with_copies": stories, "documents_shown": documents,
            })
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--sample", type=int, default=20)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--index", type=Path, help="a built index of the corpus: also measure query latency")
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--count", type=int, default=400)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out" / "copies.json")
    args = parser.parse_args()
    if not args.corpus.exists():
        sys.exit(f"no corpus at {args.corpus}: this benchmark needs ../shared")
    report = clusters(args.corpus, args.sample, args.seed)
    if args.index:
        report["latency"] = latency(args.index, args.queries, args.count)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    summary = {k: v for k, v in report.items() if k != "sample"}
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    print(f"sample of {len(report['sample'])} stories with copies in {args.out}")


if __name__ == "__main__":
    main()
