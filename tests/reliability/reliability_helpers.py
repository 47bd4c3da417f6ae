"""Helpers for the reliability suite: small Arabic corpora written for the tests,
and functions that run the real ``search`` command in a subprocess.

The corpora are generated from a handful of words written here (not copied from
anywhere), with a fixed seed, so every run sees the same documents.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

WORDS = (
    "انسحاب الانسحاب مقاتلين المدينة الحكومة اتفاق المفاوضات الجيش القوات الشمال "
    "الجنوب الأسواق أسعار النفط ارتفاع انخفاض الطقس الثلوج الأمطار المعرض الكتاب "
    "الموسيقى الأطفال التطعيم المستشفى الوزارة الاقتصاد الميناء القطار الطلاب الجامعة "
    "المزارعين القمح المياه الكهرباء الشركات المصارف الفائدة البرلمان الانتخابات"
).split()


def article(rng: random.Random, n: int) -> tuple[str, str]:
    """A (title, body) pair of plausible Arabic words; the body carries a unique marker."""
    title = " ".join(rng.choice(WORDS) for _ in range(5))
    body = " ".join(rng.choice(WORDS) for _ in range(60)) + f" وثيقة{n}"
    return title, body


def write_txt_corpus(folder: Path, count: int, seed: int = 1) -> Path:
    """``count`` .txt articles in ``folder`` (title on the first line, body after)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        title, body = article(rng, n)
        (folder / f"article-{n:04d}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    return folder


def write_jsonl(path: Path, count: int, seed: int = 2, prefix: str = "wire") -> Path:
    """A JSONL file of ``count`` records with ids ``{prefix}-N``."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as handle:
        for n in range(count):
            title, body = article(rng, n)
            record = {"id": f"{prefix}-{n}", "title": title, "body": body, "source": prefix, "date": "2019-01-01"}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment for a child process: this interpreter's path plus ``extra``."""
    env = dict(os.environ)
    env.pop("SEARCH_INDEX", None)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


def run_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run ``python -m cli ARGS`` to completion (the same code as the ``search`` script)."""
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        cwd=REPO,
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def doc_ids(index: Path) -> list[str]:
    """Every document id in the index, read directly (duplicates would show twice)."""
    from index.build.store import Store

    ix = Store(index).open_index()
    with ix.searcher() as searcher:
        return sorted(fields["id"] for fields in searcher.all_stored_fields())


def run_main(*args: str) -> tuple[int, str, str]:
    """Run ``cli.main`` in this process as the console script does: (exit code, stdout, stderr).

    typer's CliRunner calls the app, not ``main``, so it would not show what ``main``
    does with errors (one line and an exit code); this runs ``main`` itself.
    """
    import contextlib
    import io

    import cli

    out, err = io.StringIO(), io.StringIO()
    saved = sys.argv
    sys.argv = ["search", *args]
    code = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            cli.main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv = saved
    return code, out.getvalue(), err.getvalue()
