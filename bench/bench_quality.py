"""Retrieval quality: kosearch against BM25 baselines, on the same documents, in one run.

Sets (from ../shared/data):
- precedents: 400 long legal-issue queries over 12,000 court decisions;
- korquad: 5,774 KorQuAD 1.0 dev questions over their 964 paragraphs (each question's relevant
  document is its own paragraph);
- wikinews: known-item queries over 644 Wikinews articles, made from each sampled title's nouns
  with different particles attached (see `wikinews_queries`).

Systems: kosearch (the library's `Index.search`; `kosearch-exact` with the forgiving rewrites of
aliases and corrections turned off), BM25 over whitespace tokens and over bm25s'
default tokens (bm25s), and BM25 over Kiwi morphemes (Whoosh BM25F over the index's morpheme
fields alone, with the standard BM25 idf). Every system sees title and body. Metrics by ir-measures.

    python bench/bench_quality.py [--sets precedents,korquad,wikinews] [--set title=1.6,...]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import ir_measures
from ir_measures import RR, R, nDCG
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index import index_paths  # noqa: E402
from index.analysis import analyze, normalize  # noqa: E402
from index.readers import Record, read_file  # noqa: E402
from search import open_index, tuning  # noqa: E402
from search.query import WEIGHTS  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
MEASURES = [nDCG @ 10, R @ 10, R @ 100, RR @ 10]
Run = dict[str, dict[str, float]]


@dataclasses.dataclass
class Dataset:
    name: str
    source: Path
    index_dir: Path
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]


def _records(path: Path) -> list[Record]:
    return [r for r in read_file(path) if isinstance(r, Record)]


def precedents(work: Path) -> Dataset:
    queries, qrels = {}, {}
    for line in (DATA / "precedents-dev-queries.jsonl").read_text(encoding="utf-8").splitlines():
        q = json.loads(line)
        queries[q["qid"]] = q["query"]
        qrels[q["qid"]] = {str(d): 1 for d in q["relevant"]}
    return Dataset("precedents", DATA / "precedents-12k.jsonl.gz", work / "precedents",
                   queries, qrels)


def korquad(work: Path) -> Dataset:
    data = json.loads((DATA / "korquad" / "KorQuAD_v1.0_dev.json").read_text(encoding="utf-8"))
    source = work / "korquad-paragraphs.jsonl"
    queries, qrels, lines = {}, {}, []
    n = 0
    for article in data["data"]:
        for paragraph in article["paragraphs"]:
            pid = f"kq{n:04d}"
            n += 1
            lines.append(json.dumps({"id": pid, "body": paragraph["context"]}, ensure_ascii=False))
            for qa in paragraph["qas"]:
                queries[qa["id"]] = qa["question"]
                qrels[qa["id"]] = {pid: 1}
    if not source.exists():
        source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Dataset("korquad", source, work / "korquad", queries, qrels)


_PARTICLES = {"이": "은", "가": "는", "은": "이", "는": "가", "을": "의", "를": "의", "의": "에",
              "에": "의", "와": "과", "과": "와", "로": "의", "도": "가"}


def wikinews_queries(records: list[Record], n: int = 200, seed: int = 7) -> tuple[dict, dict]:
    """Known-item queries: for `n` sampled articles, up to four nouns of the title, each with a
    particle other than the one it had (or one added), in a shuffled order."""
    rng = random.Random(seed)
    queries, qrels = {}, {}
    for rec in rng.sample(records, min(n, len(records))):
        nouns = [u[0] for u in analyze(normalize(rec.title)).units
                 if len(u[0]) >= 2 and not u[0].isdigit()]
        nouns = list(dict.fromkeys(nouns))[:4]
        if len(nouns) < 2:
            continue
        words = []
        for noun in nouns:
            last = noun[-1]
            has_coda = 0xAC00 <= ord(last) <= 0xD7A3 and (ord(last) - 0xAC00) % 28 != 0
            words.append(noun + rng.choice(["은", "이", "을", "과", ""] if has_coda
                                           else ["는", "가", "를", "와", ""]))
        rng.shuffle(words)
        qid = f"wn-{rec.id}"
        queries[qid] = " ".join(words)
        qrels[qid] = {rec.id: 1}
    return queries, qrels


def wikinews(work: Path) -> Dataset:
    source = DATA / "wikinews-ko.jsonl"
    queries, qrels = wikinews_queries(_records(source))
    return Dataset("wikinews", source, work / "wikinews", queries, qrels)


# -- systems --------------------------------------------------------------------------------


def bm25s_system(records: list[Record], tokenize: Callable[[list[str]], list[list[str]]]
                 ) -> Callable[[dict[str, str]], Run]:
    import bm25s

    ids = [r.id for r in records]
    retriever = bm25s.BM25()
    retriever.index(tokenize([f"{r.title}\n{r.body}" for r in records]), show_progress=False)

    def run(queries: dict[str, str]) -> Run:
        out: Run = {}
        qids = list(queries)
        tokens = tokenize([queries[q] for q in qids])
        for qid, toks in zip(qids, tokens, strict=True):
            toks = [t for t in toks if t in retriever.vocab_dict] or ["\x00"]
            if toks == ["\x00"]:
                out[qid] = {}
                continue
            docs, scores = retriever.retrieve([toks], k=min(100, len(ids)), show_progress=False,
                                              n_threads=1)
            out[qid] = {ids[int(d)]: float(s) for d, s in zip(docs[0], scores[0], strict=True)}
        return out

    return run


def whitespace_tokens(texts: list[str]) -> list[list[str]]:
    return [t.lower().split() for t in texts]


def bm25s_default_tokens(texts: list[str]) -> list[list[str]]:
    import bm25s

    ids_vocab = bm25s.tokenize(texts, stopwords=None, show_progress=False, return_ids=False)
    return [list(t) for t in ids_vocab]


def kiwi_morpheme_system(index_dir: Path) -> Callable[[dict[str, str]], Run]:
    """BM25 over Kiwi morphemes only: the index's morpheme fields, every query morpheme OR-ed."""
    from whoosh import query as wq

    from index.store import open_existing
    from search.scoring import KoBM25

    searcher = open_existing(index_dir).searcher(weighting=KoBM25())

    def run(queries: dict[str, str]) -> Run:
        out: Run = {}
        for qid, text in queries.items():
            terms = {u[0] for u in analyze(normalize(text)).units}
            q = wq.Or([wq.Term(f, t) for t in terms for f in ("title", "body")])
            hits = searcher.search(q, limit=100)
            out[qid] = {h["id"]: float(h.score) for h in hits}
        return out

    return run


def kosearch_system(index_dir: Path, latencies: list[float], weights: object = WEIGHTS,
                    forgiving: bool = True) -> Callable[[dict[str, str]], Run]:
    idx = open_index(index_dir)
    tuning.set_weights(idx, weights)  # type: ignore[arg-type]
    tuning.warm_up(idx)

    def run(queries: dict[str, str]) -> Run:
        out: Run = {}
        for qid, text in queries.items():
            start = time.perf_counter()
            results = idx.search(text, limit=100, snippet_count=0, forgiving=forgiving)
            latencies.append(time.perf_counter() - start)
            out[qid] = {h.id: h.score for h in results.hits}
        return out

    return run


def evaluate(qrels: dict[str, dict[str, int]], run: Run) -> dict[str, float]:
    scored = {q: docs for q, docs in run.items() if docs}
    result = ir_measures.calc_aggregate(MEASURES, qrels, scored)
    # Queries with no results count as zero, as they should.
    n_all, n_scored = len(qrels), sum(1 for q in qrels if q in scored)
    return {str(m): float(result[m]) * n_scored / n_all for m in MEASURES}


def ensure_index(ds: Dataset) -> None:
    if not (ds.index_dir / "kosearch-index.json").exists():
        report = index_paths([ds.source], ds.index_dir)
        print(f"indexed {ds.name}: {report.added} documents in {report.seconds:.0f} s")


def main(argv: Iterable[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", default="precedents,korquad,wikinews")
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / ".work")
    ap.add_argument("--systems",
                    default="kosearch,kosearch-exact,bm25-whitespace,bm25s-default,bm25-kiwi")
    ap.add_argument("--set", default="", help="override ranking weights: title=1.6,words=0.7")
    ap.add_argument("--limit-queries", type=int, default=0, help="evaluate only the first N")
    args = ap.parse_args(list(argv) if argv is not None else None)
    args.work.mkdir(parents=True, exist_ok=True)
    weights = WEIGHTS
    if args.set:
        changes = {k: float(v) for k, v in (kv.split("=") for kv in args.set.split(","))}
        weights = dataclasses.replace(WEIGHTS, **changes)
    console = Console()
    makers = {"precedents": precedents, "korquad": korquad, "wikinews": wikinews}
    summary = {}
    for name in args.sets.split(","):
        ds = makers[name](args.work)
        if args.limit_queries:
            ds.queries = dict(list(ds.queries.items())[: args.limit_queries])
            ds.qrels = {q: ds.qrels[q] for q in ds.queries}
        ensure_index(ds)
        records = _records(ds.source) if any(s.startswith("bm25") and s != "bm25-kiwi"
                                             for s in args.systems.split(",")) else []
        table = Table(title=f"{name}: {len(ds.queries):,} queries")
        table.add_column("system")
        for m in MEASURES:
            table.add_column(str(m), justify="right")
        table.add_column("median ms", justify="right")
        summary[name] = {}
        for system in args.systems.split(","):
            latencies: list[float] = []
            if system in ("kosearch", "kosearch-exact"):
                run_fn = kosearch_system(ds.index_dir, latencies, weights,
                                         forgiving=system == "kosearch")
            elif system == "bm25-whitespace":
                run_fn = bm25s_system(records, whitespace_tokens)
            elif system == "bm25s-default":
                run_fn = bm25s_system(records, bm25s_default_tokens)
            elif system == "bm25-kiwi":
                run_fn = kiwi_morpheme_system(ds.index_dir)
            else:
                raise SystemExit(f"unknown system {system}")
            scores = evaluate(ds.qrels, run_fn(ds.queries))
            summary[name][system] = scores
            median = f"{statistics.median(latencies) * 1000:.1f}" if latencies else ""
            table.add_row(system, *(f"{scores[str(m)]:.3f}" for m in MEASURES), median)
        console.print(table)
    out = args.work / "bench_quality.json"
    out.write_text(json.dumps({"weights": dataclasses.asdict(weights), "results": summary},
                              indent=1))


if __name__ == "__main__":
    main()
