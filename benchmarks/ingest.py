"""Titles, dates, sources (and urls) as the readers give them, against truth written by others.

Run: .venv/bin/python benchmarks/ingest.py [--shared ../shared] [--ant FOLDER] [--write]

* ``pages``: the saved web pages of ``shared/pages`` against its ``truth.json``
  (headline and date; the source must be a publication name, never a URL). A page
  whose truth is null is not counted for that field.
* ``ANT``: a folder of ANT Corpus records (the shared sample by default, or the whole
  corpus with ``--ant``); the truth is each record's own markup, read here apart from
  the reader: ``TITLE``, the day ``TIME`` states in its own zone, ``SRC``, ``URL``.
  Each record is checked as read from its file and as the index returns it for
  ``search show DOCNO`` (an article another file repeats word for word resolves to
  the one kept, so its title and url are that article's).

Prints a table and every miss; ``--write`` also writes the table, dated, to
``benchmarks/ingest.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import email.utils
import html
import json
import re
import tempfile
from pathlib import Path

from index.ingest.dates import dates_in
from index.ingest.files import Record, read_file
from search import SearchIndex

FIELDS = ("title", "date", "source", "url")


def _tag(text: str, name: str) -> str | None:
    match = re.search(rf"<{name}>(.*?)</{name}>", text, re.DOTALL)
    return " ".join(html.unescape(match.group(1)).split()) if match else None


def ant_truth(path: Path) -> dict:
    """What one ANT file's markup says, read without the project's reader."""
    text = path.read_text(encoding="utf-8")
    parts = email.utils.parsedate_tz(_tag(text, "TIME") or "")
    return {
        "id": _tag(text, "DOCNO"),
        "title": _tag(text, "TITLE"),
        "date": dt.date(*parts[:3]) if parts else None,
        "source": _tag(text, "SRC"),
        "url": "".join((_tag(text, "URL") or "").split()) or None,
    }


def compare(got: dict, want: dict, fields: tuple[str, ...], name: str, misses: list[str], counts: dict) -> None:
    for field in fields:
        if want.get(field) is None and field != "source":
            continue
        counts.setdefault(field, [0, 0])
        counts[field][1] += 1
        if field == "source" and want.get(field) is None:
            ok = bool(got.get("source")) and "://" not in got["source"]  # a publication name, not a URL
        else:
            ok = got.get(field) == want[field]
        counts[field][0] += ok
        if not ok:
            misses.append(f"{name} {field}: got {got.get(field)!r}, want {want.get(field) or 'a publication name'!r}")


def _fields(record) -> dict:
    return {field: getattr(record, field, None) for field in FIELDS} if record else {}


def bench_pages(pages: Path, misses: list[str]) -> dict:
    counts: dict = {"documents": 0}
    truth = json.loads((pages / "truth.json").read_text(encoding="utf-8"))
    for name, want in sorted(truth.items()):
        records = [r for r in read_file(pages / name) if isinstance(r, Record)]
        counts["documents"] += 1
        want = {"title": want["title"], "date": dt.date.fromisoformat(want["date"]) if want["date"] else None, "source": None}
        before = len(misses)
        compare(_fields(records[0] if records else None), want, ("title", "date", "source"), name, misses, counts)
        page = (pages / name).read_text(encoding="utf-8", errors="replace")
        for i in range(before, len(misses)):
            if " date: " in misses[i] and want["date"].isoformat() not in page and want["date"] not in dates_in(page):
                misses[i] += " (the saved file states that date nowhere)"
    return counts


def bench_ant(folder: Path, misses: list[str]) -> tuple[dict, dict]:
    files = sorted(folder.rglob("*.txt"))
    read_counts: dict = {"documents": len(files)}
    shown_counts: dict = {"documents": len(files)}
    truths = {}
    for path in files:
        want = ant_truth(path)
        truths[want["id"]] = want
        records = [r for r in read_file(path) if isinstance(r, Record)]
        got = _fields(records[0] if records else None)
        if records and records[0].id != want["id"]:
            misses.append(f"{path.name} id: got {records[0].id!r}")
        compare(got, want, FIELDS, f"{path.name} (read)", misses, read_counts)
    with tempfile.TemporaryDirectory() as location:
        ix = SearchIndex(Path(location) / "ix")
        ix.add([folder])
        for doc_id, want in truths.items():
            compare(_fields(ix.get(doc_id)), want, FIELDS, f"{doc_id} (show)", misses, shown_counts)
        ix.close()
    return read_counts, shown_counts


def table(rows: list[tuple[str, dict]]) -> str:
    lines = ["| set | documents | title | date | source | url |", "|---|---:|---:|---:|---:|---:|"]
    for label, counts in rows:
        cells = []
        for field in FIELDS:
            right, total = counts.get(field, (0, 0))
            cells.append(f"{right}/{total} ({100 * right / total:.1f} %)" if total else "–")
        lines.append(f"| {label} | {counts['documents']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--ant", type=Path, help="a folder of ANT records (default: the shared sample)")
    parser.add_argument("--write", action="store_true", help="write the table into benchmarks/ingest.md")
    args = parser.parse_args()
    ant = args.ant or args.shared / "corpus" / "antcorpus-sample"
    misses: list[str] = []
    rows = [("pages (truth.json)", bench_pages(args.shared / "pages", misses))]
    read_counts, shown_counts = bench_ant(ant, misses)
    rows += [(f"ANT {ant.name}: read", read_counts), (f"ANT {ant.name}: search show DOCNO", shown_counts)]
    text = table(rows)
    print(text)
    print(f"\n{len(misses)} misses" + (":" if misses else ""))
    for miss in misses:
        print("  " + miss)
    if args.write:
        out = Path(__file__).with_name("ingest.md")
        listed = "\n".join(f"- {m}" for m in misses) or "none"
        out.write_text(
            "# Ingest accuracy\n\n"
            "Titles, dates, sources and urls as read, against truth written by others: the saved pages of\n"
            "`shared/pages` (`truth.json`; a source counts when it is a publication name, not a URL) and the\n"
            "ANT Corpus sample (its markup: `TITLE`, the day `TIME` states in its own zone, `SRC`, `URL`),\n"
            "read from the files and as `search show DOCNO` returns them. Made by `benchmarks/ingest.py --write`.\n\n"
            f"## Run of {dt.date.today().isoformat()}\n\n{text}\n\nMisses:\n\n{listed}\n",
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
