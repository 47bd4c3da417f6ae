"""All terminal input and output of the CLI, behind one object tests can fake.

:class:`Terminal` owns stdout and stderr (through rich consoles), knows whether
colour and progress bars make sense, and renders hits, documents and problems. The
CLI never prints directly, so a test can pass ``Terminal(stdout=StringIO(), ...)``.
"""

from __future__ import annotations

import json
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


class Terminal:
    """Where the CLI writes: results to stdout, progress and problems to stderr."""

    def __init__(self, stdout: IO[str] | None = None, stderr: IO[str] | None = None, color: bool | None = None):
        out = stdout or sys.stdout
        err = stderr or sys.stderr
        interactive = out.isatty() if color is None else color
        self.out = Console(file=out, highlight=False, no_color=not interactive, soft_wrap=True)
        self.err = Console(file=err, highlight=False, no_color=not err.isatty(), soft_wrap=True)

    # -- plain output --------------------------------------------------------

    def json(self, data: object) -> None:
        self.out.file.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")

    def line(self, text: str) -> None:
        self.out.print(text, markup=False)

    def error(self, message: str) -> None:
        self.err.print(Text("error: ", style="bold red") + Text(message))

    def warn(self, message: str) -> None:
        self.err.print(Text("warning: ", style="yellow") + Text(message))

    # -- rendering -----------------------------------------------------------

    def results(self, results: Results, explain: bool = False) -> None:
        if explain:
            for expansion in results.expansions:
                names = " | ".join(expansion["synonyms"])
                self.out.print(Text(f"synonyms: {expansion['text']} → {names}", style="cyan"))
            if not results.expansions:
                self.out.print(Text("synonyms: none apply to this query", style="cyan"))
        if results.suggestions:
            self.out.print(Text("هل تقصد: ", style="bold") + Text("، ".join(results.suggestions)))
        for rewrite in results.rewrites:
            self.out.print(Text(f"searched for: {rewrite['searched']} (typed: {rewrite['typed']})", style="yellow"))
        if not results.hits:
            self.out.print(f"No results for {results.query!r}.", markup=False)
            return
        for rank, hit in enumerate(results.hits, 1):
            head = Text(f"{rank}. ", style="dim") + Text(hit.title or hit.id, style="bold")
            self.out.print(head)
            meta = " · ".join(
                part for part in (hit.source or "", hit.date.isoformat() if hit.date else "", f"score {hit.score:.2f}", hit.id) if part
            )
            self.out.print(Text("   " + meta, style="dim"))
            self.out.print(Text("   ") + snippet_text(hit.snippet))
            if hit.copies:
                self.out.print(Text("   " + copies_line(hit.copies), style="dim"))
            self.out.print()
        shown = len(results.hits)
        if results.documents == results.total:
            self.out.print(Text(f"{shown} of {results.total} matching documents", style="dim"))
        else:
            counts = f"{shown} of {results.total} matching stories ({results.documents} documents)"
            self.out.print(Text(counts, style="dim"))

    def facets(self, facets: Facets) -> None:
        """Counts by source and by month as bar charts (months in order, empty ones shown)."""
        sources = dict(facets.sources)
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
        self.out.print(Text(doc.title, style="bold"))
        for label, value in (("id", doc.id), ("source", doc.source), ("date", doc.date), ("path", doc.path), ("url", doc.url)):
            if value:
                self.out.print(Text(f"{label}: {value}", style="dim"))
        for other in doc.paths[1:]:
            self.out.print(Text(f"also in: {other}", style="dim"))
        self.out.print()
        self.out.print(doc.body, markup=False)

    def stats(self, stats: Stats) -> None:
        self.line(f"index:     {stats.location}")
        self.line(f"documents: {stats.documents}")
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


def snippet_text(snippet_html: str) -> Text:
    """Turn a ``<mark>`` snippet back into styled terminal text."""
    import html

    text = Text()
    rest = snippet_html
    while "<mark>" in rest:
        before, _, rest = rest.partition("<mark>")
        marked, _, rest = rest.partition("</mark>")
        text.append(html.unescape(before))
        text.append(html.unescape(marked), style="bold black on yellow")
    text.append(html.unescape(rest))
    return text
