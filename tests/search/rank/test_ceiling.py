"""Ranking a keyword query's tier from the documents that can reach its top
(search.rank.ceiling) gives the answers of scoring the whole tier.

Why: a tier's documents without a headline factor are left unscored when the most they
can score is below the best of the others. That is a speed-up only if no such document
could have ranked: here the bound is checked against every document's exhaustive score,
and every answer with the bound tried on every tier (``WHOLE_UP_TO`` 0) is compared with
the answer of scoring whole tiers (hits, order, scores to the last bit, copies), on an
index of several segments with deletions where most matching documents hold the words
in their body only.
"""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pytest

from random_news import add_in_segments, answers, random_record
from search import SearchIndex
from search.pipeline import rewrite
from search.query import build
from search.query.build import Filters
from search.query.kind import keyword_rules
from search.query.parse import parse
from search.rank import ceiling, headline, scoring
from search.rank import scorer as array_scorer

WORDS = (
    "انسحاب القوات الأمريكية من العراق وزير الخارجية السعودي يلتقي نظيره الفرنسي في الرياض "
    "مباراة الهلال والنصر بطولة وبطولة الدوري أسعار النفط ترتفع بالأسواق العالمية داعش "
    "الانسحاب والانسحاب بالانسحاب المدارس التعليم الطلاب الجامعة"
).split()
#: Titles of most documents: none of the query words.
FILLER = "خبر عاجل محلي تقرير متابعة صور".split()
QUERIES = [
    "الرياض النفط", "وزير الخارجية", "أسعار النفط العالمية", "والانسحاب القوات", "بطولة الدوري الهلال",
    "داعش الرياض", "الهلال -النصر الدوري", '"أسعار النفط" ترتفع', "كلمةغائبة الرياض", "التعليم الطلاب",
]
OPTIONS = [{}, {"source": "wire"}, {"since": dt.date(2015, 6, 1)}, {"collapse": False},
           {"limit": 3, "offset": 2}, {"limit": 40}]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    rng = random.Random(23)
    records = [random_record(rng, n, WORDS) for n in range(1000)]
    for record in records[400:]:
        record["title"] = " ".join(rng.choices(FILLER, k=rng.randint(2, 6)))
    rng.shuffle(records)
    path = tmp_path_factory.mktemp("ceiling") / "index"
    with SearchIndex(path) as ix:
        add_in_segments(ix, records)
    return path


def _answers(folder) -> list:
    with SearchIndex(folder) as ix:
        return answers(ix, QUERIES, OPTIONS)


def test_every_answer_is_the_same_with_the_bound(folder, monkeypatch):
    narrowed = []
    candidates = ceiling.candidates

    def counted(found, docs, depth):
        chosen, values = candidates(found, docs, depth)
        narrowed.append(len(chosen) < len(docs))
        return chosen, values

    monkeypatch.setattr(ceiling, "candidates", counted)
    monkeypatch.setattr(ceiling, "WHOLE_UP_TO", 0)
    bounded = _answers(folder)
    assert any(narrowed) and not all(narrowed)  # the bound left documents out, and failed on some
    monkeypatch.setattr(ceiling, "WHOLE_UP_TO", 10**9)
    assert bounded == _answers(folder)


@pytest.mark.parametrize("text", QUERIES)
def test_no_document_outside_the_titles_scores_above_the_bound(folder, text):
    with SearchIndex(folder) as ix, ix._searcher() as searcher:
        settings = ix.settings
        scorer = array_scorer.for_searcher(searcher)
        searched, _ = rewrite(searcher.reader(), parse(text, ix.synonyms), settings)
        if not keyword_rules(searched, settings.keywords):
            pytest.skip("not a keyword query")
        plan = build.plan(searched, settings)
        found = scoring.match(searcher, searched, Filters(), settings)  # every document scored
        weights = scoring.word_weights(searcher, searched, settings.scoring)
        listed, rest = ceiling.outside_titles(scorer, searched, plan, settings, weights)
        for clause in plan.words + plan.fallbacks:
            assert scorer.evaluate(clause).scores.max() <= ceiling.ceiling(scorer, clause)
        if plan.phrases or '"' in text or text.startswith("داعش"):  # phrases: no bound
            assert rest == np.inf
            return
        assert np.isfinite(rest)
        factored, _ = headline.factors(scorer, searched, settings)
        assert np.array_equal(np.flatnonzero(listed), factored)
        others = found.docs[~listed[found.docs]]
        assert len(others) and np.all(found.scores[others] <= rest)
