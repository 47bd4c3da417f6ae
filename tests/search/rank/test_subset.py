"""Scoring a tier alone (search.rank.subset) gives the scores of scoring every document.

Why: a query with tiers finds its documents from posting ids and scores only the
documents of the tier the ranking asks for. That is a speed-up only if every answer is
the one exhaustive scoring gives: here every query and option set is answered with the
subset path forced on (``subset_share=1``) and off (``0``: every document scored at
once, as before), on an index of several segments with deletions, long posting lists,
synonyms, phrases and ties, and the hits, their order and their scores must be equal
to the last bit; the matches and each score are compared with exhaustive ones directly.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

import numpy as np
import pytest

from random_news import add_in_segments, answers, random_record
from search import SearchIndex
from search.query import build
from search.query.build import Filters
from search.query.parse import parse
from search.rank import headline, scoring, subset
from search.rank import scorer as array_scorer
from search.settings import RankingSettings

WORDS = (
    "انسحاب القوات الأمريكية من العراق وزير الخارجية السعودي يلتقي نظيره الفرنسي في الرياض "
    "مباراة الهلال والنصر بطولة وبطولة الدوري أسعار النفط ترتفع بالأسواق العالمية داعش "
    "تنظيم الدولة الإسلامية الانسحاب والانسحاب بالانسحاب المدارس التعليم الطلاب الجامعة الولايات المتحدة"
).split()
QUERIES = [
    "الرياض النفط", "وزير الخارجية", "أسعار النفط العالمية", "والانسحاب القوات", "بطولة الدوري الهلال",
    "داعش الرياض", "تنظيم الدولة", "الهلال -النصر الدوري", '"أسعار النفط" ترتفع', "أمريكا العراق",
    "ما سبب انسحاب القوات الأمريكية من العراق؟", "متساوية خبر", "كلمةغائبة الرياض", "الرياض",
]
OPTIONS = [{}, {"source": "wire"}, {"since": dt.date(2015, 6, 1)}, {"collapse": False},
           {"limit": 3, "offset": 2}, {"limit": 40}, {"sort": "date"}]
FORCED = {"on": 1.0, "off": 0.0}




@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    rng = random.Random(17)
    path = tmp_path_factory.mktemp("subset") / "index"
    records = [random_record(rng, n, WORDS) for n in range(600)]
    records += [{"id": f"tie-{n}", "title": "خبر متساوية", "body": f"نص متساوية قصير {n}"} for n in range(12)]
    rng.shuffle(records)
    with SearchIndex(path) as ix:
        add_in_segments(ix, records)
    return path


def _settings(share: float) -> RankingSettings:
    settings = RankingSettings()
    return replace(settings, scoring=replace(settings.scoring, subset_share=share))


def _answers(folder, share: float) -> list:
    with SearchIndex(folder, settings=_settings(share)) as ix:
        return answers(ix, QUERIES, OPTIONS)


@pytest.mark.parametrize("bisect_below", [0, 16, 10**9])
def test_every_answer_is_the_same_with_tiers_scored_alone(folder, monkeypatch, bisect_below):
    """Both ways of finding a tier's documents in a posting list (binary search, one pass)."""
    monkeypatch.setattr(subset, "BISECT_BELOW", bisect_below)
    alone, whole = _answers(folder, FORCED["on"]), _answers(folder, FORCED["off"])
    assert len(alone) == len(whole) == len(QUERIES) * len(OPTIONS)
    for ours, theirs in zip(alone, whole):
        assert ours == theirs
    assert any(hits for *_, hits in alone)


@pytest.mark.parametrize("text", QUERIES)
def test_scores_of_any_documents_are_the_exhaustive_ones_bit_for_bit(folder, text):
    rng = np.random.default_rng(5)
    with SearchIndex(folder, settings=_settings(1.0)) as ix, ix._searcher() as searcher:
        parsed = parse(text, ix.synonyms)
        exhaustive = scoring.match(searcher, parsed, Filters(), ix.settings)
        tiered = scoring.match(searcher, parsed, Filters(), ix.settings, by_tier=True)
        assert np.array_equal(tiered.docs, exhaustive.docs)
        assert np.array_equal(tiered.counts, exhaustive.counts)
        for size in (1, 5, len(exhaustive.docs) // 2, len(exhaustive.docs)):
            docs = np.sort(rng.choice(exhaustive.docs, min(size, len(exhaustive.docs)), replace=False))
            assert np.array_equal(tiered.scores_of(docs), exhaustive.scores[docs])
        assert np.array_equal(tiered.scores[tiered.docs], exhaustive.scores[exhaustive.docs])


@pytest.mark.parametrize("text", QUERIES)
def test_matches_from_ids_are_the_evaluated_masks(folder, text):
    with SearchIndex(folder) as ix, ix._searcher() as searcher:
        scorer = array_scorer.for_searcher(searcher)
        plan = build.plan(parse(text, ix.synonyms), ix.settings)
        clauses = plan.words + plan.fallbacks + plan.phrases + [c for c in plan.near if c is not None]
        for clause in clauses + ([plan.excluded] if plan.excluded is not None else []):
            assert np.array_equal(subset.matches(scorer, clause), scorer.evaluate(clause).mask)


@pytest.mark.parametrize("text", ["الرياض النفط", "وزير الخارجية", "أمريكا العراق", "والانسحاب القوات"])
def test_headline_factors_among_a_tier_are_those_of_every_document(folder, text):
    rng = np.random.default_rng(6)
    with SearchIndex(folder) as ix, ix._searcher() as searcher:
        scorer = array_scorer.for_searcher(searcher)
        parsed = parse(text, ix.synonyms)
        docs, values = headline.factors(scorer, parsed, ix.settings)
        assert len(docs)
        among = np.sort(rng.choice(scorer.size, scorer.size // 3, replace=False))
        some, some_values = headline.factors(scorer, parsed, ix.settings, among)
        assert np.array_equal(some, docs[np.isin(docs, among)])
        assert np.array_equal(some_values, values[np.isin(docs, among)])  # bit for bit
