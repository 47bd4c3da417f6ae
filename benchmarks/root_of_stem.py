"""Would rooting the stem instead of the word keep the root fields' meaning?

tashaphyne's root costs ~200 µs per new word form and there are about twice as many
normalized forms as stems. This measures, on a sample of word forms from the corpus,
how often ``root(stem(w)) == root(w)`` (by forms and by tokens) and the CPU time of
each way, so the choice can be made on numbers.

    .venv/bin/python benchmarks/root_of_stem.py --articles 3000 --sample 5000
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from index.analysis.chain import WORD  # noqa: E402
from index.analysis.normalize import normalize  # noqa: E402
from index.analysis.stemming import root, stem  # noqa: E402
from index.analysis.stopwords import stop_words  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared/corpus/saudinewsnet/articles.jsonl.gz"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--sample", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    counts: Counter[str] = Counter()
    with gzip.open(args.corpus, "rt", encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            if n >= args.articles:
                break
            record = json.loads(line)
            counts.update(normalize(w) for w in WORD.findall(record.get("body") or record.get("content") or ""))
    stops = stop_words()
    forms = sorted(w for w in counts if w and w not in stops)
    sample = random.Random(args.seed).sample(forms, min(args.sample, len(forms)))
    raw = root.__wrapped__  # uncached: the second pass must not reuse the first's roots
    start = time.process_time()
    by_word = {w: raw(w) for w in sample}
    word_cpu = time.process_time() - start
    start = time.process_time()
    by_stem = {w: raw(stem(w)) for w in sample}
    stem_cpu = time.process_time() - start
    same = [w for w in sample if by_word[w] == by_stem[w]]
    tokens = sum(counts[w] for w in sample)
    print(f"{len(sample)} forms: root(stem(w)) == root(w) for {len(same) / len(sample):.1%} of forms, "
          f"{sum(counts[w] for w in same) / tokens:.1%} of their tokens")
    print(f"CPU: root(w) {word_cpu:.2f} s, root(stem(w)) {stem_cpu:.2f} s, {len(sample)} forms vs {len(set(map(stem, sample)))} stems")


if __name__ == "__main__":
    main()
