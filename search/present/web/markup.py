"""The only door through which HTML made by the library reaches a page unescaped.

Snippets and highlighted documents come from :meth:`search.present.snippets.Snippet.html`:
HTML-escaped text with ``<mark>``/``</mark>`` around matches. Before a template may
print one without escaping, :func:`marked_html` checks that this is all it holds;
anything else (a bug, or a future change upstream) is escaped whole, so a hostile
article can at worst show its markup as text, never run it.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_MARK_TAG = re.compile(r"</?mark>")


def marked_html(fragment: str) -> Markup:
    """``fragment`` as safe markup if it is escaped text plus ``<mark>`` tags, else escaped."""
    if "<" in _MARK_TAG.sub("", fragment) or ">" in _MARK_TAG.sub("", fragment):
        return escape(fragment)
    return Markup(fragment)
