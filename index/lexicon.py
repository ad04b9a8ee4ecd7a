"""The analysed word forms of one index, so a query of words the corpus holds is read without
loading Kiwi (2-3 s, ~500 MB).

An indexing run records each surface word form (an eojeol: a run of non-space characters,
punctuation included) of the titles and bodies it analyses, with the part of the analysis that
falls inside it, offsets relative to the form. A form whose analysis differed between two of
its occurrences (context changed how Kiwi read it), or that a term crosses (a name written
with a space), or that Kiwi reads otherwise alone (a query is often one word), is kept as
*unstable* and never answered (`index.lexicon_forms` collects them). `Lexicon.analysis` then
rebuilds a text's analysis form by form, or says it cannot.

The file, `kosearch-lexicon.N.bin` for commit N (written before the commit, pruned after it,
like the alias tables), is a sorted table of 64-bit form hashes memory-mapped with offsets into
a blob of entries (surface, counts, analysis as JSON); opening reads the header and checks one
CRC-32 over the header and tables, each entry has its own CRC-32 checked when it is first
read, and one more covers them all (`Lexicon.intact`, what an indexing run checks). It is
derived data: a file of another format, analyzer version, kiwipiepy version or word list, or
a damaged one, is ignored (queries go to Kiwi) and rebuilt by the next run (the documents it
keeps are analysed again from their stored text).

Why a numpy table rather than marisa-trie or DAWG: both need a compiled wheel and load their
whole structure at open, while a memory map is read page by page, numpy is here already, and
the per-entry checksums follow `index.postings`.
"""

from __future__ import annotations

import hashlib
import os
import re
import struct
import zlib
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

import numpy as np
import orjson

from index.lexicon_forms import FORM, Collector, Entry
from index.postings import read_header
from index.segments import generations
from index.terms import Analysis, Term, Unit

__all__ = ["LEXICON_FILE", "Collector", "Lexicon", "lexicon_path", "open_lexicon",
           "prune_lexicons", "words_key", "write_lexicon"]

MAGIC = b"KLEX0002"
LEXICON_FILE = "kosearch-lexicon"
MIN_SEEN = 1
"""Occurrences, all analysed alike, a form needs to be answered by lookup."""
_HEADER = np.dtype([("magic", "S8"), ("analyzer", "<i8"), ("entries", "<i8"), ("blob", "<i8"),
                    ("words", "<u8"), ("kiwi", "S24"), ("blob_check", "<u4"),
                    ("check", "<u4")])
_CHECKED = _HEADER.itemsize - 4
_COUNTS = struct.Struct("<II")
_NAME = re.compile(re.escape(LEXICON_FILE) + r"\.(\d+)\.bin")


def form_key(form: str) -> int:
    return int.from_bytes(hashlib.blake2b(form.encode("utf-8"), digest_size=8).digest(),
                          "little")


def words_key(words: Iterable[tuple[str, str]]) -> int:
    """The 64-bit key of a user word list (the lexicon is valid for one list only)."""
    raw = orjson.dumps([list(w) for w in words])
    return int.from_bytes(hashlib.blake2b(raw, digest_size=8).digest(), "little")


@lru_cache(maxsize=1)
def kiwi_version() -> str:
    """kiwipiepy's installed version, read from its metadata (without importing it)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("kiwipiepy")
    except PackageNotFoundError:
        return ""


def lexicon_path(index_dir: Path, generation: int) -> Path:
    return Path(index_dir) / f"{LEXICON_FILE}.{generation}.bin"


def _generations(folder: Path) -> list[int]:
    return generations(folder, _NAME)


# -- the file -------------------------------------------------------------------------------


def write_lexicon(index_dir: Path, generation: int, words: Iterable[tuple[str, str]],
                  forms: dict[str, Entry], analyzer_version: int) -> Path:
    """Write the lexicon of commit `generation` atomically; forms whose hashes collide are
    left out."""
    keyed = sorted((form_key(f), f) for f in forms)
    keys_list: list[int] = []
    chosen: list[str] = []
    for i, (key, form) in enumerate(keyed):
        if (i and keyed[i - 1][0] == key) or (i + 1 < len(keyed) and keyed[i + 1][0] == key):
            continue
        keys_list.append(key)
        chosen.append(form)
    pieces: list[bytes] = []
    starts = np.zeros(len(chosen) + 1, dtype="<i8")
    crcs = np.zeros(len(chosen), dtype="<u4")
    at = 0
    blob_check = 0
    for i, form in enumerate(chosen):
        enc, same, total = forms[form]
        piece = (form.encode("utf-8") + b"\x00" + _COUNTS.pack(min(int(same), 2**32 - 1),  # type: ignore[call-overload]
                                                              min(int(total), 2**32 - 1))  # type: ignore[call-overload]
                 + (enc if isinstance(enc, bytes) else b""))
        pieces.append(piece)
        crcs[i] = zlib.crc32(piece)
        blob_check = zlib.crc32(piece, blob_check)
        at += len(piece)
        starts[i + 1] = at
    keys = np.array(keys_list, dtype="<u8")
    header = np.zeros(1, dtype=_HEADER)
    header["magic"] = MAGIC
    header["analyzer"] = analyzer_version
    header["entries"] = len(chosen)
    header["blob"] = at
    header["words"] = words_key(words)
    header["kiwi"] = kiwi_version().encode("ascii", "replace")[:24]
    header["blob_check"] = blob_check
    head = header.tobytes()
    check = zlib.crc32(head[:_CHECKED])
    for part in (keys, starts, crcs):
        check = zlib.crc32(part.tobytes(), check)
    header["check"] = check
    target = lexicon_path(index_dir, generation)
    tmp = target.with_name(target.name + ".tmp")
    with open(tmp, "wb") as out:
        out.write(header.tobytes())
        out.write(keys.tobytes())
        out.write(starts.tobytes())
        out.write(crcs.tobytes())
        for piece in pieces:
            out.write(piece)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, target)
    return target


def prune_lexicons(index_dir: Path, generation: int) -> None:
    """Delete the lexicons of an index folder but that of its commit `generation`."""
    folder = Path(index_dir)
    for g in _generations(folder):
        if g != generation:
            try:
                lexicon_path(folder, g).unlink()
            except FileNotFoundError:
                pass


class Lexicon:
    """The lexicon of one commit, memory-mapped (read-only)."""

    def __init__(self, path: Path, words: Iterable[tuple[str, str]],
                 analyzer_version: int) -> None:
        """Raises ValueError when the file is not a complete, undamaged lexicon for these
        words, this analyzer and this kiwipiepy (entries are checked when read: `entry`)."""
        size, header = read_header(path, _HEADER, MAGIC, "lexicon")
        if int(header["analyzer"]) != analyzer_version or \
                int(header["words"]) != words_key(words) or \
                header["kiwi"].decode("ascii", "replace") != kiwi_version():
            raise ValueError(f"{path}: made by another analyzer or word list")
        n, blob = int(header["entries"]), int(header["blob"])
        keys_at = _HEADER.itemsize
        starts_at = keys_at + 8 * n
        crcs_at = starts_at + 8 * (n + 1)
        blob_at = crcs_at + 4 * n
        if n < 0 or blob < 0 or blob_at + blob != size:
            raise ValueError(f"{path}: truncated or padded")
        data = np.memmap(path, dtype=np.uint8, mode="r")
        check = zlib.crc32(data[:_CHECKED].tobytes())
        check = zlib.crc32(data[keys_at:blob_at].data, check)
        if check != int(header["check"]):
            raise ValueError(f"{path}: damaged (checksum)")
        self.keys = data[keys_at:starts_at].view("<u8")
        self.starts = data[starts_at:crcs_at].view("<i8")
        self.crcs = data[crcs_at:blob_at].view("<u4")
        self.blob = data[blob_at:]
        if n and (self.starts[0] != 0 or self.starts[-1] != blob):
            raise ValueError(f"{path}: damaged (offsets)")
        self.path = path
        self._blob_check = int(header["blob_check"])
        self.min_seen = MIN_SEEN
        self.damaged = False
        """Set when an entry failed its check: the file is not used any more."""

    def intact(self) -> bool:
        """Whether every entry is as written: one checksum over them all, for an indexing
        run that must know before it trusts the file (a search checks entries as it reads
        them)."""
        ok = not self.damaged and zlib.crc32(self.blob.data) == self._blob_check
        self.damaged = not ok
        return ok

    def __len__(self) -> int:
        return len(self.keys)

    def _piece(self, at: int) -> tuple[str, int, int, bytes] | None:
        lo, hi = int(self.starts[at]), int(self.starts[at + 1])
        if not 0 <= lo <= hi <= len(self.blob):
            self.damaged = True
            return None
        raw = self.blob[lo:hi].tobytes()
        if zlib.crc32(raw) != int(self.crcs[at]):
            self.damaged = True
            return None
        cut = raw.find(b"\x00")
        if cut < 0 or len(raw) < cut + 1 + _COUNTS.size:
            self.damaged = True
            return None
        same, total = _COUNTS.unpack_from(raw, cut + 1)
        return raw[:cut].decode("utf-8"), same, total, raw[cut + 1 + _COUNTS.size:]

    def entry(self, form: str) -> tuple[tuple[Unit, ...], tuple[Term, ...]] | None:
        """The analysis of `form` (offsets relative to it), None when the form is unknown or
        unstable, or the file is damaged."""
        if self.damaged or not len(self.keys):
            return None
        key = np.uint64(form_key(form))
        at = int(np.searchsorted(self.keys, key))
        if at >= len(self.keys) or self.keys[at] != key:
            return None
        piece = self._piece(at)
        if piece is None or piece[0] != form or not piece[3] or piece[1] < self.min_seen:
            return None
        try:
            units, words = orjson.loads(piece[3])
            return (tuple((u[0], u[1], u[2], tuple(tuple(x) for x in u[3]), tuple(u[4]))
                          for u in units),
                    tuple((w[0], w[1], w[2]) for w in words))
        except (orjson.JSONDecodeError, ValueError, TypeError, IndexError):
            self.damaged = True
            return None

    def analysis(self, folded: str) -> Analysis | None:
        """The analysis of a (full-width folded) text, built from its forms' entries; None
        when one of its forms has none."""
        units: list[Unit] = []
        words: list[Term] = []
        for m in FORM.finditer(folded):
            found = self.entry(m.group())
            if found is None:
                return None
            s = m.start()
            for text, us, ue, extra, alts in found[0]:
                units.append((text, us + s, ue + s,
                              tuple((t, a + s, b + s) for t, a, b in extra), alts))
            words.extend((text, a + s, b + s) for text, a, b in found[1])
        return Analysis(tuple(units), tuple(words))

    def forms(self) -> Iterator[tuple[str, Entry]]:
        """Every entry (for the next run to add to); stops at a damaged one."""
        for at in range(len(self.keys)):
            piece = self._piece(at)
            if piece is None:
                return
            form, same, total, enc = piece
            yield form, [enc or None, same, total]


def open_lexicon(index_dir: Path, generation: int, words: Iterable[tuple[str, str]],
                 analyzer_version: int) -> Lexicon | None:
    """The lexicon of commit `generation` of the index in `index_dir`, or None when it is
    missing, stale or damaged."""
    try:
        return Lexicon(lexicon_path(index_dir, generation), tuple(words), analyzer_version)
    except (OSError, ValueError):
        return None
