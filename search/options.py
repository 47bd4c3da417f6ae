"""Options a user types, read the same way by the CLI and the web page."""

from __future__ import annotations

import datetime as dt

from index.errors import QueryError


def parse_date_option(value: str | None, option: str) -> dt.date | None:
    """``value`` given for ``option`` (``--since``, ``until`` ...) as a date: ISO
    ``YYYY-MM-DD``, None when not given; anything else is a one-line QueryError."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise QueryError(f"{option} wants a date as YYYY-MM-DD, not {value!r}") from None
