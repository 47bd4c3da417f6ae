"""The index schema: what is stored, what is searchable, and how.

Bump :data:`SCHEMA_VERSION` whenever a field or an analyzer changes meaning, or the
segments' format (7: postings of fields without positions only in the sidecar,
:mod:`index.whoosh_ext.codec`): an index written under another version is refused with a message that names ``search index
rebuild``, instead of silently mixing two analyses. (9: the ``story`` column, and
stop words that keep tashaphyne's homographs of content words searchable; 10: more of
them, ولي, أمين, حي, أول, أمام/إمام among them.)
"""

from __future__ import annotations

from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, DATETIME, ID, STORED, TEXT, Schema

from index.analysis.chain import ArabicAnalyzer, ArabicExactAnalyzer, ArabicRootAnalyzer

SCHEMA_VERSION = 10

#: Fields a query searches, with the boost each one gets in BM25F.
SEARCH_FIELDS = {"title": 0.5, "body": 1.0}

#: Unstemmed twin of each searched field (same text, :func:`ArabicExactAnalyzer`), so a
#: word found in the form typed can score above a mere stem match (search.query.parsing).
#: No positions: several exact words are phrased on the stemmed fields instead.
EXACT_FIELDS = {"title": "title_exact", "body": "body_exact"}
#: Root twin of each searched field: a low-weight fallback for recall (search.query.parsing).
#: Searched one term at a time, never as a phrase, so they keep no positions: positions
#: of two more whole-text fields would add much to the index's size and build time for
#: nothing a query reads (benchmarks/README.md, "Measurements behind index/ rules").
ROOT_FIELDS = {"title": "title_root", "body": "body_root"}


def build_schema() -> Schema:
    """id (unique), title and body (Arabic analysis, stored for display and snippets),
    source (exact, for filters and facets), date (filter and sort), path and url, and
    provenance: which rule produced title, date and source (a dict, shown by ``show``);
    story: the key of the document's syndicated story (:mod:`index.build.copies`) as a
    64-bit hash, a fixed-width column only: no indexed term and no stored copy (8 bytes a
    document), and a query reads a whole segment's keys as one array
    (:func:`index.whoosh_ext.postings.numeric_column`)."""
    analyzer = ArabicAnalyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=analyzer, stored=True),
        body=TEXT(analyzer=analyzer, stored=True),
        # No positions either: phrases of exact forms are phrased on the stemmed fields
        # (search.query.parsing._exact_query), so positions here would be size for nothing.
        title_exact=TEXT(analyzer=ArabicExactAnalyzer(), phrase=False),
        body_exact=TEXT(analyzer=ArabicExactAnalyzer(), phrase=False),
        # No positions: roots are never searched as phrases, and every query reads the
        # long root posting lists, whose blocks positions would make several times larger.
        title_root=TEXT(analyzer=ArabicRootAnalyzer(), phrase=False),
        body_root=TEXT(analyzer=ArabicRootAnalyzer(), phrase=False),
        source=ID(stored=True, sortable=True),
        date=DATETIME(stored=True, sortable=True),
        path=STORED(),
        url=STORED(),
        provenance=STORED(),
        story=COLUMN(NumericColumn("Q")),
    )
