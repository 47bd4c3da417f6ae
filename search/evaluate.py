"""Measuring ranking quality: run a query set through ``SearchIndex`` and score it.

``search eval`` answers every query exactly as ``search query`` would (the same
:meth:`search.engine.SearchIndex.ranked` call that :meth:`~search.engine.SearchIndex.query`
makes, with the same defaults, but every syndicated copy listed as its own document:
judgments name documents, and a copy collapsed under another would count as missed),
writes a TREC run and computes RR@10, nDCG@10 and R@100
with ir-measures, overall and per query-id prefix (the part before the first ``-``,
which names the source of a query in pooled sets such as arwikiqa).

File formats: queries are JSON lines ``{"id", "text"}``; judgments are
``query_id<TAB>doc_id<TAB>relevance`` without a header (a four-column TREC qrels line,
``qid 0 docid rel``, is accepted too).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from index.errors import QueryError, SearchError
from index.build.report import Progress

#: How many documents each query contributes to the run (R@100 needs 100).
DEPTH = 100
MEASURES = ("RR@10", "nDCG@10", "R@100")


class EvalInputError(SearchError):
    """A queries or judgments file cannot be used."""

    exit_code = 2


@dataclass
class Query:
    id: str
    text: str


@dataclass
class Scores:
    """Mean of each measure over ``queries`` queries."""

    queries: int
    values: dict[str, float]

    def to_json(self) -> dict:
        return {"queries": self.queries, **{k: round(v, 4) for k, v in self.values.items()}}


@dataclass
class Evaluation:
    """Overall scores, scores per query-id prefix, and what could not be run."""

    overall: Scores
    by_prefix: dict[str, Scores] = field(default_factory=dict)
    empty_queries: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "overall": self.overall.to_json(),
            "by_prefix": {k: v.to_json() for k, v in self.by_prefix.items()},
            "empty_queries": self.empty_queries,
        }


def _lines(path: Path) -> Iterable[tuple[int, str]]:
    try:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    yield number, line
    except FileNotFoundError:
        raise EvalInputError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise EvalInputError(f"{path}: not UTF-8 text") from None


def read_queries(path: Path) -> list[Query]:
    """JSON lines with ``id`` and ``text``; a bad line names its number."""
    queries = []
    for number, line in _lines(path):
        try:
            data = json.loads(line)
            queries.append(Query(id=str(data["id"]), text=str(data["text"])))
        except (ValueError, KeyError, TypeError):
            raise EvalInputError(f'{path}:{number}: expected a JSON object with "id" and "text"') from None
    if not queries:
        raise EvalInputError(f"{path}: no queries")
    return queries


def read_qrels(path: Path) -> dict[str, dict[str, int]]:
    """``qid<TAB>docid<TAB>rel`` (or TREC's ``qid 0 docid rel``) as ``{qid: {docid: rel}}``."""
    qrels: dict[str, dict[str, int]] = {}
    for number, line in _lines(path):
        parts = line.split()
        try:
            if len(parts) == 3:
                qid, docid, rel = parts
            elif len(parts) == 4:
                qid, _, docid, rel = parts
            else:
                raise ValueError
            qrels.setdefault(qid, {})[docid] = int(rel)
        except ValueError:
            raise EvalInputError(f"{path}:{number}: expected query_id<TAB>doc_id<TAB>relevance") from None
    if not qrels:
        raise EvalInputError(f"{path}: no judgments")
    return qrels


def run_queries(
    index, queries: list[Query], depth: int = DEPTH, progress: Progress | None = None
) -> tuple[dict[str, list[tuple[str, float]]], list[str]]:
    """``({qid: [(docid, score), ...]}, [ids of queries with nothing to search for])``.

    Each query goes through :meth:`SearchIndex.ranked`, the ranking half of
    :meth:`SearchIndex.query` (snippets are not needed to score a ranking; copies are
    not collapsed).
    """
    progress = progress or Progress()
    run: dict[str, list[tuple[str, float]]] = {}
    empty: list[str] = []
    progress.start(len(queries), "queries")
    try:
        for query in queries:
            try:
                run[query.id] = index.ranked(query.text, limit=depth)[1]
            except QueryError:
                run[query.id] = []
                empty.append(query.id)
            progress.advance(1)
    finally:
        progress.finish()
    return run, empty


def write_run(path: Path, run: dict[str, list[tuple[str, float]]], tag: str = "search") -> None:
    """A TREC run: ``qid Q0 docid rank score tag``.

    trec_eval and ir-measures order documents by score, not by rank, and our ranking is
    not always in score order (full matches come first): the score column is therefore
    ``depth - rank + 1``, which keeps the order the user sees.
    """
    with open(path, "w", encoding="utf-8") as handle:
        for qid, ranked in run.items():
            for rank, (docid, _score) in enumerate(ranked, 1):
                handle.write(f"{qid} Q0 {docid} {rank} {len(ranked) - rank + 1} {tag}\n")


def _prefix(qid: str) -> str:
    return qid.split("-", 1)[0]


def measure(qrels: dict[str, dict[str, int]], run: dict[str, list[tuple[str, float]]]) -> Evaluation:
    """RR@10, nDCG@10 and R@100 over the judged queries, overall and per id prefix.

    A judged query that returned nothing counts as zero (ir-measures alone would skip it).
    """
    import ir_measures

    measures = [ir_measures.parse_measure(m) for m in MEASURES]
    per_query = {qid: {m: 0.0 for m in MEASURES} for qid in run if qid in qrels}
    if not per_query:
        raise EvalInputError("no query in the queries file has a judgment: check that the ids match")
    scored = {
        qid: {docid: float(len(ranked) - rank) for rank, (docid, _) in enumerate(ranked)}
        for qid, ranked in run.items()
        if qid in qrels and ranked
    }
    judged = {qid: qrels[qid] for qid in per_query}
    for metric in ir_measures.iter_calc(measures, judged, scored):
        per_query[metric.query_id][str(metric.measure)] = float(metric.value)

    def mean(qids: list[str]) -> Scores:
        return Scores(len(qids), {m: sum(per_query[q][m] for q in qids) / len(qids) for m in MEASURES})

    groups: dict[str, list[str]] = {}
    for qid in per_query:
        groups.setdefault(_prefix(qid), []).append(qid)
    empty = sorted(qid for qid in per_query if not run[qid])
    return Evaluation(
        overall=mean(list(per_query)),
        by_prefix={p: mean(q) for p, q in sorted(groups.items())} if len(groups) > 1 else {},
        empty_queries=empty,
    )


def evaluate(
    index,
    queries_path: Path,
    qrels_path: Path,
    run_path: Path | None = None,
    progress: Progress | None = None,
) -> Evaluation:
    """Read both files, run the queries, optionally write the run, and measure it."""
    queries = read_queries(queries_path)
    qrels = read_qrels(qrels_path)
    run, _ = run_queries(index, queries, progress=progress)
    if run_path is not None:
        write_run(run_path, run)
    return measure(qrels, run)
