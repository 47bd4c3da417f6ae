"""The web app through FastAPI's test client: JSON API, pages, errors, escaping."""

from __future__ import annotations

import datetime as dt
import json
import re
import socket
from collections import Counter
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import cli
from search import SearchError, SearchIndex
from search.present.web import create_app
from search.present.web.markup import marked_html
from search.present.web.server import bind
from search.present.web.view import PAGE_SIZE
from web_corpus import ARTICLES, HOSTILE_ID, build_index

SHARED = Path(__file__).resolve().parents[5] / "shared"
WITHDRAWAL = "انسحاب"


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> SearchIndex:
    return build_index(tmp_path_factory.mktemp("web-index"))


@pytest.fixture(scope="module")
def client(index) -> TestClient:
    return TestClient(create_app(index))


def matching(word_part: str) -> list[dict]:
    """Fixture articles whose text holds ``word_part`` (any inflection around it)."""
    return [a for a in ARTICLES if word_part in a["title"] + a["body"]]


# -- JSON API -------------------------------------------------------------------


def test_api_search_is_the_cli_json_plus_facets(client, index):
    data = client.get("/api/search", params={"q": WITHDRAWAL}).json()
    library = index.query(WITHDRAWAL, limit=PAGE_SIZE).to_json()
    assert {k: data[k] for k in library} == library
    assert data["total"] == len(matching("نسحاب"))
    facets = data["facets"]
    expected_sources: dict[str, int] = {}
    for article in matching("نسحاب"):
        if article.get("source"):
            expected_sources[article["source"]] = expected_sources.get(article["source"], 0) + 1
    assert facets["sources"] == expected_sources
    assert facets["no_source"] == facets["no_date"] == 1
    assert list(facets["sources"].values()) == sorted(facets["sources"].values(), reverse=True)
    assert sum(facets["months"].values()) + facets["no_date"] == data["total"]
    assert list(facets["months"]) == sorted(facets["months"])
    assert facets["months"]["2019-03"] == 2


def test_api_facets_count_every_match_not_only_the_page(client):
    data = client.get("/api/search", params={"q": "الطقس"}).json()
    assert data["total"] > PAGE_SIZE
    assert len(data["hits"]) == PAGE_SIZE
    assert sum(data["facets"]["sources"].values()) == data["total"]


def test_api_pages_do_not_overlap_and_cover_everything(client):
    seen: list[str] = []
    first = client.get("/api/search", params={"q": "الطقس"}).json()
    for page in range(1, first["total"] // PAGE_SIZE + 2):
        data = client.get("/api/search", params={"q": "الطقس", "page": page}).json()
        assert data["total"] == first["total"] and data["page"] == page
        seen.extend(h["id"] for h in data["hits"])
    assert len(seen) == len(set(seen)) == first["total"]


def test_api_filters_source_dates_and_sort(client):
    data = client.get("/api/search", params={"q": WITHDRAWAL, "source": "gulf-wire"}).json()
    assert data["hits"] and {h["source"] for h in data["hits"]} == {"gulf-wire"}
    assert data["facets"]["sources"] == {"gulf-wire": data["total"]}
    data = client.get("/api/search", params={"q": WITHDRAWAL, "since": "2019-03-01", "until": "2019-03-31"}).json()
    assert data["total"] == 2 and all(h["date"].startswith("2019-03") for h in data["hits"])
    data = client.get("/api/search", params={"q": WITHDRAWAL, "sort": "date"}).json()
    dates = [h["date"] for h in data["hits"] if h["date"]]  # where undated ones go is the library's call
    assert len(dates) > 2 and dates == sorted(dates, reverse=True)


def test_api_doc_is_search_show_json(client, index):
    assert client.get("/api/doc/withdraw-city").json() == index.get("withdraw-city").to_json()


@pytest.mark.parametrize(
    ("url", "status", "words"),
    [
        ("/api/search?q=", 400, "type something"),
        ("/api/search?q=x&page=0", 400, "page"),
        ("/api/search?q=x&page=abc", 400, "page"),
        ("/api/search?q=x&since=yesterday", 400, "YYYY-MM-DD"),
        ("/api/search?q=x&since=2020-01-01&until=2019-01-01", 400, "swap"),
        ("/api/search?q=x&sort=best", 400, "relevance"),
        ("/api/doc/no-such-id", 404, "no document"),
        ("/api/nowhere", 404, "no such page"),
    ],
)
def test_api_errors_are_one_clear_json_message(client, url, status, words):
    response = client.get(url)
    assert response.status_code == status
    assert words in response.json()["error"]
    assert "Traceback" not in response.text


def test_unexpected_failure_is_a_message_not_a_traceback(index, monkeypatch, capsys):
    app_client = TestClient(create_app(index))

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(index, "query", broken)
    response = app_client.get("/api/search", params={"q": WITHDRAWAL})
    assert response.status_code == 500
    assert "disk on fire" in response.json()["error"]
    page = app_client.get("/", params={"q": WITHDRAWAL})
    assert page.status_code == 500 and "disk on fire" in page.text and "Traceback" not in page.text
    logged = capsys.readouterr().err
    assert "disk on fire" in logged and "Traceback" not in logged


def test_openapi_describes_the_read_only_api(client):
    spec = client.get("/openapi.json").json()
    assert {"/api/search", "/api/doc/{doc_id}"} <= set(spec["paths"])
    params = {p["name"] for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert params == {"q", "source", "since", "until", "sort", "page", "copies"}
    methods = {m for path in spec["paths"].values() for m in path}
    assert methods == {"get"}


def test_nothing_writes(client):
    for url in ("/api/search?q=x", "/api/doc/withdraw-city", "/"):
        assert client.post(url).status_code == 405
        assert client.delete(url).status_code == 405


# -- pages ----------------------------------------------------------------------


def test_results_page_is_arabic_right_to_left_and_keeps_the_query(client):
    html = client.get("/", params={"q": WITHDRAWAL, "sort": "date"}).text
    assert '<html lang="ar" dir="rtl">' in html
    assert f'name="q" value="{WITHDRAWAL}"' in html
    assert "<mark>انسحاب</mark>" in html and "<mark>بانسحابه</mark>" in html
    assert 'value="date" selected' in html


def test_results_page_facets_and_timeline_link_to_filters(client):
    html = client.get("/", params={"q": WITHDRAWAL}).text
    months = re.findall(r'data-month="(\d{4}-\d{2})"', html)
    assert months == ["2019-01", "2019-02", "2019-03"]
    bar = re.search(r'href="([^"]+)" data-month="2019-03"', html).group(1)
    assert "since=2019-03-01" in bar and "until=2019-03-31" in bar
    source_link = re.search(r'href="([^"]+)" class="source" data-source="gulf-wire"', html).group(1)
    filtered = client.get(source_link.replace("&amp;", "&")).text
    assert 'class="source active"' in filtered and "withdraw-border" not in filtered


def test_results_page_paginates(client):
    html = client.get("/", params={"q": "الطقس", "page": 2}).text
    assert 'rel="prev"' in html and 'aria-current="page"><bdi>2</bdi>' in html
    assert f'start="{PAGE_SIZE + 1}"' in html


def test_landing_page_shows_the_collection(client):
    html = client.get("/").text
    assert f"<bdi>{len(ARTICLES)}</bdi>" in html and "gulf-wire" in html


def test_document_page_highlights_and_says_where_it_came_from(client):
    html = client.get("/doc/withdraw-city", params={"q": WITHDRAWAL}).text
    assert "<mark>انسحاب</mark> القوات" in html
    assert 'href="https://example.org/news/withdraw-city"' in html
    assert "<bdi>gulf-wire</bdi>" in html and 'datetime="2019-01-12"' in html


def test_document_page_marks_what_the_query_found_through_synonyms(client):
    # The article says الأمم المتحدة; the query names it as the shipped synonyms do.
    results = client.get("/api/search", params={"q": "United Nations"}).json()
    assert "withdraw-city" in [h["id"] for h in results["hits"]]
    html = client.get("/doc/withdraw-city", params={"q": "United Nations"}).text
    assert "<mark>الأمم</mark> <mark>المتحدة</mark>" in html


@pytest.mark.parametrize("value", ["2019/03/01", "1 March 2019", "2019-03-01T10:00", "yesterday"])
def test_dates_are_read_as_the_cli_reads_them(client, index, value):
    """Only ISO dates, on the page as with --since: a bad one is a 400 with the CLI's words."""
    response = client.get("/api/search", params={"q": WITHDRAWAL, "since": value})
    assert response.status_code == 400
    refused = CliRunner().invoke(cli.app, ["query", WITHDRAWAL, "--since", value, "--index", str(index.location)])
    assert response.json()["error"] == str(refused.exception).removeprefix("--")
    page = client.get("/", params={"q": WITHDRAWAL, "since": value})
    assert page.status_code == 400 and "YYYY-MM-DD" in page.text


def test_error_page_is_html_with_the_message(client):
    response = client.get("/doc/no-such-id")
    assert response.status_code == 404
    assert '<html lang="ar" dir="rtl">' in response.text and "no document" in response.text


# -- safety ---------------------------------------------------------------------


def test_hostile_article_is_shown_as_text_everywhere(client):
    pages = [
        client.get("/", params={"q": "مريب"}).text,
        client.get(f"/doc/{HOSTILE_ID}", params={"q": "مريب"}).text,
        client.get("/", params={"q": "مريب", "source": "<b onmouseover=alert(1)>evil</b>"}).text,
    ]
    for html in pages:
        assert HOSTILE_ID in html
        assert "<script>alert" not in html and "<script>window" not in html
        assert "<img src=x" not in html and "<b onmouseover" not in html
        assert "&lt;script&gt;" in html
        assert 'href="javascript:' not in html


def test_hostile_query_is_escaped(client):
    html = client.get("/", params={"q": '"><script>alert(1)</script> انسحاب'}).text
    assert "<script>alert(1)" not in html


def test_only_escaped_text_and_marks_pass_unescaped():
    assert marked_html("a &lt;b&gt; <mark>c</mark>") == "a &lt;b&gt; <mark>c</mark>"
    assert "<script>" not in marked_html("<mark>x</mark><script>alert(1)</script>")
    assert "<mark onclick" not in marked_html('<mark onclick="x">y</mark>')


# -- CLI ------------------------------------------------------------------------


def test_cli_query_facets_prints_bar_charts(index):
    result = CliRunner().invoke(cli.app, ["query", WITHDRAWAL, "--facets", "--index", str(index.location)])
    assert result.exit_code == 0, result.output
    assert "by source" in result.output and "by month" in result.output
    assert re.search(r"gulf-wire\s+█+\s+2", result.output)
    assert re.search(r"2019-03\s+█+\s+2", result.output)


def test_cli_query_json_with_facets(index):
    result = CliRunner().invoke(cli.app, ["query", WITHDRAWAL, "--facets", "--json", "--index", str(index.location)])
    data = json.loads(result.output)
    assert data["facets"]["months"]["2019-01"] == 1


def test_busy_port_is_one_clear_error():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        with pytest.raises(SearchError, match="--port"):
            bind("127.0.0.1", port)


def test_serve_without_index_says_how_to_make_one(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("sys.argv", ["search", "serve", "--index", str(tmp_path / "none"), "--port", "0"])
    with pytest.raises(SystemExit) as stop:
        cli.main()
    assert stop.value.code == 1
    assert "search index add" in capsys.readouterr().err


# -- the real seeds -------------------------------------------------------------


@pytest.mark.skipif(not SHARED.exists(), reason="../shared not present (fresh clone)")
def test_seeds_withdrawal_articles_with_facets(tmp_path):
    seeds = SHARED / "seeds"
    index = SearchIndex(tmp_path / "seeds-index")
    index.add([seeds])
    expected = {p.stem for p in seeds.glob("*.txt") if "نسحاب" in p.read_text(encoding="utf-8")}
    data = TestClient(create_app(index)).get("/api/search", params={"q": WITHDRAWAL}).json()
    assert {h["id"] for h in data["hits"]} == expected and len(expected) == 2
    facets = data["facets"]
    assert sum(facets["sources"].values()) + facets["no_source"] == data["total"]
    assert all("<mark>" in h["snippet"] for h in data["hits"])


def test_suggestions_and_expansions_are_shown_when_results_carry_them(index, monkeypatch):
    real_query = index.query

    def with_extras(*args, **kwargs):
        results = real_query(*args, **kwargs)
        results.suggestions = ["الانسحاب"]
        results.expansions = [{"text": "قسد", "synonyms": ["قوات سوريا الديمقراطية"]}]
        return results

    monkeypatch.setattr(index, "query", with_extras)
    html = TestClient(create_app(index)).get("/", params={"q": "انسحاث"}).text
    suggestion = re.search(r'id="suggestion">(.*?)</p>', html, re.S).group(1)
    assert "هل تقصد" in suggestion and 'href="/?q=%D8%A7%D9%84' in suggestion and "الانسحاب" in suggestion
    assert "قسد ← قوات سوريا الديمقراطية" in re.search(r'id="expansion">(.*?)</p>', html, re.S).group(1)


def test_facets_across_segments_with_and_without_sources(tmp_path):
    """Facets stay right when one segment has no source or date column at all."""
    index = SearchIndex(tmp_path / "segments")
    index.add_records([{"id": "plain", "title": "انسحاب", "body": "نص بلا مصدر ولا تاريخ عن الانسحاب"}], origin="a")
    index.add_records([{"id": "dated", "title": "انسحاب", "body": "نص عن الانسحاب", "source": "wire", "date": "2020-02-02"}], origin="b")
    first = index.query(WITHDRAWAL, facets=True).facets
    assert (first.sources, first.months, first.no_source, first.no_date) == ({"wire": 1}, {"2020-02": 1}, 1, 1)
    index.add_records([{"id": "later", "title": "انسحاب", "body": "انسحاب آخر", "source": "wire", "date": "2020-03-01"}], origin="c")
    assert index.query(WITHDRAWAL, facets=True).facets.months == {"2020-02": 1, "2020-03": 1}


@pytest.mark.parametrize(
    "filters",
    [{}, {"source": "gulf-wire"}, {"since": "2019-02-01"}, {"until": "2019-01-31"},
     {"since": "2019-03-05", "until": "2019-03-05"}, {"source": "صحيفة الشرق", "since": "2019-01-01"}],
)
def test_facets_add_up_to_the_total_under_every_filter(index, filters):
    """Facets filter on cached columns, the query through Whoosh: both must agree."""
    since, until = (dt.date.fromisoformat(filters[k]) if k in filters else None for k in ("since", "until"))
    results = index.query(WITHDRAWAL, source=filters.get("source"), since=since, until=until, facets=True, limit=50)
    facets = results.facets
    assert sum(facets.sources.values()) + facets.no_source == results.total
    assert sum(facets.months.values()) + facets.no_date == results.total
    assert facets.sources == dict(Counter(h.source for h in results.hits if h.source))
    assert facets.months == dict(sorted(Counter(h.date.strftime("%Y-%m") for h in results.hits if h.date).items()))
