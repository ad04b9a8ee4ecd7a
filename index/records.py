"""What every reader makes: a `Record` (one article) or a `Problem` (what could not be read,
with file and line), and how a dictionary of fields with any common names becomes a record.

Shared by the readers of article files (`index.readers`, `index.jsonl`) and of documents
(`index.documents`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson

from index.analysis import normalize

__all__ = ["ALIASES", "Problem", "Record", "date_bound", "date_in_text", "decode", "field_of",
           "TITLE_FROM_TEXT", "parse_date", "title_from_text", "to_records"]

ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "_id", "doc_id", "docid", "article_id", "uuid", "번호", "아이디", "문서번호"),
    "title": ("title", "headline", "subject", "name", "제목", "헤드라인", "기사제목"),
    "body": ("body", "text", "content", "contents", "article", "본문", "내용", "기사",
             "기사내용", "전문", "description", "summary"),
    "date": ("date", "published", "published_at", "pubdate", "pub_date", "datetime", "created",
             "created_at", "time", "timestamp", "작성일", "날짜", "등록일", "게시일", "발행일",
             "일자", "보도일"),
    "source": ("source", "publisher", "press", "media", "outlet", "site", "출처", "언론사",
               "매체", "기관", "발행처"),
    "url": ("url", "link", "href", "주소", "링크", "원문"),
    "tags": ("tags", "keywords", "categories", "category", "태그", "키워드", "분류"),
}
_LOOKUP = {alias: name for name, aliases in ALIASES.items() for alias in aliases}


def field_of(key: str) -> str | None:
    """The record field a source field name stands for (`제목` -> `title`), if any."""
    return _LOOKUP.get(key.lower())


@dataclass(frozen=True)
class Problem:
    """Something wrong with an input; `fatal` problems mean a record or file was not indexed."""

    path: str
    line: int | None
    message: str
    fatal: bool = True

    def __str__(self) -> str:
        path = self.path.translate(_LINE_BREAKS)  # one problem, one line, whatever the name
        where = f"{path}:{self.line}" if self.line else path
        return f"{where}: {self.message}"


_LINE_BREAKS = {10: "\\n", 13: "\\r", 9: "\\t", 0x85: "\\x85", 0x2028: "\\u2028",
                0x2029: "\\u2029", 11: "\\v", 12: "\\f"}


@dataclass(frozen=True)
class Record:
    """One article, normalised, ready to be analysed and indexed."""

    id: str
    title: str
    body: str
    date: dt.date | None
    source: str
    url: str
    tags: tuple[str, ...]
    path: str
    line: int
    pages: tuple[int, ...] = ()
    """Where each page starts in `body` (character offsets), for documents with pages (PDF)."""

    @property
    def hash(self) -> str:
        """Content hash: an unchanged record is never analysed again.

        Page starts count, so a PDF paginated anew with the same text does not keep stale page
        numbers; but only where there are any, so every record without pages keeps the hash
        it had before they counted and an existing index is not re-indexed for them.
        """
        fields: list[object] = [self.title, self.body, str(self.date or ""), self.source,
                                self.url, list(self.tags)]
        if self.pages:
            fields.append(list(self.pages))
        return hashlib.blake2b(orjson.dumps(fields), digest_size=16).hexdigest()


# -- dates ----------------------------------------------------------------------------------

_DATE_PATTERNS = [
    re.compile(r"(?<!\d)(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일"),
    re.compile(r"(?<!\d)(\d{4})[-./](\d{1,2})[-./](\d{1,2})(?!\d)"),
]


def parse_date(value: Any) -> dt.date | None:
    """A date from the common ways it is written, or None.

    >>> parse_date("2025년 11월 1일"), parse_date("2025.11.01."), parse_date("2025-11-01T09:00:00+09:00")
    (datetime.date(2025, 11, 1), datetime.date(2025, 11, 1), datetime.date(2025, 11, 1))
    >>> parse_date("20251101"), parse_date(2025), parse_date("어제")
    (datetime.date(2025, 11, 1), datetime.date(2025, 1, 1), None)

    A Unix time in seconds or milliseconds (10 or 13 digits) is read as a day in Korea (UTC+9):
    >>> parse_date(1761955200), parse_date("1761955200000"), parse_date(1761955200.5)
    (datetime.date(2025, 11, 1), datetime.date(2025, 11, 1), datetime.date(2025, 11, 1))
    """
    if value is None or isinstance(value, bool):
        return None
    epoch = _epoch_date(value)
    if epoch is not None:
        return epoch
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for pattern in _DATE_PATTERNS:
        m = pattern.search(text)
        if m:
            return _make_date(*m.groups())
    m = re.fullmatch(r"(\d{4})(\d{2})?(\d{2})?", text)
    if m:
        return _make_date(m[1], m[2] or "1", m[3] or "1")
    m = re.fullmatch(r"(\d{4})[-./](\d{1,2})\.?", text)
    if m:
        return _make_date(m[1], m[2], "1")
    return None


_KST = dt.timezone(dt.timedelta(hours=9))


def _epoch_date(value: Any) -> dt.date | None:
    """The day in Korea of a Unix time of 10 digits (seconds) or 13 (milliseconds), else None:
    8 digits are a written date (20251101), 4 a year."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, float):
        if not 1e9 <= value < 1e14:
            return None
        seconds = value if value < 1e11 else value / 1000
    else:
        digits = str(value).strip()
        if not digits.isascii() or not digits.isdigit() or len(digits) not in (10, 13):
            return None
        seconds = int(digits) if len(digits) == 10 else int(digits) / 1000
    try:
        day = dt.datetime.fromtimestamp(seconds, _KST).date()
    except (OverflowError, OSError, ValueError):
        return None
    return day if 1800 <= day.year <= 2200 else None


def date_bound(value: Any, *, end: bool = False) -> dt.date | None:
    """A date that starts or ends a filter: a date or any text `parse_date` reads; as an
    upper bound (`end`), a year or a month means its last day.

    >>> date_bound("2024-02", end=True), date_bound("2024"), date_bound("2025.11.01.")
    (datetime.date(2024, 2, 29), datetime.date(2024, 1, 1), datetime.date(2025, 11, 1))
    >>> date_bound("2024", end=True), date_bound("내일")
    (datetime.date(2024, 12, 31), None)
    """
    if value is None or isinstance(value, dt.date):
        return value
    date = parse_date(value)
    if date is None or not end:
        return date
    digits = "".join(ch for ch in str(value) if ch.isdigit())
    if len(digits) == 4:
        return dt.date(date.year, 12, 31)
    if len(digits) in (5, 6):
        following = dt.date(date.year + date.month // 12, date.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return date


def _make_date(y: str, m: str, d: str) -> dt.date | None:
    try:
        date = dt.date(int(y), int(m), int(d))
    except ValueError:
        return None
    return date if 1800 <= date.year <= 2200 else None


def date_in_text(text: str) -> dt.date | None:
    """The first date written in a text (`2025년 11월 1일`, `2025-11-01`, `2025.11.01.`)."""
    for pattern in _DATE_PATTERNS:
        m = pattern.search(text[:5000])
        if m:
            date = _make_date(*m.groups())
            if date:
                return date
    return None


# -- titles -------------------------------------------------------------------------------

TITLE_FROM_TEXT = 100
"""The most characters of a title taken from a document's first line (a paragraph, often)."""


def title_from_text(line: str, limit: int = TITLE_FROM_TEXT) -> str:
    """A title made of a text's first line: the line itself when it is short, else cut at the
    last space before `limit` characters (mid-word only when there is none in the second half)
    with an ellipsis, `limit` characters at most in all.

    >>> title_from_text("하천 정비 계획")
    '하천 정비 계획'
    >>> title_from_text("연안 여객선 안전 점검 결과를 발표했다", 12)
    '연안 여객선 안전…'
    >>> title_from_text("가나다라마바사아자차카타파하", 8)
    '가나다라마바사…'
    """
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    space = max(cut.rfind(" "), cut.rfind("\u3000"))
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.·:;-") + "…"


# -- bytes to text --------------------------------------------------------------------------


def decode(data: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Decode a file's bytes: UTF-8 (with or without BOM), UTF-16 or UTF-32 with BOM, or
    CP949/EUC-KR. A document of another format under a text name (a PDF saved as .txt) and
    bytes that only decode as CP949's rare extended syllables (Shift-JIS, say) are refused."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return None, [Problem(path, None, f"a {kind} file, not text: give it its own "
                                              "extension to index it, skipped")]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff", b"\xff\xfe", b"\xfe\xff")):
        codec = "utf-32" if data[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff") else "utf-16"
        try:
            return data.decode(codec), []
        except UnicodeDecodeError as e:
            return None, [Problem(path, None, f"broken {codec.upper()} text ({e.reason} at byte "
                                              f"{e.start}), skipped")]
    if b"\x00" in data[:8192]:
        return None, [Problem(path, None, "binary file (not text), skipped")]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("cp949")
        except UnicodeDecodeError:
            text = None
        line = data[: utf8_error.start].count(b"\n") + 1
        if text is None:
            return None, [Problem(path, line, "not UTF-8 or CP949/EUC-KR text "
                                              f"(undecodable byte at offset {utf8_error.start}), skipped")]
        if rare_syllables(text):
            return None, [Problem(path, line, "not UTF-8 (byte at offset "
                                              f"{utf8_error.start}), and as CP949 it reads as rare "
                                              "syllables: another encoding (Shift-JIS, GBK?), skipped")]
        return text, [Problem(path, None, "decoded as CP949/EUC-KR", fatal=False)]


_MAGIC = ((b"%PDF-", "PDF"), (b"PK\x03\x04", "zip (HWPX, DOCX...)"),
          (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "HWP or other OLE2"))
"""Starts of document formats a text reader must not read as text."""


def rare_syllables(text: str) -> bool:
    """Whether a text decoded as CP949 is mostly syllables outside EUC-KR's 2,350 common ones:
    Korean text written in CP949 uses those almost only; other encodings' bytes (Shift-JIS, GBK)
    land on the rare extended ones (뱦떈궻밮...).

    >>> rare_syllables("국회는 예산안을 의결했다"), rare_syllables("뱦떈궻밮딠궼맧")
    (False, True)
    """
    hangul = [ch for ch in text[:20000] if "\uac00" <= ch <= "\ud7a3"]
    if not hangul:
        return False
    # In CP949 the common syllables are EUC-KR's rows B0-C8 with trail bytes A1-FE.
    rare = sum(1 for code in (ch.encode("cp949") for ch in hangul)
               if code[0] < 0xB0 or code[1] < 0xA1)
    return rare * 5 > len(hangul)  # more than one syllable in five


# -- records --------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n\n".join(_text(v) for v in value)
    if isinstance(value, dict):
        return ""
    return normalize(str(value)).strip()


def _tags(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else str(value).split(",")
    return tuple(t for t in (_text(i).strip() for i in items) if t)


def to_records(raw: dict[str, Any], path: str, line: int,
               default_id: str) -> Iterator[Record | Problem]:
    """Map a raw dict (any common field names) to a Record, or say why it cannot be one; a
    date that cannot be read is a note (the record is indexed without one).

    >>> note, record = to_records({"body": "본문", "date": "2025-13-45"}, "a.json", 3, "a")
    >>> str(note), record.date, record.body
    ("a.json:3: unreadable date '2025-13-45', indexed without a date", None, '본문')
    """
    fields: dict[str, Any] = {}
    for key, value in raw.items():
        name = _LOOKUP.get(str(key).strip().lower())
        if name and name not in fields and value not in (None, ""):
            fields[name] = value
    body = _text(fields.get("body"))
    title = _text(fields.get("title"))
    if not body:
        yield Problem(path, line, "record has no body text (fields: "
                      f"{', '.join(map(str, list(raw)[:8])) or 'none'}), skipped")
        return
    rid = _text(fields.get("id")) or default_id
    date = parse_date(fields.get("date"))
    if date is None and "date" in fields:
        written = repr(fields["date"])
        written = written if len(written) <= 40 else f"{written[:39]}…"
        yield Problem(path, line, f"unreadable date {written}, indexed without a date",
                      fatal=False)
    yield Record(
        id=rid,
        title=title,
        body=body,
        date=date,
        source=_text(fields.get("source")),
        url=_text(fields.get("url")),
        tags=_tags(fields.get("tags")),
        path=path,
        line=line,
    )
