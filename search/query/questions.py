"""Question frames: the noun an interrogative asks with carries no subject.

In ``كم عدد سكان مصر`` (how many inhabitants), ``ما اسم عاصمة جورجيا`` (what is the
name of) or ``في أي عام استقلت`` (in which year), the noun after the interrogative
only shapes the question: the answer passage says ``يبلغ سكانها``, ``عاصمتها تبليسي``,
``استقلت سنة 1922`` without it. Kept as a query word, it scores passages that merely
use a common noun and, worse, counts in the every-word tier, so a passage lacking it
falls below passages that have it. Such a noun is dropped when it directly follows
an interrogative (a ``هو``/``هي`` between them is skipped: ``ما هو اسم``).
Elsewhere (``عدد الضحايا``, ``اسم الفيلم``) it stays a query word. The frame nouns are
a setting (``RankingSettings.parse.frame_nouns``); the grammar around them is here.
"""

from __future__ import annotations

from index.analysis.normalize import normalize


def _normalized(words: str) -> frozenset[str]:
    return frozenset(normalize(w) for w in words.split())


#: Interrogatives that take a noun: ما, ماذا, كم, أي/أية (and ماهو/ماهي typed as one word).
INTERROGATIVES = _normalized("ما ماذا كم أي أية ايه ماهو ماهي ماهى")
#: Pronouns that may stand between the interrogative and its noun.
PRONOUNS = _normalized("هو هي")


def is_frame(previous: str, word: str, frame_nouns: frozenset[str]) -> bool:
    """Whether ``word`` (normalized) is one of ``frame_nouns`` (with or without ال)
    asked by the interrogative ``previous``."""
    bare = word[2:] if word.startswith("ال") else word
    return previous in INTERROGATIVES and bare in frame_nouns


def after(previous: str, word: str) -> str:
    """What counts as the previous word once ``word`` is read: pronouns are skipped."""
    return previous if word in PRONOUNS else word
