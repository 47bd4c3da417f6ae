"""Over the shared seed articles, "انسحاب داعش" finds the article that never says داعش."""

from __future__ import annotations

from pathlib import Path

import pytest

from search import SearchIndex

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared not present (fresh clone)")
def test_withdrawal_negotiations_rank_first(tmp_path):
    ix = SearchIndex(tmp_path / "ix")
    ix.add([SEEDS])
    target = "003_9aed169284d176bc"
    assert "داعش" not in (SEEDS / f"{target}.txt").read_text(encoding="utf-8")
    results = ix.query("انسحاب داعش")
    assert results.hits[0].id == target
    # The other withdrawal article (its headline has داعش) stays near the top.
    assert "001_77b17fb1c50acb1e" in [hit.id for hit in results.hits[:3]]
    assert any(e["text"] == "داعش" for e in results.expansions)
