"""Errors the user can act on. Each message is one line that says what to do.

The CLI's exit codes (``cli.main``): 0 success; 1 a :class:`SearchError` (no index, a
damaged or old index, a busy index) or files that failed to index; 2 a bad command line
or a :class:`QueryError`; 3 an unexpected error (a bug); 130 interrupted by Ctrl-C.
"""

from __future__ import annotations


class SearchError(Exception):
    """Base class: ``str(error)`` is shown to the user as is; ``exit_code`` is the CLI's."""

    exit_code = 1


class IndexMissing(SearchError):
    """No index at the location asked for."""


class IndexUnreadable(SearchError):
    """The index is damaged or was written by another schema version."""


class IndexBusy(SearchError):
    """Another process is writing the index and did not finish in time."""


class DocumentMissing(SearchError):
    """No document has the id (or file name) asked for."""

    @classmethod
    def named(cls, doc_id: str) -> DocumentMissing:
        """The one line ``show`` and ``similar`` give for ``doc_id``."""
        return cls(f"no document with id or file name {doc_id!r}: `search query` prints ids")


class BuildFailed(SearchError):
    """A helper process of a build (a writer worker, the signer) could not do its part."""

    @classmethod
    def because(cls, why: str) -> BuildFailed:
        """The one line for any helper's failure: the build commits nothing when one fails."""
        return cls(f"an indexing process failed ({why}): nothing was changed; try again")


class QueryError(SearchError):
    """The query or one of its options cannot be used."""

    exit_code = 2


class InvalidOption(SearchError):
    """An option's value cannot be used (for example a malformed ``--field`` mapping)."""

    exit_code = 2
