"""The index schema: what is stored, what is searchable, and how.

Bump :data:`SCHEMA_VERSION` whenever a field or an analyzer changes meaning: an index
written under another version is refused with a message that names ``search index
rebuild``, instead of silently mixing two analyses.
"""

from __future__ import annotations

from whoosh.fields import DATETIME, ID, STORED, TEXT, Schema

from index.analysis import ArabicAnalyzer

SCHEMA_VERSION = 2

#: Fields a query searches, with the boost each one gets in BM25F.
SEARCH_FIELDS = {"title": 2.0, "body": 1.0}


def build_schema() -> Schema:
    """id (unique), title and body (Arabic analysis, stored for display and snippets),
    source (exact, for filters and facets), date (filter and sort), path and url, and
    provenance: which rule produced title, date and source (a dict, shown by ``show``)."""
    analyzer = ArabicAnalyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=analyzer, stored=True),
        body=TEXT(analyzer=analyzer, stored=True),
        source=ID(stored=True, sortable=True),
        date=DATETIME(stored=True, sortable=True),
        path=STORED(),
        url=STORED(),
        provenance=STORED(),
    )
