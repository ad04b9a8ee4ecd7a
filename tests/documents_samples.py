"""HWPX and PDF documents made by the tests themselves, so a clone without ../shared still tests
the document readers. PDFs use reportlab's built-in Korean CID fonts (no font files)."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path

NS = ('xmlns:hp="http://www.hancom.co.kr/hwpml/2011/paragraph" '
      'xmlns:hs="http://www.hancom.co.kr/hwpml/2011/section"')


def para(*runs: str) -> str:
    """An `<hp:p>` of runs; each run is raw inner XML (`<hp:t>..</hp:t>`, controls, tables)."""
    return "<hp:p>" + "".join(f"<hp:run>{r}</hp:run>" for r in runs) + "</hp:p>"


def t(text: str) -> str:
    return f"<hp:t>{text}</hp:t>"


def table(rows: Sequence[Sequence[str]]) -> str:
    cells = "".join(
        "<hp:tr>" + "".join(f"<hp:tc><hp:subList>{para(t(c))}</hp:subList></hp:tc>" for c in row)
        + "</hp:tr>" for row in rows)
    return f'<hp:tbl rowCnt="{len(rows)}">{cells}</hp:tbl>'


def click_here(name: str, shown: str) -> str:
    """A click-here field: its instruction lives in parameters, its shown text in `<hp:t>`."""
    return ("<hp:ctrl><hp:fieldBegin type=\"CLICK_HERE\"><hp:parameters>"
            f"<hp:stringParam name=\"Command\">Clickhere:set:30:Direction:wstring:{len(name)}:{name} "
            "</hp:stringParam></hp:parameters></hp:fieldBegin></hp:ctrl>"
            f"</hp:run><hp:run>{t(shown)}</hp:run><hp:run><hp:ctrl><hp:fieldEnd/></hp:ctrl>")


def picture(description: str) -> str:
    return f"<hp:pic><hp:shapeComment>{description}</hp:shapeComment></hp:pic>"


def text_box(text: str) -> str:
    return f"<hp:rect><hp:drawText><hp:subList>{para(t(text))}</hp:subList></hp:drawText></hp:rect>"


def write_hwpx(path: Path, sections: Sequence[str], *, title: str = "", creator: str = "",
               extra: dict[str, bytes] | None = None, hpf: str = "") -> Path:
    """An HWPX zip with one `Contents/sectionN.xml` per item of `sections` (paragraph XML);
    `hpf` replaces the metadata part written from `title` and `creator`."""
    hpf = hpf or ('<?xml version="1.0" encoding="UTF-8"?><opf:package '
                  'xmlns:opf="http://www.idpf.org/2007/opf/"><opf:metadata>'
                  f"<opf:title>{title}</opf:title>"
                  f'<opf:meta name="creator" content="text">{creator}</opf:meta>'
                  "</opf:metadata></opf:package>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/hwp+zip", compress_type=zipfile.ZIP_STORED)
        z.writestr("Contents/content.hpf", hpf)
        for n, body in enumerate(sections):
            z.writestr(f"Contents/section{n}.xml",
                       f'<?xml version="1.0" encoding="UTF-8"?><hs:sec {NS}>{body}</hs:sec>')
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return path


def write_pdf(path: Path, pages: Sequence[Sequence[str]], *, title: str = "", author: str = "",
              header: str = "", footer: str = "", user_password: str = "",
              drawing_only: bool = False) -> Path:
    """A PDF with one page per item of `pages` (lines of text), in a Korean CID font.

    `header`/`footer` repeat on every page (`{n}` is the page number); `drawing_only` makes
    pages with shapes and no text, as a scan without OCR has.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "HYSMyeongJo-Medium" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("HYSMyeongJo-Medium"))
    encrypt = None
    if user_password:
        from reportlab.lib import pdfencrypt

        encrypt = pdfencrypt.StandardEncryption(user_password, canPrint=0)
    c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt, invariant=1)
    c.setTitle(title)
    c.setAuthor(author)
    width, height = A4
    for n, lines in enumerate(pages, 1):
        if drawing_only:
            c.rect(100, 400, 300, 200, fill=1)
            c.showPage()
            continue
        c.setFont("HYSMyeongJo-Medium", 11)
        if header:
            c.drawString(72, height - 40, header.format(n=n))
        y = height - 90
        for line in lines:
            c.drawString(72, y, line)
            y -= 16
        if footer:
            c.drawString(width / 2, 30, footer.format(n=n))
        c.showPage()
    c.save()
    return path
