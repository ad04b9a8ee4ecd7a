"""Text of binary HWP 5.x documents: an OLE2 compound file whose BodyText/SectionN streams hold
records of paragraphs, written here from the published format facts (not from pyhwp, AGPL).

Only PARA_TEXT records become text, so field instructions and picture descriptions (kept in
control headers) never do; inline and extended controls inside the text are skipped by their
width. Table cells are read row by row; headers, footers, foot- and endnotes and text boxes are
paragraph lists like any other and are read once, where they are anchored. Hidden comments are not.
"""

from __future__ import annotations

import codecs
import re
import struct
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import olefile

from index.documents.common import Document, Unreadable, clean, meaningful
from index.readers import parse_date

__all__ = ["MAX_TEXT_BYTES", "para_text", "read_hwp", "records", "summary_strings", "text_of"]

MAX_TEXT_BYTES = 256 * 1024 * 1024  # decompressed section bytes per document: a bomb stops here
_CHUNK = 1 << 20
_U32 = struct.Struct("<I").unpack_from
# bytes.decode("utf-16le") finds its codec by name on every call: a paragraph has several
_utf16 = codecs.utf_16_le_decode

_TAG_PARA_TEXT = 16 + 51
_TAG_CTRL_HEADER = 16 + 55
_TAG_LIST_HEADER = 16 + 56
_WANTED = frozenset({_TAG_PARA_TEXT, _TAG_CTRL_HEADER, _TAG_LIST_HEADER})

# Control characters below 32 that take 8 UTF-16 units (the code, 12 bytes of data, the code).
_WIDE = frozenset([*range(1, 10), 11, 12, *range(14, 24)])
# The one-unit controls that stand for text.
_CHAR = {9: " ", 10: "\n", 13: "\n", 24: "-", 30: " ", 31: " "}
_UNIT_BELOW_32 = re.compile(rb"[\x00-\x1f]\x00")

_COMPRESSED, _PASSWORD, _DISTRIBUTION = 0x1, 0x2, 0x4
_SKIPPED_CONTROLS = frozenset({b"tcmt"})  # hidden comments are not part of what a reader sees


def para_text(data: bytes) -> str:
    """The visible text of one PARA_TEXT record's UTF-16LE units.

    >>> tab = b"\\t\\x00" + b"\\x00" * 12 + b"\\t\\x00"
    >>> para_text("가나".encode("utf-16le") + tab + "다\\r".encode("utf-16le"))
    '가나 다\\n'
    >>> field = b"\\x03\\x00" + "klc%".encode("utf-16le") + b"\\x00" * 4 + b"\\x03\\x00"
    >>> para_text(field + "값".encode("utf-16le") + b"\\x04\\x00" + b"\\x00" * 14)
    '값'
    """
    out: list[str] = []
    pos = search = 0
    while True:
        m = _UNIT_BELOW_32.search(data, search)
        if m is None:
            break
        at = m.start()
        if at % 2:  # straddles two units: not a control
            search = at + 1
            continue
        out.append(_utf16(data[pos:at], "replace", True)[0])
        code = data[at]
        if code in _WIDE:
            out.append(" " if code == 9 else "")
            pos = at + 16
        else:
            out.append(_CHAR.get(code, ""))
            pos = at + 2
        search = pos
    out.append(_utf16(data[pos:], "replace", True)[0])
    return "".join(out)


def records(chunks: Iterator[bytes]) -> Iterator[tuple[int, int, bytes]]:
    """(tag, level, payload) of each record in a stream given as chunks of bytes.

    A record header is 32 bits: tag (10), level (10), size (12; 0xFFF means a 32-bit size
    follows). A record cut short by the end of the stream raises `Unreadable`.
    """
    pending: list[bytes] = []  # chunks not yet parsed: they end inside a record
    have, need = 0, 4
    for chunk in chunks:
        pending.append(chunk)
        have += len(chunk)
        if have < need:  # a long record spans chunks: join them once, when it is complete
            continue
        data = pending[0] if len(pending) == 1 else b"".join(pending)
        pos, end = 0, len(data)
        while True:
            if end - pos < 4:
                need = 4
                break
            (head,) = _U32(data, pos)
            size, start = head >> 20, pos + 4
            if size == 0xFFF:
                if end - pos < 8:
                    need = 8
                    break
                (size,) = _U32(data, start)
                start += 4
            if end - start < size:
                need = start + size - pos
                break
            yield head & 0x3FF, (head >> 10) & 0x3FF, data[start:start + size]
            pos = start + size
        rest = data[pos:]
        pending, have = ([rest], len(rest)) if rest else ([], 0)
    if have:
        raise Unreadable("a body record is cut short: the file is damaged or truncated")


def _section_chunks(raw: bytes, compressed: bool, budget: list[int]) -> Iterator[bytes]:
    """A section stream's bytes, inflated (raw deflate) a megabyte at a time within `budget`."""
    if not compressed:
        budget[0] -= len(raw)
        if budget[0] < 0:
            raise Unreadable("the body is larger than kosearch reads (256 MB)")
        yield raw
        return
    inflater = zlib.decompressobj(-15)
    data = raw
    try:
        while data:
            out = inflater.decompress(data, _CHUNK)
            data = inflater.unconsumed_tail
            budget[0] -= len(out)
            if budget[0] < 0:
                raise Unreadable("the body inflates beyond 256 MB (a decompression bomb?)")
            yield out
        yield inflater.flush()
    except zlib.error as e:
        raise Unreadable(f"a body section cannot be inflated ({e}): the file is damaged") from None


class _Text:
    """Paragraph text gathered in reading order, table cells joined row by row."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        # open controls: [level, kind, data]; kinds: "tbl" (rows so far), "cell", "skip"
        self.open: list[list] = []
        self.skips = 0  # open "skip" controls

    def close_to(self, level: int, tag: int = 0) -> None:
        """Close what a record at `level` ends: a control ends at a record of its level or
        above; a cell (whose paragraphs start at its own level) at the next cell or above."""
        while self.open:
            top, kind, _ = self.open[-1]
            if top < level or (top == level and kind == "cell" and tag != _TAG_LIST_HEADER):
                break
            self._close(self.open.pop())

    def _close(self, item: list) -> None:
        _, kind, data = item
        if kind == "skip":
            self.skips -= 1
        elif kind == "cell":
            table = self.open[-1][2] if self.open and self.open[-1][1] == "tbl" else None
            text = " ".join(" ".join(data["parts"]).split())
            if table is not None:
                if table["row"] != data["row"]:
                    self._flush_row(table)
                    table["row"] = data["row"]
                if text:
                    table["cells"].append(text)
        elif kind == "tbl":
            self._flush_row(data)
            for row in data["rows"]:
                self.add(row)

    @staticmethod
    def _flush_row(table: dict) -> None:
        if table["cells"]:
            table["rows"].append(" | ".join(table["cells"]))
        table["cells"] = []

    def skipping(self) -> bool:
        return self.skips > 0

    def add(self, text: str) -> None:
        for item in reversed(self.open):
            if item[1] == "cell":
                item[2]["parts"].append(text)
                return
        self.lines.append(text)

    def record(self, tag: int, level: int, payload: bytes) -> None:
        self.close_to(level, tag)
        if tag == _TAG_LIST_HEADER and self.open and self.open[-1][1] == "tbl":
            row = struct.unpack_from("<H", payload, 10)[0] if len(payload) >= 12 else -1
            self.open.append([level, "cell", {"parts": [], "row": row}])
        if self.skipping():
            return
        if tag == _TAG_PARA_TEXT:
            self.add(para_text(payload).rstrip("\n"))
        elif tag == _TAG_CTRL_HEADER:
            ctrl = payload[:4][::-1]
            if ctrl == b"tbl ":
                self.open.append([level, "tbl", {"rows": [], "cells": [], "row": None}])
            elif ctrl in _SKIPPED_CONTROLS:
                self.open.append([level, "skip", None])
                self.skips += 1


def summary_strings(data: bytes) -> dict[int, str]:
    """The string properties (VT_LPWSTR, VT_LPSTR) of an OLE property set stream, by id.

    Written with bounds on every count and offset: olefile's `getproperties` loops for minutes
    on a damaged stream. Anything out of bounds ends the reading; what was read is kept.

    >>> summary_strings(b"junk")
    {}
    """
    out: dict[int, str] = {}
    try:
        (base,) = struct.unpack_from("<I", data, 44)
        size, count = struct.unpack_from("<II", data, base)
        for n in range(min(count, 256)):
            pid, offset = struct.unpack_from("<II", data, base + 8 + 8 * n)
            at = base + offset
            vtype, length = struct.unpack_from("<HxxI", data, at)
            if vtype == 0x1F and length <= 65536:  # UTF-16, length in characters
                raw = data[at + 8:at + 8 + 2 * length].decode("utf-16le", "replace")
            elif vtype == 0x1E and length <= 65536:  # code page string, length in bytes
                raw = data[at + 8:at + 8 + length].decode("cp949", "replace")
            else:
                continue
            out[pid] = raw.split("\x00", 1)[0].strip()
    except struct.error:
        pass
    return out


def text_of(recs: Iterable[tuple[int, int, bytes]]) -> str:
    """The body text of a stream of (tag, level, payload) records, one section after another."""
    text = _Text()
    for tag, level, payload in recs:
        # most records (paragraph headers, character shapes, line segments) matter only to
        # close an open control: outside one they are passed over without a call
        if text.open or tag in _WANTED:
            text.record(tag, level, payload)
    text.close_to(0)
    return clean("\n".join(text.lines))


def _summary(ole: olefile.OleFileIO) -> tuple[str, str, str, tuple[str, ...]]:
    """Title, author and date string of the summary information, where they are set, and a
    note if the summary stream cannot be read."""
    name = "\x05HwpSummaryInformation"
    if not ole.exists(name):
        return "", "", "", ()
    try:
        data = ole.openstream(name).read(1 << 20)
    except OSError as e:  # a damaged summary is no reason to lose the body
        return "", "", "", (f"the summary information cannot be read ({e}): its title, "
                            "author and date are not read",)
    props = summary_strings(data)
    return props.get(2, ""), props.get(4, ""), props.get(20, ""), ()


def read_hwp(path: Path) -> Document:
    """The text and metadata of an HWP 5.x file; `Unreadable` says why there are none."""
    with path.open("rb") as f:
        if f.read(len(olefile.MAGIC)) != olefile.MAGIC:
            raise Unreadable("not an HWP 5 document (no OLE2 compound file header): damaged, or "
                             "an HWP 3 file, which kosearch does not read")
        f.seek(0)
        try:
            # given a file rather than its name, olefile does not record the caller's stack
            # (for a warning should it be left open): 0.04 ms of 0.29 to open a small
            # document from a shallow stack, 0.14 ms from 30 frames deeper, as indexing is
            ole = olefile.OleFileIO(f)
        except OSError as e:
            raise Unreadable(f"cannot open the OLE2 container ({e})") from None
        with ole:
            return _read(ole)


def _read(ole: olefile.OleFileIO) -> Document:
    """The document in an open OLE2 container."""
    try:
        header = ole.openstream("FileHeader").read()
    except OSError:
        raise Unreadable("no FileHeader stream: not an HWP document, or damaged") from None
    if not header.startswith(b"HWP Document File") or len(header) < 40:
        raise Unreadable("the FileHeader is not an HWP 5 header")
    (flags,) = struct.unpack_from("<I", header, 36)
    if flags & _DISTRIBUTION:
        raise Unreadable("a distribution document (배포용 문서): its body is encrypted and "
                         "cannot be read; ask the publisher for an editable copy")
    if flags & _PASSWORD:
        raise Unreadable("the document is password-protected: its body cannot be read")
    sections = sorted(
        (int(entry[1][7:]), "/".join(entry)) for entry in ole.listdir()
        if len(entry) == 2 and entry[0] == "BodyText" and re.fullmatch(r"Section\d+", entry[1])
    )
    if not sections:
        raise Unreadable("no BodyText sections: not a readable HWP body")
    budget = [MAX_TEXT_BYTES]

    def all_records() -> Iterator[tuple[int, int, bytes]]:
        for _, name in sections:
            try:
                raw = ole.openstream(name).read()
            except OSError as e:
                raise Unreadable(f"{name} cannot be read ({e}): the file is damaged") from None
            yield from records(_section_chunks(raw, bool(flags & _COMPRESSED), budget))

    body = text_of(all_records())
    title, author, date, notes = _summary(ole)
    return Document(body=body, title=title if meaningful(title) else "",
                    date=parse_date(date), source=author, notes=notes)
