"""All terminal input and output of the CLI, behind one object tests can fake.

:class:`Terminal` owns stdout and stderr (through rich consoles), knows whether
colour and progress bars make sense, and renders hits, documents and problems. The
CLI never prints directly, so a test can pass ``Terminal(stdout=StringIO(), ...)``.

With ``bidi=True`` (``--bidi``) every line holding Arabic is printed for terminals that
cannot lay it out (:mod:`search.present.bidi`): joined letters, visual order, wrapped to
the width first. Text runs (titles, snippets, bodies) take their own direction and are
right-aligned when Arabic; label and table lines (``source: …``, ``search analyze``)
stay left to right with only their Arabic words turned. JSON never changes.
"""

from __future__ import annotations

import json
import re
import sys
from typing import IO, TYPE_CHECKING

from rich.console import Console
from rich.text import Text

if TYPE_CHECKING:  # a query must not import the writer and the file readers (cold start)
    from index.build.report import AddReport
    from index.build.report import Progress as ProgressReport
    from search.evaluate import Evaluation
    from search.results import Copy, Document, Facets, Results, Stats

#: Width of the longest bar in ``search query --facets``, in character cells.
BAR_WIDTH = 30
#: How a matched word stands out in a snippet.
MARK = "bold black on yellow"
#: Narrowest column ``--bidi`` wraps to, however narrow the terminal claims to be.
MIN_WIDTH = 20

#: Where a table row's columns part (kept by ``re.split``).
_COLUMNS = re.compile(r"(\s{2,})")

#: ``(text, marked)`` pieces of one paragraph.
Segments = list[tuple[str, bool]]


class Terminal:
    """Where the CLI writes: results to stdout, progress and problems to stderr."""

    def __init__(
        self, stdout: IO[str] | None = None, stderr: IO[str] | None = None, color: bool | None = None, bidi: bool = False
    ):
        out = stdout or sys.stdout
        err = stderr or sys.stderr
        interactive = out.isatty() if color is None else color
        self.out = Console(file=out, highlight=False, no_color=not interactive, soft_wrap=True)
        self.err = Console(file=err, highlight=False, no_color=not err.isatty(), soft_wrap=True)
        self.bidi = bidi

    # -- plain output --------------------------------------------------------

    def json(self, data: object) -> None:
        """JSON as stored (logical order, unshaped) whatever ``bidi`` says: it is for programs."""
        self.out.file.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")

    def line(self, text: str) -> None:
        self.out.print(self._turned(text), markup=False)

    def error(self, message: str) -> None:
        self.err.print(Text("error: ", style="bold red") + Text(self._turned(message)))

    def warn(self, message: str) -> None:
        self.err.print(Text("warning: ", style="yellow") + Text(self._turned(message)))

    def _turned(self, text: str) -> str:
        """A left-to-right line (label, table row, message) with its Arabic in visual order
        when ``bidi`` is on. Never wrapped, and columns (two or more spaces apart) are
        turned one by one: ``الرقة  →  رقه`` must not swap its two sides."""
        if not self._turns(text):
            return text
        from search.present.bidi import visual_line

        return "".join(visual_line(part, rtl=False) for part in _COLUMNS.split(text))

    def _label(self, text: str, style: str) -> None:
        """A label line in ``style``, its Arabic turned as :meth:`_turned` says."""
        self.out.print(Text(self._turned(text), style=style))

    def _turns(self, text: str) -> bool:
        """Whether ``--bidi`` changes ``text``: when off, or with no Arabic in it, lines
        print as they are and the reshaper is never imported."""
        if not self.bidi:
            return False
        from search.present.bidi import has_rtl

        return has_rtl(text)

    def _paragraph(self, segments: Segments, style: str = "", indent: int = 0, mark: str = MARK) -> None:
        """Running text (``marked`` pieces in ``mark``) after ``indent`` spaces; with
        ``bidi`` and Arabic in it, wrapped to the width left, in visual order, and
        right-to-left lines right-aligned with the indent on their right."""
        lines, rtl = [segments], False
        logical = "".join(text for text, _ in segments)
        if self._turns(logical):
            from search.present.bidi import is_rtl, visual_segments

            lines = visual_segments(segments, max(self.out.width - indent, MIN_WIDTH))
            rtl = is_rtl(logical)
        pad = Text(" " * indent)
        for pieces in lines:
            text = Text(style=style)
            for piece, marked in pieces:
                text.append(piece, style=mark if marked else None)
            self.out.print(text + pad if rtl else pad + text)

    # -- rendering -----------------------------------------------------------

    def results(self, results: Results, explain: bool = False) -> None:
        if results.missing_shards:
            self._label(f"partial answer: shards {', '.join(map(str, results.missing_shards))} did not answer", "yellow")
        if explain:
            for expansion in results.expansions:
                names = " | ".join(expansion["synonyms"])
                self._label(f"synonyms: {expansion['text']} → {names}", "cyan")
            if not results.expansions:
                self.out.print(Text("synonyms: none apply to this query", style="cyan"))
        if results.suggestions:
            self._paragraph([("هل تقصد: ", True), ("، ".join(results.suggestions), False)], mark="bold")
        for rewrite in results.rewrites:
            self._label(f"searched for: {rewrite['searched']} (typed: {rewrite['typed']})", "yellow")
        if not results.hits:
            self.line(f"No results for {results.query!r}.")
            return
        for rank, hit in enumerate(results.hits, 1):
            title = hit.title or hit.id
            if self._turns(title):  # one run: the rank stands where the title starts, its right
                self._paragraph([(f"{rank}. {title}", False)], style="bold")
            else:
                self.out.print(Text(f"{rank}. ", style="dim") + Text(title, style="bold"))
            meta = " · ".join(
                part for part in (hit.source or "", hit.date.isoformat() if hit.date else "", f"score {hit.score:.2f}", hit.id) if part
            )
            self._paragraph([(meta, False)], style="dim", indent=3)
            self._paragraph(snippet_segments(hit.snippet), indent=3)
            if hit.copies:
                self._paragraph([(copies_line(hit.copies), False)], style="dim", indent=3)
            self.out.print()
        shown = len(results.hits)
        if results.documents == results.total:
            self.out.print(Text(f"{shown} of {results.total} matching documents", style="dim"))
        else:
            counts = f"{shown} of {results.total} matching stories ({results.documents} documents)"
            self.out.print(Text(counts, style="dim"))

    def facets(self, facets: Facets) -> None:
        """Counts by source and by month as bar charts (months in order, empty ones shown)."""
        sources = {self._turned(name): n for name, n in facets.sources.items()}
        if facets.no_source:
            sources["(no source)"] = facets.no_source
        months = dict(facets.timeline())
        if facets.no_date:
            months["(no date)"] = facets.no_date
        for heading, counts in (("by source", sources), ("by month", months)):
            if not counts:
                continue
            self.out.print(Text(heading, style="bold"))
            width = max(len(name) for name in counts)
            top = max(counts.values()) or 1
            for name, n in counts.items():
                cells = n * BAR_WIDTH / top
                bar = "█" * int(cells) + ("▌" if cells - int(cells) >= 0.5 else "")
                if n and not bar:
                    bar = "▏"
                line = Text(f"  {name:<{width}}  ") + Text(bar.ljust(BAR_WIDTH + 1), style="cyan") + Text(f"{n:>7,}")
                self.out.print(line)
            self.out.print()

    def document(self, doc: Document) -> None:
        self._paragraph([(doc.title, False)], style="bold")
        for label, value in (("id", doc.id), ("source", doc.source), ("date", doc.date), ("path", doc.path), ("url", doc.url)):
            if value:
                self._label(f"{label}: {value}", "dim")
        for other in doc.paths[1:]:
            self._label(f"also in: {other}", "dim")
        self.out.print()
        self._paragraph([(doc.body, False)])

    def stats(self, stats: Stats) -> None:
        self.line(f"index:     {stats.location}")
        self.line(f"documents: {stats.documents}")
        if stats.shards > 1:
            self.line(f"shards:    {stats.shards}")
        if stats.first_date:
            self.line(f"dates:     {stats.first_date} … {stats.last_date}")
        self.line(f"size:      {stats.size_bytes / 1e6:.1f} MB")
        if stats.sources:
            self.line("sources:")
            for name, count in stats.sources.items():
                self.line(f"  {count:>8}  {name}")

    def evaluation(self, evaluation: Evaluation) -> None:
        from search.evaluate import MEASURES

        rows = [("all", evaluation.overall), *evaluation.by_prefix.items()]
        self.line(f"{'queries':<10}{'n':>6}" + "".join(f"{m:>10}" for m in MEASURES))
        for name, scores in rows:
            self.line(f"{name:<10}{scores.queries:>6}" + "".join(f"{scores.values[m]:>10.4f}" for m in MEASURES))
        if evaluation.empty_queries:
            empty = len(evaluation.empty_queries)
            self.warn(f"{empty} {'query' if empty == 1 else 'queries'} found nothing (counted as 0)")

    def report(self, report: AddReport) -> None:
        summary = (
            f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged, "
            f"{report.removed} removed, {report.failed} failed"
        )
        if report.warnings:
            summary += f", {len(report.warnings)} warning{'s' if len(report.warnings) > 1 else ''}"
        if report.duplicates:
            summary += f" ({report.duplicates} duplicate{'s' if report.duplicates > 1 else ''} of articles already indexed)"
        self.err.print(Text(summary, style="bold" if not report.failed else "bold yellow"))

    def progress(self) -> ProgressReport:
        from search.present.progress_bar import BarProgress

        return BarProgress(self)


def copies_line(copies: list[Copy]) -> str:
    """``+ 2 copies: agency-a, agency-b``: who else ran the story (a copy without a source by its id)."""
    names = ", ".join(c.source or c.id for c in copies)
    return f"+ {len(copies)} {'copy' if len(copies) == 1 else 'copies'}: {names}"


def snippet_segments(snippet_html: str) -> Segments:
    """A ``<mark>`` snippet as plain ``(text, marked)`` pieces."""
    import html

    segments: Segments = []
    rest = snippet_html
    while "<mark>" in rest:
        before, _, rest = rest.partition("<mark>")
        marked, _, rest = rest.partition("</mark>")
        segments += [(html.unescape(before), False), (html.unescape(marked), True)]
    segments.append((html.unescape(rest), False))
    return segments

