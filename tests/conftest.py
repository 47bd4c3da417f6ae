"""Shared fixtures: a small corpus written for these tests, and fresh index folders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A copy of the fixture articles (so tests may change files) plus the JSONL records."""
    target = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "articles", target)
    shutil.copy(FIXTURES / "records.jsonl", target / "records.jsonl")
    return target


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return tmp_path / "index"


@pytest.fixture
def built(corpus: Path, index_dir: Path):
    """A SearchIndex over the fixture corpus."""
    from search import SearchIndex

    ix = SearchIndex(index_dir)
    ix.add([corpus])
    return ix


@pytest.fixture
def story_ix(tmp_path: Path):
    """A SearchIndex of the collection with syndicated copies (tests/story_support.py)."""
    from search import SearchIndex
    from story_support import story_records

    ix = SearchIndex(tmp_path / "story-index")
    ix.add_records(story_records())
    return ix
