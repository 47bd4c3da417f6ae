"""Headline factors of a keyword query: how much of the query its title holds, and as typed.

A reader looking for a story types words of its headline. BM25F adds a title match to
a body match; it does not see that one headline holds every word typed while another
holds one of them and a body repeats the rest. So, for a keyword query
(:mod:`search.query.kind`), each matching document's score is multiplied by

* ``1 + coverage · c``: c is the share of the query's words (concepts) its title holds,
  in any form the word's clause meets (stem, proclitic variant, bare form, exact form,
  synonym; a name of several words as a phrase). Every word counts 1, whatever its
  rarity: a headline with the common word typed is as much the one remembered;
* ``1 + as_typed · e``: e is the mean over the words of 1 when the title holds the
  form typed, ``bare_as_typed`` when it holds the word's bare form only
  (:mod:`search.query.bare`), else 0 (a name of several words: 1 when the title holds
  it). Typed forms are what the reader saw; a respelled word is met by its bare form.

Questions are not touched: a passage's title there is an article's name.
"""

from __future__ import annotations

import numpy as np
from whoosh import query as q

from index.schema import EXACT_FIELDS
from search.query import build
from search.query.parse import ParsedQuery
from search.rank.scorer import ArrayScorer
from search.settings import RankingSettings

TITLE_FORMS = EXACT_FIELDS["title"]


def _any(scorer: ArrayScorer, forms: tuple[str, ...]) -> np.ndarray:
    """Where the title holds one of ``forms`` as written."""
    found = np.zeros(scorer.size, dtype=bool)
    for form in forms:
        found |= scorer.evaluate(q.Term(TITLE_FORMS, form)).mask
    return found


def factors(scorer: ArrayScorer, parsed: ParsedQuery, settings: RankingSettings) -> np.ndarray:
    """Per document number, the product of the two factors (1 where the title has nothing)."""
    keywords = settings.keywords
    title = build.weights(parsed, settings).title_only()
    covered = np.zeros(scorer.size)
    typed = np.zeros(scorer.size)
    for concept in parsed.concepts:
        in_title = scorer.evaluate(build.concept_query(concept, title, settings)).mask
        covered += in_title
        if len(concept.forms) > 1:
            typed += in_title
        else:
            bare = keywords.bare_as_typed * _any(scorer, concept.bare_forms)
            typed += np.where(_any(scorer, concept.forms), 1.0, bare)
    words = len(parsed.concepts)
    return (1 + keywords.coverage * covered / words) * (1 + keywords.as_typed * typed / words)
