"""Opening an index: time and resident memory after `open_index()`, and after N searches.

Each measurement is a fresh process (`python -c`) of one code tree: this checkout ("new") or
an older commit checked out with `git worktree` ("old"), alternating old, new, old, new...
so that the machine's load falls on both alike; medians over the runs. Memory is read from
/proc/self/status: VmRSS split into RssAnon (copies the process made) and RssFile (mapped
file pages it touched), and VmHWM (the peak). The queries are the one- to three-word queries
of `bench/bench_search.py` (seed 11), drawn once per index by the new code and kept in
`--work`; the searches also check that both trees give the same top-10 ids.

    python bench/bench_open.py --index DIR [--index DIR2] [--old-tree /tmp/kosearch-old]
                               [--old-commit 07f91f6] [--runs 5] [--queries 300] [--split]
                               [--kiwi] [--only-new] [--vocabulary] [--breakdown]
                               [--budget MB ...]

With several indexes (smallest first), the growth of each measure per 100,000 documents from
the first to the last is printed after the tables. `--kiwi` loads Kiwi in the measured process
between opening and the queries (an index with a lexicon would otherwise answer some queries
without it), so "after queries" is the memory of a search process with Kiwi loaded.

`--vocabulary` measures only the suggestion vocabulary (`search/suggest.py`) each tree builds
for each index, under tracemalloc. `--latency` compares warm search latency over Whoosh's
storage and over `SegmentStorage` in one process instead. `--split` also measures a copy of
each index whose compound segments are rewritten as separate files (`DIR-split`), as kosearch
writes them now. `--budget MB` (repeatable, or `never`) measures this tree with that budget
of mapped index pages left resident between searches (`search.engine_data.MAPPED_BYTES`)
as one more variant beside the others; `0` gives the pages back before every search.
`--old-tree` is made with `git worktree add --detach TREE COMMIT` when missing. Linux only.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import hashlib, json, sys, time
sys.path.insert(0, {root!r})

def memory():
    out = {{}}
    with open("/proc/self/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
                out[key] = int(value.split()[0]) / 1024
    return out

from search import open_index
import search.api, search.engine  # imported before the clock starts
before = memory()
t0 = time.perf_counter()
idx = open_index({index!r})
opened = time.perf_counter() - t0
after_open = memory()
if {kiwi!r}:  # Kiwi in this process before the queries, as a search process that met an unseen word
    from index.analysis import analyze
    analyze("법원의 판단")
after_kiwi = memory()
released = [0]
import search.engine_data as data
if {budget!r} is not None:  # this tree with another budget of resident mapped pages
    data.MAPPED_BYTES = {budget!r}
if hasattr(data, "release_pages"):  # counted (a tree before it has none)
    real_release = data.release_pages
    def counted(arrays):
        released[0] += 1
        return real_release(arrays)
    data.release_pages = counted
if {breakdown!r}:
    import tracemalloc
    tracemalloc.start(8)
queries = json.load(open({queries!r}, encoding="utf-8"))[:{n}]
times, ids = [], hashlib.sha256()
for q in queries:
    t = time.perf_counter()
    hits = idx.search(q, limit=10).hits
    times.append((time.perf_counter() - t) * 1000)
    ids.update(("|".join(h.id for h in hits) + "\n").encode())
after = memory()
if {breakdown!r}:
    import collections, os
    snapshot = tracemalloc.take_snapshot()
    traced = [(s.size / 2**20, str(s.traceback[-1]))
              for s in snapshot.statistics("traceback")[:12]]
    rss = collections.Counter()
    name = "[anon]"
    with open("/proc/self/smaps") as f:
        for line in f:
            head = line.split()
            if len(head) >= 5 and "-" in head[0] and not head[0].endswith(":"):
                name = head[5] if len(head) > 5 else "[anon]"
                if name.startswith({index!r}):
                    name = "index " + os.path.basename(name).split(".", 1)[-1]
                elif "/site-packages/" in name:
                    name = name.split("/site-packages/")[1].split("/")[0]
            elif head and head[0] == "Rss:":
                rss[name] += int(head[1]) / 1024
    print(json.dumps({{"traced": traced, "smaps": rss.most_common(14)}}))
print(json.dumps({{"open_ms": opened * 1000, "before": before, "open": after_open,
                  "kiwi": after_kiwi, "queries": after, "times": times[1:],
                  "ids": ids.hexdigest(), "docs": idx.doc_count, "releases": released[0]}}))
"""

LATENCY = r"""
import json, statistics, sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from whoosh.filedb.filestore import FileStorage
from index.segments import segment_storage
from search import tuning
from search.api import Index
path = Path({index!r})
indexes = {{"whoosh storage (copies)": Index(FileStorage(str(path)).open_index(), path),
           "segment storage (maps)": Index(segment_storage(path).open_index(), path)}}
queries = json.load(open({queries!r}, encoding="utf-8"))[:{n}]
for idx in indexes.values():
    tuning.warm_up(idx)
    idx.search("법원")
times = {{name: [] for name in indexes}}
for q in queries:
    for name, idx in indexes.items():
        t = time.perf_counter()
        idx.search(q, limit=10)
        times[name].append((time.perf_counter() - t) * 1000)
print(json.dumps(times))
"""

VOCABULARY = r"""
import gc, json, sys, time, tracemalloc
sys.path.insert(0, {root!r})
from search import open_index
from search.suggest import vocabulary
idx = open_index({index!r})
gc.collect()
tracemalloc.start()
t = time.perf_counter()
vocab = vocabulary(idx._searcher)
seconds = time.perf_counter() - t
gc.collect()
held, peak = tracemalloc.get_traced_memory()
print(json.dumps({{"seconds": seconds, "held": held / 2**20, "peak": peak / 2**20,
                  "words": len(vocab.df), "objects": len(gc.get_objects())}}))
"""

DRAW = r"""
import json, sys
sys.path.insert(0, {root!r})
sys.path.insert(0, {bench!r})
from bench_search import word_queries
from search import open_index
idx = open_index({index!r})
sets = word_queries(idx, {per_length})
json.dump([q for k in (1, 2, 3) for q in sets[k]], open({out!r}, "w", encoding="utf-8"),
          ensure_ascii=False)
"""


def draw_queries(index: Path, work: Path, n: int) -> Path:
    """The benchmark's queries for `index` (drawn by this tree once, then reused)."""
    out = work / f"queries-{index.name}-{n}.json"
    if not out.exists():
        code = DRAW.format(root=str(ROOT), bench=str(ROOT / "bench"), index=str(index),
                           per_length=(n + 2) // 3, out=str(out))
        subprocess.run([sys.executable, "-c", code], check=True)
    return out


def measure(tree: Path, index: Path, queries: Path, n: int, kiwi: bool = False,
            breakdown: bool = False, budget: int | None = None) -> dict[str, object]:
    """One fresh process of `tree`; `budget`: bytes of mapped index pages it may leave
    resident between searches (None: the tree's own setting)."""
    code = CHILD.format(root=str(tree), index=str(index), queries=str(queries), n=n, kiwi=kiwi,
                        breakdown=breakdown, budget=budget)
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                          text=True)
    if breakdown:
        found = json.loads(done.stdout.splitlines()[-2])
        print(f"\n{index}: where the memory after {n} queries is (one run of this tree)")
        print("  resident pages by mapping (/proc/self/smaps), MB:")
        for name, mb in found["smaps"]:
            print(f"    {mb:9.1f}  {name}")
        print("  Python allocations live after the queries (tracemalloc, started after Kiwi), MB:")
        for mb, where in found["traced"]:
            print(f"    {mb:9.1f}  {where}")
    return dict(json.loads(done.stdout.splitlines()[-1]))


def latency(index: Path, queries: Path, n: int) -> None:
    """Warm latency of this tree's search over Whoosh's storage and over `SegmentStorage`, in
    one process, alternating query by query (each index meets each query for the first time)."""
    code = LATENCY.format(root=str(ROOT), index=str(index), queries=str(queries), n=n)
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                          text=True)
    times = json.loads(done.stdout.splitlines()[-1])
    print(f"\nwarm latency on {index.name}, {n} queries alternating in one process:")
    for name, values in times.items():
        print(f"  {name:26} p50 {statistics.median(values):6.1f} ms  "
              f"p95 {percentile(values, 95):6.1f} ms")


def vocabulary_memory(trees: dict[str, Path], index: Path, runs: int) -> None:
    """The suggestion vocabulary of `index` built by each tree under tracemalloc, in fresh
    processes alternating: memory it holds, peak while building, seconds (medians)."""
    results: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    for _ in range(runs):
        for name, tree in trees.items():
            code = VOCABULARY.format(root=str(tree), index=str(index))
            done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                                  text=True)
            results[name].append(json.loads(done.stdout.splitlines()[-1]))
    print(f"\nsuggestion vocabulary of {index} ({runs} runs each, medians):")
    for name, rs in results.items():
        med = {k: statistics.median(r[k] for r in rs) for k in rs[0]}
        print(f"  {name}: {med['words']:,.0f} words, holds {med['held']:,.1f} MB, peak "
              f"{med['peak']:,.1f} MB while built, {med['seconds']:.2f} s, "
              f"{med['objects']:,.0f} objects tracked by the collector afterwards")


def ensure_tree(tree: Path, commit: str) -> None:
    if not (tree / "search" / "api.py").exists():
        subprocess.run(["git", "worktree", "add", "--detach", str(tree), commit], cwd=ROOT,
                       check=True)


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def summary(runs: list[dict[str, object]]) -> dict[str, float]:
    def med(get: object) -> float:
        return statistics.median(get(r) for r in runs)  # type: ignore[operator]

    return {
        "open ms": med(lambda r: r["open_ms"]),
        "RSS before open MB": med(lambda r: r["before"]["VmRSS"]),
        "RSS after open MB": med(lambda r: r["open"]["VmRSS"]),
        "  of which anon MB": med(lambda r: r["open"]["RssAnon"]),
        "  of which file MB": med(lambda r: r["open"]["RssFile"]),
        "RSS with Kiwi loaded MB": med(lambda r: r.get("kiwi", r["open"])["VmRSS"]),
        "RSS after queries MB": med(lambda r: r["queries"]["VmRSS"]),
        "  of which anon MB ": med(lambda r: r["queries"]["RssAnon"]),
        "  of which file MB ": med(lambda r: r["queries"]["RssFile"]),
        "peak (VmHWM) MB": med(lambda r: r["queries"]["VmHWM"]),
        "query p50 ms": med(lambda r: statistics.median(r["times"])),
        "query p95 ms": med(lambda r: percentile(r["times"], 95)),
        "query mean ms": med(lambda r: statistics.fmean(r["times"])),
        "pages given back (times)": med(lambda r: r.get("releases", 0)),
    }


def split_compound(index: Path) -> Path:
    """A copy of `index` beside it (`<name>-split`) whose compound segments are written as
    separate files, as kosearch writes segments now: the same postings, to compare with."""
    import shutil

    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC

    out = index.with_name(index.name + "-split")
    if out.exists():
        return out
    tmp = index.with_name(index.name + "-split.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(index, tmp)
    storage = FileStorage(str(tmp))
    toc = TOC.read(storage, "MAIN")
    for segment in toc.segments:
        if not segment.is_compound():
            continue
        parts = segment.open_compound_file(storage)
        for name in parts.list():
            with parts.open_file(name) as part, storage.create_file(name) as target:
                shutil.copyfileobj(part, target)
        parts.close()
        storage.delete_file(segment.make_filename(segment.COMPOUND_EXT))
        segment.compound = False
    storage.delete_file(f"_MAIN_{toc.generation}.toc")
    toc.write(storage, "MAIN")
    tmp.rename(out)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", type=Path, action="append", required=True)
    ap.add_argument("--old-tree", type=Path, default=Path("/tmp/kosearch-old"))
    ap.add_argument("--old-commit", default="07f91f6")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / ".work")
    ap.add_argument("--only-new", action="store_true", help="measure this tree alone")
    ap.add_argument("--latency", action="store_true",
                    help="only compare warm search latency over both storages, in one process")
    ap.add_argument("--kiwi", action="store_true",
                    help="load Kiwi in the measured process after opening, before the queries "
                         "(as a process that searched an unseen word has it)")
    ap.add_argument("--breakdown", action="store_true",
                    help="only one run of this tree per index, then where its memory is: "
                         "resident pages by mapping and the largest live Python allocations")
    ap.add_argument("--vocabulary", action="store_true",
                    help="only measure the suggestion vocabulary's memory in each tree")
    ap.add_argument("--budget", action="append", default=[], metavar="MB",
                    help="also measure this tree leaving at most MB of mapped index pages "
                         "resident between searches (0: none; 'never': never give them back)")
    ap.add_argument("--split", action="store_true",
                    help="measure also a copy of each index with its segments in separate files")
    args = ap.parse_args()
    if args.split:
        args.index = [i for index in args.index for i in (index, split_compound(index))]
    args.work.mkdir(parents=True, exist_ok=True)
    if args.latency:
        for index in args.index:
            latency(index, draw_queries(index, args.work, args.queries), args.queries)
        return
    trees = {"new": ROOT}
    if not args.only_new:
        ensure_tree(args.old_tree, args.old_commit)
        trees = {"old": args.old_tree, "new": ROOT}
    budgets: dict[str, int | None] = dict.fromkeys(trees)
    for mb in args.budget:
        trees[f"new@{mb}"] = ROOT
        budgets[f"new@{mb}"] = 1 << 50 if mb == "never" else int(float(mb) * 2**20)
    tables: list[tuple[int, dict[str, float]]] = []
    if args.breakdown:
        for index in args.index:
            measure(ROOT, index, draw_queries(index, args.work, args.queries), args.queries,
                    args.kiwi, breakdown=True)
        return
    if args.vocabulary:
        for index in args.index:
            vocabulary_memory(trees, index, args.runs)
        return
    for index in args.index:
        queries = draw_queries(index, args.work, args.queries)
        runs: dict[str, list[dict[str, object]]] = {name: [] for name in trees}
        for _ in range(args.runs):
            for name, tree in trees.items():
                runs[name].append(measure(tree, index, queries, args.queries, args.kiwi,
                                          budget=budgets[name]))
        size = sum(f.stat().st_size for f in index.iterdir() if f.is_file()) / 1e6
        print(f"\n{index} ({size:,.0f} MB on disk), {args.runs} runs each, "
              f"{args.queries} queries; medians")
        table = {name: summary(r) for name, r in runs.items()}
        print(f"{'measure':28}" + "".join(f"{name:>12}" for name in trees))
        for key in table["new"]:
            print(f"{key:28}" + "".join(f"{table[name][key]:12.1f}" for name in trees))
        hashes = {name: {r["ids"] for r in rs} for name, rs in runs.items()}
        same = len(set().union(*hashes.values())) == 1
        print(f"top-10 ids of every query identical across trees and runs: {same}")
        (args.work / f"bench_open_{index.name}.json").write_text(
            json.dumps({"table": table, "same_results": same}, indent=1), encoding="utf-8")
        tables.append((int(runs["new"][0]["docs"]), table["new"]))  # type: ignore[call-overload]
    if len(tables) > 1:
        print_slope(tables[0], tables[-1])


def print_slope(small: tuple[int, dict[str, float]], large: tuple[int, dict[str, float]]) -> None:
    """Each measure's growth per 100,000 documents, from the smallest index to the largest
    (this tree's medians)."""
    (n0, t0), (n1, t1) = small, large
    print(f"\nper 100,000 documents (new tree, {n0:,} -> {n1:,} documents):")
    for key in t0:
        print(f"{key:28}{(t1[key] - t0[key]) / (n1 - n0) * 100_000:12.1f}")


if __name__ == "__main__":
    main()
