"""Every query-time tuning knob in one frozen object, :class:`RankingSettings`.

A :class:`~search.engine.SearchIndex` holds one and hands it down the query pipeline
(:mod:`search.pipeline`); no stage reads a module global to tune itself, so two indexes
with different settings can rank side by side in one process. The defaults are the
shipped ranking; benchmarks/quality.md has the measurements behind each value, and
benchmarks/levers.py varies them with :func:`dataclasses.replace`::

    >>> from dataclasses import replace
    >>> default = RankingSettings()
    >>> stronger_titles = replace(default, scoring=replace(default.scoring, title_weight=1.0))
    >>> SearchIndex("news-index", settings=stronger_titles)

Index-time analysis (stemming, stop words) is not here: it is pickled into the index,
and changing it needs a rebuild.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from index.analysis.normalize import normalize


#: Corrections ("did you mean", near words) are at most this many edits away: one scan
#: per word and open index keeps them all (search.query.suggestions).
MAX_EDITS = 2


def _normalized(words: str) -> frozenset[str]:
    return frozenset(normalize(w) for w in words.split())


@dataclass(frozen=True)
class ParseSettings:
    """Reading what was typed (:mod:`search.query.parse`)."""

    #: Query words (concepts) kept; the rest of a longer query is ignored, so a pasted
    #: article cannot build a query of thousands of terms.
    max_terms: int = 64
    #: Nouns that only frame a question when they follow an interrogative (كم عدد, ما اسم):
    #: dropped there (:mod:`search.query.questions`). Normalized forms, without ال.
    frame_nouns: frozenset[str] = _normalized("اسم أسماء عدد نوع أنواع سنة عام مقدار")
    #: A query whose first word is one of these (also with و or ف attached), or one of
    #: ``question_prepositions`` followed by one, is a question (:mod:`search.query.kind`):
    #: it keeps the ranking tuned on questions; every other query is a keyword query.
    question_words: frozenset[str] = _normalized(
        "ما ماذا من متى أين كيف لماذا كم هل أي أية ماهو ماهي ماهى لم بم مم عم ممن لمن بماذا علام مالذي ماالذي"
    )
    question_prepositions: frozenset[str] = _normalized("في إلى الى من منذ على حتى ل ب و ف")


@dataclass(frozen=True)
class WordSettings:
    """How one query word is matched (:mod:`search.query.build`): weights relative to the
    word's stem in a field."""

    #: Extra weight of the word found in the form typed (the unstemmed twin fields).
    exact_boost: float = 0.5
    #: Weight of the stem met with or without a proclitic (و ف ب ل ك and pairs; 0: off).
    proclitic_boost: float = 0.5
    proclitic_prefixes: tuple[str, ...] = ("و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل")
    #: A typed proclitic is only stripped if at least this many letters remain.
    min_variant_stem: int = 3
    #: Weight of the typed word met in its accusative form, the indefinite noun's
    #: tanween alef added (``شاب`` meets ``شابًا``; 0: off; search.query.accusative).
    accusative_boost: float = 0.5
    #: Weight of a match by root only (the root twin fields; 0: off).
    root_boost: float = 0.6
    #: Weight of a match by a synonym, and the share of the other names' scores added
    #: to the best name's (DisjunctionMax tie-break).
    synonym_boost: float = 1.0
    synonym_tiebreak: float = 0.1


@dataclass(frozen=True)
class JoinedSettings:
    """Words typed without a space (:mod:`search.query.joined`): the shortest halves a
    split may leave before the second word's article; shorter pieces are particles."""

    min_head: int = 3
    min_tail: int = 4


@dataclass(frozen=True)
class NearWordSettings:
    """Query words no document has, met by indexed words a few edits away
    (:mod:`search.query.fuzzy`)."""

    #: Weight of a near word, relative to the word typed (0: off).
    weight: float = 0.5
    #: At most this many near words (their stems) stand in for one typed word.
    limit: int = 3
    #: Shorter words are not corrected: two edits make another word of most.
    min_length: int = 4
    #: Edits allowed below ``long_from`` letters; one more from there.
    max_edits: int = 1
    long_from: int = 7

    def __post_init__(self) -> None:
        if not 0 <= self.max_edits < MAX_EDITS:
            raise ValueError(f"near_words.max_edits must be 0 to {MAX_EDITS - 1} (long words get one more)")


@dataclass(frozen=True)
class ScoringSettings:
    """BM25F and the ranking rule (:mod:`search.rank.scoring`, :mod:`search.rank.tiers`)."""

    #: BM25: k1 below Whoosh's 1.2 saturates repeated words sooner, which suits short
    #: passages; b is Whoosh's default.
    k1: float = 0.8
    b: float = 0.75
    #: BM25F weight of each searched field (index.schema.SEARCH_FIELDS). Several passages
    #: share one article title, so a title match says little about which one answers.
    title_weight: float = 0.5
    body_weight: float = 1.0
    #: Each query word's score is multiplied by (its body idf / the largest idf) ** this
    #: (0: off). Whoosh's idf is flat: without it the generic words of a question
    #: outvote the one rare name that picks out its passage.
    idf_power: float = 2.0
    #: Queries of up to this many words rank documents with every word first; longer
    #: ones (questions typed in full) rank by score alone.
    all_words_up_to: int = 3
    #: A tier of a query with tiers is scored alone (search.rank.subset) when it holds at
    #: most this share of the collection's documents, else with every document at once;
    #: the same scores either way (0: always at once, 1: always alone).
    subset_share: float = 0.25

    def field_weights(self) -> dict[str, float]:
        """Searched field → BM25F weight, in index.schema.SEARCH_FIELDS order."""
        return {"title": self.title_weight, "body": self.body_weight}


@dataclass(frozen=True)
class KeywordSettings:
    """Ranking for keyword queries: a few words of a headline, not a question
    (:mod:`search.query.kind`). A reader who remembers a story types words of its
    headline, often spelled as another writer spells them; the question-tuned ranking
    (a title says little about which passage answers) buries that headline. Questions
    never get these rules. benchmarks/quality.md has the measurements behind each value."""

    #: False: every query ranks as a question does (no rule below applies).
    enabled: bool = True
    #: BM25F weight of the title in every clause of a keyword query (stem, proclitic
    #: variants, exact form, root), in place of ``ScoringSettings.title_weight``.
    title_weight: float = 12.0
    #: The form typed found in the title scores at this share of ``title_weight``
    #: (the body keeps ``WordSettings.exact_boost``).
    exact_title_share: float = 1.0
    #: A typed word with a proclitic (``بقوات``) also searched without it, at full weight,
    #: where the bare word is the commoner (:mod:`search.query.bare`).
    bare_forms: bool = True
    #: Score × (1 + coverage · share of the query's words in the title) (search.rank.headline).
    coverage: float = 3.0
    #: Score × (1 + as_typed · mean over words of: in the title as typed 1, its bare
    #: form in the title ``bare_as_typed``, else 0).
    as_typed: float = 1.0
    bare_as_typed: float = 0.5
    #: Score × (1 + title_share · share of the title's indexed words that are query words):
    #: of two headlines that hold the words typed, the short one is likelier the one
    #: remembered (search.rank.headline).
    title_share: float = 0.25
    #: The best ``order_depth`` of each tier × (1 + order · share of typed neighbour pairs
    #: standing in that order, within ``order_window`` words, in the title) (search.rank.title_order).
    order: float = 0.3
    order_window: int = 50
    order_depth: int = 30


@dataclass(frozen=True)
class ProximitySettings:
    """The proximity rerank (:mod:`search.rank.proximity`)."""

    #: Weight of the proximity score against BM25F (0: off).
    weight: float = 0.5
    #: How many of the best documents of a tier are rescored.
    depth: int = 30
    #: Occurrences further apart than this many words do not count as standing together.
    window: int = 5
    #: The field whose positions are read.
    field: str = "body"


@dataclass(frozen=True)
class SuggestionSettings:
    """"Did you mean" (:mod:`search.query.suggestions`)."""

    #: A query word whose stem is in fewer documents than this is worth correcting.
    rare: int = 2
    #: At most this many suggestions in all, and per word.
    limit: int = 5
    per_word: int = 3
    #: Edits (insert, delete, substitute, swap two neighbours) a suggestion may be away.
    max_edits: int = 2

    def __post_init__(self) -> None:
        if not 0 <= self.max_edits <= MAX_EDITS:
            raise ValueError(f"suggestions.max_edits must be 0 to {MAX_EDITS}")


@dataclass(frozen=True)
class SnippetSettings:
    """The passage shown with each hit (:mod:`search.present.snippets`)."""

    #: Target length of a snippet, in characters.
    width: int = 220
    #: How far before the first mark a snippet starts.
    lead: int = 60


@dataclass(frozen=True)
class RankingSettings:
    """Every query-time knob, one frozen group per stage of the query pipeline."""

    parse: ParseSettings = field(default_factory=ParseSettings)
    words: WordSettings = field(default_factory=WordSettings)
    joined: JoinedSettings = field(default_factory=JoinedSettings)
    near_words: NearWordSettings = field(default_factory=NearWordSettings)
    scoring: ScoringSettings = field(default_factory=ScoringSettings)
    keywords: KeywordSettings = field(default_factory=KeywordSettings)
    proximity: ProximitySettings = field(default_factory=ProximitySettings)
    suggestions: SuggestionSettings = field(default_factory=SuggestionSettings)
    snippets: SnippetSettings = field(default_factory=SnippetSettings)
