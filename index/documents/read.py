"""One entry point for the document formats: pick the reader by suffix, turn what it read into a
Record, and what it could not read into a Problem naming the file and the reason."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from index.documents.common import Document, Unreadable, to_record
from index.readers import Problem, Record

__all__ = ["DOCUMENT_SUFFIXES", "read_document"]

DOCUMENT_SUFFIXES = (".hwp", ".hwpx", ".pdf")


_MAGIC = ((b"PK\x03\x04", ".hwpx"), (b"\xd0\xcf\x11\xe0", ".hwp"), (b"%PDF-", ".pdf"))


def _sniff(path: Path, suffix: str) -> str:
    """The format the file's first bytes say, over its suffix: an HWPX saved as `.hwp` is
    common, since both open in the same program."""
    with path.open("rb") as f:
        head = f.read(8)
    return next((kind for magic, kind in _MAGIC if head.startswith(magic)), suffix)


def _extract(path: Path, suffix: str) -> Document:
    # imported here so that indexing text files never loads PDFium or the OLE reader
    if suffix == ".hwp":
        from index.documents.hwp import read_hwp

        return read_hwp(path)
    if suffix == ".hwpx":
        from index.documents.hwpx import read_hwpx

        return read_hwpx(path)
    from index.documents.pdf import read_pdf

    return read_pdf(path)


def read_document(path: Path) -> Iterator[Record | Problem]:
    """The one Record of an HWP, HWPX or PDF file, or the Problem saying why it cannot be read;
    before the Record, a note (a Problem that is not fatal) for each part that could not be read
    without losing the body."""
    p = str(path)
    suffix = path.suffix.lower()
    kind = suffix[1:].upper()
    if suffix not in DOCUMENT_SUFFIXES:
        yield Problem(p, None, f"not a document kosearch reads ({', '.join(DOCUMENT_SUFFIXES)})")
        return
    try:
        if path.stat().st_size == 0:
            yield Problem(p, None, "empty file, skipped")
            return
        suffix = _sniff(path, suffix)
        kind = suffix[1:].upper()
        doc = _extract(path, suffix)
    except Unreadable as e:
        yield Problem(p, None, f"cannot read this {kind} document: {e}; skipped")
        return
    except OSError as e:
        yield Problem(p, None, f"cannot read file: {e.strerror or e}")
        return
    except Exception as e:  # noqa: BLE001 - a damaged file must not stop the run
        yield Problem(p, None, f"cannot read this {kind} document: the file is damaged "
                               f"({type(e).__name__}: {e}); skipped")
        return
    for note in doc.notes:
        yield Problem(p, None, note, fatal=False)
    yield to_record(doc, p, kind)
