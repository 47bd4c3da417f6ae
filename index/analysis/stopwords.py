"""Arabic stop words, from tashaphyne's classified list of about 10,000 forms.

tashaphyne lists each of roughly 400 function words (particles, pronouns,
demonstratives, relatives, question words, auxiliaries such as كان/ليس) together with
its attached-clitic forms (وفي، بها، ولكنهم …), so forms like ``وهذا`` are caught
without stemming first. A handful of entries are content words in news text
(directions, times of day, kinship names used in proper names such as ``أبو بكر``,
full verbs such as ``عاد``); they are kept searchable.
"""

from __future__ import annotations

from functools import lru_cache

from index.analysis.normalize import normalize

# Base forms in tashaphyne's list that carry meaning in news and must stay searchable.
KEPT_CONTENT_WORDS = frozenset(
    normalize(w)
    for w in (
        "شمال يمين صباح مساء أمس غدا غداة عامة نفس "
        "أب أبا أبو أبي أخ أخا أخو أخي حم حما حمو حمي "
        "أخذ قام عاد رجع تحول انقلب ارتد صار شرع جعل"
    ).split()
)


# Function words tashaphyne's list lacks: question words as typed in questions (ماهي is
# often written as one word), the auxiliaries كانت/يكون, the passive helper تم/يتم.
EXTRA_STOP_WORDS = frozenset(
    normalize(w)
    for w in (
        "لماذا ماهي ماهو ماهى ماهيه كيفية عندما بينما أيضا ايضا "
        "كانت كانوا يكون تكون يكونوا تم يتم تمت"
    ).split()
)


def _homograph(entry: dict) -> bool:
    """Entries that, once written without harakat, mostly spell a content word.

    tashaphyne also lists each particle with the interrogative hamza attached (أَمِنْ,
    أَبِهَا, أَلَيْسَ): questions news text rarely asks, while the letters spell أمن
    (security), أبها (the city), آمنة, الآلية. It lists the "five nouns" (أب، أخ، حم، فو،
    ذو) with their clitics, whose forms are nouns and collide with others (وفاه, and his
    mouth, is وفاة, death, once ة is folded to ه). Both stay searchable.
    """
    return "أَ" in entry["procletic"] or "الأسماء الخمسة" in entry["tags"]


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """The normalized stop-word forms (loaded on first use: the table is large)."""
    from tashaphyne.stopwords import STOPWORDS

    words = set()
    for form, entry in STOPWORDS.items():
        if normalize(entry["original"]) in KEPT_CONTENT_WORDS or _homograph(entry):
            continue
        words.add(normalize(form))
    return frozenset(words | EXTRA_STOP_WORDS)
