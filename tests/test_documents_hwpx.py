"""HWPX (OWPML zip of XML parts): documents the tests write themselves, the guards against zip
bombs and entity expansion, and the real files in ../shared/data/documents/hwpx."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from documents_samples import click_here, para, picture, t, table, text_box, write_hwpx

from index.documents import read_document
from index.documents.hwpx import read_hwpx
from index.readers import Problem, Record

HWPX = Path(__file__).resolve().parents[2] / "shared" / "data" / "documents" / "hwpx"
needs_shared = pytest.mark.skipif(not HWPX.exists(), reason="needs ../shared/data/documents")


def notice(tmp_path: Path) -> Path:
    return write_hwpx(tmp_path / "공고.hwpx", [
        para(t("공  고")) + para(t("서초구 공고 제2026-31호"))
        + para(t("주차장 조례 개정안을 다음과 같이 알립니다."), text_box("상자 안의 안내"))
        + para(t("담당: "), click_here("부서명", "교통행정과"))
        + para(picture("그림입니다. 원본 그림의 이름: 로고.png"), t("2026년 4월 9일"))
        + para(t("구분"), table([["항목", "현행", "개정"], ["요금", "1,000원", "1,200원"]]),
               t("표 다음 글"))
        + para(t("줄<hp:lineBreak/>바꿈<hp:tab/>탭")),
        para(t("둘째 구역의 본문")),
    ], title="", creator="서초구청")


def test_generated_notice_text_in_reading_order(tmp_path: Path) -> None:
    doc = read_hwpx(notice(tmp_path))
    assert doc.body == ("공  고\n서초구 공고 제2026-31호\n주차장 조례 개정안을 다음과 같이 알립니다.\n"
                        "상자 안의 안내\n담당: 교통행정과\n2026년 4월 9일\n구분\n"
                        "항목 | 현행 | 개정\n요금 | 1,000원 | 1,200원\n표 다음 글\n줄\n바꿈 탭\n"
                        "둘째 구역의 본문")
    assert doc.source == "서초구청"


def test_generated_notice_record(tmp_path: Path) -> None:
    (rec,) = read_document(notice(tmp_path))
    assert not isinstance(rec, Problem)
    assert rec.title == "공고"
    assert str(rec.date) == "2026-04-09"
    assert rec.source == "서초구청"
    assert "Clickhere" not in rec.body and "그림입니다" not in rec.body


def test_sections_in_number_order(tmp_path: Path) -> None:
    path = write_hwpx(tmp_path / "s.hwpx", [para(t(f"구역 {n}")) for n in range(12)])
    assert read_hwpx(path).body.split("\n") == [f"구역 {n}" for n in range(12)]


def test_metadata_title_wins_over_first_line(tmp_path: Path) -> None:
    path = write_hwpx(tmp_path / "m.hwpx", [para(t("첫 줄"))], title="교통 정책 보고서")
    (rec,) = read_document(path)
    assert not isinstance(rec, Problem)
    assert rec.title == "교통 정책 보고서"


def test_letter_spaced_heading_above_a_metadata_title_stays_searchable(tmp_path: Path) -> None:
    path = write_hwpx(tmp_path / "m.hwpx", [para(t("입 법 예 고")), para(t("본문"))],
                      title="교통 정책 보고서")
    (rec,) = read_document(path)
    assert not isinstance(rec, Problem)
    assert rec.title == "입법예고 교통 정책 보고서"
    assert rec.body == "입 법 예 고\n본문"


@pytest.mark.parametrize(("lines", "title"), [
    (["울산광역시 남구 공고 제2021-174호", "입 법 예 고", "조례 개정안"],
     "입법예고 울산광역시 남구 공고 제2021-174호"),
    (["서초구 공고", "제2026-31호", "주차장 조례", "개정안 안내", "담당 부서", "공 고 문"],
     "서초구 공고"),
    (["하천 정비 계획", "가 나 다 순으로 적는다"], "하천 정비 계획"),
], ids=["below-the-number", "too-far-down", "not-the-whole-line"])
def test_letter_spaced_heading_below_the_first_line(tmp_path: Path, lines: list[str],
                                                     title: str) -> None:
    """Notices often open with the office or the notice number above `입 법 예 고`: a line of
    letter-spaced syllables and nothing else, among the first five, joins the title closed up."""
    path = write_hwpx(tmp_path / "n.hwpx", [para(t(line)) for line in lines],
                      creator="fff")
    (rec,) = read_document(path)
    assert isinstance(rec, Record)
    assert (rec.title, rec.source) == (title, "")


# a first paragraph of 114 characters, written for these tests
PARAGRAPH = ("시는 올해 하천 정비 사업으로 제방 보강과 산책로 조성을 마쳤으며 내년에는 "
             "상류 구간의 준설과 생태 습지 복원을 이어 가고 주민 설명회를 세 차례 열어 "
             "의견을 듣겠다고 밝혔다 자세한 일정은 누리집에 알린다")


def test_title_from_a_long_first_paragraph_is_cut_at_a_word(tmp_path: Path) -> None:
    """Without a metadata title the first line is the title, cut before 100 characters at a
    space with an ellipsis; the body keeps the paragraph whole (issue 13)."""
    path = write_hwpx(tmp_path / "p.hwpx", [para(t(PARAGRAPH)) + para(t("둘째 문단"))])
    (rec,) = read_document(path)
    assert isinstance(rec, Record)
    assert len(PARAGRAPH) == 114
    assert rec.title == ("시는 올해 하천 정비 사업으로 제방 보강과 산책로 조성을 마쳤으며 내년에는 "
                         "상류 구간의 준설과 생태 습지 복원을 이어 가고 주민 설명회를 세 차례 열어 "
                         "의견을 듣겠다고 밝혔다…")
    assert len(rec.title) == 98
    assert rec.body == f"{PARAGRAPH}\n둘째 문단"


def test_a_paragraph_with_single_syllables_is_no_spaced_heading(tmp_path: Path) -> None:
    """`5백 년 전 대` inside a long first paragraph is prose, not a letter-spaced heading:
    the metadata title is not prefixed with the whole paragraph."""
    first = PARAGRAPH.replace("세 차례", "5백 년 전 대 이래 세 차례")
    path = write_hwpx(tmp_path / "p.hwpx", [para(t(first))], title="하천 정비 결과")
    (rec,) = read_document(path)
    assert isinstance(rec, Record)
    assert rec.title == "하천 정비 결과"


def test_truncated_zip_is_reported(tmp_path: Path) -> None:
    whole = notice(tmp_path).read_bytes()
    path = tmp_path / "잘림.hwpx"
    path.write_bytes(whole[: len(whole) // 2])
    (problem,) = read_document(path)
    assert isinstance(problem, Problem)
    assert problem.path == str(path)
    assert problem.message.startswith("cannot read this HWPX document: not a readable zip")


def test_zip_bomb_is_refused_before_inflating(tmp_path: Path) -> None:
    path = write_hwpx(tmp_path / "bomb.hwpx", [para(t("본문"))],
                      extra={"BinData/zeros.bin": b"\x00" * (8 << 20)})
    (problem,) = read_document(path)
    assert isinstance(problem, Problem)
    assert problem.message.startswith(
        "cannot read this HWPX document: BinData/zeros.bin would inflate")


def test_too_many_entries_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from index.documents import hwpx

    monkeypatch.setattr(hwpx, "MAX_ENTRIES", 5)
    path = write_hwpx(tmp_path / "many.hwpx", [para(t("본문"))],
                      extra={f"BinData/{n}.bin": b"x" for n in range(5)})
    (problem,) = read_document(path)
    assert isinstance(problem, Problem)
    assert "the zip holds 8 entries (more than 5)" in problem.message


LAUGHS = ('<?xml version="1.0"?><!DOCTYPE sec [<!ENTITY a "가가가가가가가가">'
          '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
          '<sec xmlns:hp="x"><hp:p><hp:run><hp:t>&b;</hp:t></hp:run></hp:p></sec>')
EXTERNAL = ('<?xml version="1.0"?><!DOCTYPE sec [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            '<sec><hp:p><hp:run><hp:t>&x;</hp:t></hp:run></hp:p></sec>')


@pytest.mark.parametrize(("parts", "message"), [
    ({"Contents/section0.xml": LAUGHS},
     "its XML declares a DTD or entities: refused (they can expand without bound)"),
    ({"Contents/section0.xml": EXTERNAL},
     "its XML declares a DTD or entities: refused (they can expand without bound)"),
    ({"Contents/section0.xml": "<sec><hp:p>"},
     "broken XML in Contents/section0.xml at line 1 (no element found)"),
    ({"mimetype": "application/hwp+zip"},
     "no Contents/sectionN.xml part: not an HWPX document"),
], ids=["entity-expansion", "external-entity", "broken-xml", "no-sections"])
def test_bad_parts_are_reported(tmp_path: Path, parts: dict[str, str], message: str) -> None:
    path = tmp_path / "bad.hwpx"
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    assert [str(p) for p in read_document(path)] == [
        f"{path}: cannot read this HWPX document: {message}; skipped"]


def test_broken_metadata_part_is_noted_and_the_body_indexed(tmp_path: Path) -> None:
    """A damaged Contents/content.hpf costs the title and author, not the document, and the
    note names that part (not the last section read)."""
    path = write_hwpx(tmp_path / "m.hwpx", [para(t("하천 정비 사업 안내")), para(t("본문"))],
                      hpf="<opf:package><opf:metadata><opf:title>제목</opf:metadata>")
    note, rec = read_document(path)
    assert isinstance(note, Problem) and not note.fatal
    assert str(note) == (f"{path}: broken XML in Contents/content.hpf at line 1 (mismatched "
                         "tag): its title, author and date are not read")
    assert isinstance(rec, Record)
    assert (rec.title, rec.source, rec.body) == ("하천 정비 사업 안내", "", "하천 정비 사업 안내\n본문")


# -- the real files ------------------------------------------------------------------------


@needs_shared
def test_legislation_notice() -> None:
    (rec,) = read_document(HWPX / "legislation-notice-no-manifest.hwpx")
    assert not isinstance(rec, Problem)
    assert rec.title == "입법예고"
    assert str(rec.date) == "2021-02-05"
    assert rec.body.startswith("입 법 예 고\n울산광역시 남구 공고 제2021-174호\n"
                               "울산광역시 남구 구세 조례 일부개정조례안\n")
    assert "이 조례는 공포한 날부터 시행한다." in rec.body
    assert "제1절 재산분 | 제1절 사업소분" in rec.body


@needs_shared
def test_news_article() -> None:
    body = read_hwpx(HWPX / "news-article.hwpx").body
    assert body.startswith("'어썸킴' 김하성(27·샌디에이고 파드리스)이 시원한 3점홈런을 폭발했다.\n")
    assert body.endswith("김하성의 3점홈런은 결승타로 남았다.")


@needs_shared
def test_table_cells_without_field_instructions() -> None:
    body = read_hwpx(HWPX / "table.hwpx").body
    assert "이름 | 국어 | 영어 | 수학\n개똥이 | 89 | 65 | 78" in body
    assert body.startswith("C반 기말고사\n날짜\n")
    assert "Clickhere" not in body and "daum.net" not in body


@needs_shared
def test_fields_and_shapes() -> None:
    body = read_hwpx(HWPX / "fields-and-shapes.hwpx").body
    assert body == "수학\n  우리는 수학 이다.더"


@needs_shared
def test_form_without_picture_description() -> None:
    doc = read_hwpx(HWPX / "project-plan-form.hwpx")
    assert doc.body.startswith("프로젝트계획서 PROJECT PROPOSAL\n작성일자 | 0000년 00월 00일 | 작성자")
    assert "그림입니다" not in doc.body
    assert doc.title == "업무제안서"


def test_header_footnote_and_hidden_comment(tmp_path: Path) -> None:
    """A header is read once where it is anchored, a footnote after the paragraph that cites
    it (not inside its sentence); a hidden comment is not body text."""
    def ctrl(kind: str, text: str) -> str:
        return f"<hp:ctrl><hp:{kind}><hp:subList>{para(t(text))}</hp:subList></hp:{kind}></hp:ctrl>"

    path = write_hwpx(tmp_path / "n.hwpx", [
        para(ctrl("header", "강동구 소식지"), t("하천 산책로를 넓힌다"), ctrl("footNote", "구의회 의결"),
             t(" 계획이다."), ctrl("hiddenComment", "검토 필요"))])
    assert read_hwpx(path).body == "강동구 소식지\n하천 산책로를 넓힌다 계획이다.\n구의회 의결"


def test_an_hwpx_saved_with_the_hwp_suffix_is_read_as_hwpx(tmp_path: Path) -> None:
    path = write_hwpx(tmp_path / "잘못된 이름.hwp", [para(t("도서관 운영 시간 변경 안내"))])
    (rec,) = read_document(path)
    assert not isinstance(rec, Problem)
    assert rec.body == "도서관 운영 시간 변경 안내"
