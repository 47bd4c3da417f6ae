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

# Base forms in tashaphyne's list that carry meaning in news and must stay searchable
# (with every clitic form tashaphyne lists for them): directions and times of day; the
# kinship nouns of names (أبو بكر); full verbs listed as auxiliaries or verbs of
# beginning (عاد, أنشأ مصنعا, علق الوزير); words whose letters, once hamza is folded,
# spell a noun (أمام is also إمام, imam; إذن also permission) or that read as a verb
# (عين, appointed) or an adjective (أول, first); given names (معاذ, عوض: معاذ الله and
# عوضا عن are rare in news).
KEPT_CONTENT_WORDS = frozenset(
    normalize(w)
    for w in (
        "شمال يمين صباح مساء أمس غدا غداة عامة نفس أول "
        "أب أبا أبو أبي أخ أخا أخو أخي حم حما حمو حمي "
        "أخذ قام عاد رجع تحول انقلب ارتد صار شرع جعل أنشأ أقبل ابتدأ علق هب "
        "أمام إذن عين معاذ عوض"
    ).split()
)

# Clitic forms of a function word whose letters spell a common noun: ولي is و + لي (and
# to me) in tashaphyne's list and the guardian, the crown prince (ولي العهد) in news.
KEPT_FORMS = frozenset(normalize(w) for w in "ولي".split())


# Function words tashaphyne's list lacks: question words as typed in questions (ماهي is
# often written as one word), the auxiliaries كانت/يكون, the passive helper تم/يتم.
EXTRA_STOP_WORDS = frozenset(
    normalize(w)
    for w in (
        "لماذا ماهي ماهو ماهى ماهيه كيفية عندما بينما أيضا ايضا "
        "كانت كانوا يكون تكون يكونوا تم يتم تمت"
    ).split()
)


#: tashaphyne's tags of the kinds of entry :func:`_homograph` keeps searchable.
_NOUN_LIKE_KINDS = ("الأسماء الخمسة", "اسم فعل", "اسم صوت")


def _homograph(entry: dict) -> bool:
    """Entries that, once written without harakat, mostly spell a content word.

    tashaphyne also lists each particle with the interrogative hamza attached (أَمِنْ,
    أَبِهَا, أَلَيْسَ): questions news text rarely asks, while the letters spell أمن
    (security), أبها (the city), آمنة, الآلية. It lists the "five nouns" (أب، أخ، حم، فو،
    ذو) with their clitics, whose forms are nouns and collide with others (وفاه, and his
    mouth, is وفاة, death, once ة is folded to ه). It lists interjections and sound
    nouns (حَيَّ, آمين, عَدَسْ), which news prose hardly uses and whose letters spell a
    district (حي), a secretary (أمين) or lentils. All stay searchable.
    """
    tags = entry["tags"]
    return "أَ" in entry["procletic"] or any(kind in tags for kind in _NOUN_LIKE_KINDS)


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """The normalized stop-word forms (loaded on first use: the table is large)."""
    from tashaphyne.stopwords import STOPWORDS

    words = set()
    for form, entry in STOPWORDS.items():
        folded = normalize(form)
        if normalize(entry["original"]) in KEPT_CONTENT_WORDS or folded in KEPT_FORMS or _homograph(entry):
            continue
        words.add(folded)
    return frozenset(words | EXTRA_STOP_WORDS)
