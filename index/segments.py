"""How kosearch reaches Whoosh's segment files: mapped, never copied whole.

Opening an index must cost what its queries read, not what it holds. Whoosh's compound-file
reader wraps each part of a segment in a `BytesIO` of the mapped bytes, a full copy (1 GB of
a 100,000-decision index) made before the first query. Here every segment file, and every
part of an older compound segment, is read through a read-only map of its own
(`index.mapping`): a read copies the bytes it asks for and no more, so resident memory
follows what searches touch, and those pages go back to the page cache past a budget.

This module is also the one place that reads Whoosh's internals: posting blocks (decoded a
block at a time, not a posting at a time), block directories, length and numeric columns.
Each read has a slow path through Whoosh's public API for a matcher or column of another
shape; `tests/test_segments.py` checks the fast ones are what the test corpus takes, and pins
whoosh-reloaded 2.7.5, the release this was written for.
"""

from __future__ import annotations

import os
import re
import sys
import weakref
from array import array
from collections.abc import Iterable, Iterator
from itertools import accumulate
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.filedb.filestore import FileStorage
from whoosh.util.numeric import byte_to_length

from index.lru import LRU
from index.mapping import MappedFile, map_file, map_handle, mapped_resident, release_pages

__all__ = [
    "WHOOSH_VERSION", "MappedFile", "PackedValues", "PostingValues", "SegmentStorage",
    "deleted_docs", "field_lengths", "generations", "latest_generation", "map_file",
    "map_handle", "mapped_resident",
    "numeric_column", "read_all", "release_pages", "segment_id", "segment_storage",
    "writer_options",
]

WHOOSH_VERSION = "2.7.5"
"""The whoosh-reloaded release whose storage internals this module relies on."""


def _close_all(handles: dict[str, int]) -> None:
    for handle in handles.values():
        try:
            os.close(handle)
        except OSError:
            pass
    handles.clear()


class SegmentStorage(FileStorage):  # type: ignore[misc]
    """A folder storage whose files are opened as `MappedFile`s.

    `supports_mmap` is False on purpose: told so, Whoosh's `CompoundStorage` no longer maps
    a compound segment and copies its parts, but asks the opened file for `subset`s, which
    `MappedFile` answers with a map of each part."""

    def __init__(self, path: str, readonly: bool = False) -> None:
        super().__init__(path, supports_mmap=False, readonly=readonly)
        self._handles: dict[str, int] = {}
        weakref.finalize(self, _close_all, self._handles)

    def _handle(self, name: str) -> int:
        """An open descriptor of file `name`. The first file of a segment opened opens all
        of that segment's files: Whoosh opens some only when a search needs them, and by
        then the folder may have been moved or replaced (a run killed mid-rebuild); what
        this storage opened stays readable."""
        handle = self._handles.get(name)
        if handle is None:
            prefix = name.split(".", 1)[0] + "."
            for other in [name] + [n for n in os.listdir(self.folder) if n.startswith(prefix)]:
                if other not in self._handles:
                    try:
                        self._handles[other] = os.open(self._fpath(other), os.O_RDONLY)
                    except OSError:
                        if other == name:
                            raise
            handle = self._handles[name]
        return handle

    def open_file(self, name: str, **kwargs: Any) -> MappedFile:
        return map_handle(self._handle(name), name=name)

    # Whoosh asks whether a column's file exists, and its length, before opening it.
    def file_exists(self, name: str) -> bool:
        return name in self._handles or bool(super().file_exists(name))

    def file_length(self, name: str) -> int:
        handle = self._handles.get(name)
        return os.fstat(handle).st_size if handle is not None else int(super().file_length(name))


def segment_storage(path: str | os.PathLike[str]) -> SegmentStorage:
    """The storage of the index folder `path`, for reading and for writing."""
    return SegmentStorage(os.fspath(path))


def writer_options() -> dict[str, object]:
    """Keyword arguments for `FileIndex.writer` that new segments need: each file of a
    segment written apart (no compound file), so a commit does not copy the segment once
    more to assemble it, and each file maps on its own."""
    return {"compound": False}


# -- reading Whoosh's data (its internals, with a slow path through its public API) -----------

def latest_generation(folder: str | os.PathLike[str], indexname: str = "MAIN") -> int:
    """The generation of the latest commit of the index in `folder` (its highest TOC file),
    -1 when there is none; raises OSError when the folder cannot be listed."""
    from whoosh.index import TOC

    return int(TOC._latest_generation(FileStorage(str(folder)), indexname))


def generations(folder: str | os.PathLike[str], name: re.Pattern[str]) -> list[int]:
    """The generations of the files in `folder` whose name `name` matches whole, its first
    group the generation (a lexicon or alias table written for each commit); [] when the
    folder cannot be listed."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return [int(m.group(1)) for n in names if (m := name.fullmatch(n))]


def segment_id(leaf: Any) -> str | None:
    """The id of the segment a leaf reader reads (its files are named after it), or None."""
    segment = leaf.segment() if hasattr(leaf, "segment") else None
    return None if segment is None else str(segment.segment_id())


def deleted_docs(leaf: Any) -> frozenset[int]:
    """The leaf's deleted document numbers (local to the leaf)."""
    return frozenset(leaf.deleted_docs_set) if leaf.has_deletions() else frozenset()


def numeric_column(column: Any, count: int) -> np.ndarray:
    """A Whoosh numeric column reader's values as an array of `count` (documents past its
    end: 0), read in one slice of its file when it is a fixed-width column."""
    if getattr(column, "_dbfile", None) is None or not all(
            hasattr(column, a) for a in ("_typecode", "_count", "_basepos", "_fixedlen")):
        return _column_values(column, count)
    return _column_slice(column, count)


def _column_slice(column: Any, count: int) -> np.ndarray:
    out = np.zeros(count, dtype=np.int64)
    n = min(column._count, count)
    data = column._dbfile.get(column._basepos, n * column._fixedlen)
    out[:n] = np.frombuffer(data, dtype=np.dtype(">" + column._typecode))
    return out


def _column_values(column: Any, count: int) -> np.ndarray:
    """`numeric_column` one value at a time (a column of another kind: the slow path)."""
    out = np.zeros(count, dtype=np.int64)
    values = np.fromiter((v or 0 for v in column), dtype=np.int64)
    out[: len(values)] = values[:count]
    return out


_BYTE_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


def field_lengths(leaf: Any, field: str) -> np.ndarray | None:
    """Each document's length in `field` as Whoosh stores it (quantised to a byte), or None
    when the leaf has no lengths of that field."""
    perdoc = getattr(leaf, "_perdoc", None)
    if perdoc is None or not hasattr(perdoc, "_cached_reader"):
        return _lengths_one_by_one(leaf, field)
    column = perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    if column is None:
        return None
    return _BYTE_LENGTHS[numeric_column(column, leaf.doc_count_all()).astype(np.intp)]


def _lengths_one_by_one(leaf: Any, field: str) -> np.ndarray:
    """`field_lengths` through Whoosh's public API, a document at a time (the slow path)."""
    return np.array([leaf.doc_field_length(d, field) or 0 for d in range(leaf.doc_count_all())],
                    dtype=np.float64)


_BLOCK_MATCHER = ("_read_ids", "_read_weights", "_read_values", "_next_block", "_goto", "_ids",
                  "_weights", "_values", "_baseoffset", "_lastblock", "_maxid", "_nextoffset",
                  "_dataoffset")
"""What a Whoosh 2.7.5 posting matcher offers to be read a block (128 postings) at a time."""


def _unwrap(m: Any) -> Any:
    """The block matcher under Whoosh's wrappers (a segment with deleted documents wraps its
    postings in a filter; the engine masks deleted documents itself)."""
    while not hasattr(m, "_read_ids") and hasattr(m, "child"):
        m = m.child
    return m


def _by_blocks(m: Any) -> bool:
    return all(hasattr(m, a) for a in _BLOCK_MATCHER)


def read_all(m: Any) -> tuple[np.ndarray, np.ndarray]:
    """All (document number, frequency) pairs of a Whoosh posting matcher, deleted documents
    included, as int32 and float32 arrays."""
    m = _unwrap(m)
    return _read_blocks(m) if _by_blocks(m) else _read_one_by_one(m)


def _read_blocks(m: Any) -> tuple[np.ndarray, np.ndarray]:
    ids: list[np.ndarray] = []
    tfs: list[np.ndarray] = []
    while m.is_active():
        m._read_ids()
        m._read_weights()
        ids.append(np.asarray(m._ids, dtype=np.int32))
        tfs.append(np.asarray(m._weights, dtype=np.float32))
        m._next_block()
    return _joined(ids, tfs)


def _read_one_by_one(m: Any) -> tuple[np.ndarray, np.ndarray]:
    """`read_all` of another kind of matcher, one posting at a time (the slow path)."""
    ids: list[np.ndarray] = []
    tfs: list[np.ndarray] = []
    while m.is_active():
        ids.append(np.array([m.id()], dtype=np.int32))
        tfs.append(np.array([m.weight()], dtype=np.float32))
        m.next()
    return _joined(ids, tfs)


def _joined(ids: list[np.ndarray], tfs: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    if not ids:
        return np.empty(0, dtype=np.int32), np.empty(0, dtype=np.float32)
    return np.concatenate(ids), np.concatenate(tfs)


Block = tuple[np.ndarray, Any, int]
"""A decoded posting block: its document numbers, their raw values, and the bytes it holds."""

_ENTRY_BYTES = 400
"""What keeping one block costs beyond its data: the key, the tuples, the cache's links."""


class PackedValues:
    """A block's raw values as one `bytes` and where each starts. Whoosh gives a tuple of
    small `bytes` (a document's positions: a few bytes each, ~35 more in object header), so
    held that way a block takes several times its size in the file.

    >>> packed = PackedValues([b"ab", b"", b"c"])
    >>> len(packed), packed[0], packed[1], packed[2]
    (3, b'ab', b'', b'c')
    """

    __slots__ = ("blob", "starts")

    def __init__(self, values: Iterable[bytes]) -> None:
        values = list(values)
        self.blob = b"".join(values)
        self.starts = array("q", accumulate(map(len, values), initial=0))

    def __len__(self) -> int:
        return len(self.starts) - 1

    def __getitem__(self, i: int) -> bytes:
        return self.blob[self.starts[i]:self.starts[i + 1]]

    @property
    def nbytes(self) -> int:
        return sys.getsizeof(self.blob) + sys.getsizeof(self.starts)


class PostingValues:
    """The raw posting values (positions, character offsets) of terms in chosen documents,
    read from only the blocks that hold those documents. Recently decoded blocks, and each
    term's block directory, are kept (within `max_block_bytes` of what the decoded blocks
    hold in memory, and `max_directories` terms): typing a query word by word reads the same
    blocks again."""

    def __init__(self, max_block_bytes: int, max_directories: int) -> None:
        self.blocks: LRU[tuple[Any, ...], Block] = LRU(max_block_bytes)
        self.directories: LRU[tuple[Any, ...], tuple[np.ndarray, list[int]]] = LRU(max_directories)

    def values(self, m: Any, key: tuple[Any, ...], docs: np.ndarray) -> Iterator[tuple[int, bytes]]:
        """(i, raw value) for each of `docs` (local, ascending) that holds the term of the
        posting matcher `m`; `key` names the term and its segment for the caches (the same
        key must always mean the same postings)."""
        m = _unwrap(m)
        if not _by_blocks(m):
            yield from _values_one_by_one(m, docs)
            return
        maxids, offsets = self._directory(m, key)
        i = 0
        total = len(docs)
        while i < total:
            b = int(np.searchsorted(maxids, docs[i]))  # the first block that can hold it
            if b == len(maxids):
                break
            block_key = (*key, offsets[b])
            cached = self.blocks.get(block_key)
            if cached is None:
                cached = _read_block(m, offsets[b])
                self.blocks.put(block_key, cached, cost=cached[2])
            block, values, _size = cached
            end = int(np.searchsorted(docs, block[-1], side="right"))
            at = np.searchsorted(block, docs[i:end])
            ok = (at < len(block)) & (block[np.minimum(at, len(block) - 1)] == docs[i:end])
            for j in np.flatnonzero(ok).tolist():
                yield i + j, values[int(at[j])]
            i = max(end, i + 1)

    def _directory(self, m: Any, key: tuple[Any, ...]) -> tuple[np.ndarray, list[int]]:
        """The last document number and file offset of each posting block of a term, read
        once by walking the block headers (Whoosh links blocks one after another, without a
        table): later reads of the term go straight to the blocks they need."""
        got = self.directories.get(key)
        if got is None:
            got = _block_directory(m)
            self.directories.put(key, got)
        return got


def _block_directory(m: Any) -> tuple[np.ndarray, list[int]]:
    maxids: list[int] = []
    offsets: list[int] = []
    at = m._baseoffset
    while True:
        m._goto(at)
        maxids.append(m._maxid)
        offsets.append(at)
        if m._lastblock:
            break
        at = m._nextoffset
    return np.array(maxids, dtype=np.int64), offsets


def _read_block(m: Any, offset: int) -> Block:
    """The block at `offset`, its values packed when they are bytes, charged what it holds."""
    m._goto(offset)
    m._read_ids()
    m._read_values()
    ids = np.asarray(m._ids, dtype=np.int64)
    values = m._values
    if all(type(v) is bytes for v in values):
        packed = PackedValues(values)
        return ids, packed, ids.nbytes + packed.nbytes + _ENTRY_BYTES
    held = sys.getsizeof(values) + sum(sys.getsizeof(v) for v in values)  # None: no values
    return ids, values, ids.nbytes + held + _ENTRY_BYTES


def _values_one_by_one(m: Any, docs: np.ndarray) -> Iterator[tuple[int, bytes]]:
    """`PostingValues.values` of another kind of matcher, skipping to each document (the
    slow path)."""
    for i, d in enumerate(docs.tolist()):
        if not m.is_active():
            return
        if m.id() < d:
            m.skip_to(d)
        if m.is_active() and m.id() == d:
            yield i, m.value()
