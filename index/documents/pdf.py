"""Text of PDF documents through PDFium (pypdfium2), a page at a time so a long report needs
the memory of one page, with where each page starts kept for "p. 2" in hits and the preview.

Headers and footers repeat on every page: a short line at the top (or bottom) edge of a page that
already stood at the top (or bottom) of an earlier page, numbers aside, is kept once: on its
first page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from index.documents.common import Document, Unreadable, clean
from index.readers import parse_date

__all__ = ["EDGE_LINES", "page_list", "pdf_date", "read_pdf", "strip_repeats"]

EDGE_LINES = 2  # lines at the top and at the bottom of a page that may be a header or footer
_EDGE_MAX_CHARS = 80
_PAGE_BREAK = "\n\n"


def pdf_date(value: str) -> dt.date | None:
    """The date of a PDF date string (`D:20260304091500+09'00'`).

    >>> pdf_date("D:20260304091500+09'00'"), pdf_date("D:2026"), pdf_date("")
    (datetime.date(2026, 3, 4), datetime.date(2026, 1, 1), None)
    """
    m = re.match(r"(?:D:)?(\d{4})(\d{2})?(\d{2})?", value.strip())
    return parse_date("".join(g for g in m.groups() if g)) if m else None


def _signature(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split()))


def strip_repeats(lines: list[str], seen: tuple[set[str], set[str]]) -> list[str]:
    """A page's lines without the header and footer lines an earlier page already had at the
    same edge (compared with their numbers masked, so `- 3 -` repeats `- 2 -`); adds this
    page's edge lines to `seen` (top, bottom). A page is never emptied this way.

    >>> seen: tuple[set[str], set[str]] = (set(), set())
    >>> strip_repeats(["해양수산부 보도자료", "첫 쪽 본문", "- 1 -"], seen)
    ['해양수산부 보도자료', '첫 쪽 본문', '- 1 -']
    >>> strip_repeats(["해양수산부 보도자료", "둘째 쪽 본문", "- 2 -"], seen)
    ['둘째 쪽 본문']
    >>> strip_repeats(["- 3 -"], seen)
    ['- 3 -']
    """
    n = len(lines)
    drop = set()
    for edge, indexes in ((seen[0], range(min(EDGE_LINES, n))),
                          (seen[1], range(max(n - EDGE_LINES, 0), n))):
        for i in indexes:
            line = lines[i].strip()
            if not line or len(line) > _EDGE_MAX_CHARS:
                continue
            sig = _signature(line)
            if sig in edge:
                drop.add(i)
            else:
                edge.add(sig)
    if all(i in drop or not line.strip() for i, line in enumerate(lines)):
        return lines
    return [line for i, line in enumerate(lines) if i not in drop]


def _open(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        code = getattr(e, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise Unreadable("the PDF is encrypted with a password; kosearch cannot read it") from None
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise Unreadable("the PDF uses an unsupported security handler") from None
        raise Unreadable(f"not a readable PDF ({e}): the file is damaged or truncated") from None


def _pages(doc: pdfium.PdfDocument) -> Iterator[str]:
    """Each page's text; each page and its text layer is freed before the next is loaded."""
    for i in range(len(doc)):
        page = doc[i]
        try:
            textpage = page.get_textpage()
            try:
                yield textpage.get_text_range()
            finally:
                textpage.close()
        finally:
            page.close()


def page_list(numbers: list[int], most: int = 12) -> str:
    """Page numbers written short, runs as ranges.

    >>> page_list([2]), page_list([2, 5, 6, 7, 9]), page_list(list(range(1, 40, 2)), most=3)
    ('2', '2, 5-7, 9', '1, 3, 5, …')
    """
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    parts = [str(a) if a == b else f"{a}-{b}" for a, b in runs]
    return ", ".join(parts[:most] + (["…"] if len(parts) > most else []))


def read_pdf(path: Path) -> Document:
    """The text, page starts and metadata of a PDF; `Unreadable` says why there are none."""
    doc = _open(path)
    try:
        meta = doc.get_metadata_dict(skip_empty=True)
        parts: list[str] = []
        starts: list[int] = []
        blank: list[int] = []  # pages without text: scanned, or left blank
        seen: tuple[set[str], set[str]] = (set(), set())
        length = 0
        try:
            for text in _pages(doc):
                if parts:
                    parts.append(_PAGE_BREAK)
                    length += len(_PAGE_BREAK)
                starts.append(length)
                cleaned = clean(text)
                if not cleaned:
                    blank.append(len(starts))
                page = "\n".join(strip_repeats(cleaned.split("\n"), seen)).strip()
                parts.append(page)
                length += len(page)
        except pdfium.PdfiumError as e:
            raise Unreadable(f"page {len(starts) + 1} cannot be read ({e}): the file is damaged") from None
    finally:
        doc.close()
    if not starts:
        raise Unreadable("the PDF has no pages")
    if not any(part.strip() for part in parts):
        raise Unreadable(f"no text layer on any of its {len(starts)} page(s) (a scan?): run OCR "
                         "first, e.g. `ocrmypdf -l kor in.pdf out.pdf`")
    notes = ((f"no text layer on {len(blank)} of its {len(starts)} pages ({page_list(blank)}): "
              "scanned? Their text is not searchable until OCR, e.g. "
              "`ocrmypdf -l kor --skip-text in.pdf out.pdf`",) if blank else ())
    date = pdf_date(meta.get("CreationDate", ""))
    return Document(body="".join(parts), title=meta.get("Title", ""), date=date,
                    source=meta.get("Author", ""), pages=tuple(starts), notes=notes)
