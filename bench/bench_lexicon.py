"""Agreement of lexicon lookup with Kiwi on the dev sets' queries (`index.lexicon`).

For each set, a lexicon is built from the matching corpus as an indexing run builds it (Kiwi's
analysis of every title and body, form by form); then every query is analysed by Kiwi and by
lookup. Reported: the share of queries lookup answers (all their forms known and stable), and
of those, the share whose morpheme terms, word terms and offsets equal Kiwi's exactly, with the
kinds of the disagreements.

    python bench/bench_lexicon.py [--data ../shared/data] [--precedents 2000]
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.analysis import ANALYZER_VERSION, Analyzer  # noqa: E402
from index.lexicon import Collector, open_lexicon, write_lexicon  # noqa: E402
from index.terms import Analysis, fold, normalize  # noqa: E402


def precedents(data: Path, docs: int) -> tuple[Iterator[str], list[str]]:
    def texts() -> Iterator[str]:
        with gzip.open(data / "precedents-12k.jsonl.gz", "rb") as f:
            for i, line in enumerate(f):
                if i >= docs:
                    return
                rec = orjson.loads(line)
                yield rec["title"]
                yield rec["body"]
    queries = [orjson.loads(line)["query"]
               for line in (data / "precedents-dev-queries.jsonl").read_bytes().splitlines()]
    return texts(), queries


def korquad(data: Path) -> tuple[Iterator[str], list[str]]:
    raw = orjson.loads((data / "korquad" / "KorQuAD_v1.0_dev.json").read_bytes())
    contexts = [p["context"] for a in raw["data"] for p in a["paragraphs"]]
    titles = [a["title"] for a in raw["data"]]
    questions = [q["question"] for a in raw["data"] for p in a["paragraphs"] for q in p["qas"]]
    return iter(titles + contexts), questions


def wikinews(data: Path) -> tuple[Iterator[str], list[str]]:
    recs = [orjson.loads(line) for line in
            (data / "wikinews-ko.jsonl").read_bytes().splitlines()]
    return iter([t for r in recs for t in (r["title"], r["body"])]), [r["title"] for r in recs]


def kind(kiwi: Analysis, looked: Analysis) -> str:
    """What differs between two analyses of one query, coarsest first."""
    if [u[0] for u in kiwi.units] != [u[0] for u in looked.units]:
        return "morpheme terms"
    if [w[0] for w in kiwi.words] != [w[0] for w in looked.words]:
        return "word terms"
    if [u[4] for u in kiwi.units] != [u[4] for u in looked.units]:
        return "alternatives of a glued particle"
    return "offsets or extra terms only"


MIN_SEEN = (1, 2, 3)
"""Occurrences a form needs to be answered (`Lexicon.min_seen`), compared."""


def measure(name: str, texts: Iterator[str], queries: list[str],
            work: Path) -> list[dict[str, object]]:
    analyzer = Analyzer()
    collector = Collector()
    collector.check_in_background(analyzer.analyze_many)  # as an indexing run does
    start = time.perf_counter()
    docs = [normalize(t) for t in texts]
    for text, analysis in zip(docs, analyzer.analyze_many(docs), strict=True):
        collector.add(fold(text), analysis)
    collector.verify(analyzer.analyze_many)
    built = time.perf_counter() - start
    write_lexicon(work, 1, (), collector.forms, ANALYZER_VERSION)
    lexicon = open_lexicon(work, 1, (), ANALYZER_VERSION)
    assert lexicon is not None
    stable = sum(1 for e in collector.forms.values() if e[0] is not None)
    results = []
    for min_seen in MIN_SEEN:
        lexicon.min_seen = min_seen
        answered = agreed = 0
        kinds: Counter[str] = Counter()
        for query in queries:
            text = fold(normalize(query))
            looked = lexicon.analysis(text)
            if looked is None:
                continue
            answered += 1
            kiwi = analyzer.analyze(text)
            if kiwi == looked:
                agreed += 1
            else:
                kinds[kind(kiwi, looked)] += 1
        results.append({"set": name, "min_seen": min_seen, "queries": len(queries),
                        "answered": answered, "agreed": agreed, "forms": len(collector.forms),
                        "stable": stable, "kinds": dict(kinds), "seconds": round(built, 1)})
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--precedents", type=int, default=2000,
                        help="decisions of precedents-12k the lexicon is built from")
    args = parser.parse_args()
    sets = [("wikinews titles", *wikinews(args.data)), ("KorQuAD dev", *korquad(args.data)),
            (f"precedents-dev ({args.precedents} decisions)",
             *precedents(args.data, args.precedents))]
    with tempfile.TemporaryDirectory() as tmp:
        for name, texts, queries in sets:
            for r in measure(name, texts, queries, Path(tmp)):
                report(r)


def report(r: dict[str, object]) -> None:
    queries, answered, agreed = (int(r[k]) for k in ("queries", "answered", "agreed"))  # type: ignore[call-overload]
    print(f"{r['set']}, forms seen >= {r['min_seen']}x: {answered}/{queries} answered by "
          f"lookup ({answered / max(1, queries):.1%}), agreement {agreed / max(1, answered):.2%}; "
          f"forms {r['forms']} ({r['stable']} stable); built in {r['seconds']} s; "
          f"disagreements {r['kinds']}", flush=True)


if __name__ == "__main__":
    main()
