"""The progress bar of ``search index add`` and ``rebuild`` (apart from search.present.terminal:
a query process should not import the writer it subclasses)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from index.ingest.files import ReadProblem
from index.build.report import Progress as ProgressReport

if TYPE_CHECKING:
    from search.present.terminal import Terminal


class BarProgress(ProgressReport):
    """A rich progress bar on stderr (only when stderr is a terminal), and problem lines."""

    def __init__(self, terminal: Terminal):
        self.terminal = terminal
        self.bar = None
        self.task = None
        self.documents = 0

    def start(self, total: int, label: str) -> None:
        if not self.terminal.err.is_terminal:
            return
        # Imported here: rich.progress is slow to import and queries never need it.
        from rich.markup import escape
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("files · {task.fields[docs]} docs · {task.fields[rate]} docs/s"),
            TimeRemainingColumn(),
            console=self.terminal.err,
            transient=True,
        )
        self.bar.start()
        self.task = self.bar.add_task(escape(label), total=total, docs=0, rate="–")

    def advance(self, units: int = 1, documents: int = 0) -> None:
        self.documents += documents
        if self.bar is not None:
            elapsed = self.bar.tasks[0].elapsed or 0.0
            rate = f"{self.documents / elapsed:,.0f}" if elapsed > 0.5 else "–"
            self.bar.update(self.task, advance=units, docs=f"{self.documents:,}", rate=rate)

    def problem(self, problem: ReadProblem) -> None:
        self.terminal.warn(str(problem))

    def phase(self, label: str) -> None:
        if self.terminal.err.is_terminal:
            self.terminal.err.print(f"{label}…", style="dim", markup=False, highlight=False)

    def waiting(self) -> None:
        self.terminal.warn("another process is writing this index; waiting for it to finish (up to 10 minutes)")

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
