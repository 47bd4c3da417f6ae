"""What an add or a rebuild tells its caller: :class:`Progress` while it runs, :class:`AddReport` after.

Public types (re-exported by :mod:`search`); kept apart from the writing code so that
the CLI's progress bar and the library's type hints do not import the writer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from index.ingest.records import ReadProblem


class Progress:
    """What a long operation reports; the library's default reports nothing.

    The CLI passes a subclass that draws a progress bar (see :mod:`search.present.terminal`).
    """

    def start(self, total: int, label: str) -> None:
        """``total`` units of work are about to be done."""

    def advance(self, units: int = 1, documents: int = 0) -> None:
        """``units`` more are done, having produced ``documents`` documents."""

    def problem(self, problem: ReadProblem) -> None:
        """A file or line could not be read; the run goes on."""

    def phase(self, label: str) -> None:
        """A later step of the work begins (merging the segments written), with no count."""

    def waiting(self) -> None:
        """Another process holds the index's write lock; this run waits for it."""

    def finish(self) -> None:
        """The work is over (also called after an error)."""


@dataclass
class AddReport:
    """What an add or rebuild did: counts of documents, and the problems met."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    duplicates: int = 0
    files: int = 0
    #: What could not be indexed (a file, a line): these make ``failed``.
    problems: list[ReadProblem] = field(default_factory=list)
    #: Documents indexed with a caveat (a date not understood): reported, not failures.
    warnings: list[ReadProblem] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.problems)
