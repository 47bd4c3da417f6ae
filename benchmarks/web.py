"""How fast the web app renders a results page over the 29,899-article SaudiNewsNet index.

Target (issue 7): p95 <= 50 ms for a results page, server side. Each request goes
through FastAPI's in-process test client (routing, library query with facets, Jinja2
rendering; no network), so the time is an upper bound on the server's own work.

Peers measured in the same run, over the same queries:
  * ``library``          SearchIndex.query(limit=10) without facets
  * ``library+facets``   the same with facets=True (what the page needs)
  * ``template``         rendering the results page from a computed Results (Jinja2 only:
                         the web layer's own work, without the library and the test client)
  * ``api``              GET /api/search (JSON)
  * ``page``             GET /?q=… (the HTML results page)
  * ``page 2``           GET /?q=…&page=2
  * ``page+source``      GET /?q=…&source=<the query's biggest source>

Queries are not chosen by hand: the 10 words found in the most titles (the broadest
queries, the worst case for facets) and 40 two-word queries taken from titles drawn
at random with a fixed seed.

    python benchmarks/web.py                  # builds the index once in a temp folder
    python benchmarks/web.py --index DIR      # reuses an index built before
    python benchmarks/web.py --keep DIR       # builds into DIR (kept) unless it exists
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fastapi.testclient import TestClient  # noqa: E402

from search import SearchIndex  # noqa: E402
from search.query.parse import analyze_terms  # noqa: E402
from search.present.web import create_app, view  # noqa: E402
from search.present.web.app import _environment  # noqa: E402

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "saudinewsnet" / "articles.jsonl.gz"
TARGET_MS = 50.0


def queries(index: SearchIndex, seed: int = 7) -> list[str]:
    ix = index.store.open_index()
    with ix.searcher() as searcher:
        reader = searcher.reader()
        frequent = sorted(
            ((reader.doc_frequency("title", t), t.decode("utf-8")) for t in reader.lexicon("title")),
            reverse=True,
        )[:10]
        rng = random.Random(seed)
        numbers = rng.sample(range(searcher.doc_count_all()), min(200, searcher.doc_count_all()))
        titles = [searcher.stored_fields(n).get("title") or "" for n in numbers]
    # A term is a stem; search for a word of a title that analyzes to it.
    words_by_term: dict[str, str] = {}
    for title in titles:
        for word in title.split():
            for term in analyze_terms(word):
                words_by_term.setdefault(term, word)
    broad = [words_by_term.get(term, term) for _, term in frequent]
    pairs = []
    for title in titles:
        words = [w for w in title.split() if len(analyze_terms(w)) == 1 and len(w) > 3]
        if len(words) >= 2:
            pairs.append(" ".join(words[:2]))
        if len(pairs) == 40:
            break
    return broad + pairs


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def summary(name: str, ms: list[float]) -> str:
    ms = sorted(ms)
    p95 = ms[max(0, round(0.95 * len(ms)) - 1)]
    return f"{name:<16} n={len(ms):>4}  p50 {statistics.median(ms):7.1f} ms  p95 {p95:7.1f} ms  max {ms[-1]:7.1f} ms"


def main() -> None:
    warnings.simplefilter("ignore")
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, help="an index of the corpus built before")
    parser.add_argument("--keep", type=Path, help="build the index here (kept) if it does not exist")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per query and peer")
    args = parser.parse_args()

    location = args.index or args.keep or Path(tempfile.mkdtemp(prefix="web-bench-")) / "index"
    index = SearchIndex(location)
    if not index.exists():
        if args.index:
            sys.exit(f"no index at {location}")
        if not CORPUS.exists():
            sys.exit(f"{CORPUS} not found: this benchmark needs ../shared")
        print(f"building the index in {location} (once)…", file=sys.stderr)
        start = time.perf_counter()
        index.add([CORPUS])
        print(f"built in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    documents = index.stats().documents
    client = TestClient(create_app(index))
    qs = queries(index)
    print(f"index: {location} ({documents:,} documents); {len(qs)} queries × {args.runs} runs")

    # Warm up every query once (OS cache, stem memo, template compilation).
    biggest: dict[str, str] = {}
    for text in qs:
        data = client.get("/api/search", params={"q": text}).json()
        biggest[text] = next(iter(data["facets"]["sources"]), "")

    template = _environment().get_template("search.html")
    computed = {t: index.query(t, limit=view.PAGE_SIZE, facets=True) for t in qs}

    def render(text: str) -> str:
        request = view.Request(q=text)
        return template.render(req=request, page=view.build(request, computed[text]), sorts=("relevance", "date"))

    peers = {
        "library": lambda t: index.query(t, limit=10),
        "library+facets": lambda t: index.query(t, limit=10, facets=True),
        "template": render,
        "api": lambda t: client.get("/api/search", params={"q": t}),
        "page": lambda t: client.get("/", params={"q": t}),
        "page 2": lambda t: client.get("/", params={"q": t, "page": 2}),
        "page+source": lambda t: client.get("/", params={"q": t, "source": biggest[t]}),
    }
    results = {name: [] for name in peers}
    for text in qs:
        for name, fn in peers.items():
            results[name].extend(timed(lambda: fn(text), args.runs))
    for name, ms in results.items():
        print(summary(name, ms))
    pages = results["page"] + results["page 2"] + results["page+source"]
    p95 = sorted(pages)[round(0.95 * len(pages)) - 1]
    print(f"results pages overall: p95 {p95:.1f} ms (target ≤ {TARGET_MS:.0f} ms): {'OK' if p95 <= TARGET_MS else 'OVER'}")


if __name__ == "__main__":
    main()
