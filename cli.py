"""The ``search`` command: a thin typer layer over the :mod:`search` library.

Every command takes ``--index DIR`` (else ``$SEARCH_INDEX``, else a per-user data
folder). Errors are one line on stderr and an exit code (see README: Exit codes).
Arabic is printed for terminals without right-to-left support with ``--bidi``: the
command's flag, else ``search --bidi``, else ``$SEARCH_BIDI`` (1/0), else off.
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path
from typing import Annotated, Optional

import typer

app = typer.Typer(
    help="Search Arabic news articles: index files, then query them with Arabic-aware matching.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
index_app = typer.Typer(help="Build and inspect the index.", no_args_is_help=True)
app.add_typer(index_app, name="index")

IndexOption = Annotated[
    Optional[Path],
    typer.Option("--index", help="Index folder (default: $SEARCH_INDEX, else a per-user data folder).", show_default=False),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
SynonymsOption = Annotated[
    Optional[Path],
    typer.Option("--synonyms", help="A file of extra synonym groups (one per line, names separated by |).", show_default=False),
]
NoCollapseOption = Annotated[
    bool, typer.Option("--no-collapse", help="List every syndicated copy as its own hit instead of once per story.")
]
DefaultSynonymsOption = Annotated[
    bool, typer.Option("--default-synonyms/--no-default-synonyms", help="Use the news synonyms shipped with the project.")
]
ClusterOption = Annotated[Optional[str], typer.Option("--cluster", envvar="SEARCH_CLUSTER", show_default=False, help=(
    "Run on the Dask cluster of this scheduler, tcp://HOST:PORT (default: $SEARCH_CLUSTER); see README."))]
AllowPartialOption = Annotated[bool, typer.Option("--allow-partial", help=(
    "On a cluster, answer from the shards that are up and name the missing ones."))]

#: Whether this run's terminal output is for terminals without bidi support: set while
#: the command line is read, so the error line main() prints after a command obeys it too.
_bidi = False


def _choose_bidi(value: Optional[bool]) -> None:
    """A command's own ``--bidi/--no-bidi`` overrides ``search --bidi`` and SEARCH_BIDI."""
    global _bidi
    if value is not None:
        _bidi = value


#: A command's ``bidi: BidiOption = None`` parameter only adds the option: its callback
#: records the choice for every terminal of the run, and the command never receives it.
BidiOption = Annotated[
    Optional[bool],
    typer.Option(
        "--bidi/--no-bidi", callback=_choose_bidi, expose_value=False, show_default=False,
        help="Arabic in visual order with joined letters, for terminals without right-to-left support (never in --json).",
    ),
]


@app.callback()
def options(
    bidi: Annotated[
        bool,
        typer.Option(
            "--bidi/--no-bidi", envvar="SEARCH_BIDI",
            help="Every command's --bidi (default: $SEARCH_BIDI, 1 or 0; a command's own flag wins).",
        ),
    ] = False,
) -> None:
    """Read before any command: each run starts from this flag or SEARCH_BIDI, never
    from the last run's choice (tests run many commands in one process)."""
    global _bidi
    _bidi = bidi


def _terminal():
    from search import Terminal

    return Terminal(bidi=_bidi)


def _index(location: Path | None, synonyms: Path | None = None, default_synonyms: bool = True, memory: str | None = None,
           **options):
    import search  # BuildSettings only when asked: a query does not import the build's settings

    build = search.BuildSettings.parse(memory) if memory else None
    return search.SearchIndex(location, synonyms=synonyms, default_synonyms=default_synonyms, build=build, **options)


#: Read by ``index add`` and ``index rebuild``; checked when the index is opened (a bad
#: size is a one-line error, exit code 2, like any other bad option).
MemoryOption = Annotated[Optional[str], typer.Option("--memory", envvar="SEARCH_MEMORY", show_default=False, help=(
    "Most memory the build may take, all its processes together: 512MB, 1GB, 2GB… (default: $SEARCH_MEMORY, else 1GB)."))]


@index_app.command("add")
def index_add(
    paths: Annotated[
        list[Path], typer.Argument(help="Files or folders (.txt, .html, .csv, .tsv, .jsonl, .jsonl.gz).", show_default=False)
    ],
    source: Annotated[Optional[str], typer.Option(help="Source name for every document added.")] = None,
    field: Annotated[
        Optional[list[str]],
        typer.Option(help="JSONL/CSV field names: body=content,title=headline (FIELD is id, title, body, source, date or url)."),
    ] = None,
    index: IndexOption = None,
    memory: MemoryOption = None,
    shards: Annotated[Optional[int], typer.Option("--shards", show_default=False, help=(
        "Split a new index into N shards (each document in one, by its id); an existing index keeps its own number."))] = None,
    cluster: ClusterOption = None,
) -> None:
    """Add files and folders to the index; unchanged files are skipped, changed ones replaced."""
    from search import parse_field_mapping

    fields = parse_field_mapping(field)
    term = _terminal()
    report = _index(index, memory=memory, shards=shards, cluster=cluster).add(paths, source=source, progress=term.progress(), fields=fields or None)
    term.report(report)
    if report.failed:
        raise typer.Exit(1)


@index_app.command("rebuild")
def index_rebuild(index: IndexOption = None, memory: MemoryOption = None, cluster: ClusterOption = None) -> None:
    """Re-read every source added so far into a fresh index; queries use the old one until it is done."""
    term = _terminal()
    report = _index(index, memory=memory, cluster=cluster).rebuild(progress=term.progress())
    term.report(report)
    if report.failed:
        raise typer.Exit(1)


@index_app.command("stats")
def index_stats(index: IndexOption = None, json: JsonOption = False, bidi: BidiOption = None) -> None:
    """Documents, sources, date range and size on disk."""
    term = _terminal()
    stats = _index(index).stats()
    term.json(stats.to_json()) if json else term.stats(stats)


# A query may start with "-" (an exclusion, a lone operator): it is text, not an unknown option.
@app.command("query", context_settings={"ignore_unknown_options": True})
def query(
    text: Annotated[str, typer.Argument(help='Words, "quoted phrases" and -exclusions.', show_default=False)],
    limit: Annotated[int, typer.Option(min=1, max=1000, help="How many hits to show.")] = 10,
    source: Annotated[Optional[str], typer.Option(help="Only documents from this source.")] = None,
    since: Annotated[Optional[str], typer.Option(help="Only documents dated on or after YYYY-MM-DD.")] = None,
    until: Annotated[Optional[str], typer.Option(help="Only documents dated on or before YYYY-MM-DD.")] = None,
    sort: Annotated[str, typer.Option(help="relevance or date (newest first).")] = "relevance",
    facets: Annotated[bool, typer.Option("--facets", help="Also count matches by source and month (bar charts).")] = False,
    synonyms: SynonymsOption = None,
    default_synonyms: DefaultSynonymsOption = True,
    explain: Annotated[bool, typer.Option("--explain", help="Show how the query was understood (synonyms added).")] = False,
    no_collapse: NoCollapseOption = False,
    index: IndexOption = None,
    json: JsonOption = False,
    bidi: BidiOption = None,
    cluster: ClusterOption = None,
    allow_partial: AllowPartialOption = False,
) -> None:
    """Search the index and show ranked hits with highlighted snippets; syndicated copies of a story are one hit."""
    from search import parse_date_option

    term = _terminal()
    with _index(index, synonyms, default_synonyms, cluster=cluster, allow_partial=allow_partial) as ix:  # closes a cluster's client
        results = ix.query(
            text, limit=limit, source=source, since=parse_date_option(since, "--since"),
            until=parse_date_option(until, "--until"), sort=sort, facets=facets, collapse=not no_collapse,
        )
    if results.empty_index and not json:
        term.line(f"no documents in the index at {ix.location}: add some with `search index add PATH`")
        return
    term.json(results.to_json()) if json else term.results(results, explain=explain)
    if results.facets is not None and not json:
        term.facets(results.facets)


@app.command("eval")
def evaluate(
    queries: Annotated[Path, typer.Option("--queries", help='JSON lines {"id", "text"}.', show_default=False)],
    qrels: Annotated[Path, typer.Option("--qrels", help="query_id<TAB>doc_id<TAB>relevance, no header.", show_default=False)],
    run: Annotated[Optional[Path], typer.Option("--run", help="Also write the TREC run (100 per query) here.")] = None,
    synonyms: SynonymsOption = None,
    default_synonyms: DefaultSynonymsOption = True,
    index: IndexOption = None,
    json: JsonOption = False,
    cluster: ClusterOption = None,
) -> None:
    """Run a query set exactly as `search query` would; print RR@10, nDCG@10, R@100 (ir-measures)."""
    term = _terminal()
    with _index(index, synonyms, default_synonyms, cluster=cluster) as ix:
        result = ix.evaluate(queries, qrels, run=run, progress=term.progress())
    term.json(result.to_json()) if json else term.evaluation(result)


@app.command("show")
def show(
    doc_id: Annotated[
        str, typer.Argument(metavar="ID", help="A document id, as printed by `search query`, or the name or path of a file it was read from.")
    ],
    index: IndexOption = None,
    json: JsonOption = False,
    bidi: BidiOption = None,
) -> None:
    """Print one whole stored document."""
    from search import DocumentMissing

    term = _terminal()
    doc = _index(index).get(doc_id)
    if doc is None:
        raise DocumentMissing.named(doc_id)
    term.json(doc.to_json()) if json else term.document(doc)


@app.command("similar")
def similar(
    doc_id: Annotated[str, typer.Argument(metavar="ID", help="A document id, as printed by `search query`, or a file name.", show_default=False)],
    limit: Annotated[int, typer.Option(min=1, max=1000, help="How many stories to show.")] = 10,
    index: IndexOption = None,
    json: JsonOption = False,
    bidi: BidiOption = None,
) -> None:
    """Other stories most like document ID (its own copies left out), shown as `search query` shows hits."""
    term = _terminal()
    results = _index(index).similar(doc_id, limit=limit)
    term.json(results.to_json()) if json else term.results(results)


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on; 127.0.0.1 keeps it on this machine.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="TCP port (0: any free port).")] = 8000,
    open_browser: Annotated[bool, typer.Option("--open", help="Open the page in the default browser.")] = False,
    index: IndexOption = None,
    cluster: ClusterOption = None,
) -> None:
    """Search the index in a local web page (right to left, with facets and a timeline); read-only."""
    from search import serve as run_server

    run_server(_index(index, cluster=cluster), host=host, port=port, open_browser=open_browser, announce=_terminal().line)


@app.command("analyze")
def analyze(
    text: Annotated[str, typer.Argument(help="Any text.", show_default=False)],
    json: JsonOption = False,
    bidi: BidiOption = None,
) -> None:
    """Show the tokens the index makes of TEXT, with offsets into TEXT."""
    from dataclasses import asdict

    from search import analyze as run_analyze

    term = _terminal()
    tokens = run_analyze(text)
    if json:
        term.json([asdict(t) for t in tokens])
    else:
        for t in tokens:
            term.line(f"{t.start:>5} {t.end:>5}  {text[t.start:t.end]}  →  {t.text}")


#: Exit code of a run stopped by Ctrl-C (128 + SIGINT), as shells do.
INTERRUPTED = 130


def main() -> None:
    """Console-script entry: known errors become one line on stderr and an exit code.

    Usage errors (click's, exit 2) become one line naming the ``--help`` to read; our
    SearchError subclasses carry their own exit code; anything unexpected is still one
    line (exit 3), never a traceback.
    """
    warnings.simplefilter("ignore")
    from search import SearchError

    try:
        # Outside standalone mode typer returns (not raises) an Exit's code, and turns
        # Ctrl-C into a returned 130.
        code = app(standalone_mode=False)
    except SearchError as exc:
        _terminal().error(str(exc))
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        code = INTERRUPTED
    except typer.Exit as exc:
        code = exc.exit_code
    except typer.Abort as exc:
        if exc.__cause__ is None:
            sys.exit(1)
        # typer turns any EOFError into a silent Abort: show it as the bug it is.
        cause = exc.__cause__
        _terminal().error(f"unexpected {type(cause).__name__}: {cause} (please report this)")
        sys.exit(3)
    except Exception as exc:  # usage errors and the unexpected
        # Usage errors are click's ClickException, vendored by recent typer versions
        # (typer._click) and imported from click by older ones: recognise them by shape.
        if callable(getattr(exc, "format_message", None)) and isinstance(getattr(exc, "exit_code", None), int):
            ctx = getattr(exc, "ctx", None)
            where = ctx.command_path if ctx is not None else "search"
            _terminal().error(f"{exc.format_message().rstrip('.')}; see '{where} --help'")
            sys.exit(exc.exit_code)
        _terminal().error(f"unexpected {type(exc).__name__}: {exc} (please report this)")
        sys.exit(3)
    if code == INTERRUPTED:
        _terminal().error("interrupted; the index keeps its last completed state")
    sys.exit(code if isinstance(code, int) else 0)


#: Commands that write nothing: their process may end without Python's teardown.
READ_ONLY_COMMANDS = frozenset({"query", "show", "similar", "analyze"})


def run() -> None:
    """The ``search`` console script: :func:`main`; then a read-only command ends with
    ``os._exit`` once its output is flushed. Python's teardown (freeing every module,
    cache and the index's memory maps, joining numpy's thread) is a noticeable share of
    a cold ``search query`` (benchmarks/README.md), and there is nothing to save.
    """
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code
    if sys.argv[1:2] and sys.argv[1] in READ_ONLY_COMMANDS and isinstance(code, int):
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # a closed pipe (``| head``): nothing more to say
                pass
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    run()
