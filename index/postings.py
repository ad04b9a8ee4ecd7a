"""Posting arrays beside each Whoosh segment, so a search reads a term's postings in microseconds.

Whoosh stores postings in compressed blocks of 128 that Python decodes one block at a time: on
100,000 court decisions a word found in a fifth of them costs ~150 blocks, milliseconds per
term, and a query reads dozens of terms. After each commit `write_missing` writes, for every new
segment, one file `<segment id>.kpost` holding the document numbers (int32) and frequencies
(float32) of every term found in at least `MIN_POSTINGS` of its documents, found by a sorted
table of 64-bit term hashes. The search engine maps the file into memory and slices it; rarer
terms (a block or two) it still reads from Whoosh (through `index.segments`).

The file is derived data: written to a temporary name and renamed when complete, ignored when
missing or damaged, and named like the segment's own files, so Whoosh deletes it with its
segment when segments merge. Damage is found by checksums without reading the whole file at
open: one CRC-32 covers the header, keys, starts and the per-term CRC-32s (checked at open), and
each term's postings have their own, checked the first time the term is read. A damaged file
is ignored from then on; each indexing run checks every file whole (one more CRC-32 over all
the postings) and writes again the ones that fail (`write_missing`).
"""

from __future__ import annotations

import hashlib
import os
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from index.segments import read_all, segment_id

__all__ = ["MIN_POSTINGS", "SegmentPostings", "read_header", "sidecar_path", "term_key",
           "write_missing"]

MAGIC = b"KPOST002"
"""The format: 002 added the checksums. A file of another format is written again."""
MIN_POSTINGS = 64
"""Terms with fewer postings stay in Whoosh only: one block, cheap to read, and most terms."""
SUFFIX = ".kpost"
_HEADER = np.dtype([("magic", "S8"), ("terms", "<i8"), ("postings", "<i8"), ("docs", "<i8"),
                    ("data_check", "<u4"), ("check", "<u4")])
_CHECKED = 36
"""Bytes of the header before its `check`: the checksum starts with them. `data_check` covers
all the postings at once, for `verify`."""


def term_key(field: str, text: str | bytes) -> int:
    """The 64-bit key of a term of a field (two terms of one segment sharing a key are both left
    out of the file; a lookup of an absent term that hits another's key is ~1e-13 likely)."""
    raw = text if isinstance(text, bytes) else text.encode("utf-8")
    digest = hashlib.blake2b(field.encode("utf-8") + b"\x00" + raw, digest_size=8).digest()
    return int.from_bytes(digest, "little")


def sidecar_path(folder: Path, segment_id: str) -> Path:
    return folder / f"{segment_id}{SUFFIX}"


def _layout(terms: int, postings: int) -> tuple[int, int, int, int, int, int]:
    """Byte offsets of keys, starts, per-term checksums, ids, frequencies, and the file's end."""
    keys = _HEADER.itemsize
    starts = keys + 8 * terms
    crcs = starts + 8 * (terms + 1)
    ids = crcs + 4 * terms
    tfs = ids + 4 * postings
    return keys, starts, crcs, ids, tfs, tfs + 4 * postings


def read_header(path: Path, dtype: np.dtype, magic: bytes, what: str) -> tuple[int, Any]:
    """(size, header) of a derived file that starts with a `dtype` header whose first field
    is `magic`; ValueError when it is too short or of another kind or version."""
    size = path.stat().st_size
    if size < dtype.itemsize:
        raise ValueError(f"{path}: too short")
    header = np.fromfile(path, dtype=dtype, count=1)[0]
    if header["magic"] != magic:
        raise ValueError(f"{path}: not a {what} of this version")
    return size, header


class SegmentPostings:
    """The posting arrays of one segment, memory-mapped (read-only)."""

    def __init__(self, path: Path, doc_count: int) -> None:
        """Raises ValueError when the file is not a complete, undamaged sidecar of a segment
        this size (of its postings, only the terms read later are checked: see `get`)."""
        size, header = read_header(path, _HEADER, MAGIC, "posting file")
        terms, postings, docs = int(header["terms"]), int(header["postings"]), int(header["docs"])
        if min(terms, postings) < 0 or docs != doc_count:
            raise ValueError(f"{path}: not a posting file of this segment")
        keys, starts, crcs, ids, tfs, end = _layout(terms, postings)
        if end != size:
            raise ValueError(f"{path}: not a posting file of this segment")
        data = np.memmap(path, dtype=np.uint8, mode="r")
        check = _crc(data[:_CHECKED], data[keys:ids])
        if check != int(header["check"]):
            raise ValueError(f"{path}: damaged (checksum)")
        self.keys = data[keys:starts].view("<u8")
        self.starts = data[starts:crcs].view("<i8")
        if self.starts[0] != 0 or self.starts[-1] != postings or \
                np.any(self.starts[1:] < self.starts[:-1]):
            raise ValueError(f"{path}: damaged (starts)")
        self.crcs = data[crcs:ids].view("<u4")
        self.ids = data[ids:tfs].view("<i4")
        self.tfs = data[tfs:end].view("<f4")
        self.path = path
        self.doc_count = doc_count
        self._data_check = int(header["data_check"])
        self.damaged = False
        """Set when a term's postings failed their check: the file is not used any more."""
        self._checked = np.zeros(terms, dtype=bool)

    def get(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray] | None:
        """(document numbers, frequencies) of the term, or None when the file does not hold it
        (a rare term, or one this segment lacks) or is damaged."""
        if not len(self.keys) or self.damaged:
            return None
        key = np.uint64(term_key(field, text))
        at = int(np.searchsorted(self.keys, key))
        if at >= len(self.keys) or self.keys[at] != key:
            return None
        lo, hi = int(self.starts[at]), int(self.starts[at + 1])
        ids, tfs = self.ids[lo:hi], self.tfs[lo:hi]
        if not self._checked[at]:
            if not self._intact(at, ids, tfs):
                self.damaged = True
                return None
            self._checked[at] = True
        return ids, tfs

    def _intact(self, at: int, ids: np.ndarray, tfs: np.ndarray) -> bool:
        """Whether a term's postings match their checksum and are ascending document numbers
        of this segment."""
        if _crc(ids, tfs) != int(self.crcs[at]):
            return False
        return not len(ids) or bool(ids[0] >= 0 and ids[-1] < self.doc_count
                                    and np.all(ids[1:] > ids[:-1]))

    def verify(self) -> bool:
        """Check all the postings at once (reads the whole file; `write_missing` does it)."""
        check = _crc(self.ids, self.tfs)
        return not self.damaged and check == self._data_check

    def warm(self, chunk: int = 16 << 20) -> None:
        """Read the file once so the operating system holds it in memory."""
        with open(self.path, "rb") as f:
            while f.read(chunk):
                pass


def _crc(*parts: np.ndarray) -> int:
    """The CRC-32 of contiguous arrays' bytes, one after another."""
    check = 0
    for part in parts:
        check = zlib.crc32(part.data, check)
    return check


def _segment_terms(leaf: Any, min_postings: int) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    for field in leaf.indexed_field_names():
        try:
            lexicon = list(leaf.iter_field(field))
        except Exception:  # a field without postings
            continue
        for btext, info in lexicon:
            if info.doc_frequency() < min_postings:
                continue
            ids, tfs = read_all(leaf.postings(field, btext))
            yield term_key(field, btext), ids, tfs


def write_segment(leaf: Any, path: Path, min_postings: int = MIN_POSTINGS) -> int:
    """Write the sidecar of one segment reader; returns the number of terms it holds."""
    found = list(_segment_terms(leaf, min_postings))
    keys = np.array([k for k, _, _ in found], dtype=np.uint64)
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    clash = np.zeros(len(keys), dtype=bool)
    if len(keys) > 1:
        same = keys[1:] == keys[:-1]
        clash[1:] |= same
        clash[:-1] |= same
    chosen = [found[i] for i, bad in zip(order.tolist(), clash.tolist(), strict=True) if not bad]
    keys = keys[~clash]
    lengths = np.array([len(ids) for _, ids, _ in chosen], dtype=np.int64)
    starts = np.zeros(len(chosen) + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    postings = int(starts[-1])
    # As the file holds them (no copy when already so), checksummed as written.
    chosen = [(k, np.ascontiguousarray(ids, dtype="<i4"), np.ascontiguousarray(tfs, dtype="<f4"))
              for k, ids, tfs in chosen]
    crcs = np.array([_crc(ids, tfs) for _, ids, tfs in chosen], dtype="<u4")
    data_check = _crc(*(ids for _, ids, _ in chosen), *(tfs for _, _, tfs in chosen))
    header = np.zeros(1, dtype=_HEADER)
    header[0] = (MAGIC, len(chosen), postings, leaf.doc_count_all(), data_check, 0)
    tables = keys.astype("<u8").tobytes() + starts.astype("<i8").tobytes() + crcs.tobytes()
    header["check"] = zlib.crc32(tables, zlib.crc32(header.tobytes()[:_CHECKED]))
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as f:
        f.write(header.tobytes())
        f.write(tables)
        for _, ids, _ in chosen:
            f.write(ids.data)
        for _, _, tfs in chosen:
            f.write(tfs.data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    return len(chosen)


def write_missing(ix: Any, folder: Path) -> int:
    """Write the sidecar of every segment of the index's latest generation that lacks a usable
    one (missing, of an older format, or damaged anywhere: every checksum is checked);
    returns how many were written."""
    for stale in folder.glob(f".*{SUFFIX}.tmp"):  # left by an interrupted run
        stale.unlink(missing_ok=True)
    written = 0
    with ix.reader() as reader:
        for leaf, _offset in reader.leaf_readers():
            segment = segment_id(leaf)
            if segment is None:
                continue
            path = sidecar_path(folder, segment)
            if _usable(path, leaf.doc_count_all()):
                continue
            write_segment(leaf, path)
            written += 1
    return written


def _usable(path: Path, doc_count: int) -> bool:
    try:
        return SegmentPostings(path, doc_count).verify()
    except (OSError, ValueError):  # missing, another format, or damaged
        return False
