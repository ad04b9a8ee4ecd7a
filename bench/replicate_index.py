"""A large index for latency and memory benchmarks in minutes: an index's documents copied N times.

`bench/make_replicated.py` builds the same corpus the user's way (write the replicated corpus,
run `kosearch index`); on this 2-core machine that takes well over an hour for 100,000 court
decisions, nearly all of it Whoosh writing postings one document at a time. Copies of a text
analyse to the same postings, so this script copies the analysed postings and stored fields of
an existing index instead, through a view that gives every copied document, its `id` column and
its `id` postings the suffix `-r1`, `-r2`... Stored fields go through Whoosh's per-document
writer; postings skip Whoosh's sorting pool (which spills every posting to disk and merges the
runs back, most of the time at 12k): the source's terms are already in order, so each term's
postings are read once and written once per copy, document numbers shifted, in one pass. The
segment is written as separate files (as `kosearch index` writes them now), then the posting
files beside it, then the index's marker, alias, dictionary and lexicon files are copied (the
lexicon renamed to the new commit). Search sees what `kosearch index` would have written, apart
from the per-file bookkeeping fields, which searching does not read.

    python bench/replicate_index.py [--source bench/.work/precedents] [-n 100000]
                                    [--out bench/.work/precedents-100k-copied]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

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


def _term_postings(reader: Any, field: str, btext: bytes) -> tuple[list[int], list[float], list[bytes]]:
    matcher = reader.postings(field, btext)
    ids: list[int] = []
    weights: list[float] = []
    values: list[bytes] = []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        values.append(matcher.value() or b"")
        matcher.next()
    return ids, weights, values


def _block_array(typecode: str, values: np.ndarray) -> array:
    out = array(typecode)
    out.frombytes(values.tobytes())
    return out


def write_copied_postings(fieldwriter: Any, schema: Any, reader: Any, base: int, n: int) -> int:
    """Write every posting of `n` documents made of copies of the `base` documents of `reader`
    (document numbers shifted by `base` per copy) with `fieldwriter`, a block of 128 at a time
    instead of one posting at a time: the same blocks `add_postings` writes. Returns the count."""
    started = time.perf_counter()
    written = 0
    offsets = [(copy * base, min(base, n - copy * base)) for copy in range((n + base - 1) // base)]
    for field in sorted(reader.indexed_field_names()):
        lengths = np.array([reader.doc_field_length(d, field) or 0 for d in range(base)], np.int64)
        terms: Any = ((btext, _term_postings(reader, field, btext))
                      for btext in reader.lexicon(field))
        if field == RENAMED:  # each copy's ids are terms of their own, in order among the rest
            terms = sorted(
                (btext + (f"-r{copy}".encode() if copy else b""),
                 ([offset + d for d in ids if d < limit], weights, values))
                for btext, (ids, weights, values) in terms
                for copy, (offset, limit) in enumerate(offsets))
        fieldwriter.start_field(field, schema[field])
        writer = fieldwriter._postwriter
        block = writer._blocklimit
        for btext, (ids, weights, values) in terms:
            if not ids:
                continue
            ids_np = np.array(ids, np.int64)
            weights_np = np.array(weights, np.float32)
            if field == RENAMED:
                all_ids, all_weights = ids_np, weights_np[:len(ids)]
                all_lengths, all_values = lengths[ids_np % base], values[:len(ids)]
            else:
                counts = [len(ids) if limit == base else int(np.searchsorted(ids_np, limit))
                          for _, limit in offsets]
                all_ids = np.concatenate([ids_np[:k] + offset
                                          for (offset, _), k in zip(offsets, counts, strict=True)])
                all_weights = np.concatenate([weights_np[:k] for k in counts])
                all_lengths = np.concatenate([lengths[ids_np[:k]] for k in counts])
                all_values = []
                for k in counts:
                    all_values.extend(values[:k])
            if all(values):
                kept = all_values
            else:  # Whoosh keeps only non-empty values
                kept = None
            fieldwriter.start_term(btext)
            total = len(all_ids)
            for start in range(0, total, block):
                stop = start + block
                chunk_lengths = all_lengths[start:stop]
                chunk_lengths = chunk_lengths[chunk_lengths > 0]
                chunk_weights = all_weights[start:stop]
                writer._ids = _block_array("I", all_ids[start:stop].astype(np.uint32))
                writer._weights = _block_array("f", chunk_weights)
                writer._values = (kept[start:stop] if kept is not None
                                  else [v for v in all_values[start:stop] if v])
                writer._maxweight = max(0, float(chunk_weights.max()))
                writer._minlength = int(chunk_lengths.min()) if len(chunk_lengths) else None
                writer._maxlength = int(chunk_lengths.max()) if len(chunk_lengths) else 0
                if stop < total:
                    writer._write_block()  # the last block is the one finish_term writes
            fieldwriter.finish_term()
            written += total
        fieldwriter.finish_field()
        print(f"  field {field}: {written:,} postings so far ({time.perf_counter() - started:.0f} s)",
              flush=True)
    return written


def copy_index_files(source: Path, out: Path, source_generation: int, generation: int) -> None:
    """The index's own files beside the segment: marker, dictionary, aliases, lexicon. Files
    named for a commit (`kosearch-lexicon.3.bin`) are renamed for the new one."""
    for path in source.iterdir():
        if not (path.is_file() and path.name.startswith("kosearch-")
                and path.suffix in (".json", ".bin")) or path.name == "kosearch-run.lock":
            continue
        parts = path.name.split(".")
        if len(parts) == 3 and parts[1].isdigit():
            if int(parts[1]) != source_generation:
                continue  # a leftover of an older commit
            name = f"{parts[0]}.{generation}.{parts[2]}"
        else:
            name = path.name
        shutil.copy2(path, out / name)


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
    from whoosh.index import create_in

    from index.segments import writer_options

    ix = create_in(str(out), source.schema, indexname="MAIN")
    writer = ix.writer(**writer_options())
    with source.reader() as reader:
        if reader.has_deletions():
            raise SystemExit(f"{args.source} has deleted documents: optimise it first")
        base = reader.doc_count()
        fieldnames = set(source.schema.names()) | (
            set(reader.indexed_field_names()) & set(source.schema.names()))
        for offset in range(0, args.n, base):
            copy = offset // base
            limit = min(base, args.n - offset)
            writer.write_per_doc(fieldnames, _Renamed(reader, f"-r{copy}" if copy else "", limit))
            print(f"stored fields of {offset + limit:,} documents "
                  f"({time.perf_counter() - started:.0f} s)", flush=True)
        writer._added = True
        write_copied_postings(writer.fieldwriter, source.schema, reader, base, args.n)
        writer.commit(merge=False)  # the pool is empty: it writes the closed segment's TOC
    print(f"committed ({time.perf_counter() - started:.0f} s)", flush=True)
    from index.postings import write_missing

    written = open_dir(str(out), indexname="MAIN")
    write_missing(written, out)  # as `kosearch index` does
    print(f"posting files written ({time.perf_counter() - started:.0f} s)", flush=True)
    copy_index_files(args.source, out, source.latest_generation(), written.latest_generation())
    docs = open_dir(str(out), indexname="MAIN").doc_count()
    print(f"{out}: {docs:,} documents in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
