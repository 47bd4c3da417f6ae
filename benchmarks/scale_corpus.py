"""A large news archive made from the real ones: SaudiNewsNet and the ANT sample rewritten.

``speed.py --scale`` measures the engine up to a million articles, and there is no
public Arabic news collection that large here. Repeating the corpus under new ids
would give every story one copy per repetition (about 33 at 1M), which no real
archive has and which the index's syndicated-copy detection (``index/build/copies.py``)
would collapse at query time, making every result page read a stored field per copy.
So each repetition ("tile") of the base collection is a rewritten archive of its own:

* the base is SaudiNewsNet with the ANT sample's articles spread evenly through it;
  tile 0 is the base itself, unchanged, so the 30k set is real articles only;
* in tile ``t`` an article keeps about half of its own sentences (a sentence is kept
  or not by a hash of its text and ``t``, so the copies of one syndicated story keep
  the same shared sentences) and takes sentences of a partner article, as many words as
  it kept; its title is its own head with the partner title's tail. The partner is
  chosen per *story* (the copies of a story, as the copy finder groups the base, take
  the same partner) and differs from tile to tile; it gives the sentences that its own
  rewrite in the same tile drops, so no two rewrites share a partner's text;
* tile ``t``'s dates are the base's moved back ``t`` × :data:`TILE_DAYS` days, farther
  apart than the copy rule's window, so a rewrite is never a copy of its original.

The result is natural Arabic text (every sentence a real one), no exact duplicates, and
stories of copies within each tile as in the base (``--check`` counts them). What it
cannot give: the vocabulary of a real archive grows with its size (new names, places,
spellings), here it stays the base's (about 260,000 word forms), so the analysis of new
forms is paid once and the build's per-article cost is on the low side.

    .venv/bin/python benchmarks/scale_corpus.py --docs 120000 --out /tmp/x1/scale --check
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import re
import sys
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.analysis.normalize import normalize_text  # noqa: E402
from index.build.copies import CopyFinder  # noqa: E402
from index.ingest.duplicates import body_key  # noqa: E402
from index.ingest.files import Record, read_file  # noqa: E402

SNN = ROOT.parent / "shared" / "corpus" / "saudinewsnet" / "articles.jsonl.gz"
ANT = ROOT.parent / "shared" / "corpus" / "antcorpus-sample"
#: Days between tiles: more than SaudiNewsNet's 22 days plus the copy rule's 2-day window,
#: and a whole number of weeks so weekdays stay as published.
TILE_DAYS = 28
#: Step of the partner bijection from one tile to the next (a prime).
STEP = 7919

#: A sentence ends at . ! ? ؟ or … with any closing quotes or brackets after it.
_SENTENCE_END = re.compile(r"(?:(?<=[.!?؟…])|(?<=[.!?؟…][\"'”’»)\]]))\s+")
_WORDS = re.compile(r"\S+")
_LETTERS = re.compile(r"[^\W_]+")


def base_records(snn: Path = SNN, ant: Path | None = ANT) -> list[Record]:
    """SaudiNewsNet in file order with the ANT sample's articles spread evenly through it."""
    news = [r for r in read_file(snn) if isinstance(r, Record)]
    extra = []
    if ant is not None and ant.is_dir():
        for path in sorted(ant.glob("*.txt")):
            extra += [r for r in read_file(path) if isinstance(r, Record)]
    if not extra:
        return news
    every = max(1, len(news) // len(extra))
    merged: list[Record] = []
    for n, record in enumerate(news):
        merged.append(record)
        if n % every == every - 1 and n // every < len(extra):
            merged.append(extra[n // every])
    merged += extra[min(len(extra), len(news) // every):]
    return merged


def story_keys(records: list[Record]) -> list[str]:
    """Each record's story as ``index add`` finds it (the copy finder over the base, in order)."""
    finder = CopyFinder()
    return [finder.assign(r.id, r.body, r.date) for r in records]


def _paragraphs(body: str) -> list[list[str]]:
    return [sentences for par in body.split("\n") if (sentences := _SENTENCE_END.split(par.strip())) != [""]]


def _opening(sentence: str) -> bytes:
    """What decides whether a tile keeps a sentence: its first two folded words (the copy
    finder folds texts alike), so copies of a story that edit or respell a sentence after
    its opening still keep or drop it together."""
    return " ".join(_LETTERS.findall(normalize_text(sentence[:80]))[:2]).encode()


def _words(text: str) -> int:
    return len(_WORDS.findall(text))


#: A sentence as a rewrite uses it: its text, :func:`_opening` and its number of words.
Sentence = tuple[str, bytes, int]


class ScaleCorpus:
    """The endless sequence of articles: tile 0 (the base), then its rewrites."""

    def __init__(self, records: list[Record], stories: list[str] | None = None):
        self.records = records
        keys = stories if stories is not None else story_keys(records)
        first: dict[str, int] = {}
        #: The first base article of each article's story: it stands for the story.
        self.first = [first.setdefault(key, i) for i, key in enumerate(keys)]
        #: Each base article's paragraphs of sentences, split once on first use.
        self._split: list[list[list[Sentence]] | None] = [None] * len(records)
        #: Articles per story: only a story of several can make two equal rewrites.
        self.members = Counter(self.first)
        #: Per tile, the words a story's first article keeps (how much a partner gives),
        #: and the keys of the own texts its articles kept.
        self._want: dict[int, int] = {}
        self._kept: dict[int, set[str | None]] = {}
        self._tile = 0

    def _partner(self, story: int, tile: int) -> int:
        """A bijection of the base per tile (``a·story + b mod n``, ``a`` prime to ``n``):
        two stories never share a partner in one tile, and one story's partner moves."""
        n = len(self.records)
        a = 1 + tile * STEP
        while math.gcd(a, n) != 1:
            a += 1
        j = (a * story + tile * STEP * 31) % n
        while self.first[j] == story and n > 1:
            j = (j + 1) % n
        return j

    def _paragraphs(self, i: int) -> list[list[Sentence]]:
        if self._split[i] is None:
            self._split[i] = [[(s, _opening(s), _words(s)) for s in par] for par in _paragraphs(self.records[i].body)]
        return self._split[i]

    def _own(self, i: int, tile: int) -> list[list[Sentence]]:
        """The sentences of article ``i`` that tile ``tile`` keeps, by paragraph (at least one)."""
        seed = zlib.crc32(f"{tile}\x00".encode())
        paragraphs = self._paragraphs(i)
        own = [par for par in ([s for s in par if zlib.crc32(s[1], seed) & 1 == 0] for par in paragraphs) if par]
        return own or [paragraphs[0][:1]]

    def _wanted(self, story: int, tile: int) -> int:
        if tile != self._tile:
            self._want, self._kept, self._tile = {}, {}, tile
        if story not in self._want:
            self._want[story] = sum(s[2] for par in self._own(story, tile) for s in par)
        return self._want[story]

    def rewrite(self, i: int, tile: int) -> dict:
        """Article ``i`` of the base as tile ``tile`` has it (a JSON-ready dict).

        Every article of a story takes the same partner sentences (the partner's, from a
        fixed start, as many words as the story's first article keeps), so copies stay
        as similar to each other as in the base."""
        r = self.records[i]
        if tile == 0:
            return _row(r.id, r.title, r.body, r)
        own = self._own(i, tile)
        story = self.first[i]
        want = self._wanted(story, tile)
        if self.members[story] > 1:
            # Two copies that differ only in sentences this tile drops would become one
            # text, which the index drops as a duplicate: the second keeps all of its own.
            key = body_key(" ".join(s[0] for par in own for s in par))
            seen = self._kept.setdefault(story, set())
            if key in seen:
                own = self._paragraphs(i)
            seen.add(key)
        j = self._partner(story, tile)
        partner = self.records[j]
        theirs = [s for par in self._paragraphs(j) for s in par]
        seed = zlib.crc32(f"{tile}\x00".encode())
        given = [s for s in theirs if zlib.crc32(s[1], seed) & 1] or theirs[:1]
        start = story % len(given)
        taken, words = [], 0
        for s in given[start:] + given[:start]:
            if taken and words >= want:
                break
            taken.append(s)
            words += s[2]
        at = 1 + story % len(own)
        body = "\n".join(" ".join(s[0] for s in par) for par in own[:at] + [taken] + own[at:])
        head, tail = r.title.split(), partner.title.split()
        title = " ".join(head[: max(2, (2 * len(head) + 2) // 3)] + tail[len(tail) - len(tail) // 3 :])
        doc_id = f"{r.id}~{tile + 1}"
        date = r.date - dt.timedelta(days=TILE_DAYS * tile) if r.date else None
        return _row(doc_id, title, body, r, date=date, url=f"{r.url}#copy-{tile + 1}" if r.url else None)

    def rows(self, total: int) -> Iterator[dict]:
        n = len(self.records)
        for k in range(total):
            yield self.rewrite(k % n, k // n)

    def write(self, paths: dict[int, Path]) -> None:
        """Stream the first N articles to each ``paths[N]`` in one pass (every file is a
        prefix of the next), each written under a temporary name and renamed when full."""
        sizes = sorted(paths)
        handles = {}
        for size in sizes:
            paths[size].parent.mkdir(parents=True, exist_ok=True)
            handles[size] = open(paths[size].with_name(paths[size].name + ".tmp"), "w", encoding="utf-8")
        for n, row in enumerate(self.rows(sizes[-1]), 1):
            line = json.dumps(row, ensure_ascii=False) + "\n"
            for size in list(handles):
                handles[size].write(line)
                if n == size:
                    handles.pop(size).close()
                    paths[size].with_name(paths[size].name + ".tmp").replace(paths[size])


def _row(doc_id: str, title: str, body: str, r: Record, date: dt.date | None = None, url: str | None = None) -> dict:
    date = date or r.date
    return {"id": doc_id, "title": title, "body": body, "source": r.source,
            "date": date.isoformat() if date else None, "url": url or r.url}


def copy_stats(rows) -> dict:
    """Stories the index's copy finder makes of ``rows`` (dicts as written), in order."""
    finder = CopyFinder()
    n = 0
    for row in rows:
        finder.assign(row["id"], row["body"], dt.date.fromisoformat(row["date"]) if row["date"] else None)
        n += 1
    members = Counter(finder.stories)
    sizes = Counter(members.values())
    shared = {size: count for size, count in sizes.items() if size > 1}
    in_shared = sum(size * count for size, count in shared.items())
    per_tile: dict[int, Counter] = {}
    for doc_id, story in zip(finder.ids, finder.stories):
        tile = per_tile.setdefault(int(doc_id.rsplit("~", 1)[1]) - 1 if "~" in doc_id else 0, Counter())
        tile["articles"] += 1
        tile["in_stories_with_copies"] += members[story] > 1
    return {
        "articles": n,
        "stories": sum(sizes.values()),
        "stories_with_copies": sum(shared.values()),
        "articles_in_them": in_shared,
        "share_in_them": round(in_shared / n, 4) if n else 0.0,
        "mean_size_of_them": round(in_shared / sum(shared.values()), 2) if shared else 0.0,
        "largest": sorted((s for s, c in shared.items() for _ in range(c)), reverse=True)[:5],
        "share_in_them_per_tile": {t: round(c["in_stories_with_copies"] / c["articles"], 4) for t, c in sorted(per_tile.items())},
    }


def read_rows(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=lambda v: [int(x) for x in v.split(",")],
                        help="articles to write, one file per number (e.g. 120000,1000000)")
    parser.add_argument("--out", type=Path, help="folder of the JSONL files (scale-N.jsonl)")
    parser.add_argument("--base-limit", type=int, help="use only the first N base articles (quick tests)")
    parser.add_argument("--check", type=Path, metavar="FILE",
                        help="count the copy finder's stories and the equal texts in the base and in FILE")
    args = parser.parse_args()
    if not SNN.exists():
        raise SystemExit(f"no corpus at {SNN}: the scale corpus is made from ../shared's SaudiNewsNet")
    if not args.docs and not args.check:
        raise SystemExit("nothing to do: pass --docs N[,N…] --out FOLDER, or --check FILE")
    records = base_records()[: args.base_limit]
    if args.docs:
        if not args.out:
            raise SystemExit("--docs needs --out FOLDER")
        started = time.perf_counter()
        ScaleCorpus(records).write({size: args.out / f"scale-{size}.jsonl" for size in args.docs})
        print(f"wrote {max(args.docs):,} articles to {args.out} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    if args.check:
        keys = Counter(body_key(row["body"]) for row in read_rows(args.check))
        result = {
            "base": copy_stats({"id": r.id, "body": r.body, "date": r.date.isoformat() if r.date else None} for r in records),
            "file": copy_stats(read_rows(args.check)),
            "file_equal_texts": sum(n - 1 for key, n in keys.items() if key is not None and n > 1),
        }
        print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
