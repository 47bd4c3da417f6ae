"""Arabic news search: the public Python API.

>>> from search import SearchIndex
>>> ix = SearchIndex("news-index")
>>> ix.add(["saved-pages/"], source="archive")
>>> results = ix.query("انسحاب داعش", limit=5, since=datetime.date(2017, 1, 1))
>>> [(h.title, h.date) for h in results.hits]

Everything listed in ``__all__`` is stable; other modules are implementation. The
command line (``cli.py``) and the web page (:mod:`search.present.web`) use nothing else.

* the index: :class:`SearchIndex`, its :class:`RankingSettings` and :class:`BuildSettings`, the :data:`SORTS` its
  queries accept, :class:`SimilarSettings` (``similar``), :func:`analyze` (the tokens
  the index makes of a text);
* what a query returns: :class:`Results` of :class:`Hit`, with :class:`Facets`; each hit
  lists the other copies of its story as :class:`Copy`;
  :class:`Document` (``get``), :class:`Stats` (``stats``), :class:`Token` (``analyze``);
* what adding returns: :class:`AddReport`, :class:`ReadProblem`, :class:`Record`, and the
  :class:`Progress` interface it reports to;
* errors, each one line that says what to do: :class:`SearchError` and its subclasses
  :class:`DocumentMissing`, :class:`IndexBusy`, :class:`IndexMissing`, :class:`IndexUnreadable`,
  :class:`InvalidOption`, :class:`QueryError`;
* options as the CLI and the web page read them: :func:`parse_date_option`,
  :func:`parse_field_mapping`;
* front ends: :class:`Terminal` (what ``search`` prints), :func:`serve` (the web page).
"""

import importlib
from typing import TYPE_CHECKING

#: Where each public name lives. Imported on first use (PEP 562): a query process
#: (``search query``) then never imports the writer, the file-format readers or the web app.
_HOMES = {
    # errors
    "DocumentMissing": "index.errors",
    "IndexBusy": "index.errors",
    "IndexMissing": "index.errors",
    "IndexUnreadable": "index.errors",
    "InvalidOption": "index.errors",
    "QueryError": "index.errors",
    "SearchError": "index.errors",
    # adding documents
    "AddReport": "index.build.report",
    "BuildSettings": "index.build.limits",
    "Progress": "index.build.report",
    "ReadProblem": "index.ingest.files",
    "Record": "index.ingest.files",
    "parse_field_mapping": "index.ingest.files",
    # searching
    "SORTS": "search.engine",
    "SearchIndex": "search.engine",
    "RankingSettings": "search.settings",
    "SimilarSettings": "search.similar",
    "analyze": "search.analyze",
    "parse_date_option": "search.options",
    # what searching returns
    "Document": "search.results",
    "Facets": "search.results",
    "Copy": "search.results",
    "Hit": "search.results",
    "Results": "search.results",
    "Stats": "search.results",
    "Token": "search.results",
    # front ends
    "Terminal": "search.present.terminal",
    "serve": "search.present.web",
}

if TYPE_CHECKING:
    from index.build.limits import BuildSettings
    from index.build.report import AddReport, Progress
    from index.errors import (
        DocumentMissing, IndexBusy, IndexMissing, IndexUnreadable, InvalidOption, QueryError, SearchError,
    )
    from index.ingest.files import ReadProblem, Record, parse_field_mapping
    from search.analyze import analyze
    from search.engine import SORTS, SearchIndex
    from search.options import parse_date_option
    from search.present.terminal import Terminal
    from search.present.web import serve
    from search.results import Copy, Document, Facets, Hit, Results, Stats, Token
    from search.settings import RankingSettings
    from search.similar import SimilarSettings


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
    "BuildSettings",
    "Copy",
    "Document",
    "DocumentMissing",
    "Facets",
    "Hit",
    "IndexBusy",
    "IndexMissing",
    "IndexUnreadable",
    "InvalidOption",
    "Progress",
    "QueryError",
    "RankingSettings",
    "ReadProblem",
    "Record",
    "Results",
    "SORTS",
    "SearchError",
    "SearchIndex",
    "SimilarSettings",
    "Stats",
    "Terminal",
    "Token",
    "analyze",
    "parse_date_option",
    "parse_field_mapping",
    "serve",
]
