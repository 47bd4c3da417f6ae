"""Arabic news search: the public Python API.

>>> from search import SearchIndex
>>> ix = SearchIndex("news-index")
>>> ix.add(["saved-pages/"], source="archive")
>>> results = ix.query("انسحاب داعش", limit=5, since=datetime.date(2017, 1, 1))
>>> [(h.title, h.date) for h in results.hits]

Everything listed in ``__all__`` is stable; other modules are implementation.
"""

import importlib
from typing import TYPE_CHECKING

#: Where each public name lives. Imported on first use (PEP 562): a query process
#: (``search query``) then never imports the writer and the file-format readers.
_HOMES = {
    "ReadProblem": "index.ingest.files",
    "Record": "index.ingest.files",
    "IndexBusy": "index.errors",
    "IndexMissing": "index.errors",
    "IndexUnreadable": "index.errors",
    "QueryError": "index.errors",
    "SearchError": "index.errors",
    "AddReport": "index.build.report",
    "Progress": "index.build.report",
    "analyze": "search.analyze",
    "SearchIndex": "search.engine",
    "Facets": "search.present.facets",
    "Document": "search.results",
    "Hit": "search.results",
    "Results": "search.results",
    "Stats": "search.results",
    "Token": "search.results",
}

if TYPE_CHECKING:
    from index.ingest.files import ReadProblem, Record
    from index.errors import IndexBusy, IndexMissing, IndexUnreadable, QueryError, SearchError
    from index.build.report import AddReport, Progress
    from search.analyze import analyze
    from search.engine import SearchIndex
    from search.present.facets import Facets
    from search.results import Document, Hit, Results, Stats, Token


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module 'search' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


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
