"""Which kind of query: a question typed in full, or keywords (a few words of a headline).

The two rank differently. A question (``ما هي عاصمة جورجيا``) is answered by a passage
whose title, an article's name, says little about which passage answers; a keyword
query (``انسحاب داعش``) is a reader looking for a story by words of its headline
(:class:`~search.settings.KeywordSettings`). Length does not tell them apart: many
questions have only two or three content words once their interrogative and stop words
are gone. The form of the sentence does. A query is a question when it

* contains ``?`` or ``؟``, or ends with ``.`` or ``!`` (a sentence, such as a request
  ``اذكر …`` typed with its full stop);
* starts with an interrogative (``ما``, ``كيف``, ``لماذا``…), also with و or ف attached
  (``فمن``, ``وكيف``);
* starts with a preposition followed by an interrogative (``في أي``, ``إلى متى``).

Every other query is a keyword query. The word lists are settings
(:class:`~search.settings.ParseSettings`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from index.analysis.normalize import normalize
from search.settings import KeywordSettings, ParseSettings

if TYPE_CHECKING:
    from search.query.parse import ParsedQuery

#: Conjunctions a question may start with, attached to its first word (``وما``, ``فأين``).
CONJUNCTIONS = ("و", "ف")
#: Punctuation that makes a query a question anywhere, and at its end.
QUESTION_MARKS = ("?", "؟")
SENTENCE_ENDS = (".", "!")
#: A word: a run of letters (harakat and tatweel are removed by :func:`normalize`).
_WORD = re.compile(r"[^\W\d_]+")


def _is(word: str, words: frozenset[str]) -> bool:
    """Whether ``word`` is one of ``words``, as typed or after a conjunction."""
    return word in words or (word[:1] in CONJUNCTIONS and word[1:] in words)


def is_question(text: str, settings: ParseSettings) -> bool:
    """Whether ``text`` is a question (see the module's docstring)."""
    stripped = text.strip()
    if any(mark in stripped for mark in QUESTION_MARKS) or stripped.endswith(SENTENCE_ENDS):
        return True
    words = _WORD.findall(normalize(stripped))
    if not words:
        return False
    if _is(words[0], settings.question_words):
        return True
    return len(words) > 1 and _is(words[0], settings.question_prepositions) and _is(words[1], settings.question_words)


def keyword_rules(parsed: ParsedQuery, settings: KeywordSettings) -> bool:
    """Whether ``parsed`` ranks by the keyword rules: a keyword query with words to rank
    by, the rules being on."""
    return settings.enabled and not parsed.question and bool(parsed.concepts)
