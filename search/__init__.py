"""Arabic news search: the public Python API.

>>> from search import SearchIndex
>>> ix = SearchIndex("news-index")
>>> ix.add(["saved-pages/"], source="archive")
>>> results = ix.query("انسحاب داعش", limit=5, since=datetime.date(2017, 1, 1))
>>> [(h.title, h.date) for h in results.hits]

Everything listed in ``__all__`` is stable; other modules are implementation.
"""

from index.documents import ReadProblem, Record
from index.errors import IndexBusy, IndexMissing, IndexUnreadable, QueryError, SearchError
from index.writing import AddReport, Progress
from search.analyze import analyze
from search.engine import SearchIndex
from search.facets import Facets
from search.results import Document, Hit, Results, Stats, Token

__all__ = [
    "AddReport",
    "Document",
    "Facets",
    "Hit",
    "IndexBusy",
    "IndexMissing",
    "IndexUnreadable",
    "Progress",
    "QueryError",
    "ReadProblem",
    "Record",
    "Results",
    "SearchError",
    "SearchIndex",
    "Stats",
    "Token",
    "analyze",
]
