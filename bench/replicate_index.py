"""A large index for latency benchmarks in minutes: an index's documents copied N times with new ids.

`bench/make_replicated.py` builds the same corpus the user's way (write the replicated corpus,
run `kosearch index`); on this 2-core machine that takes well over an hour for 100,000 court
decisions, nearly all of it Whoosh writing postings one document at a time. Copies of a text
analyse to the same postings, so this script copies the analysed postings and stored fields of
an existing index instead (Whoosh's `add_reader`, through a view that gives every copied
document, its `id` column and its `id` postings the suffix `-r1`, `-r2`...), then copies the
index's marker and alias files. Search sees exactly what `kosearch index` would have written,
apart from the per-file bookkeeping fields, which searching does not read.

    python bench/replicate_index.py [--source bench/.work/precedents] [-n 100000]
                                    [--out bench/.work/precedents-100k-copied]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from whoosh import columns  # noqa: E402
from whoosh.index import open_dir  # noqa: E402

from index.store import open_existing  # noqa: E402

RENAMED = "id"


class _Renamed:
    """A reader whose documents carry `suffix` on their id (stored, column and postings), and
    of which only the first `limit` documents exist."""

    def __init__(self, reader: Any, suffix: str, limit: int) -> None:
        self._reader = reader
        self._suffix = suffix
        self._limit = limit

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)

    def has_deletions(self) -> bool:
        return True  # so add_reader maps document numbers (we drop those past `limit`)

    def is_deleted(self, docnum: int) -> bool:
        return docnum >= self._limit or self._reader.is_deleted(docnum)

    def _rename(self, value: Any) -> Any:
        if isinstance(value, bytes):
            return value + self._suffix.encode("utf-8")
        if isinstance(value, str):
            return value + self._suffix
        return value

    def iter_docs(self) -> Iterator[tuple[int, dict[str, Any]]]:
        for docnum, stored in self._reader.iter_docs():
            if docnum >= self._limit:
                continue
            stored = dict(stored)
            stored[RENAMED] = self._rename(stored.get(RENAMED, ""))
            yield docnum, stored

    def column_reader(self, fieldname: str, *args: Any, **kwargs: Any) -> Any:
        column = self._reader.column_reader(fieldname, *args, **kwargs)
        if fieldname != RENAMED:
            return column
        if isinstance(column, columns.TranslatingColumnReader):
            column = column.raw_column()
        outer = self

        class Column:
            def __getitem__(self, docnum: int) -> Any:
                return outer._rename(column[docnum])

        return Column()

    def iter_postings(self) -> Iterator[tuple[Any, ...]]:
        for fieldname, text, docnum, weight, value in self._reader.iter_postings():
            if docnum >= self._limit:
                continue
            if fieldname == RENAMED:
                text = self._rename(text)
            yield fieldname, text, docnum, weight, value


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source", type=Path, default=ROOT / "bench/.work/precedents")
    ap.add_argument("-n", type=int, default=100_000)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    out = args.out or args.source.with_name(f"{args.source.name}-{args.n // 1000}k-copied")
    started = time.perf_counter()
    source = open_existing(args.source)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for path in args.source.iterdir():  # marker, aliases, dictionary: the index's own files
        if path.is_file() and path.name.startswith("kosearch-") and path.suffix == ".json":
            shutil.copy2(path, out / path.name)
    from whoosh.index import create_in

    ix = create_in(str(out), source.schema, indexname="MAIN")
    writer = ix.writer(limitmb=1024)
    with source.reader() as reader:
        base = reader.doc_count()
        copies = 0
        written = 0
        while written < args.n:
            limit = min(base, args.n - written)
            suffix = f"-r{copies}" if copies else ""
            for leaf, _offset in reader.leaf_readers():
                writer.add_reader(_Renamed(leaf, suffix, limit))
            written += limit
            copies += 1
            print(f"copied {written:,} documents ({time.perf_counter() - started:.0f} s)",
                  flush=True)
    writer.commit()
    print(f"committed ({time.perf_counter() - started:.0f} s)", flush=True)
    from index.postings import write_missing

    write_missing(open_dir(str(out), indexname="MAIN"), out)  # as `kosearch index` does
    print(f"posting files written ({time.perf_counter() - started:.0f} s)", flush=True)
    docs = open_dir(str(out), indexname="MAIN").doc_count()
    print(f"{out}: {docs:,} documents in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
