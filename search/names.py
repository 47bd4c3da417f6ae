"""Which document a name typed by a user means, when it is no document's id.

``search show NAME`` (:meth:`~search.engine.SearchIndex.get`, which the web page's
document view also uses) accepts the name of any file an article was read from: the
file's name with or without its ending (``AL-123.txt``, ``AL-123``) or its path, looked
up in the index's manifest (each file → the ids of the documents it holds). A file
indexed as a copy of another file's article lists that article's id, so its name leads
to the article kept: a user who knows a file by name need not know which copy won.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath

from index.errors import QueryError

#: How many paths or ids a message about an ambiguous name lists before "… N more".
LISTED = 5
#: How many endings a file's name may be given without (``a.jsonl.gz`` → ``a``).
ENDINGS = 2


def _names(filename: str) -> set[str]:
    """What a file called ``filename`` may be called: its whole name, and without its endings."""
    names = {filename}
    for _ in range(ENDINGS):
        filename, ending = os.path.splitext(filename)
        if not ending:
            break
        names.add(filename)
    return names


def _ends_with(key: str, parts: tuple[str, ...]) -> bool:
    """Whether the path ``key`` ends with the folders and file ``parts``, the file's name
    with or without its ending."""
    tail = key.rsplit(os.sep, len(parts))[1:]
    return len(tail) == len(parts) and tuple(tail[:-1]) == parts[:-1] and parts[-1] in _names(tail[-1])


def files_named(files: dict, name: str) -> dict[str, list[str]]:
    """The files of the manifest (path → ids held) that ``name`` names: the file at that
    path (absolute, or from the current folder), else every file whose path ends with it."""
    held = {key: entry["ids"] for key, entry in files.items() if entry.get("ids") and not key.startswith("records:")}
    try:
        exact = str(Path(name).expanduser().resolve())
    except (OSError, ValueError, RuntimeError):  # a NUL byte, a symlink loop: no such path
        exact = None
    if exact in held:
        return {exact: held[exact]}
    given = PurePath(name)
    parts = tuple(part for part in given.parts if part != ".")
    if not parts or given.is_absolute() or ".." in parts:
        return {}
    return {key: ids for key, ids in held.items() if _ends_with(key, parts)}


def _listed(items: list[str]) -> str:
    shown = ", ".join(items[:LISTED])
    return shown + (f", … {len(items) - LISTED} more" if len(items) > LISTED else "")


def resolve(files: dict, name: str) -> str | None:
    """The id of the one document that the file(s) ``name`` names hold, None when it names
    no file. Several files of that name holding the same article (copies) are one answer;
    several documents are a :class:`~index.errors.QueryError` listing what to use instead."""
    named = files_named(files, name)
    ids = sorted({doc_id for held in named.values() for doc_id in held})
    if len(ids) <= 1:
        return ids[0] if ids else None
    if len(named) == 1:
        ((path, held),) = named.items()
        raise QueryError(f"{name!r} is {path}, which holds {len(held)} documents: use one of their ids ({_listed(held)})")
    raise QueryError(f"{name!r} names {len(named)} files holding different documents: use a path ({_listed(sorted(named))})")
