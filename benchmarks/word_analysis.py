"""CPU per word form of the build's per-form analysis, against another tree's, same outputs.

The build's parent analyses every new word form once per analyzer key of the schema
(:meth:`index.whoosh_ext.parallel.ParallelWriter._analyze` calling
:func:`index.analysis.oneword.word_analysis`'s functions in the schema's order). This
times exactly that over every distinct word form (a match of
:data:`index.analysis.chain.WORD`, as written) of SaudiNewsNet, the ANT sample and the
seeds, then each stage alone (normalize, stop words, stem, root, on the forms that reach
it), each in a fresh process per tree, trees in turns (A, B, A, B). It fails when any
form gets another term under any analyzer than in the reference tree.

    git archive main | (mkdir -p /tmp/x/ref && tar -x -C /tmp/x/ref)
    .venv/bin/python benchmarks/word_analysis.py --reference /tmp/x/ref [--rounds 2] [--articles N]

``--indexes A B`` instead compares two built indexes (a generation folder each, as
``build_once.py`` leaves under ``--index``): the terms of every text field, with their
document and term frequencies, must be the same.
"""

from __future__ import annotations

import argparse
import gzip
import json
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
SHARED = HERE.parent / "shared"
CORPUS = SHARED / "corpus/saudinewsnet/articles.jsonl.gz"
TEXT_FOLDERS = (SHARED / "corpus/antcorpus-sample", SHARED / "seeds")


def surfaces(corpus: Path, articles: int | None) -> list[str]:
    """Distinct word forms as written: titles and bodies of ``corpus``, the text files of
    :data:`TEXT_FOLDERS`; sorted, so every process sees them in the same order."""
    from index.analysis.chain import WORD

    found: set[str] = set()
    with gzip.open(corpus, "rt", encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            if articles is not None and n >= articles:
                break
            record = json.loads(line)
            for name in ("title", "body"):
                found.update(WORD.findall(record.get(name) or ""))
    for folder in TEXT_FOLDERS:
        for path in sorted(folder.glob("*.txt")):
            found.update(WORD.findall(path.read_text(encoding="utf-8", errors="replace")))
    return sorted(found)


def _clear_caches() -> None:
    """Empty the LRU caches of the analysis modules (not the stop-word table), so that
    each timing starts as a build's parent does."""
    import index.analysis as package

    for name, module in list(sys.modules.items()):
        if not name.startswith(package.__name__ + "."):
            continue
        for value in list(vars(module).values()):
            if hasattr(value, "cache_clear") and getattr(value, "__name__", "") != "stop_words":
                value.cache_clear()


def child(forms_path: Path, out_path: Path) -> dict[str, float]:
    """In the tree on ``sys.path``: the analyses of every form (to ``out_path``) and
    the CPU seconds of the whole analysis and of each stage."""
    from index.analysis import chain, stemming
    from index.analysis.normalize import normalize
    from index.analysis.oneword import word_analysis
    from index.schema import build_schema
    from index.whoosh_ext.segment import analyzer_key

    forms = forms_path.read_text(encoding="utf-8").split("\n")
    analyses: dict[str, object] = {}
    for _, field in build_schema().items():  # the order in which the build calls them
        analyzer = getattr(field, "analyzer", None)
        analyze = word_analysis(analyzer) if analyzer is not None and hasattr(analyzer, "items") else None
        if analyze is not None:
            analyses.setdefault(analyzer_key(analyzer), analyze)
    functions = list(analyses.values())
    for analyze in functions:  # tables loaded outside the timing, as a build's first words do
        analyze("والكتابات")
    _clear_caches()
    clock = time.process_time
    start = clock()
    outputs = [[analyze(form) for analyze in functions] for form in forms]
    times = {"all": clock() - start}
    with open(out_path, "wb") as handle:
        pickle.dump({"keys": list(analyses), "outputs": outputs}, handle)

    _clear_caches()
    plain_normalize = getattr(normalize, "__wrapped__", normalize)
    start = clock()
    normalized = [plain_normalize(form) for form in forms]
    times["normalize"] = clock() - start
    start = clock()
    kept = [word for word in (chain._unless_stop_word(w) for w in normalized) if word]
    times["stop"] = clock() - start
    for stage in ("stem", "root"):
        function = getattr(stemming, stage)
        function = getattr(function, "__wrapped__", function)
        _clear_caches()
        start = clock()
        for word in kept:
            function(word)
        times[stage] = clock() - start
    times["forms"] = len(forms)
    return times


def run_tree(tree: Path, forms_path: Path, out_path: Path) -> dict[str, float]:
    """:func:`child` in a fresh process with ``tree`` first on ``sys.path``."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(tree), str(forms_path), str(out_path)],
        check=True, capture_output=True, text=True, cwd=tree,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def same_terms(first: Path, second: Path) -> bool:
    """Whether two indexes hold the same terms, document and term frequencies in every text field."""
    from whoosh.index import open_dir

    same = True
    with open_dir(str(first)).searcher() as a, open_dir(str(second)).searcher() as b:
        for field in sorted(name for name, f in a.schema.items() if f.__class__.__name__ == "TEXT"):
            stats = [{t: (r.doc_frequency(field, t), r.frequency(field, t)) for t in r.field_terms(field)}
                     for r in (a.reader(), b.reader())]
            print(f"{field}: {len(stats[0])} and {len(stats[1])} terms, {'same' if stats[0] == stats[1] else 'DIFFERENT'}")
            same &= stats[0] == stats[1]
    return same


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indexes", type=Path, nargs=2, help="compare the terms of two built indexes instead")
    parser.add_argument("--reference", type=Path, help="a tree of the project (git archive of main)")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--articles", type=int, default=None, help="first N articles of the corpus only")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each tree, in turns")
    args = parser.parse_args()
    if args.indexes:
        sys.exit(0 if same_terms(*args.indexes) else 1)
    if args.reference is None:
        parser.error("--reference or --indexes is needed")
    forms = surfaces(args.corpus, args.articles)
    trees = {"reference": args.reference.resolve(), "this tree": HERE}
    with tempfile.TemporaryDirectory() as work:
        forms_path = Path(work) / "forms.txt"
        forms_path.write_text("\n".join(forms), encoding="utf-8")
        timings: dict[str, list[dict]] = {name: [] for name in trees}
        for _ in range(args.rounds):
            for name, tree in trees.items():
                timings[name].append(run_tree(tree, forms_path, Path(work) / f"{name}.pickle"))
        results = {name: pickle.loads((Path(work) / f"{name}.pickle").read_bytes()) for name in trees}
    reference, ours = results["reference"], results["this tree"]
    wrong = [(form, a, b) for form, a, b in zip(forms, reference["outputs"], ours["outputs"]) if a != b]
    print(f"{len(forms)} distinct forms; analyzers: {', '.join(k.rsplit('.', 1)[-1] for k in reference['keys'])}")
    print(f"{len(wrong)} forms analysed differently" + (":" if wrong else ""))
    for form, a, b in wrong[:20]:
        print(f"  {form}: reference {a}, this tree {b}")
    stages = ("all", "normalize", "stop", "stem", "root")
    print("µs per form (CPU), each run:       " + "".join(f"{s:>11}" for s in stages))
    for name, runs in timings.items():
        for n, run in enumerate(runs, 1):
            cells = "".join(f"{run[s] / run['forms'] * 1e6:11.2f}" for s in stages)
            print(f"  {name:<12} run {n}:                {cells}")
    print("(stem and root: per form of all forms, computed on the normalized non-stop forms)")
    sys.exit(1 if wrong or reference["keys"] != ours["keys"] else 0)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        sys.path.insert(0, sys.argv[2])
        print(json.dumps(child(Path(sys.argv[3]), Path(sys.argv[4]))))
    else:
        sys.path.insert(0, str(HERE))
        main()
