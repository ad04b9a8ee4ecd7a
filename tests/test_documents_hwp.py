"""Binary HWP 5.x: the record parser on hand-made bytes, and the real files in
../shared/data/documents/hwp (skipped where that folder is absent)."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from index.documents import Unreadable, read_document
from index.documents.common import garbage_reason
from index.documents.hwp import para_text, read_hwp, records, text_of
from index.readers import Problem, Record

HWP = Path(__file__).resolve().parents[2] / "shared" / "data" / "documents" / "hwp"
needs_shared = pytest.mark.skipif(not HWP.exists(), reason="needs ../shared/data/documents")


def record(tag: int, level: int, payload: bytes) -> bytes:
    size = len(payload)
    if size >= 0xFFF:
        return struct.pack("<II", tag | level << 10 | 0xFFF << 20, size) + payload
    return struct.pack("<I", tag | level << 10 | size << 20) + payload


def u16(text: str) -> bytes:
    return text.encode("utf-16le")


def wide(code: int, data: bytes = b"\x00" * 12) -> bytes:
    """An inline or extended control: the code, 12 bytes, the code again (8 units)."""
    return struct.pack("<H", code) + data + struct.pack("<H", code)


def test_para_text_skips_control_data_that_reads_as_cjk_garbage() -> None:
    """The 12 bytes of an extended control (here a field id `%clk`) are not text."""
    data = (u16("주민 ") + wide(3, u16("klc%") + b"\x00" * 4) + u16("의견") + wide(4)
            + u16(" 제출") + wide(11, u16(" lbt") + b"\x00" * 4) + u16("\r"))
    assert para_text(data) == "주민 의견 제출\n"


@pytest.mark.parametrize(("units", "expected"), [
    (u16("가") + wide(9) + u16("나"), "가 나"),
    (u16("가\n나"), "가\n나"),
    (u16("가") + struct.pack("<H", 30) + u16("나"), "가 나"),
    (u16("가") + struct.pack("<H", 24) + u16("나"), "가-나"),
    (u16("한") + wide(16) + wide(17) + u16("글"), "한글"),
])
def test_para_text_controls(units: bytes, expected: str) -> None:
    assert para_text(units) == expected


def test_para_text_a_unit_ending_in_a_low_byte_is_not_a_control() -> None:
    """`Ā` is 00 01 little-endian: the byte pair 0x01 0x00 straddles two units."""
    assert para_text(u16("ĀĀ가")) == "ĀĀ가"


def test_records_read_long_sizes_and_split_chunks() -> None:
    long = b"x" * 5000
    stream = record(67, 0, u16("가")) + record(71, 1, long) + record(67, 2, u16("나"))
    chunks = iter([stream[:3], stream[3:4100], stream[4100:]])
    assert [(tag, level, len(p)) for tag, level, p in records(chunks)] == [
        (67, 0, 2), (71, 1, 5000), (67, 2, 2)]


def test_records_cut_short_is_reported() -> None:
    stream = record(67, 0, u16("가나다"))[:-2]
    with pytest.raises(Unreadable, match="cut short"):
        list(records(iter([stream])))


def test_garbage_check_on_decoded_control_data() -> None:
    assert garbage_reason("捤獥汤捯 氠瑢 捤獥") is not None
    assert garbage_reason("한자 병기: 국회(國會)와 정부(政府)") is None


def test_not_an_ole_file(tmp_path: Path) -> None:
    path = tmp_path / "보고서.hwp"
    path.write_bytes(b"HWP Document File V3.00 \x1a\x01\x02\x03\x04\x05" + b"\x00" * 200)
    (problem,) = read_document(path)
    assert isinstance(problem, Problem)
    assert problem.path == str(path)
    assert problem.message.startswith("cannot read this HWP document: not an HWP 5 document")


@needs_shared
def test_truncated_ole_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "cut.hwp"
    path.write_bytes((HWP / "source.hwp").read_bytes()[:3000])
    (problem,) = read_document(path)
    assert isinstance(problem, Problem)
    assert problem.message.startswith("cannot read this HWP document:")


def test_raw_deflate_bomb_stops(monkeypatch: pytest.MonkeyPatch) -> None:
    from index.documents import hwp

    monkeypatch.setattr(hwp, "MAX_TEXT_BYTES", 1 << 20)
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = deflater.compress(b"\x00" * (4 << 20)) + deflater.flush()
    budget = [hwp.MAX_TEXT_BYTES]
    with pytest.raises(Unreadable, match="decompression bomb"):
        list(hwp._section_chunks(raw, True, budget))


# -- the real files ------------------------------------------------------------------------


@needs_shared
def test_source_paragraphs_and_table_cells() -> None:
    doc = read_hwp(HWP / "source.hwp")
    assert doc.body == "첫 문단...\n이것은 원본 HWP 파일의 내용입니다.\n\nABC | 123"


@needs_shared
def test_merging_cell_every_cell_row_by_row() -> None:
    lines = read_hwp(HWP / "merging-cell.hwp").body.split("\n")
    assert len(lines) == 7
    assert lines[0] == "0,0 | 0,1 | 0,2 | 0,3 | 0,4 | 0,5 | 0,6"
    assert lines[6] == "6,0 | 6,1 | 6,2 | 6,3 | 6,4 | 6,5 | 6,6"


@needs_shared
def test_fields_give_their_prose_without_codes() -> None:
    doc = read_hwp(HWP / "finding-all-field.hwp")
    assert doc.body.startswith("또 다른 유력한 지리적 위치 가설을 개진한 인물은 생태학자이자 "
                               "진화생물학자인 제레드 다이아몬드다. 역사적으로")
    assert "복실강아지 생태학자이자" in doc.body
    assert garbage_reason(doc.body) is None
    assert "%clk" not in doc.body and "klc%" not in doc.body
    assert doc.title == ("또 다른 유력한 지리적 위치 가설을 개진한 인물은 생태학자이자 "
                         "진화생물학자인 제레드 다이아몬드다")


@needs_shared
def test_record_title_is_not_prefixed_with_the_first_paragraph() -> None:
    """The first paragraph (128 characters) holds `년 전 대`, three single syllables: prose, not
    a letter-spaced heading, so the record's title is the summary's alone (issue 13)."""
    [rec] = read_document(HWP / "finding-all-field.hwp")
    assert isinstance(rec, Record)
    assert rec.title == ("또 다른 유력한 지리적 위치 가설을 개진한 인물은 생태학자이자 "
                         "진화생물학자인 제레드 다이아몬드다")


@needs_shared
def test_click_here_fields_give_their_contents() -> None:
    body = read_hwp(HWP / "getting_clickhere_text.hwp").body
    assert body.startswith("AA테스트 누름틀ABCD 1234567\n\n테이블안\n누름틀은 여러줄 문자열1\n"
                           "여러줄 문자열2\n여러줄 문자열3    이다\n롱 누름틀 Start 롱 누름틀")
    assert not any(ord(ch) < 32 and ch != "\n" for ch in body)


@needs_shared
def test_numbered_paragraphs() -> None:
    lines = read_hwp(HWP / "extracting_ParaHead.hwp").body.split("\n")
    assert lines[:7] == ["1", "2", "3", "4", "5", "6", "1"]
    assert "100" in lines


@needs_shared
def test_inline_controls_leave_no_cjk_garbage() -> None:
    body = read_hwp(HWP / "basic_etc.hwp").body
    assert body == "가나다라ABCDFEFDFEFDFEFDFEFDFEFDFEF\nA\nC\n가나다\nㅁㅁㅁ촘\nD"


@needs_shared
def test_picture_only_document_is_reported_not_indexed() -> None:
    (problem,) = read_document(HWP / "inserting_image_cell.hwp")
    assert isinstance(problem, Problem)
    assert problem.message == ("no text in this HWP document (only pictures or empty?), skipped")


@needs_shared
def test_distribution_document_is_refused_by_name() -> None:
    (problem,) = read_document(HWP / "distribution.hwp")
    assert isinstance(problem, Problem)
    assert problem.path == str(HWP / "distribution.hwp")
    assert problem.message == (
        "cannot read this HWP document: a distribution document (배포용 문서): its body is "
        "encrypted and cannot be read; ask the publisher for an editable copy; skipped")


@needs_shared
def test_metadata_title_date_and_author() -> None:
    doc = read_hwp(HWP / "merging-cell.hwp")
    assert (doc.title, str(doc.date), doc.source) == ("", "2016-11-02", "박성균")


def para_records(level: int, text: str) -> list[tuple[int, int, bytes]]:
    """PARA_HEADER then PARA_TEXT of one paragraph at `level`."""
    return [(66, level, b"\x00" * 22), (67, level + 1, u16(text + "\r"))]


def cell(level: int, row: int, col: int, text: str) -> list[tuple[int, int, bytes]]:
    header = struct.pack("<HIHHH", 1, 0, 0, col, row) + b"\x00" * 20
    return [(72, level, header), *para_records(level, text)]


def test_text_of_tables_row_by_row_nested_tables_and_hidden_comments() -> None:
    recs = [
        *para_records(0, "다음 표와 같다."),
        (71, 1, b" lbt" + b"\x00" * 40), (77, 2, b"\x00" * 30),
        *cell(2, 0, 0, "지역"), *cell(2, 0, 1, "예산"),
        *cell(2, 1, 0, "강원"),
        *cell(2, 1, 1, "12억 원"), (71, 3, b" lbt" + b"\x00" * 40), (77, 4, b"\x00" * 30),
        *cell(4, 0, 0, "국비"), *cell(4, 0, 1, "8억"),
        *para_records(0, "메모가 달린 문단"),
        (71, 1, b"tmct" + b"\x00" * 8), (72, 2, b"\x00" * 8), *para_records(2, "검토 뒤 삭제"),
        *para_records(0, "끝 문단"),
    ]
    assert text_of(iter(recs)) == ("다음 표와 같다.\n지역 | 예산\n강원 | 12억 원 국비 | 8억\n"
                                   "메모가 달린 문단\n끝 문단")
