"""End to end: the real `search serve` process driven by headless Chromium.

Uses Debian's ``chromium`` package through Playwright (``executable_path``; Playwright's
own browser download is never used). ``.ci/run`` installs chromium when it is missing;
locally these tests skip with a reason if it is not there.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from web_corpus import HOSTILE_ID, build_index

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

pytestmark = [
    # CI installs chromium (.ci/run), so there a missing browser fails instead of skipping.
    pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                       reason=f"{CHROMIUM} not installed (apt-get install -y chromium)"),
    pytest.mark.skipif(shutil.which("search", path=str(Path(sys.executable).parent)) is None,
                       reason="the `search` console script is not installed next to this Python"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed (pip install -e '.[test]')")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`search serve` on a free local port over the fixture index; yields its base URL."""
    index = build_index(tmp_path_factory.mktemp("e2e-index"))
    port = _free_port()
    command = [str(Path(sys.executable).parent / "search"), "serve", "--index", str(index.location), "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/", timeout=2)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"search serve did not start: {process.stdout.read()}")
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="ar")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _params(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


def test_search_filter_by_source_and_month_then_read(server, page):
    page.goto(server + "/")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    page.fill("input[name=q]", "انسحاب")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector(".hit")
    assert page.input_value("input[name=q]") == "انسحاب"
    marks = page.locator(".hit .snippet mark").all_inner_texts()
    assert marks and all("نسحاب" in m for m in marks)
    assert page.locator(".hit mark").first.is_visible()

    page.click("a.source[data-source='gulf-wire']")
    page.wait_for_selector("a.source.active")
    assert _params(page.url)["source"] == "gulf-wire"
    sources = page.locator(".hit .source").all_inner_texts()
    assert sources and set(sources) == {"gulf-wire"}

    page.click(".bar[data-month='2019-03']")
    page.wait_for_selector(".bar.active")
    params = _params(page.url)
    assert (params["since"], params["until"], params["source"]) == ("2019-03-01", "2019-03-31", "gulf-wire")
    dates = page.locator(".hit time").all_inner_texts()
    assert dates and all(d.startswith("2019-03") for d in dates)

    page.click(".hit h3 a")
    page.wait_for_selector("article.document")
    assert "/doc/" in page.url
    assert page.locator(".document .body mark").count() >= 1
    assert "gulf-wire" in page.inner_text(".metadata")


def test_sort_and_date_range_form(server, page):
    page.goto(server + "/?q=انسحاب")
    page.fill("input[name=since]", "2019-02-01")
    page.select_option("select[name=sort]", "date")
    page.click("#refine button")
    page.wait_for_selector(".hit")
    dates = page.locator(".hit time").all_inner_texts()
    assert dates == sorted(dates, reverse=True) and min(dates) >= "2019-02-01"


def test_pagination(server, page):
    page.goto(server + "/?q=الطقس")
    first = page.locator(".hit h3").all_inner_texts()
    page.click("a[rel=next]")
    page.wait_for_selector("[aria-current=page] >> text=2")
    second = page.locator(".hit h3").all_inner_texts()
    assert first and second and not set(first) & set(second)


def test_hostile_article_cannot_run_script(server, page):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(server + "/?q=مريب")
    page.wait_for_selector(".hit")
    assert "<script>" in page.inner_text(".hits")
    page.hover(".filters a.source")
    page.click(f"a[href^='/doc/{HOSTILE_ID}']")
    page.wait_for_selector("article.document")
    assert "<script>" in page.inner_text(".document h1")
    assert "<img src=x" in page.inner_text(".document .body")
    assert page.locator(".metadata a[href^='javascript:']").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
