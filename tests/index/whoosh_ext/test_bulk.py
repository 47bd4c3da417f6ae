"""The bulk segment writer (index.whoosh_ext.segment) writes exactly what Whoosh's own writer writes.

The same documents go through Whoosh's ``SegmentWriter`` and our ``BulkSegmentWriter``
under the real schema; every term, posting (docnum, weight, encoded positions), field
length, stored field, column value and search result must be identical.
"""

from __future__ import annotations

from array import array

import pytest
from bulk_support import ARTICLES, LONG, fields_of
from whoosh import index as whoosh_index
from whoosh import query as q
from whoosh.codec.whoosh3 import W3Codec
from whoosh.writing import SegmentWriter

from index.whoosh_ext.parallel import ParallelWriter
from index.whoosh_ext.segment import BulkSegmentWriter
from index.whoosh_ext.vocabulary import NONE, Vocabulary
from index.schema import EXACT_FIELDS, ROOT_FIELDS, build_schema

def build(folder, writer_class, articles=ARTICLES):
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), build_schema())
    writer = writer_class(ix)
    for article in articles:
        writer.add_document(**fields_of(*article))
    writer.commit()
    return whoosh_index.open_dir(str(folder))


def postings(reader, name, term):
    matcher = reader.postings(name, term)
    found = []
    while matcher.is_active():
        found.append((matcher.id(), matcher.weight(), matcher.value()))
        matcher.next()
    return found


def contents(ix) -> dict:
    """Everything a reader can tell about an index, in comparable form."""
    schema = ix.schema
    with ix.reader() as reader:
        n = reader.doc_count_all()
        indexed = [name for name, field in schema.items() if field.indexed]
        return {
            "doc_count": n,
            "stored": list(reader.iter_docs()),
            "terms": {name: list(reader.lexicon(name)) for name in indexed},
            "postings": {
                (name, term): postings(reader, name, term) for name in indexed for term in reader.lexicon(name)
            },
            "terminfos": {  # what a TermInfo tells (index.whoosh_ext.codec writes its own for some fields)
                (name, term): _statistics(reader.term_info(name, term)) for name in indexed for term in reader.lexicon(name)
            },
            "lengths": {name: [reader.doc_field_length(d, name) for d in range(n)] for name in indexed},
            "totals": {
                name: (reader.field_length(name), reader.max_field_length(name))
                for name in indexed
                if schema[name].scorable
            },
            "columns": {
                name: list(reader.column_reader(name, translate=False)) for name, field in schema.items() if field.column_type
            },
        }


def _statistics(info) -> tuple:
    return (info.weight(), info.doc_frequency(), info.min_length(), info.max_length(), info.max_weight(),
            info.min_id(), info.max_id())


def results(ix) -> list:
    queries = [
        q.Term("body", "كتاب"),
        q.Term("body_exact", "الكتاب"),
        q.Term("body_root", "كتب"),
        q.Phrase("body", ["معرض", "كتاب"]),
        q.Phrase("body", ["حكوم", "تعلن"]),
        q.And([q.Term("body_exact", w) for w in ("الوزراء", "الرياض", "للمره", "77")]),  # no positions: never phrased
        q.Or([q.Term("title", "امير"), q.Term("body", "رياض")]),
    ]
    with ix.searcher() as searcher:
        return [[(h["id"], round(h.score, 9)) for h in searcher.search(query, limit=None)] for query in queries]


@pytest.fixture
def whoosh_ix(tmp_path):
    return build(tmp_path / "whoosh", SegmentWriter)


def test_bulk_writer_writes_what_whoosh_writes(tmp_path, whoosh_ix):
    bulk_ix = build(tmp_path / "bulk", BulkSegmentWriter)
    expected, got = contents(whoosh_ix), contents(bulk_ix)
    assert expected["postings"][("body_exact", "الرياض".encode())]  # the fixture exercises the fields
    for part in expected:
        assert got[part] == expected[part], part
    assert results(bulk_ix) == results(whoosh_ix)
    assert all(results(whoosh_ix))


def test_whoosh_merges_a_segment_whose_postings_are_in_the_sidecar(tmp_path, whoosh_ix):
    """Whoosh's own writer reads our segment (fields without positions from the sidecar,
    index.whoosh_ext.codec) and writes plain W3 blocks that hold exactly what merging Whoosh's gives
    (a merge re-adds field lengths from their one-byte form: both totals move alike)."""
    bulk_ix = build(tmp_path / "bulk", BulkSegmentWriter)
    for ix in (bulk_ix, whoosh_ix):
        SegmentWriter(ix).commit(optimize=True)  # Whoosh's writer and W3 codec
    merged = whoosh_index.open_dir(str(tmp_path / "bulk"))
    assert len(merged._segments()) == 1 and type(merged._segments()[0].codec()) is W3Codec
    assert contents(merged) == contents(whoosh_index.open_dir(str(tmp_path / "whoosh")))


def test_the_comparison_sees_a_shifted_word(tmp_path, whoosh_ix):
    """One word moved by one position in one document must show."""
    shifted = list(ARTICLES)
    doc_id, title, body, source, date = shifted[2]
    shifted[2] = (doc_id, title, body.replace("بفوز الهلال", "الهلال بفوز"), source, date)
    other = contents(build(tmp_path / "shifted", BulkSegmentWriter, shifted))
    expected = contents(whoosh_ix)
    assert other["terms"] == expected["terms"]
    assert other["postings"] != expected["postings"]


def test_words_given_as_numbers_are_inverted_as_whoosh_inverts_them(tmp_path, whoosh_ix):
    """A worker's path: texts as the parent numbers their words (ParallelWriter._analyze)
    and each number's term from the news the parent sends; positions, counts, texts of
    stop words only or of no word at all, as Whoosh's writer writes them."""
    folder = tmp_path / "numbered"
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), build_schema())
    parent = ParallelWriter(ix, 0)  # no workers: only its numbering of the words
    documents, news = parent._analyze([fields_of(*article) for article in ARTICLES])
    parent.cancel()
    vocabulary = Vocabulary()
    vocabulary.extend(news)
    writer = BulkSegmentWriter(ix)
    for fields, tokens in documents:
        assert tokens, "every article is numbered"
        writer.add_tokenized(fields, tokens, vocabulary)
    writer.commit()
    numbered = whoosh_index.open_dir(str(folder))
    expected, got = contents(whoosh_ix), contents(numbered)
    for part in expected:
        assert got[part] == expected[part], part
    assert results(numbered) == results(whoosh_ix)


def test_parallel_writer_with_small_flushes_keeps_every_document(tmp_path, whoosh_ix):
    """Workers that flush a segment every few postings lose nothing and find the same."""
    folder = tmp_path / "parallel"
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), build_schema())
    writer = ParallelWriter(ix, 2, limit=40)
    for article in ARTICLES:
        writer.add_document(**fields_of(*article))
    writer.commit()
    ix = whoosh_index.open_dir(str(folder))
    assert len(ix._segments()) > 2
    expected = contents(whoosh_ix)
    with ix.reader() as reader:
        by_id = sorted(reader.all_stored_fields(), key=lambda d: d["id"])
        assert by_id == sorted((d for _, d in expected["stored"]), key=lambda d: d["id"])
        for (name, term), found in expected["postings"].items():
            assert reader.doc_frequency(name, term) == len(found), (name, term)
            assert reader.frequency(name, term) == sum(w for _, w, _ in found), (name, term)
    assert [sorted(r) for r in results(ix)] == [sorted(r) for r in results(whoosh_ix)]


def test_an_add_reuses_the_analysis_kept_beside_the_index_and_survives_a_damaged_one(tmp_path):
    from index.build.memos import load_memos
    from index.build.batch import ANALYSIS_CACHE
    from search import SearchIndex

    index = SearchIndex(tmp_path / "ix")
    index.add_records([{"id": "r1", "title": "الكتاب", "body": "افتتح الأمير معرض الكتاب في الرياض"}])
    cache = index.store.live_generation() / ANALYSIS_CACHE
    memos = load_memos(cache)
    assert any(memo.get("الرياض") for memo in memos.values())  # "الرياض" was analyzed once, kept

    index.add_records([{"id": "r2", "title": "الهلال", "body": "فاز الهلال في الرياض"}])
    memos = load_memos(cache)
    assert any(memo.get("الرياض") for memo in memos.values()) and any(memo.get("الهلال") for memo in memos.values())

    cache.write_bytes(b"not a cache")
    index.add_records([{"id": "r3", "title": "النصر", "body": "خسر النصر في جدة"}])
    assert [hit.id for hit in index.query("جدة").hits] == ["r3"]
    assert [hit.id for hit in index.query("الرياض").hits] in (["r1", "r2"], ["r2", "r1"])


def test_whole_posting_lists_are_written_byte_for_byte_as_the_codec_writes_them(tmp_path, monkeypatch):
    """With Whoosh's block format (pickle protocol 2, every block compressed),
    index.whoosh_ext.blocks writes the same segment files as Whoosh's W3 field writer fed
    one posting at a time: with blocks of several postings (terms in more than 128
    documents), lengths, weights above 1, every field format. With ours (other
    protocols, short blocks left uncompressed), and the fields without positions kept in
    the sidecar only (index.whoosh_ext.codec), the files are smaller and a reader finds
    exactly the same."""
    from index.whoosh_ext import blocks, codec

    ours_covers = codec.covers
    short = [article for article in ARTICLES if article[2] != LONG]
    many = [(f"m{n}", title, f"{body} {body if n % 3 else ''} {n}", source, date)
            for n, (_, title, body, source, date) in enumerate(short * 40)]
    many.append(ARTICLES[4])

    def build_files(folder, whole: bool, form: blocks.BlockFormat, covers=lambda field, ours: False):
        monkeypatch.setattr(blocks, "applies", lambda writer: whole)
        monkeypatch.setattr(codec, "covers", covers)
        folder.mkdir()
        ix = whoosh_index.create_in(str(folder), build_schema())
        writer = BulkSegmentWriter(ix, block_format=form, compound=False)
        for article in many:
            writer.add_document(**fields_of(*article))
        writer.commit()
        files = {p.suffix: p.read_bytes() for p in folder.iterdir() if p.suffix in (".trm", ".pst")}
        return whoosh_index.open_dir(str(folder)), files

    by_codec, codec_files = build_files(tmp_path / "codec", False, blocks.WHOOSH)
    _, whole_files = build_files(tmp_path / "whole", True, blocks.WHOOSH)
    assert set(codec_files) == {".trm", ".pst"} and codec_files[".pst"]
    assert whole_files == codec_files
    ours, our_files = build_files(tmp_path / "ours", True, blocks.OURS, ours_covers)
    assert len(our_files[".pst"]) < len(codec_files[".pst"]) and len(our_files[".trm"]) < len(codec_files[".trm"])
    with ours.reader() as reader:
        assert set(reader.leaf_readers()[0][0]._terms.covered) == {"id", "source", "date", *EXACT_FIELDS.values(), *ROOT_FIELDS.values()}
    assert contents(ours) == contents(by_codec)


def test_a_block_too_short_to_shrink_is_stored_uncompressed_and_read_back(tmp_path):
    """Whoosh's reader decompresses a block only when its info says so: our one-posting
    blocks are stored as pickled, a long list's blocks compressed, and both read back."""
    from whoosh.codec.whoosh3 import W3LeafMatcher

    folder = tmp_path / "ix"
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), build_schema())
    writer = BulkSegmentWriter(ix)
    for n in range(300):
        writer.add_document(id=f"d{n}", title="خبر", body="خبر عاجل فريد" if n == 7 else "خبر عاجل")
    writer.commit()
    with whoosh_index.open_dir(str(folder)).reader() as reader:
        read = {}
        for word in ("خبر", "فريد"):
            matcher = reader.postings("body", word)
            assert isinstance(matcher, W3LeafMatcher)
            levels, ids = set(), []
            while matcher.is_active():
                levels.add(matcher._compression)
                ids.append(matcher.id())
                assert matcher.value_as("positions") == [2 if word == "فريد" else 0]
                matcher.next()
            read[word] = levels, ids
    assert read["فريد"] == ({0}, [7])
    assert read["خبر"] == ({W3Codec()._compression}, list(range(300)))  # three blocks, each compressed


def test_the_parallel_writer_analyzes_each_form_once_and_keeps_every_analysis(tmp_path):
    """The parent analyzes a batch's new forms for the workers and sends texts as word
    numbers: a batch of known forms costs nothing, the terms sent are in number order,
    and its memo (the next add's analysis.cache) holds every form."""
    from index.analysis.chain import WORD

    folder = tmp_path / "parallel"
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), build_schema())
    writer = ParallelWriter(ix, 2, limit=40)
    batch = [fields_of(*article) for article in ARTICLES]
    try:
        documents, news = writer._analyze(batch)
        again, nothing = writer._analyze(batch)
    finally:
        writer.cancel()
    assert nothing == ([], {key: array("i") for key in news[1]})
    surfaces = {w for _, title, body, _, _ in ARTICLES for w in WORD.findall(f"{title} {body}")}
    terms, forms = news
    assert len(forms) == 3  # stemmed, exact and root analyzers
    assert len(set(terms)) == len(terms)  # each distinct term numbered once
    by_number = sorted(writer.numbers, key=writer.numbers.get)
    assert set(by_number) == surfaces
    for key, numbers in forms.items():
        assert len(numbers) == len(by_number)
        spelled = [None if n == NONE else terms[n] for n in numbers]
        assert writer.memos[key] == dict(zip(by_number, spelled))
        assert writer.memos[key] == {form: writer.parent.word_analyses()[key][0](form) for form in by_number}
    for (fields, tokens), (_, same) in zip(documents, again):
        assert tokens == same
        assert [by_number[n] for n in tokens["body"]] == WORD.findall(fields["body"])
        assert tokens.get("body_root", tokens["body"]) is tokens["body"]


def test_after_a_whole_posting_list_the_field_writer_says_which_term_it_wrote(tmp_path):
    """Code reading the field writer after each term sees what start_term would leave."""
    from index.whoosh_ext import blocks

    folder = tmp_path / "ix"
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), build_schema())
    writer = BulkSegmentWriter(ix)
    fieldwriter = writer.fieldwriter
    fieldwriter.start_field("body", ix.schema["body"])
    before = fieldwriter._postfile.tell()
    blocks.write_term(fieldwriter, "كتاب".encode(), [0, 3], [1.0, 2.0], [b"a", b"b"], [5, 0, 0, 7])
    assert fieldwriter._btext == "كتاب".encode()
    assert fieldwriter._postwriter._startoffset == before < fieldwriter._postfile.tell()
    fieldwriter.finish_field()
    writer.cancel()
