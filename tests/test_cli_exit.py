"""The console script (``cli.run``) in a real process: a read-only command skips Python's
teardown with ``os._exit``, so its output must still be flushed and its exit code kept."""

from __future__ import annotations

import subprocess
import sys

import pytest

import cli


def _search(*args: str) -> subprocess.CompletedProcess:
    code = "import sys, cli; sys.argv = ['search', *sys.argv[1:]]; cli.run()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120)


@pytest.fixture
def indexed(corpus, index_dir):
    done = _search("index", "add", str(corpus), "--index", str(index_dir))
    assert done.returncode == 0, done.stderr
    return index_dir


def test_query_output_is_complete_and_exit_code_zero(indexed):
    done = _search("query", "انسحاب", "--index", str(indexed), "--json")
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith("}")  # the whole JSON document was flushed


def test_error_exit_codes_survive(indexed, tmp_path):
    usage = _search("query", "انسحاب", "--limit", "0", "--index", str(indexed))
    assert usage.returncode == 2 and "error:" in usage.stderr
    missing = _search("query", "انسحاب", "--index", str(tmp_path / "none"))
    assert missing.returncode == 1 and "search index add" in missing.stderr


def test_only_read_only_commands_skip_teardown():
    assert "query" in cli.READ_ONLY_COMMANDS
    assert not {"index", "eval", "serve"} & cli.READ_ONLY_COMMANDS
