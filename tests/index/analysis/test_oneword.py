"""The one-word path (index.analysis.oneword) makes of a word what each analyzer makes of it.

The bulk writer indexes every word form through it; a difference would index
different terms than queries look for. tests/index/whoosh_ext/test_bulk.py compares
whole indexes; this compares word by word, on words that exercise each step.
"""

from __future__ import annotations

from whoosh.analysis import LowercaseFilter

from index.analysis.chain import WORD, ArabicAnalyzer, ArabicExactAnalyzer, ArabicRootAnalyzer, ArabicTokenizer
from index.analysis.oneword import word_analysis
from index.analysis.stemming import root, stem

TEXT = (
    "افتتح الأميرُ معرضَ الكتاب في الرياض، وقال إن الكتاب نافذة على العالم. "
    "في من على إلى عن الحكومة تعلن ميزانية ٢٠١٥ والحكومة تعلن أيضاً عن مشاريع جديدة "
    "انتهت المبـــاراة بفوز الهلال على النصر بهدفين في الدوري السعودي ISIS "
    "الرقة والرقه والرّقّة: كتب كاتب مكتوب كتاب الكتاب والكتاب بالكتاب Saudi Gazette"
)
#: Words each step treats specially: emptied by normalization, stop words, digits, Latin.
EDGES = {"ـــ", "ًٌ", "في", "وفي", "Saudi", "٢٠١٥", "الرّقّة", "شمال"}


def test_one_word_analysis_is_what_each_analyzer_makes_of_the_word():
    words = set(WORD.findall(TEXT)) | EDGES
    for analyzer in (ArabicAnalyzer(), ArabicExactAnalyzer(), ArabicRootAnalyzer()):
        analyze = word_analysis(analyzer)
        for word in words:
            chain = [t.text.encode("utf-8") for t in analyzer(word, mode="index")]
            assert [analyze(word)] == (chain or [None]), word


def test_an_analyzer_with_a_step_of_another_kind_has_no_one_word_path():
    assert word_analysis(ArabicTokenizer() | LowercaseFilter()) is None


def test_the_one_word_path_leaves_the_query_caches_alone():
    """The writer keeps its own memo per form: the LRU caches queries use stay as they were."""
    word = "والمستكشفينهم"  # in no text above: analyzed here for the first time
    stems, roots = stem.cache_info().currsize, root.cache_info().currsize
    assert word_analysis(ArabicAnalyzer())(word) and word_analysis(ArabicRootAnalyzer())(word)
    assert (stem.cache_info().currsize, root.cache_info().currsize) == (stems, roots)


def test_analyses_in_any_order_are_each_analyzers_own():
    """The analyzers share their filters' last result (index.analysis.oneword._filters):
    asked in the writer's order, in another, or the same word twice, each still gives
    what its analyzer makes of the word, emptied words and stop words included."""
    analyzers = (ArabicAnalyzer(), ArabicExactAnalyzer(), ArabicRootAnalyzer())
    analyses = [word_analysis(a) for a in analyzers]
    words = ["والكتابات", "في", "الرقة", "ـــ", "الرقة", "Saudi", "وفي", "مستشفى", "مستشفى", "ًٌ", "الكتاب"]

    def expected(analyzer, word):
        return ([t.text.encode("utf-8") for t in analyzer(word, mode="index")] or [None])[0]

    for order in ((0, 1, 2), (2, 1, 0), (1, 0, 2, 0)):
        for word in words:
            for i in order:
                assert analyses[i](word) == expected(analyzers[i], word), (word, i)
    assert [analyses[0](w) for w in words] == [expected(analyzers[0], w) for w in words]
