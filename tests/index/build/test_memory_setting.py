"""The build's memory setting (``--memory``, ``BuildSettings``): sizes are read as
written, a bad one is a one-line error, and a smaller budget only changes how the
postings are cut into segments, never what the index holds or answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_support import run_main
from index.build import batch, writer_choice
from index.build.limits import DEFAULT_MEMORY, FLUSH_BYTES, FLUSH_RESERVE, MIN_FLUSH_POSTINGS, BuildSettings, FlushRule, parse_memory
from index.errors import InvalidOption
from search import SearchIndex
from test_speed_paths import answers, records, segment_count, write_jsonl


@pytest.mark.parametrize(("text", "size"), [
    ("1GB", 2**30), ("512MB", 512 * 2**20), ("1.5G", 3 * 2**29), ("2GiB", 2**31), ("800m", 800 * 2**20),
    (" 1 gb ", 2**30), ("1073741824", 2**30),
])
def test_sizes_are_read_as_written(text, size):
    assert parse_memory(text) == size
    assert BuildSettings.parse(text).memory == size


@pytest.mark.parametrize("text", ["lots", "", "1TB", "-1GB", "GB", "1 G B"])
def test_a_bad_size_is_one_line(text):
    with pytest.raises(InvalidOption) as error:
        parse_memory(text)
    assert "\n" not in str(error.value) and "1GB" in str(error.value)


def test_too_little_memory_is_refused_in_one_line():
    with pytest.raises(InvalidOption, match="less than") as error:
        BuildSettings.parse("100MB")
    assert "\n" not in str(error.value)


def test_the_default_is_one_gigabyte():
    assert BuildSettings().memory == DEFAULT_MEMORY == 2**30


def test_segments_shrink_with_the_budget_and_never_below_the_floor():
    sizes = [BuildSettings.parse(m).flush_postings(2) for m in ("512MB", "1GB", "2GB", "4GB")]
    assert sizes == sorted(sizes) and len(set(sizes)) == len(sizes)
    assert sizes[0] == MIN_FLUSH_POSTINGS
    assert BuildSettings.parse("2GB").flush_postings(1) > BuildSettings.parse("2GB").flush_postings(2)
    assert BuildSettings(segment_postings=1234).flush_postings(2) == 1234


def test_a_worker_writes_early_when_the_whole_build_would_pass_the_memory():
    rule = BuildSettings().flush_rule(2)
    assert rule.postings == BuildSettings().flush_postings(2) and rule.memory == DEFAULT_MEMORY
    held = MIN_FLUSH_POSTINGS * 2
    room = DEFAULT_MEMORY - 2 * FLUSH_BYTES * held - FLUSH_RESERVE
    assert not rule.due(held, room) and rule.due(held, room + 1)
    assert rule.due(rule.postings, 0)  # the count holds whatever the memory
    assert not rule.due(MIN_FLUSH_POSTINGS - 1, DEFAULT_MEMORY)  # never below the floor
    assert not rule.due(held, None)  # memory unknown: by the count
    assert BuildSettings(segment_postings=1234).flush_rule(2) == FlushRule(1234, None, 2)


def test_a_small_segment_says_what_memory_the_build_wanted():
    rule = BuildSettings().flush_rule(2)
    assert rule.wanted(rule.postings // 4, DEFAULT_MEMORY) == 0  # a quarter or more: not small
    small = rule.wanted(MIN_FLUSH_POSTINGS, DEFAULT_MEMORY)
    assert small > DEFAULT_MEMORY
    assert rule.wanted(MIN_FLUSH_POSTINGS, 2 * DEFAULT_MEMORY) == small + DEFAULT_MEMORY
    assert FlushRule(1000).wanted(1, DEFAULT_MEMORY) == 0  # by the count alone: never


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="the build's memory is read from /proc (Linux)")
def test_a_build_past_its_memory_writes_more_segments_with_the_same_answers(tmp_path, monkeypatch):
    """The workers measure the whole build (parent, workers, signer) after each batch."""
    from index.whoosh_ext import parallel

    monkeypatch.setattr(writer_choice, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "BATCH_DOCUMENTS", 20)
    corpus = write_jsonl(tmp_path / "in" / "news.jsonl", records(240))
    roomy = SearchIndex(tmp_path / "roomy")
    assert not roomy.add([corpus]).warnings
    monkeypatch.setattr(BuildSettings, "flush_rule", lambda self, workers, shards=1: FlushRule(10**9, 1, workers, least=1))
    tight = SearchIndex(tmp_path / "tight", build=BuildSettings(merge_above=None))  # the segments as written
    report = tight.add([corpus])
    assert report.added == 240
    assert [w.path for w in report.warnings] == ["--memory 1GB"] and "too small" in report.warnings[0].message
    assert segment_count(tight.location) >= 10 > 2 >= segment_count(roomy.location)
    assert answers(tight) == answers(roomy) and any(answers(roomy))


def test_a_smaller_budget_makes_more_smaller_segments_with_the_same_answers(tmp_path, monkeypatch):
    monkeypatch.setattr(writer_choice, "PARALLEL_MIN_BYTES", 0)
    corpus = write_jsonl(tmp_path / "in" / "news.jsonl", records(240))
    roomy = SearchIndex(tmp_path / "roomy")
    roomy.add([corpus])
    tight = SearchIndex(tmp_path / "tight", build=BuildSettings(segment_postings=1500, merge_above=None))
    report = tight.add([corpus])

    assert report.added == 240
    assert segment_count(tight.location) > segment_count(roomy.location) + 2
    assert tight.stats().documents == roomy.stats().documents == 240
    for n in (0, 57, 239):
        assert tight.get(f"doc-{n}") == roomy.get(f"doc-{n}")
    assert answers(tight) == answers(roomy)
    assert any(answers(roomy))
    tight.rebuild()  # the setting holds for a rebuild too
    assert segment_count(tight.location) > segment_count(roomy.location) + 2
    assert answers(tight) == answers(roomy)


def test_the_command_line_takes_the_option_and_the_variable(tmp_path, monkeypatch, capsys):
    corpus = write_jsonl(tmp_path / "in" / "news.jsonl", records(30))
    code, _, err = run_main(monkeypatch, capsys, "index", "add", str(corpus), "--index", str(tmp_path / "a"), "--memory", "lots")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "1GB" in err
    assert not (tmp_path / "a").exists() or not SearchIndex(tmp_path / "a").exists()
    code, _, err = run_main(monkeypatch, capsys, "index", "add", str(corpus), "--index", str(tmp_path / "a"), "--memory", "768MB")
    assert code == 0, err
    monkeypatch.setenv("SEARCH_MEMORY", "64MB")
    code, _, err = run_main(monkeypatch, capsys, "index", "rebuild", "--index", str(tmp_path / "a"))
    assert code == 2 and "less than" in err and len(err.strip().splitlines()) == 1
    code, _, err = run_main(monkeypatch, capsys, "index", "rebuild", "--index", str(tmp_path / "a"), "--memory", "1GB")
    assert code == 0, err
