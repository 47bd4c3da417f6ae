"""Bad input files: each problem is one line naming the file (and the JSONL line),
everything else is indexed, a summary ends the run, and the exit code is 1."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

import index.build.batch as batch
import index.build.limits as limits
from index.build.limits import MAX_DOCUMENT_BYTES
from reliability_helpers import REPO, doc_ids, run_main, subprocess_env
from search import SearchIndex

SUMMARY = re.compile(r"^(\d+) added, (\d+) updated, (\d+) unchanged, (\d+) removed, (\d+) failed(?:, (\d+) warnings?)?$")

GOOD_TXT = "انسحاب القوات من المدينة\n\nأعلنت الحكومة انسحاب القوات من المدينة بعد اتفاق مع الوجهاء.\n"


def _record(**fields) -> str:
    return json.dumps(fields, ensure_ascii=False)


def _binary(seed: int = 7) -> bytes:
    """Random bytes with NULs: no encoding detector takes this for text."""
    rng = random.Random(seed)
    return b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(rng.randrange(256) for _ in range(4096)) + b"\x00" * 64


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    """A folder where every kind of bad file sits next to good ones."""
    folder = tmp_path / "messy"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD_TXT, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_text("\n  \n\t\n", encoding="utf-8")
    (folder / "empty.jsonl").write_bytes(b"")
    (folder / "binary.txt").write_bytes(_binary())
    with open(folder / "huge.txt", "wb") as handle:  # 100 MB, sparse: instant to make
        handle.write(GOOD_TXT.encode("utf-8"))
        handle.truncate(100 * 2**20)
    lines = [
        _record(id="ok-1", title="ارتفاع أسعار النفط", body="ارتفعت أسعار النفط في الأسواق", date="2019-02-03"),
        '{"id": "broken", "title": "عنوان", ',  # line 2: malformed JSON
        _record(id="no-text", source="wire"),  # line 3: no title, no body
        _record(id="bad-date", title="الطقس", body="تساقط الثلوج في الجنوب", date="yesterday-ish"),  # line 4
        "[1, 2, 3]",  # line 5: not an object
        _record(id="ok-2", title="معرض الكتاب", body="افتتح معرض الكتاب في المدينة"),
    ]
    (folder / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _problem_lines(stderr: str, name: str) -> list[str]:
    return [line for line in stderr.splitlines() if name in line]


def test_every_bad_file_is_one_line_and_the_rest_is_indexed(messy, tmp_path):
    index = tmp_path / "ix"
    missing = messy / "does-not-exist.txt"
    code, _, err = run_main("index", "add", str(messy), str(missing), "--index", str(index))

    assert code == 1
    assert "Traceback" not in err
    for name in ("empty.txt", "blank.txt", "empty.jsonl", "binary.txt", "huge.txt", "does-not-exist.txt"):
        found = _problem_lines(err, name)
        assert len(found) == 1, f"{name}: expected one line, got {found}"
    assert "100.0 MB" in _problem_lines(err, "huge.txt")[0]
    jsonl = _problem_lines(err, "wire.jsonl")
    assert sorted(int(re.search(r"wire\.jsonl:(\d+)", line).group(1)) for line in jsonl) == [2, 3, 4, 5]
    assert any("date" in line for line in _problem_lines(err, "wire.jsonl:4"))

    summary = SUMMARY.match(err.strip().splitlines()[-1])
    assert summary, f"the run must end with a summary: {err}"
    assert int(summary.group(5)) == 9  # six files + three JSONL lines
    assert int(summary.group(6)) == 1  # the date not understood: indexed, with a warning
    assert doc_ids(index) == ["bad-date", "good", "ok-1", "ok-2"]
    assert SearchIndex(index).get("bad-date").date is None


def test_bad_input_in_a_real_subprocess_has_no_traceback(messy, tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "cli", "index", "add", str(messy), "--index", str(tmp_path / "ix")],
        cwd=REPO, env=subprocess_env(), capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert SUMMARY.match(done.stderr.strip().splitlines()[-1])


def test_huge_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as handle:
        handle.truncate(MAX_DOCUMENT_BYTES + 1)
    monkeypatch.setattr(batch, "_sha1", lambda path: pytest.fail(f"{path} was read"))
    report = SearchIndex(tmp_path / "ix").add([huge])
    assert [p.path for p in report.problems] == [str(huge)]


def test_huge_jsonl_record_is_refused_with_its_line(tmp_path, monkeypatch):
    """JSONL files may be big; the limit applies to each record (made small here)."""
    monkeypatch.setattr(limits, "MAX_DOCUMENT_BYTES", 2000)
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        _record(id="small", title="خبر", body="نص قصير") + "\n" + _record(id="big", title="خبر", body="نص " * 1000) + "\n",
        encoding="utf-8",
    )
    report = SearchIndex(tmp_path / "ix").add([feed])
    assert [(p.path, p.line) for p in report.problems] == [(str(feed), 2)]
    assert "'big'" in report.problems[0].message
    assert doc_ids(tmp_path / "ix") == ["small"]


def test_broken_utf8_is_reported_or_indexed_never_a_traceback(tmp_path):
    """Mostly valid Arabic with a few invalid bytes: a reader may recover the text
    (an encoding detector) or refuse it; either way one line at most, others indexed."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD_TXT, encoding="utf-8")
    raw = GOOD_TXT.encode("utf-8")
    (folder / "broken.txt").write_bytes(raw[:20] + b"\xff\xfe\xc3" + raw[20:])
    index = tmp_path / "ix"
    code, _, err = run_main("index", "add", str(folder), "--index", str(index))
    assert "Traceback" not in err
    ids = doc_ids(index)
    assert "good" in ids
    warned = _problem_lines(err, "broken.txt")
    assert (len(warned) == 1 and code == 1) or ("broken" in ids and not warned and code == 0)


def test_unreadable_file_is_reported(tmp_path, monkeypatch):
    """Simulated: the tests run as root, for whom chmod 000 does not prevent reading."""
    good = tmp_path / "good.txt"
    good.write_text(GOOD_TXT, encoding="utf-8")
    locked = tmp_path / "locked.txt"
    locked.write_text(GOOD_TXT, encoding="utf-8")
    real_sha1 = batch._sha1

    def sha1(path: Path) -> str:
        if path.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real_sha1(path)

    monkeypatch.setattr(batch, "_sha1", sha1)
    report = SearchIndex(tmp_path / "ix").add([good, locked])
    assert [str(p) for p in report.problems] == [f"{locked}: cannot read: Permission denied"]
    assert doc_ids(tmp_path / "ix") == ["good"]


@pytest.mark.skipif(os.geteuid() == 0, reason="running as root: chmod 000 does not stop root from reading")
def test_chmod_000_file_is_reported(tmp_path):
    locked = tmp_path / "locked.txt"
    locked.write_text(GOOD_TXT, encoding="utf-8")
    locked.chmod(0)
    try:
        code, _, err = run_main("index", "add", str(locked), "--index", str(tmp_path / "ix"))
    finally:
        locked.chmod(0o644)
    assert code == 1
    assert len(_problem_lines(err, "locked.txt")) == 1


def test_a_file_gone_bad_does_not_lose_its_indexed_documents(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(GOOD_TXT, encoding="utf-8")
    feed = tmp_path / "feed.jsonl"
    feed.write_text(_record(id="f1", title="خبر", body="نص") + "\n" + _record(id="f2", title="خبر", body="نص") + "\n")
    ix = SearchIndex(tmp_path / "ix")
    ix.add([tmp_path])

    article.write_bytes(_binary())
    feed.write_text(_record(id="f1", title="خبر", body="نص") + "\n" + '{"id": "f2", ' + "\n")
    report = ix.add([tmp_path])
    assert report.failed == 2
    assert doc_ids(tmp_path / "ix") == ["article", "f1", "f2"]

    feed.write_text(_record(id="f1", title="خبر", body="نص") + "\n")  # a clean edit still removes
    ix.add([tmp_path])
    assert doc_ids(tmp_path / "ix") == ["article", "f1"]
