"""Reading users' files: every supported format, field aliases, stable ids, and bad inputs
reported with the file and line, never stopping the rest from being read."""

from __future__ import annotations

import datetime as dt
import gzip
import zlib
from collections.abc import Mapping
from pathlib import Path

import orjson
import pytest

from index import index_paths
from index.readers import Problem, Record, read_file
from search import open_index


def read(path: Path) -> tuple[list[Record], list[Problem]]:
    items = list(read_file(path))
    return ([i for i in items if isinstance(i, Record)],
            [i for i in items if isinstance(i, Problem)])


def jsonl(*records: Mapping[str, object]) -> bytes:
    return b"".join(orjson.dumps(r) + b"\n" for r in records)


ARTICLE = {"id": "a-1", "title": "반도체 특별법 통과", "body": "국회는 반도체 특별법을 통과시켰다.",
           "date": "2025-11-01", "source": "한빛일보", "url": "https://example.kr/1",
           "tags": ["반도체", "국회"]}


def expect_article(rec: Record, path: Path) -> None:
    assert (rec.id, rec.title) == ("a-1", "반도체 특별법 통과")
    assert rec.body == "국회는 반도체 특별법을 통과시켰다."
    assert (rec.date, rec.source, rec.url, rec.tags) == (
        dt.date(2025, 11, 1), "한빛일보", "https://example.kr/1", ("반도체", "국회"))
    assert rec.path == str(path)


# -- formats --------------------------------------------------------------------------------


def test_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(jsonl(ARTICLE, {"id": "a-2", "body": "둘째 기사"}))
    records, problems = read(path)
    assert problems == []
    expect_article(records[0], path)
    assert [(r.id, r.line) for r in records] == [("a-1", 1), ("a-2", 2)]
    assert records[1].title == ""  # no title is made up (the API shows the body's first line)


def test_jsonl_gz(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl.gz"
    path.write_bytes(gzip.compress(jsonl(ARTICLE)))
    records, problems = read(path)
    assert problems == []
    expect_article(records[0], path)


def test_json_object(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(orjson.dumps(ARTICLE))
    records, problems = read(path)
    assert problems == []
    assert len(records) == 1
    expect_article(records[0], path)


def test_json_array(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(orjson.dumps([ARTICLE, {"title": "둘", "text": "텍스트 본문"}, 3]))
    records, problems = read(path)
    expect_article(records[0], path)
    assert (records[1].title, records[1].body) == ("둘", "텍스트 본문")
    assert [str(p) for p in problems] == [f"{path}: item 3 is not a JSON object, skipped"]


def test_csv_with_header_and_korean_field_names(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("\ufeff제목,내용,작성일,출처\n"
                    "가 제목,\"가 본문, 쉼표 포함\",2025.11.01.,한빛일보\n"
                    "나 제목,나 본문,2025-11-02,경제투데이\n", encoding="utf-8")
    records, problems = read(path)
    assert problems == []
    assert [(r.title, r.body, r.date, r.source, r.line) for r in records] == [
        ("가 제목", "가 본문, 쉼표 포함", dt.date(2025, 11, 1), "한빛일보", 2),
        ("나 제목", "나 본문", dt.date(2025, 11, 2), "경제투데이", 3),
    ]


def test_csv_column_named_twice_keeps_the_first_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("제목,본문,본문\n"
                    "가 제목,첫째 칸의 본문,둘째 칸의 본문\n"
                    "나 제목,짧은 행\n", encoding="utf-8")
    records, problems = read(path)
    assert [str(p) for p in problems] == [
        f"{path}:1: column '본문' is named twice in the header (columns 2 and 3), "
        "only the first is read"]
    assert not problems[0].fatal
    assert [(r.title, r.body, r.line) for r in records] == [
        ("가 제목", "첫째 칸의 본문", 2), ("나 제목", "짧은 행", 3)]


def test_csv_quote_never_closed_loses_only_its_row(tmp_path: Path) -> None:
    """An unclosed quotation mark made the rest of the file one cell: the rows after it were
    lost under "record has no body text" at the last line."""
    path = tmp_path / "a.csv"
    path.write_text('id,title,body\n'
                    'q0,첫 기사,"여러 줄의\n본문, 쉼표와 함께"\n'
                    'q1,"닫히지 않은 제목,본문 하나\n'
                    'q2,둘째 기사,본문 둘\n'
                    'q3,셋째 기사,본문 셋\n', encoding="utf-8")
    records, problems = read(path)
    assert [str(p) for p in problems] == [
        f"{path}:4: a quotation mark opened in this row is never closed (lines 4-6 would be "
        "one cell): row skipped, the rows after it read"]
    assert [(r.id, r.body, r.line) for r in records] == [
        ("q0", "여러 줄의\n본문, 쉼표와 함께", 3), ("q2", "본문 둘", 5), ("q3", "본문 셋", 6)]


def test_csv_rows_with_windows_line_ends_keep_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes("id,title,body\r\nw1,제목,\"첫 줄\r\n둘째 줄\"\r\nw2,제목2,본문\r\n"
                     .encode())
    records, problems = read(path)
    assert problems == []
    assert [(r.id, r.line) for r in records] == [("w1", 3), ("w2", 4)]
    assert records[0].body.split() == ["첫", "줄", "둘째", "줄"]


def test_txt_title_first_line_and_date_in_text(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("정부, 반도체 지원 확대\n\n"
                    "정부는 2025년 11월 1일 반도체 지원을 밝혔다.\n둘째 줄.\n", encoding="utf-8")
    records, problems = read(path)
    assert problems == []
    [rec] = records
    assert rec.title == "정부, 반도체 지원 확대"
    assert rec.body == "정부는 2025년 11월 1일 반도체 지원을 밝혔다.\n둘째 줄."
    assert rec.date == dt.date(2025, 11, 1)
    assert rec.id == str(path)


@pytest.mark.parametrize("name,first", [("a.txt", ""), ("a.md", "# ")])
def test_title_from_a_long_first_line_is_cut_and_the_body_keeps_it(tmp_path: Path, name: str,
                                                                   first: str) -> None:
    """A first line longer than 100 characters is a paragraph: the title is cut at a space
    with an ellipsis, and the line stays whole at the head of the body (issue 13)."""
    line = "항만 공사는 " + "컨테이너 부두의 야간 하역 시간을 늘리고 " * 6 + "화물 대기를 줄인다"
    path = tmp_path / name
    path.write_text(f"{first}{line}\n\n둘째 문단.\n", encoding="utf-8")
    [rec], problems = read(path)
    assert problems == []
    assert len(line) == 155
    assert rec.title == ("항만 공사는 컨테이너 부두의 야간 하역 시간을 늘리고 컨테이너 부두의 "
                         "야간 하역 시간을 늘리고 컨테이너 부두의 야간 하역 시간을 늘리고 "
                         "컨테이너 부두의 야간 하역 시간을 늘리고…")
    assert rec.body == f"{line}\n둘째 문단."


@pytest.mark.parametrize(("written", "body"), [
    ("송도 항만의 물동량이 늘었다.\n둘째 문단이다.\n", "송도 항만의 물동량이 늘었다.\n둘째 문단이다."),
    ("# 송도 항만 소식\n\n물동량이 늘었다.\n", "송도 항만 소식\n물동량이 늘었다."),
])
def test_md_front_matter_title_keeps_the_first_line_as_text(
        tmp_path: Path, written: str, body: str) -> None:
    """With a title in the front matter, the first line (a paragraph or a heading) is not the
    title: it stays in the body, searchable."""
    path = tmp_path / "a.md"
    path.write_text(f"---\ntitle: 항만 동향\n---\n{written}", encoding="utf-8")
    [rec], problems = read(path)
    assert (rec.title, rec.body, problems) == ("항만 동향", body, [])


def test_md_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("---\ndate: 2025-11-03\nsource: \"정책 블로그\"\n---\n"
                    "# 마크다운 제목\n\n본문 첫 문단.\n\n- 목록 항목\n", encoding="utf-8")
    [rec], problems = read(path)
    assert problems == []
    assert (rec.title, rec.source) == ("마크다운 제목", "정책 블로그")
    assert rec.date == dt.date(2025, 11, 3)
    assert rec.body == "본문 첫 문단.\n\n- 목록 항목"


def test_html_drops_script_style_and_navigation(tmp_path: Path) -> None:
    path = tmp_path / "a.html"
    path.write_text(
        "<html><head><title>웹 제목</title>"
        "<meta property=\"article:published_time\" content=\"2025-11-04T09:00:00+09:00\">"
        "<meta property=\"og:site_name\" content=\"한빛일보\">"
        "<script>var secret = '스크립트';</script><style>.x { color: red }</style></head>"
        "<body><nav>메뉴 링크</nav><header>머리말</header>"
        "<article><p>본문 첫 문단.</p><p>둘째&amp;문단</p></article>"
        "<footer>저작권</footer></body></html>", encoding="utf-8")
    [rec], problems = read(path)
    assert problems == []
    assert rec.title == "웹 제목"
    assert rec.body == "본문 첫 문단.\n둘째&문단"
    assert (rec.date, rec.source) == (dt.date(2025, 11, 4), "한빛일보")


def test_html_with_an_unreadable_meta_date_takes_the_date_written_in_its_text(
        tmp_path: Path) -> None:
    """A meta date no reader understands does not hide the date the article states."""
    path = tmp_path / "b.html"
    path.write_text(
        "<html><head><title>예산 발표</title><meta name=\"date\" content=\"지난주 화요일\">"
        "</head><body><p>2025년 3월 4일 기획부는 새 예산안을 내놓았다.</p></body></html>",
        encoding="utf-8")
    [rec], problems = read(path)
    assert (rec.date, problems) == (dt.date(2025, 3, 4), [])


def test_html_with_no_readable_date_anywhere_is_noted(tmp_path: Path) -> None:
    path = tmp_path / "c.html"
    path.write_text("<html><head><meta name=\"date\" content=\"지난주\"></head>"
                    "<body><p>날짜가 적히지 않은 글.</p></body></html>", encoding="utf-8")
    [rec], [note] = read(path)
    assert rec.date is None
    assert str(note) == f"{path}:1: unreadable date '지난주', indexed without a date"


@pytest.mark.parametrize(("written", "day"), [
    (1741046400, dt.date(2025, 3, 4)),         # seconds: 2025-03-04 00:00 UTC
    (1741014000, dt.date(2025, 3, 4)),         # 2025-03-03 15:00 UTC is the 4th in Korea
    ("1741046400000", dt.date(2025, 3, 4)),    # milliseconds, as text
    (1741046400123.0, dt.date(2025, 3, 4)),
    (20250304, dt.date(2025, 3, 4)),           # eight digits are a written date, not seconds
])
def test_unix_timestamps_are_read_as_the_day_in_korea(
        tmp_path: Path, written: object, day: dt.date) -> None:
    path = tmp_path / "t.jsonl"
    path.write_bytes(jsonl({"body": "본문", "timestamp": written}))
    [rec], problems = read(path)
    assert (rec.date, problems) == (day, [])


def test_a_decimal_that_is_not_a_timestamp_is_not_read_as_one(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_bytes(jsonl({"body": "본문", "date": 123456.5}))
    [rec], [note] = read(path)
    assert rec.date is None
    assert str(note) == f"{path}:1: unreadable date 123456.5, indexed without a date"


# -- aliases and ids ------------------------------------------------------------------------


@pytest.mark.parametrize("raw", [
    {"제목": "제목", "내용": "본문", "작성일": "2025년 11월 1일", "출처": "출처"},
    {"title": "제목", "text": "본문", "date": "2025-11-01", "source": "출처"},
    {"headline": "제목", "content": "본문", "published_at": "2025-11-01T00:00:00Z",
     "publisher": "출처"},
    {"Title": "제목", "Contents": "본문", "pubDate": "20251101", "언론사": "출처"},
], ids=["korean", "text", "content", "mixed-case"])
def test_field_aliases(tmp_path: Path, raw: dict[str, str]) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(jsonl(raw))
    [rec], problems = read(path)
    assert problems == []
    assert (rec.title, rec.body, rec.source) == ("제목", "본문", "출처")
    assert rec.date == dt.date(2025, 11, 1)


def test_ids_without_id_field_are_stable(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(jsonl({"body": "하나"}, {"body": "둘"}))
    first, _ = read(path)
    second, _ = read(path)
    assert [r.id for r in first] == [r.id for r in second] == [f"{path}#1", f"{path}#2"]
    assert first[0].hash == second[0].hash


# -- bad inputs -----------------------------------------------------------------------------


@pytest.mark.parametrize("name,text,where", [
    ("a.jsonl", '{"body": "갯벌 기사", "date": "2025-11-02"}\n'
                '{"id": "b", "body": "염전 기사", "date": "2025-13-45"}\n', 2),
    ("a.csv", "본문,작성일\n갯벌 기사,2025-11-02\n염전 기사,2025-13-45\n", 3),
    ("a.json", '[{"body": "갯벌 기사", "date": "2025-11-02"},'
               ' {"body": "염전 기사", "date": "2025-13-45"}]', 2),
])
def test_unreadable_date_is_a_note_and_the_record_kept(tmp_path: Path, name: str, text: str,
                                                        where: int) -> None:
    """A date that cannot be read is named with its file and line; the record is indexed
    without a date, and the records around it with theirs (issue 13)."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    records, problems = read(path)
    assert [(r.body, r.date) for r in records] == [("갯벌 기사", dt.date(2025, 11, 2)),
                                                   ("염전 기사", None)]
    assert [(str(p), p.fatal) for p in problems] == [
        (f"{path}:{where}: unreadable date '2025-13-45', indexed without a date", False)]


@pytest.mark.parametrize("value,shown", [
    ("어제 오후", "'어제 오후'"),
    ({"y": 2025}, "{'y': 2025}"),
    ("2025년 " * 12, "'2025년 2025년 2025년 2025년 2025년 2025년 20…"),
    ("\x1b[31m2025-02-30", "'\\x1b[31m2025-02-30'"),
])
def test_unreadable_date_is_shown_escaped_and_short(tmp_path: Path, value: object,
                                                    shown: str) -> None:
    """What the date field held is quoted as data: control characters escaped, 40 characters
    at most."""
    path = tmp_path / "a.jsonl"
    path.write_bytes(jsonl({"body": "본문", "date": value}))
    [record], [problem] = read(path)
    assert record.date is None
    assert str(problem) == f"{path}:1: unreadable date {shown}, indexed without a date"


def test_md_front_matter_with_an_unreadable_date(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("---\ndate: 지난주\n---\n# 제목\n\n2025년 3월 2일에 쓴 본문.\n",
                    encoding="utf-8")
    [rec], [problem] = read(path)
    assert rec.date is None  # the front matter says when, though not readably
    assert str(problem) == f"{path}:1: unreadable date '지난주', indexed without a date"


def test_broken_json_line_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"body": "첫째"}\n{"body": 깨짐\n[1, 2]\n\n{"body": "넷째"}\n',
                    encoding="utf-8")
    records, problems = read(path)
    assert [(r.body, r.line) for r in records] == [("첫째", 1), ("넷째", 5)]
    assert [str(p).split(" (")[0] for p in problems] == [
        f"{path}:2: broken JSON", f"{path}:3: expected a JSON object, found list, skipped"]
    assert all(p.fatal for p in problems)


def test_jsonl_line_separator_inside_string(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": "x1", "body": "첫 문장\u2028둘째 문장"}\n'
                    '{"id": "x2", "body": "다음"}\n', encoding="utf-8")
    records, problems = read(path)
    assert problems == []
    assert [(r.id, r.line) for r in records] == [("x1", 1), ("x2", 2)]


def test_cp949_text_is_decoded_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("정부 발표\n2025년 11월 1일 정부는 반도체 지원을 밝혔다.\n".encode("cp949"))
    [rec], [note] = read(path)
    assert rec.title == "정부 발표"
    assert rec.body == "2025년 11월 1일 정부는 반도체 지원을 밝혔다."
    assert str(note) == f"{path}: decoded as CP949/EUC-KR"
    assert not note.fatal


def test_euc_kr_csv_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes("제목,내용\n가,한글 본문\n".encode("euc-kr"))
    [rec], [note] = read(path)
    assert (rec.title, rec.body) == ("가", "한글 본문")
    assert not note.fatal


@pytest.mark.parametrize("name", ["a.jsonl", "a.txt", "a.csv", "a.json"])
def test_empty_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"  \n\n")
    assert [str(p) for p in read(path)[1]] == [f"{path}: empty file, skipped"]


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    records, problems = read(path)
    assert records == []
    assert [str(p) for p in problems] == [f"{path}: binary file (not text), skipped"]


@pytest.mark.parametrize(("name", "data", "message"), [
    ("a.txt", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n",
     "a PDF file, not text: give it its own extension to index it, skipped"),
    ("a.md", b"PK\x03\x04\x14\x00\x00\x00mimetype",
     "a zip (HWPX, DOCX...) file, not text: give it its own extension to index it, skipped"),
    ("a.txt", "今日は良い天気です。\n".encode("shift_jis"),
     "not UTF-8 (byte at offset 0), and as CP949 it reads as rare syllables: another encoding "
     "(Shift-JIS, GBK?), skipped"),
])
def test_other_formats_and_encodings_under_a_text_name_are_refused(
        tmp_path: Path, name: str, data: bytes, message: str) -> None:
    """Read as CP949 they would index garbage (뱦떈궻...) that also feeds suggestions."""
    path = tmp_path / name
    path.write_bytes(data)
    records, problems = read(path)
    assert records == []
    line = ":1" if "Shift-JIS" in message else ""
    assert [str(p) for p in problems] == [f"{path}{line}: {message}"]


def test_utf32_with_its_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("항만 소식\n물동량이 늘었다.\n".encode("utf-32"))
    [rec], problems = read(path)
    assert (rec.title, rec.body, problems) == ("항만 소식", "물동량이 늘었다.", [])


def test_a_shift_jis_line_in_jsonl_is_refused_and_the_rest_read(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(jsonl({"id": "k", "body": "국회가 예산안을 의결했다."})
                     + '{"id": "j", "body": "今日は良い天気です。"}\n'.encode("shift_jis"))
    records, problems = read(path)
    assert [r.id for r in records] == ["k"]
    assert [str(p) for p in problems] == [
        f"{path}:2: not UTF-8, and as CP949 it reads as rare syllables: another encoding "
        "(Shift-JIS, GBK?), line skipped"]


def test_a_problem_in_a_file_whose_name_holds_a_line_break_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "보도\n자료.txt"
    path.write_bytes(b"  \n")
    [problem] = read(path)[1]
    assert str(problem) == f"{tmp_path}/보도\\n자료.txt: empty file, skipped"


def test_broken_gzip(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl.gz"
    path.write_bytes(b"not gzip at all")
    [problem] = read(path)[1]
    assert str(problem) == (f"{path}: broken gzip file (Not a gzipped file (b'no')) before its "
                            "first line ended: file skipped")


def test_record_without_body(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(jsonl({"id": "ok", "body": "본문"},
                           {"id": "no-body", "title": "제목만", "body": ""}))
    records, [problem] = read(path)
    assert [r.id for r in records] == ["ok"]
    assert str(problem) == f"{path}:2: record has no body text (fields: id, title, body), skipped"


def test_five_megabyte_document_is_indexed_fully(tmp_path: Path) -> None:
    """A 5 MB text file is one record, analysed to its last line: a word placed at its very
    end is found and marked exactly. The filler is mostly indentation (as text exported from
    web pages often is), so Kiwi's share of the run stays a few seconds."""
    src = tmp_path / "src"
    src.mkdir()
    sentence = "정부는 반도체 산업 지원을 위한 특별법 개정안을 국회에 제출했다고 밝혔다."
    line = sentence + " " * 8000 + "\n"
    size = 5 * 1024 * 1024
    text = "대형 문서 제목\n" + line * (size // len(line.encode("utf-8")) + 1)
    text += "마지막 줄에만 코끼리열차라는 낱말이 있다.\n"
    (src / "big.txt").write_text(text, encoding="utf-8")
    assert (src / "big.txt").stat().st_size >= size

    report = index_paths([src], tmp_path / "index")
    assert (report.added, report.failed) == (1, 0)
    with open_index(tmp_path / "index") as idx:
        results = idx.search("코끼리열차")
        assert [h.id for h in results] == [str((src / "big.txt").resolve())]
        snippet = results[0].snippets[0]
        assert [snippet.text[s:e] for s, e in snippet.marks] == ["코끼리열차"]
        doc = idx.document(results[0].id, "코끼리열차")
        assert doc is not None and len(doc.body) == len(text.strip()) - len("대형 문서 제목\n")
        assert [doc.body[s:e] for s, e in doc.body_marks] == ["코끼리열차"]
        assert doc.body_marks[0][0] > len(doc.body) - 50


def _lines_of(*records: Mapping[str, object], encoding: str = "utf-8") -> bytes:
    return b"".join((orjson.dumps(r).decode() + "\n").encode(encoding) for r in records)


def test_jsonl_in_cp949_is_decoded_with_a_note(tmp_path: Path) -> None:
    """An EUC-KR export read a line at a time: the lines are decoded as CP949 from the first
    that is not UTF-8 (ASCII lines read the same either way), with one note."""
    path = tmp_path / "a.jsonl"
    ascii_first = {"id": "a1", "title": "APEC", "body": "summit"}
    korean = {"id": "a2", "title": "정부 발표", "body": "반도체 지원을 밝혔다."}
    path.write_bytes(_lines_of(ascii_first, korean, korean | {"id": "a3"}, encoding="cp949"))
    records, problems = read(path)
    assert [(r.id, r.title) for r in records] == [("a1", "APEC"), ("a2", "정부 발표"),
                                                  ("a3", "정부 발표")]
    assert [(str(p), p.fatal) for p in problems] == [(f"{path}: decoded as CP949/EUC-KR", False)]


@pytest.mark.parametrize("encoding,bom", [("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe")])
def test_jsonl_with_a_byte_order_mark(tmp_path: Path, encoding: str, bom: bytes) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(bom + _lines_of(ARTICLE, ARTICLE | {"id": "x2"}, encoding=encoding))
    records, problems = read(path)
    assert problems == []
    assert [(r.id, r.line) for r in records] == [(ARTICLE["id"], 1), ("x2", 2)]


def test_binary_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"id": 1}\n\x00\x00\x00' + bytes(range(256)))
    assert [str(p) for p in read(path)[1]] == [f"{path}: binary file (not text), skipped"]


def test_gzip_cut_short_keeps_the_records_before_the_cut(tmp_path: Path) -> None:
    """A download that stopped half way: the whole lines before the cut are indexed and the
    file is reported."""
    path = tmp_path / "a.jsonl.gz"
    whole = gzip.compress(_lines_of(*({"id": f"r{n}", "body": "본문 " * 200} for n in range(200))))
    path.write_bytes(whole[: len(whole) // 2])
    records, problems = read(path)
    assert records and [r.id for r in records] == [f"r{n}" for n in range(len(records))]
    assert len(problems) == 1 and str(problems[0]).startswith(f"{path}: broken gzip file")


CUT_LINES = [_lines_of({"id": "g1", "body": "갯벌 복원 사업을 시작했다"}),
             b'{"id": "g2", "body": \n',  # broken JSON: a line but no record
             _lines_of({"id": "g3", "body": "염전 체험장을 새로 열었다"})]


def _cut_gzip(lines: list[bytes]) -> bytes:
    """A gzip stream of `lines` and then one more, cut inside that last line: the lines before
    it decode, and the stream has no end."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: a gzip header
    whole = b"".join(packer.compress(line) for line in lines)
    whole += packer.flush(zlib.Z_SYNC_FLUSH)  # everything so far can be decoded
    whole += packer.compress(_lines_of({"id": "g4", "body": "끊긴 줄의 기사 " * 30}))
    whole += packer.flush(zlib.Z_SYNC_FLUSH)
    return whole[:-20]  # the last line is cut, and the end of the stream lost


def test_gzip_cut_short_says_how_many_records_it_kept(tmp_path: Path) -> None:
    """The message counts the records kept from the lines read whole before the break; the
    line the break cuts is not read at all (issue 13)."""
    path = tmp_path / "a.jsonl.gz"
    path.write_bytes(_cut_gzip(CUT_LINES))
    records, problems = read(path)
    assert [r.id for r in records] == ["g1", "g3"]
    assert [str(p) for p in problems] == [
        f"{path}:2: broken JSON (unexpected end of data at column 22), line skipped",
        f"{path}: broken gzip file (Compressed file ended before the end-of-stream marker was "
        "reached) after line 3: the 2 records before the break kept, the rest skipped"]


def test_an_intact_copy_keeps_its_id_over_a_gzip_file_cut_short(tmp_path: Path) -> None:
    """Of two new files holding the same ids, the one read whole keeps them, whatever the order
    they are read in: the gzip file cut short gets the duplicate notes (issue 13)."""
    from index.indexer import IndexReport
    from index.plan import make_plan
    from index.state import State

    cut, good = tmp_path / "cut.jsonl.gz", tmp_path / "good.jsonl"
    cut.write_bytes(_cut_gzip(CUT_LINES))
    good.write_bytes(b"".join(CUT_LINES[::2]))  # g1 and g3, whole
    problems: list[Problem] = []
    plan = make_plan([cut, good], State(), {}, IndexReport(), problems.append, rebuild=False,
                     read=read_file)
    assert {rid: owner for rid, (owner, _) in plan.pending.items()} == {
        "g1": str(good), "g3": str(good)}
    assert [str(p) for p in problems if "duplicate" in p.message] == [
        f"{cut}:1: duplicate id 'g1' (first seen in {good}), record skipped",
        f"{cut}:3: duplicate id 'g3' (first seen in {good}), record skipped"]


@pytest.mark.parametrize("name,encoding", [("big.jsonl", "utf-8"), ("big.jsonl.gz", "utf-8"),
                                           ("big.jsonl", "utf-16-le")])
def test_a_large_jsonl_file_is_read_a_line_at_a_time(tmp_path: Path, name: str,
                                                     encoding: str) -> None:
    """Reading a 20 MB JSON Lines file (gzipped, or in UTF-16) needs the memory of a few
    lines, not of the file."""
    import tracemalloc

    path = tmp_path / name
    body = "정부는 반도체 산업 지원 방안을 발표했다. " * 40
    data = _lines_of(*({"id": f"r{n}", "body": body} for n in range(12_000)), encoding=encoding)
    assert len(data) > 20_000_000
    put(path, b"\xff\xfe" + data if encoding == "utf-16-le" else data)
    del data
    tracemalloc.start()
    try:
        count = sum(isinstance(item, Record) for item in read_file(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 12_000
    assert peak < 2_000_000, peak


# -- JSON Lines: each line decoded on its own -----------------------------------------------

JSONL_NAMES = ["a.jsonl", "a.jsonl.gz"]


def put(path: Path, data: bytes) -> None:
    """Write `data` as the file's content, gzipped when the name says so."""
    path.write_bytes(gzip.compress(data) if path.name.endswith(".gz") else data)


def contents(records: list[Record]) -> list[tuple[str, str, str, int]]:
    return [(r.id, r.title, r.body, r.line) for r in records]


@pytest.mark.parametrize("name", JSONL_NAMES)
def test_one_cp949_line_in_a_utf8_jsonl_costs_nothing_else(tmp_path: Path, name: str) -> None:
    """The CP949 line is decoded and named; the UTF-8 lines after it stay UTF-8 (a short one
    used to come out as mojibake: 각다 -> 媛곷떎)."""
    path = tmp_path / name
    put(path, _lines_of({"id": "u1", "title": "첫 기사", "body": "국회가 예산안을 심사했다."})
        + _lines_of({"id": "c2", "title": "옛 기사", "body": "완성형으로 저장된 줄"},
                    encoding="cp949")
        + _lines_of({"id": "u3", "body": "각다"},
                    {"id": "u4", "title": "넷째", "body": "정부는 세제 개편안을 내놓았다."}))
    records, problems = read(path)
    assert contents(records) == [
        ("u1", "첫 기사", "국회가 예산안을 심사했다.", 1),
        ("c2", "옛 기사", "완성형으로 저장된 줄", 2),
        ("u3", "", "각다", 3),
        ("u4", "넷째", "정부는 세제 개편안을 내놓았다.", 4),
    ]
    assert [(str(p), p.fatal) for p in problems] == [
        (f"{path}:2: not UTF-8 like the rest of the file: decoded as CP949/EUC-KR", False)]


def test_several_cp949_lines_in_a_utf8_jsonl_make_one_note(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    korean = {"id": "k", "body": "한글 본문"}
    path.write_bytes(_lines_of(korean, korean | {"id": "c2"}, encoding="cp949")
                     + _lines_of(korean | {"id": "u3"})
                     + _lines_of(korean | {"id": "c4"}, korean | {"id": "c5"}, encoding="cp949"))
    records, problems = read(path)
    assert [(r.id, r.body) for r in records] == [
        ("k", "한글 본문"), ("c2", "한글 본문"), ("u3", "한글 본문"), ("c4", "한글 본문"),
        ("c5", "한글 본문")]
    assert [str(p) for p in problems] == [
        f"{path}:1: not UTF-8 like the rest of the file: decoded as CP949/EUC-KR "
        "(and 3 later lines)"]


@pytest.mark.parametrize("name", JSONL_NAMES)
def test_all_cp949_jsonl_gets_one_note_for_the_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    put(path, _lines_of(*({"id": f"c{n}", "body": f"완성형 본문 {n}"} for n in range(1, 4)),
                        encoding="cp949"))
    records, problems = read(path)
    assert [(r.id, r.body) for r in records] == [
        ("c1", "완성형 본문 1"), ("c2", "완성형 본문 2"), ("c3", "완성형 본문 3")]
    assert [(str(p), p.fatal) for p in problems] == [(f"{path}: decoded as CP949/EUC-KR", False)]


@pytest.mark.parametrize("name", JSONL_NAMES)
def test_jsonl_line_in_neither_encoding_is_named(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    put(path, _lines_of({"id": "u1", "body": "앞 줄"}) + b'{"id": "x2", "body": "\x80\xff"}\n'
        + _lines_of({"id": "u3", "body": "뒷 줄"}))
    records, problems = read(path)
    assert [(r.id, r.body) for r in records] == [("u1", "앞 줄"), ("u3", "뒷 줄")]
    assert [(str(p), p.fatal) for p in problems] == [
        (f"{path}:2: not UTF-8 or CP949/EUC-KR text, line skipped", True)]


@pytest.mark.parametrize("name", JSONL_NAMES)
def test_a_nul_byte_costs_its_line_only(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    lines = [_lines_of({"id": f"u{n}", "body": f"본문 {n}"}) for n in range(1, 6)]
    lines[2] = '{"id": "u3", "body": "널\x00문자"}\n'.encode()
    put(path, b"".join(lines))
    records, problems = read(path)
    assert [(r.id, r.body, r.line) for r in records] == [
        ("u1", "본문 1", 1), ("u2", "본문 2", 2), ("u4", "본문 4", 4), ("u5", "본문 5", 5)]
    assert [str(p) for p in problems] == [
        f"{path}:3: NUL byte in the line (binary data?), line skipped"]


def test_nul_bytes_in_a_minority_of_lines_are_not_a_binary_file(tmp_path: Path) -> None:
    """Two bad lines of five, and a one-line file with a NUL, are text with bad lines."""
    many, one = tmp_path / "many.jsonl", tmp_path / "one.jsonl"
    many.write_bytes(b'{"id": "a"}\n{"body": "\x00"}\n{"body": "\x00\x01"}\n'
                     + _lines_of({"body": "넷"}, {"body": "다섯"}))
    one.write_bytes(b'{"body": "\x00"}')
    records, problems = read(many)
    assert [(r.body, r.line) for r in records] == [("넷", 4), ("다섯", 5)]
    assert [(p.line, p.message.split(",")[0]) for p in problems] == [
        (1, "record has no body text (fields: id)"), (2, "NUL byte in the line (binary data?)"),
        (3, "NUL byte in the line (binary data?)")]
    assert [str(p) for p in read(one)[1]] == [
        f"{one}:1: NUL byte in the line (binary data?), line skipped"]


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 64


@pytest.mark.parametrize("name", JSONL_NAMES)
@pytest.mark.parametrize("data", [PNG, bytes(20_000)], ids=["png", "zeros"])
def test_binary_file_named_jsonl_is_reported_once(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    put(path, data)
    assert [str(p) for p in read(path)[1]] == [f"{path}: binary file (not text), skipped"]


@pytest.mark.parametrize("name", JSONL_NAMES)
def test_jsonl_with_crlf_line_ends(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    put(path, _lines_of(ARTICLE, {"id": "x2", "body": "둘째 줄"}).replace(b"\n", b"\r\n")
        + b"\r\n")
    records, problems = read(path)
    assert problems == []
    expect_article(records[0], path)
    assert [(r.id, r.body, r.line) for r in records][1:] == [("x2", "둘째 줄", 2)]


@pytest.mark.parametrize("name", JSONL_NAMES)
def test_utf8_bom_on_the_first_line_only(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    put(path, b"\xef\xbb\xbf" + _lines_of(ARTICLE, {"id": "x2", "body": "둘째"}))
    records, problems = read(path)
    assert problems == []
    expect_article(records[0], path)
    assert [r.id for r in records] == ["a-1", "x2"]


@pytest.mark.parametrize("name", JSONL_NAMES)
def test_jsonl_cut_short_inside_a_character(tmp_path: Path, name: str) -> None:
    """The file ends with the first two of the three bytes of 다: the line is reported (not
    read as CP949, which would make some other character of them) and the rest is kept."""
    path = tmp_path / name
    whole = _lines_of({"id": "t1", "body": "온전한 줄"}, {"id": "t2", "body": "잘린 줄이 있다"})
    put(path, whole[:-len('다"}\n'.encode()) + 2])
    records, problems = read(path)
    assert [(r.id, r.body) for r in records] == [("t1", "온전한 줄")]
    assert [str(p) for p in problems] == [
        f"{path}:2: file ends in the middle of a character (cut short?), line skipped"]


def test_broken_utf16_jsonl_keeps_the_lines_before(tmp_path: Path) -> None:
    """UTF-16 is decoded a chunk (8 KB) at a time: the lines of the chunks before the break
    are kept, and the problem says after which line the text broke."""
    path = tmp_path / "a.jsonl"
    lines = _lines_of(*({"id": f"w{n}", "body": "본문 " * 20} for n in range(1, 301)),
                      encoding="utf-16-le")
    lone_surrogate = "\ud800".encode("utf-16-le", "surrogatepass")
    path.write_bytes(b"\xff\xfe" + lines + lone_surrogate + b"{\x00")
    records, problems = read(path)
    assert len(records) > 200
    assert [r.id for r in records] == [f"w{n}" for n in range(1, len(records) + 1)]
    assert [str(p) for p in problems] == [
        f"{path}: broken UTF-16 text after line {len(records)} (illegal UTF-16 surrogate), "
        "rest of file skipped"]
