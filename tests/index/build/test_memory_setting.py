"""The build's memory setting (``--memory``, ``BuildSettings``): sizes are read as
written, a bad one is a one-line error, and a smaller budget only changes how the
postings are cut into segments, never what the index holds or answers."""

from __future__ import annotations

import pytest

from cli_support import run_main
from index.build import batch
from index.build.limits import DEFAULT_MEMORY, MIN_FLUSH_POSTINGS, BuildSettings, parse_memory
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


def test_a_smaller_budget_makes_more_smaller_segments_with_the_same_answers(tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "PARALLEL_MIN_BYTES", 0)
    corpus = write_jsonl(tmp_path / "in" / "news.jsonl", records(240))
    roomy = SearchIndex(tmp_path / "roomy")
    roomy.add([corpus])
    tight = SearchIndex(tmp_path / "tight", build=BuildSettings(segment_postings=1500))
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
