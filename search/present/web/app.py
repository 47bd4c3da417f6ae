"""The local web app: server-rendered pages and a read-only JSON API over one index.

FastAPI (on Starlette) gives routing, query-parameter validation and the OpenAPI
description at ``/openapi.json`` for free; pages are Jinja2 templates with autoescape
on, so every string from the index is escaped unless :mod:`search.present.web.markup` has
checked it. Nothing here writes: indexing stays in the CLI. Every error becomes a
one-line message (JSON under ``/api/``, a page elsewhere), never a traceback.
"""

from __future__ import annotations

import datetime as dt
import sys
import threading
from pathlib import Path
from typing import Annotated, Literal

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from starlette.exceptions import HTTPException

from search import (
    SORTS,
    DocumentMissing,
    IndexMissing,
    IndexUnreadable,
    QueryError,
    Results,
    SearchError,
    SearchIndex,
    parse_date_option,
)
from search.present.web import view
from search.present.web.markup import marked_html

HERE = Path(__file__).parent


#: Similar stories listed under a document on its page.
SIMILAR_ON_PAGE = 5


#: HTTP status for each kind of error the library raises.
STATUS = {QueryError: 400, DocumentMissing: 404, IndexMissing: 503, IndexUnreadable: 503}

Q = Annotated[str, Query(description='Words, "quoted phrases" and -exclusions, as in `search query`.')]
Source = Annotated[str, Query(description="Only documents from this source.")]
Since = Annotated[str, Query(description="Only documents dated on or after YYYY-MM-DD.")]
Until = Annotated[str, Query(description="Only documents dated on or before YYYY-MM-DD.")]
Sort = Annotated[str, Query(description="relevance, or date (newest first).")]
Copies = Annotated[Literal["", "all"], Query(description='"all": every syndicated copy as its own hit (as `--no-collapse`).')]
PageNo = Annotated[int, Query(ge=1, le=view.MAX_PAGE, description=f"Page of {view.PAGE_SIZE} hits, from 1.")]


def _day(value: str, name: str) -> dt.date | None:
    """A date parameter, read as the CLI reads ``--since``/``--until``; empty (a form's
    blank field) is none."""
    return parse_date_option(value if value.strip() else None, name)


def _search(index: SearchIndex, request: view.Request) -> Results:
    if not request.q.strip():
        raise QueryError("type something to search for (parameter q)")
    return index.query(
        request.q,
        limit=view.PAGE_SIZE,
        offset=(request.page - 1) * view.PAGE_SIZE,
        source=request.source or None,
        since=_day(request.since, "since"),
        until=_day(request.until, "until"),
        sort=request.sort,
        facets=True,
        collapse=request.copies != "all",
    )


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["marked"] = marked_html
    env.filters["number"] = lambda n: f"{n:,}"
    return env


def create_app(index: SearchIndex) -> FastAPI:
    """The app serving ``index``; documents added meanwhile with `search index add` show up live.

    FastAPI runs these endpoints in a thread pool, and a SearchIndex may keep one Whoosh
    searcher open, which is not for several threads at once: library calls take turns
    under one lock. Whoosh is pure Python, so the GIL would serialize them anyway.
    """
    one_at_a_time = threading.Lock()
    app = FastAPI(
        title="Arabic news search",
        summary="Read-only search over a local index of Arabic news articles.",
        version="0.1.0",
        docs_url=None,  # Swagger UI loads scripts from a CDN: not for an offline, local tool
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    templates = Jinja2Templates(env=_environment())
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    def page_error(request: Request, message: str, status: int) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": message}, status_code=status)
        context = {"message": message, "req": view.Request(q=request.query_params.get("q", ""))}
        return templates.TemplateResponse(request, "error.html", context, status_code=status)

    @app.exception_handler(SearchError)
    async def search_error(request: Request, exc: SearchError) -> Response:
        return page_error(request, str(exc), STATUS.get(type(exc), 500))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        message = "no such page: try / or /api/search?q=…" if exc.status_code == 404 else str(exc.detail)
        return page_error(request, message, exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def bad_parameter(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors())
        return page_error(request, f"bad parameter ({problems})", 400)

    @app.middleware("http")
    async def unexpected(request: Request, call_next) -> Response:
        # A middleware, not an exception handler: Starlette re-raises from those, and the
        # server's console would show a traceback; here it gets one line on stderr.
        try:
            return await call_next(request)
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            message = f"unexpected {type(exc).__name__}: {exc} (please report this)"
            print(f"error: {request.url.path}: {message}", file=sys.stderr)
            return page_error(request, message, 500)

    @app.get("/api/search", summary="Ranked hits, total and facets (as `search query --json --facets`)")
    def api_search(q: Q, source: Source = "", since: Since = "", until: Until = "", sort: Sort = "relevance",
                   page: PageNo = 1, copies: Copies = "") -> dict:
        request = view.Request(q=q, source=source, since=since, until=until, sort=sort, page=page, copies=copies)
        with one_at_a_time:
            data = _search(index, request).to_json()
        data.update(page=page, page_size=view.PAGE_SIZE)
        return data

    @app.get("/api/doc/{doc_id:path}", summary="One whole stored document (as `search show --json`)")
    def api_doc(doc_id: str) -> dict:
        with one_at_a_time:
            return _document(index, doc_id).to_json()

    @app.get("/api/similar/{doc_id:path}", summary="Stories most like one document, its copies left out (as `search similar --json`)")
    def api_similar(doc_id: str, limit: Annotated[int, Query(ge=1, le=100, description="How many stories.")] = 10) -> dict:
        with one_at_a_time:
            _document(index, doc_id)  # a missing document is a 404, whatever the index holds
            return index.similar(doc_id, limit=limit).to_json()

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request, q: Q = "", source: Source = "", since: Since = "", until: Until = "", sort: Sort = "relevance",
             page: PageNo = 1, copies: Copies = ""):
        req = view.Request(q=q, source=source, since=since, until=until, sort=sort, page=page, copies=copies)
        context: dict = {"req": req, "sorts": SORTS}
        with one_at_a_time:
            if q.strip():
                context["page"] = view.build(req, _search(index, req))
            else:
                context["stats"] = index.stats()
        return templates.TemplateResponse(request, "search.html", context)

    @app.get("/doc/{doc_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def document(request: Request, doc_id: str, q: Q = ""):
        with one_at_a_time:
            doc = _document(index, doc_id)
            # Marked as the results page marks them: the index's synonyms and rewrites.
            title, body = index.highlight(doc.title, q), index.highlight(doc.body, q)
            related = index.similar(doc.id, limit=SIMILAR_ON_PAGE).hits
        context = {
            "similar": related,
            "req": view.Request(q=q),
            "doc": doc,
            "title": title,
            "body": body,
            "url": doc.url if doc.url and doc.url.lower().startswith(("http://", "https://")) else None,
        }
        return templates.TemplateResponse(request, "document.html", context)

    return app


def _document(index: SearchIndex, doc_id: str):
    doc = index.get(doc_id)
    if doc is None:
        raise DocumentMissing(f"no document with id {doc_id!r}: search for it, then follow a result")
    return doc
