"""Does :func:`index.analysis.stemming.root` give tashaphyne's own root for every word form?

``root`` computes tashaphyne's ``light_stem`` + ``get_root`` result by a shorter path
(see its docstring). This reads every distinct normalized, non-stop word form of the
corpus (titles and bodies), computes both roots, and prints how many differ (with the
first few) and the CPU time of each way. Any difference is a bug in the fast path.

    .venv/bin/python benchmarks/root_equivalence.py                 # the whole corpus
    .venv/bin/python benchmarks/root_equivalence.py --articles 3000
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from index.analysis.chain import WORD  # noqa: E402
from index.analysis.normalize import normalize  # noqa: E402
from index.analysis.stemming import _tashaphyne_root, root  # noqa: E402
from index.analysis.stopwords import stop_words  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared/corpus/saudinewsnet/articles.jsonl.gz"


def corpus_forms(path: Path, articles: int | None) -> list[str]:
    """Distinct normalized word forms of titles and bodies that the stop filter keeps."""
    surfaces: set[str] = set()
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            if articles is not None and n >= articles:
                break
            record = json.loads(line)
            for name in ("title", "body"):
                surfaces.update(WORD.findall(record.get(name) or ""))
    stops = stop_words()
    return sorted({normalize(w) for w in surfaces} - stops - {""})


def reference(word: str) -> str:
    """tashaphyne's path for every word, with :func:`root`'s guards for short and non-Arabic words."""
    if len(word) <= 3 or not ("\u0621" <= word[0] <= "\u064a"):
        return word
    return _tashaphyne_root(word)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--articles", type=int, default=None)
    args = parser.parse_args()
    forms = corpus_forms(args.corpus, args.articles)
    reference("كتاب"), root.__wrapped__("كتاب")  # load tashaphyne's tables outside the timings
    start = time.process_time()
    expected = [reference(w) for w in forms]
    slow = time.process_time() - start
    start = time.process_time()
    got = [root(w) for w in forms]
    fast = time.process_time() - start
    wrong = [(w, e, g) for w, e, g in zip(forms, expected, got) if e != g]
    print(f"{len(forms)} forms: {len(wrong)} roots differ")
    for w, e, g in wrong[:20]:
        print(f"  {w}: tashaphyne {e}, ours {g}")
    print(f"CPU: tashaphyne {slow:.1f} s ({slow / len(forms) * 1e6:.0f} µs/form), "
          f"ours {fast:.1f} s ({fast / len(forms) * 1e6:.0f} µs/form)")
    sys.exit(1 if wrong else 0)


if __name__ == "__main__":
    main()
