"""PDF: documents the tests write with reportlab's Korean CID fonts (text, repeated headers and
footers, a password, a drawing only), page starts, one page in memory at a time, and the files
in ../shared/data/documents/pdf."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from documents_samples import write_pdf

from index.documents import page_of, read_document
from index.documents.pdf import read_pdf
from index.readers import Problem, Record

PDF = Path(__file__).resolve().parents[2] / "shared" / "data" / "documents" / "pdf"
needs_shared = pytest.mark.skipif(not PDF.exists(), reason="needs ../shared/data/documents")

PAGES = [
    ["보 도 자 료", "도시철도 요금 조정안 발표", "서울시는 2026년 5월 12일 요금 조정안을 공개했다."],
    ["둘째 쪽: 조정 배경", "운송 원가가 크게 올랐다."],
    ["셋째 쪽: 문의처", "교통정책과"],
]


def release(tmp_path: Path) -> Path:
    return write_pdf(tmp_path / "보도자료.pdf", PAGES, title="도시철도 요금 조정",
                     author="서울특별시", header="서울특별시 보도자료", footer="- {n} -")


def test_pages_text_without_repeated_header_and_footer(tmp_path: Path) -> None:
    doc = read_pdf(release(tmp_path))
    assert doc.body == ("서울특별시 보도자료\n보 도 자 료\n도시철도 요금 조정안 발표\n"
                        "서울시는 2026년 5월 12일 요금 조정안을 공개했다.\n- 1 -\n\n"
                        "둘째 쪽: 조정 배경\n운송 원가가 크게 올랐다.\n\n"
                        "셋째 쪽: 문의처\n교통정책과")
    assert doc.pages == (0, 73, 101)
    assert doc.body[73:].startswith("둘째 쪽")
    assert doc.body[101:].startswith("셋째 쪽")


def test_page_of_a_hit(tmp_path: Path) -> None:
    doc = read_pdf(release(tmp_path))
    assert page_of(doc.pages, doc.body.index("운송 원가")) == 2
    assert page_of(doc.pages, doc.body.index("교통정책과")) == 3
    assert page_of(doc.pages, doc.body.index("요금 조정안을")) == 1


def test_record_title_date_source(tmp_path: Path) -> None:
    (rec,) = read_document(release(tmp_path))
    assert not isinstance(rec, Problem)
    # the metadata title, with the letter-spaced heading under the running header before it
    assert rec.title == "보도자료 도시철도 요금 조정"
    assert str(rec.date) == "2026-05-12"
    assert rec.source == "서울특별시"
    assert rec.pages == (0, 73, 101)


def test_placeholder_metadata_title_gives_way_to_first_line(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "a.pdf", [["하천 정비 계획", "본문"]], title="untitled",
                     author="anonymous")
    (rec,) = read_document(path)
    assert not isinstance(rec, Problem)
    assert (rec.title, rec.source, str(rec.date)) == ("하천 정비 계획", "", "2000-01-01")


def test_password_protected_pdf_is_reported(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "비밀.pdf", [["공개하지 않는 본문"]], user_password="암호1234")
    (problem,) = read_document(path)
    assert isinstance(problem, Problem)
    assert str(problem) == (f"{path}: cannot read this PDF document: the PDF is encrypted with a "
                            "password; kosearch cannot read it; skipped")


def test_pdf_without_text_layer_is_reported(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "scan.pdf", [[], []], drawing_only=True)
    (problem,) = read_document(path)
    assert isinstance(problem, Problem)
    assert problem.message == (
        "cannot read this PDF document: no text layer on any of its 2 page(s) (a scan?): run OCR "
        "first, e.g. `ocrmypdf -l kor in.pdf out.pdf`; skipped")


def test_pages_without_text_are_noted(tmp_path: Path) -> None:
    """Some pages scanned among pages of text: the text is indexed, and a note says which
    pages are not searchable and how to fix that."""
    path = write_pdf(tmp_path / "mixed.pdf", [["첫 쪽 본문"], [], [], ["넷째 쪽 본문"], [], ["마지막 쪽"]])
    note, rec = read_document(path)
    assert isinstance(note, Problem) and not note.fatal
    assert note.message == (
        "no text layer on 3 of its 6 pages (2-3, 5): scanned? Their text is not searchable "
        "until OCR, e.g. `ocrmypdf -l kor --skip-text in.pdf out.pdf`")
    assert isinstance(rec, Record)
    assert rec.body == "첫 쪽 본문\n\n\n\n\n\n넷째 쪽 본문\n\n\n\n마지막 쪽"
    assert page_of(rec.pages, rec.body.index("넷째")) == 4


def test_truncated_pdf_is_reported(tmp_path: Path) -> None:
    whole = release(tmp_path).read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(whole[:400])
    (problem,) = read_document(path)
    assert isinstance(problem, Problem)
    assert problem.message.startswith("cannot read this PDF document: not a readable PDF")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    assert [str(p) for p in read_document(path)] == [f"{path}: empty file, skipped"]


def test_one_page_open_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A long PDF is read a page at a time: each page is closed before the next is loaded."""
    path = write_pdf(tmp_path / "long.pdf", [[f"{n}쪽 본문"] for n in range(1, 41)])
    open_pages: list[int] = []
    most = [0]
    get, close = pdfium.PdfDocument.__getitem__, pdfium.PdfPage.close

    def tracked_get(self: pdfium.PdfDocument, i: int) -> pdfium.PdfPage:
        open_pages.append(i)
        most[0] = max(most[0], len(open_pages))
        return get(self, i)

    def tracked_close(self: pdfium.PdfPage, *args: object, **kwargs: object) -> None:
        if open_pages:
            open_pages.pop()
        close(self, *args, **kwargs)

    monkeypatch.setattr(pdfium.PdfDocument, "__getitem__", tracked_get)
    monkeypatch.setattr(pdfium.PdfPage, "close", tracked_close)
    doc = read_pdf(path)
    assert len(doc.pages) == 40
    assert most[0] == 1 and open_pages == []
    assert doc.body[doc.pages[39]:] == "40쪽 본문"


# -- the files in ../shared ----------------------------------------------------------------


@needs_shared
def test_press_release_two_pages() -> None:
    (rec,) = read_document(PDF / "press-release-2026-03.pdf")
    assert not isinstance(rec, Problem)
    assert rec.title == "연안 여객선 안전 점검 결과"
    assert str(rec.date) == "2026-03-04"
    assert rec.body.startswith("보도자료\n연안 여객선 162척 안전 점검 결과 발표\n해양수산부는")
    assert rec.pages == (0, 250)
    assert rec.body[250:] == ("둘째 쪽: 향후 계획\n정부는 여객선 현대화 펀드를 통해 노후 선박 교체를 "
                              "지원하고, 선령 25년이 넘은 선박의 운항 관리를\n강화할 계획이다. "
                              "문의: 해양수산부 연안해운과.")
    assert page_of(rec.pages, rec.body.index("연안해운과")) == 2


@needs_shared
def test_scan_is_reported_not_indexed_empty() -> None:
    (problem,) = read_document(PDF / "scanned-no-text.pdf")
    assert isinstance(problem, Problem)
    assert "no text layer on any of its 1 page(s) (a scan?): run OCR first" in problem.message


@needs_shared
def test_encrypted_is_reported_by_name() -> None:
    (problem,) = read_document(PDF / "encrypted.pdf")
    assert isinstance(problem, Problem)
    assert problem.path == str(PDF / "encrypted.pdf")
    assert "the PDF is encrypted with a password" in problem.message
