"""Reading users' article files into records, whatever shape they come in.

Each reader yields `Record`s and `Problem`s; a problem names the file and line and never stops
the other records of the file, or the other files, from being read.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any

import orjson

from index.analysis import normalize

__all__ = ["Problem", "Record", "SUFFIXES", "parse_date", "read_file", "supported"]

SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".json", ".csv", ".txt", ".md", ".html", ".htm",
            ".hwp", ".hwpx", ".pdf")

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


@dataclass(frozen=True)
class Problem:
    """Something wrong with an input; `fatal` problems mean a record or file was not indexed."""

    path: str
    line: int | None
    message: str
    fatal: bool = True

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


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
        """Content hash: an unchanged record is never analysed again."""
        data = orjson.dumps([self.title, self.body, str(self.date or ""), self.source,
                             self.url, list(self.tags)])
        return hashlib.blake2b(data, digest_size=16).hexdigest()


def supported(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith(SUFFIXES)


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
    """
    if value is None or isinstance(value, bool):
        return None
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


# -- bytes to text --------------------------------------------------------------------------


def decode(data: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Decode a file's bytes: UTF-8 (with or without BOM), UTF-16 with BOM, or CP949/EUC-KR."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError as e:
            return None, [Problem(path, None, f"broken UTF-16 text ({e.reason} at byte {e.start})")]
    if b"\x00" in data[:8192]:
        return None, [Problem(path, None, "binary file (not text), skipped")]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("cp949")
        except UnicodeDecodeError:
            line = data[: utf8_error.start].count(b"\n") + 1
            return None, [Problem(path, line, "not UTF-8 or CP949/EUC-KR text "
                                              f"(undecodable byte at offset {utf8_error.start}), skipped")]
        return text, [Problem(path, None, "decoded as CP949/EUC-KR", fatal=False)]


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


def to_record(raw: dict[str, Any], path: str, line: int, default_id: str) -> Record | Problem:
    """Map a raw dict (any common field names) to a Record, or say why it cannot be one."""
    fields: dict[str, Any] = {}
    for key, value in raw.items():
        name = _LOOKUP.get(str(key).strip().lower())
        if name and name not in fields and value not in (None, ""):
            fields[name] = value
    body = _text(fields.get("body"))
    title = _text(fields.get("title"))
    if not body:
        return Problem(path, line, "record has no body text (fields: "
                       f"{', '.join(map(str, list(raw)[:8])) or 'none'}), skipped")
    rid = _text(fields.get("id")) or default_id
    return Record(
        id=rid,
        title=title,
        body=body,
        date=parse_date(fields.get("date")),
        source=_text(fields.get("source")),
        url=_text(fields.get("url")),
        tags=_tags(fields.get("tags")),
        path=path,
        line=line,
    )


_JSONL = (".jsonl", ".jsonl.gz", ".ndjson")


def read_file(path: Path) -> Iterator[Record | Problem]:
    """Every record of one file, and a Problem for each part that could not be read."""
    p = str(path)
    if path.name.lower().endswith((".hwp", ".hwpx", ".pdf")):
        from index.documents import read_document  # PDFium and olefile load only when needed

        yield from read_document(path)
        return
    if path.name.lower().endswith(_JSONL):
        yield from _stream_jsonl(path, p)
        return
    try:
        raw = path.read_bytes()
    except OSError as e:
        yield Problem(p, None, f"cannot read file: {e.strerror or e}")
        return
    name = path.name.lower()
    if name.endswith(".gz"):
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as e:
            yield Problem(p, None, f"broken gzip file: {e}")
            return
    if not raw.strip():
        yield Problem(p, None, "empty file, skipped")
        return
    text, problems = decode(raw, p)
    del raw  # the records are read from `text`; the bytes need not live as long
    yield from problems
    if text is None:
        return
    if name.endswith(".json"):
        yield from _read_json(text, p)
    elif name.endswith(".csv"):
        yield from _read_csv(text, p)
    elif name.endswith((".html", ".htm")):
        yield from _read_html(text, p)
    else:
        yield from _read_plain(text, p, markdown=name.endswith(".md"))


# -- JSON Lines -----------------------------------------------------------------------------

_HEAD = 8192
# C0 control bytes that text never holds: all but tab, LF, VT, FF, CR and ESC. They are single
# bytes in UTF-8 and CP949 alike (never part of a multibyte character), so raw bytes can be tested.
_CONTROL = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20)])


def _looks_binary(head: bytes) -> bool:
    """Whether the first 8 KB of a JSON Lines file are binary data rather than text with a few
    bad lines: control bytes (NUL and the like) in more than half of its lines (two at least),
    or in more than 1/16 of its bytes (64 at least, for data without line breaks).

    >>> _looks_binary(b'{"id": 1}\\n{"id": "\\x00"}\\n{"id": 3}\\n'), _looks_binary(bytes(100))
    (False, True)
    """
    controls = len(head) - len(head.translate(None, _CONTROL))
    if not controls:
        return False
    if controls >= 64 and controls * 16 > len(head):
        return True
    lines = [line for line in head.split(b"\n") if line.strip()]
    bad = sum(len(line.translate(None, _CONTROL)) < len(line) for line in lines)
    return bad >= 2 and bad * 2 > len(lines)


def _stream_jsonl(path: Path, p: str) -> Iterator[Record | Problem]:
    """The records of a JSON Lines file (gzipped or not) read a line at a time, so a file of
    any size needs the memory of one line. Each line is decoded on its own: UTF-8 (a BOM is
    dropped), else CP949/EUC-KR (with one note for the file), else it is skipped and named.
    A file starting with a UTF-16 BOM is UTF-16 throughout."""
    gz = path.name.lower().endswith(".gz")
    try:
        stream = gzip.open(path, "rb") if gz else path.open("rb")
    except OSError as e:
        yield Problem(p, None, f"cannot read file: {e.strerror or e}")
        return
    blank = True
    cp949 = 0  # lines decoded as CP949
    first_cp949 = 0
    utf8 = False  # a line holds non-ASCII UTF-8, so the file is not CP949 throughout
    with stream:
        try:
            head = stream.peek(_HEAD)[:_HEAD]
            if head.startswith((b"\xff\xfe", b"\xfe\xff")):
                yield from _utf16_jsonl(stream, p)
                return
            if _looks_binary(head):
                yield Problem(p, None, "binary file (not text), skipped")
                return
            for n, raw in enumerate(stream, 1):
                if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                try:
                    line = raw.decode("utf-8")
                    utf8 = utf8 or not line.isascii()
                except UnicodeDecodeError as e:
                    decoded = _not_utf8(raw, e, p, n)
                    if isinstance(decoded, Problem):
                        yield decoded
                        blank = False
                        continue
                    line = decoded
                    cp949 += 1
                    first_cp949 = first_cp949 or n
                if not line.strip():
                    continue
                blank = False
                yield from _jsonl_line(line.rstrip("\r\n"), p, n)
        except (OSError, EOFError) as e:
            yield Problem(p, None, f"broken gzip file: {e}" if gz else f"cannot read file: {e}")
            blank = False
    if cp949 and not utf8:
        yield Problem(p, None, "decoded as CP949/EUC-KR", fatal=False)
    elif cp949:
        later = cp949 - 1
        more = f" (and {later} later line{'s' * (later > 1)})" if later else ""
        yield Problem(p, first_cp949, f"not UTF-8 like the rest of the file: decoded as "
                                      f"CP949/EUC-KR{more}", fatal=False)
    if blank:
        yield Problem(p, None, "empty file, skipped")


def _not_utf8(raw: bytes, error: UnicodeDecodeError, path: str, n: int) -> str | Problem:
    """A line that is not UTF-8, decoded as CP949/EUC-KR, or why it cannot be read."""
    if error.end == len(raw) and error.reason == "unexpected end of data":
        # The last line of a file cut short inside a character: CP949 could read the
        # stranded lead bytes as some other character, so it is not tried.
        return Problem(path, n, "file ends in the middle of a character (cut short?), "
                                "line skipped")
    try:
        return raw.decode("cp949")
    except UnicodeDecodeError:
        return Problem(path, n, "not UTF-8 or CP949/EUC-KR text, line skipped")


def _utf16_jsonl(stream: IO[bytes], p: str) -> Iterator[Record | Problem]:
    """The records of a UTF-16 JSON Lines file (it starts with a byte order mark), streamed."""
    # Lines end at "\n" only: U+2028 and friends are legal inside JSON strings.
    text = io.TextIOWrapper(stream, encoding="utf-16", newline="\n")
    blank = True
    n = 0
    try:
        for n, line in enumerate(text, 1):
            if line.strip():
                blank = False
                yield from _jsonl_line(line.rstrip("\r\n"), p, n)
    except UnicodeDecodeError as e:
        # Decoded a chunk at a time: the break is somewhere after the last line read.
        yield Problem(p, None, f"broken UTF-16 text after line {n} ({e.reason}), "
                               "rest of file skipped")
        blank = False
    finally:
        text.detach()  # the caller closes the file
    if blank:
        yield Problem(p, None, "empty file, skipped")


def _jsonl_line(line: str, path: str, n: int) -> Iterator[Record | Problem]:
    try:
        obj = orjson.loads(line)
    except orjson.JSONDecodeError as e:
        if "\x00" in line:
            yield Problem(path, n, "NUL byte in the line (binary data?), line skipped")
        else:
            yield Problem(path, n, f"broken JSON ({e.msg} at column {e.colno}), line skipped")
        return
    if not isinstance(obj, dict):
        yield Problem(path, n, f"expected a JSON object, found {type(obj).__name__}, skipped")
        return
    yield to_record(obj, path, n, f"{path}#{n}")


def _read_json(text: str, path: str) -> Iterator[Record | Problem]:
    try:
        obj = orjson.loads(text)
    except orjson.JSONDecodeError as e:
        yield Problem(path, e.lineno, f"broken JSON ({e.msg} at column {e.colno}), file skipped")
        return
    if isinstance(obj, dict):
        yield to_record(obj, path, 1, path)
    elif isinstance(obj, list):
        for n, item in enumerate(obj, 1):
            if isinstance(item, dict):
                yield to_record(item, path, n, f"{path}#{n}")
            else:
                yield Problem(path, None, f"item {n} is not a JSON object, skipped")
    else:
        yield Problem(path, 1, "expected a JSON object or array of objects, file skipped")


def _read_csv(text: str, path: str) -> Iterator[Record | Problem]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames:
        yield Problem(path, 1, "CSV file has no header row, skipped")
        return
    try:
        for row in reader:
            line = reader.line_num
            if None in row:
                yield Problem(path, line, "more cells than header columns, extra cells ignored",
                              fatal=False)
                row.pop(None)  # type: ignore[call-overload]
            yield to_record(row, path, line, f"{path}#{line}")
    except csv.Error as e:
        yield Problem(path, reader.line_num, f"broken CSV ({e}), rest of file skipped")


_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)


def _read_plain(text: str, path: str, *, markdown: bool) -> Iterator[Record | Problem]:
    meta: dict[str, Any] = {}
    m = _FRONT_MATTER.match(text)
    if m:
        for line in m[1].splitlines():
            key, sep, value = line.partition(":")
            if sep:
                meta[key.strip()] = value.strip().strip("\"'")
        text = text[m.end():]
    lines = text.strip().splitlines()
    if not lines:
        yield Problem(path, None, "no text after front matter, skipped")
        return
    title = lines[0].lstrip("#").strip() if markdown else lines[0].strip()
    body = "\n".join(lines[1:]).strip() or title
    raw = {"title": title, "body": body} | meta
    if "date" not in {_LOOKUP.get(k.lower()) for k in meta}:
        raw["date"] = date_in_text(text)
    yield to_record(raw, path, 1, path)


class _HTMLText(HTMLParser):
    """Title and main text of an HTML page; scripts, styles and navigation dropped."""

    SKIP = frozenset({"script", "style", "nav", "header", "footer", "aside", "noscript",
                      "form", "button", "svg", "template", "iframe", "menu"})
    BLOCK = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
                       "article", "section", "blockquote", "pre", "table", "ul", "ol"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.in_title = False
        self.title: list[str] = []
        self.h1: list[str] = []
        self.in_h1 = False
        self.parts: list[str] = []
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in self.SKIP:
            self.skip += 1
        elif tag == "title":
            self.in_title = True
        elif tag == "h1":
            self.in_h1 = True
        elif tag == "meta":
            key = a.get("property") or a.get("name") or ""
            if key and a.get("content"):
                self.meta[key.lower()] = a["content"]
        elif tag == "time" and a.get("datetime"):
            self.meta.setdefault("time", a["datetime"])
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skip:
            self.skip -= 1
        elif tag == "title":
            self.in_title = False
        elif tag == "h1":
            self.in_h1 = False
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self.skip:
            if self.in_h1:
                self.h1.append(data)
            self.parts.append(data)


def _read_html(text: str, path: str) -> Iterator[Record | Problem]:
    parser = _HTMLText()
    parser.feed(text)
    parser.close()
    body_lines = [" ".join(line.split()) for line in "".join(parser.parts).splitlines()]
    body = "\n".join(line for line in body_lines if line)
    title = " ".join("".join(parser.title).split()) or " ".join("".join(parser.h1).split())
    meta = parser.meta
    date = (meta.get("article:published_time") or meta.get("date") or meta.get("time")
            or date_in_text(body))
    raw = {"title": title, "body": body, "date": date,
           "source": meta.get("og:site_name", ""), "url": meta.get("og:url", "")}
    yield to_record(raw, path, 1, path)
