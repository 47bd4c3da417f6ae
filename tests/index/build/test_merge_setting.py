"""A fresh build that wrote more segments than ``BuildSettings.merge_above`` ends with
one (index.whoosh_ext.merge), answering as the unmerged build does; a merge that fails
(or is interrupted) leaves the index as it was."""

from __future__ import annotations

import pytest

from index.build import writer_choice
from index.build.limits import BuildSettings
from index.build.report import Progress
from index.whoosh_ext import merge
from search import SearchIndex
from test_speed_paths import answers, records, segment_count, write_jsonl


class Phases(Progress):
    def __init__(self):
        self.phases = []

    def phase(self, label: str) -> None:
        self.phases.append(label)


def test_a_build_of_many_segments_is_merged_into_one_with_the_same_answers(tmp_path, monkeypatch):
    monkeypatch.setattr(writer_choice, "PARALLEL_MIN_BYTES", 0)
    corpus = write_jsonl(tmp_path / "in" / "news.jsonl", records(240))
    unmerged = SearchIndex(tmp_path / "unmerged", build=BuildSettings(segment_postings=1500, merge_above=None))
    unmerged.add([corpus])
    merged = SearchIndex(tmp_path / "merged", build=BuildSettings(segment_postings=1500, merge_above=3))
    told = Phases()
    assert merged.add([corpus], progress=told).added == 240
    assert segment_count(unmerged.location) > 3 and segment_count(merged.location) == 1
    assert told.phases and all("merging" in phase for phase in told.phases)
    assert merged.stats().documents == 240
    for n in (0, 57, 239):
        assert merged.get(f"doc-{n}") == unmerged.get(f"doc-{n}")
    assert answers(merged) == answers(unmerged) and any(answers(merged))


@pytest.mark.parametrize("error", [OSError("No space left on device"), KeyboardInterrupt()])
def test_a_merge_that_fails_leaves_the_previous_index(tmp_path, monkeypatch, error):
    monkeypatch.setattr(writer_choice, "PARALLEL_MIN_BYTES", 0)
    corpus = write_jsonl(tmp_path / "in" / "news.jsonl", records(240))
    index = SearchIndex(tmp_path / "ix", build=BuildSettings(segment_postings=1500, merge_above=None))
    index.add([corpus])
    before = answers(index)
    fresh = SearchIndex(tmp_path / "ix", build=BuildSettings(segment_postings=1500, merge_above=3))

    def fails(*args):
        raise error

    monkeypatch.setattr(merge, "_read_blocks", fails)  # half-way through the postings
    with pytest.raises(type(error)):
        fresh.rebuild()
    monkeypatch.undo()
    assert answers(SearchIndex(tmp_path / "ix")) == before and any(before)


def test_a_first_build_whose_merge_failed_leaves_no_index_and_the_next_build_works(tmp_path, monkeypatch):
    """Its state (manifest, copies, analysis cache) was saved before the merge, into a
    generation never published: the next add starts afresh and drops it."""
    monkeypatch.setattr(writer_choice, "PARALLEL_MIN_BYTES", 0)
    corpus = write_jsonl(tmp_path / "in" / "news.jsonl", records(240))
    settings = BuildSettings(segment_postings=1500, merge_above=3)

    def fails(*args):
        raise OSError("No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(merge, "_read_blocks", fails)
        with pytest.raises(OSError):
            SearchIndex(tmp_path / "ix", build=settings).add([corpus])
    assert not SearchIndex(tmp_path / "ix").exists()
    index = SearchIndex(tmp_path / "ix", build=settings)
    assert index.add([corpus]).added == 240
    assert index.stats().documents == 240 and any(answers(index))
    assert [p.name for p in (tmp_path / "ix").glob("gen-*")] == [(tmp_path / "ix" / "CURRENT").read_text().strip()]
