"""A page of hits: the stored fields of each ranked document, with its snippet."""

from __future__ import annotations

from search.present.snippets import make_snippet
from search.results import Hit, as_date
from search.settings import SnippetSettings


def hits(searcher, ranked: list[tuple[int, float]], terms: set[str] | None, settings: SnippetSettings) -> list[Hit]:
    """One :class:`Hit` per ``(docnum, score)``; snippets mark ``terms`` (None: no snippets)."""
    found = []
    for docnum, score in ranked:
        stored = searcher.stored_fields(docnum)
        found.append(
            Hit(
                id=stored["id"],
                title=stored.get("title", ""),
                source=stored.get("source"),
                date=as_date(stored.get("date")),
                score=float(score),
                snippet="" if terms is None else make_snippet(stored.get("body", ""), terms, settings).html(),
                path=stored.get("path"),
                url=stored.get("url"),
            )
        )
    return found
