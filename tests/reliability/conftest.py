"""Fixtures shared by the reliability tests (helpers live in ``reliability_helpers``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from reliability_helpers import write_jsonl, write_txt_corpus


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A folder of 40 .txt articles and one JSONL file of 40 records."""
    folder = write_txt_corpus(tmp_path / "corpus", 40)
    write_jsonl(folder / "wire.jsonl", 40)
    return folder
