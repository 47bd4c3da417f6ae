"""News vocabulary: several names for one actor, expanded at query time.

A synonyms file holds one group of equivalent names per line, separated by ``|``::

    # comments start with #
    داعش | تنظيم الدولة | الدولة الإسلامية | ISIS | ISIL

Every name in a group finds the others (the relation is symmetric). A name of several
words matches as a phrase, both in the query (the user typed those words together)
and in documents (they stand together there). Names are compared after the index's
normalization and stop-word removal but *before* stemming: ``الدولة الإسلامية`` must
not fire on ``الدول الإسلامية`` (Islamic countries), which has the same stems. A word
may belong to several groups; the groups are merged.

The project ships :data:`DEFAULT_FILE`; a user file (``--synonyms FILE``) adds its
groups to it. Expansion happens in the query only, so editing a file needs no reindex.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from index.analysis.chain import ArabicExactAnalyzer
from index.errors import SearchError

_EXACT = ArabicExactAnalyzer()

#: The default list, shipped as package data.
DEFAULT_FILE = "synonyms.txt"


class SynonymsError(SearchError):
    """A synonyms file cannot be read."""

    exit_code = 2


def forms(text: str) -> tuple[str, ...]:
    """The normalized, unstemmed words of ``text`` that the index keeps (stop words dropped)."""
    return tuple(t.text for t in _EXACT(text))


@dataclass
class Synonyms:
    """Groups of equivalent names, each name a tuple of normalized word forms."""

    #: name → the group (all names, itself included) it belongs to.
    groups: dict[tuple[str, ...], frozenset[tuple[str, ...]]] = field(default_factory=dict)
    #: name → the name as first written in a file, for display.
    labels: dict[tuple[str, ...], str] = field(default_factory=dict)

    @property
    def longest(self) -> int:
        return max((len(name) for name in self.groups), default=0)

    def add_group(self, names: list[str]) -> None:
        """Make ``names`` equivalent to each other and to whatever they were already equal to."""
        keys = []
        for name in names:
            key = forms(name)
            if key:
                keys.append(key)
                self.labels.setdefault(key, name.strip())
        merged = set(keys)
        for key in keys:
            merged.update(self.groups.get(key, ()))
        group = frozenset(merged)
        for key in group:
            self.groups[key] = group

    def merge(self, other: Synonyms) -> Synonyms:
        """A new set with the groups of both."""
        combined = Synonyms(dict(self.groups), dict(self.labels))
        for group in other.groups.values():
            combined.add_group([other.labels[k] for k in group])
        return combined

    def alternatives(self, name: tuple[str, ...]) -> list[tuple[str, ...]]:
        """The other names of ``name``'s group, in a stable order (empty if none)."""
        group = self.groups.get(name, frozenset())
        return sorted((k for k in group if k != name), key=lambda k: (len(k), k))

    def label(self, name: tuple[str, ...]) -> str:
        return self.labels.get(name, " ".join(name))


def parse_lines(lines: list[str], origin: str) -> Synonyms:
    """Groups from the lines of a synonyms file; a line with a single name is an error."""
    synonyms = Synonyms()
    for number, line in enumerate(lines, 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        names = [n for n in (part.strip() for part in line.split("|")) if n]
        if len(names) < 2:
            raise SynonymsError(f"{origin}:{number}: a group needs two names or more, separated by |")
        synonyms.add_group(names)
    return synonyms


@lru_cache(maxsize=1)
def default_synonyms() -> Synonyms:
    """The list shipped with the project."""
    # Beside this module (package data); importlib.resources would import zipfile on
    # every cold query (benchmarks/README.md), for installs that are never zipped.
    text = Path(__file__).with_name(DEFAULT_FILE).read_text(encoding="utf-8")
    return parse_lines(text.splitlines(), DEFAULT_FILE)


def load(path: str | os.PathLike | None = None, use_default: bool = True) -> Synonyms:
    """The default groups (unless ``use_default`` is false) plus those of the file at ``path``."""
    synonyms = default_synonyms() if use_default else Synonyms()
    if path is None:
        return synonyms
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise SynonymsError(f"{path}: no such synonyms file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SynonymsError(f"{path}: cannot read the synonyms file ({exc.__class__.__name__}); it must be UTF-8 text") from None
    return synonyms.merge(parse_lines(lines, str(path)))
