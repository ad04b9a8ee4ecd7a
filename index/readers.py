"""Reading users' article files into records, whatever shape they come in.

Each reader yields `Record`s and `Problem`s; a problem names the file and line and never stops
the other records of the file, or the other files, from being read. JSON Lines files are read
by `index.jsonl`, documents (HWP, HWPX, PDF) by `index.documents`; the record model and field
names are in `index.records`.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import orjson

from index.jsonl import read_jsonl
from index.records import (
    Problem,
    Record,
    date_in_text,
    decode,
    field_of,
    parse_date,
    title_from_text,
    to_records,
)

__all__ = ["Problem", "Record", "SUFFIXES", "date_in_text", "parse_date", "read_file", "supported"]

SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".json", ".csv", ".txt", ".md", ".html", ".htm",
            ".hwp", ".hwpx", ".pdf")


def supported(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith(SUFFIXES)


_JSONL = (".jsonl", ".jsonl.gz", ".ndjson")


def read_file(path: Path) -> Iterator[Record | Problem]:
    """Every record of one file, and a Problem for each part that could not be read."""
    p = str(path)
    if path.name.lower().endswith((".hwp", ".hwpx", ".pdf")):
        from index.documents import read_document  # PDFium and olefile load only when needed

        yield from read_document(path)
        return
    if path.name.lower().endswith(_JSONL):
        yield from read_jsonl(path, p)
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


# -- other formats, decoded whole ---------------------------------------------------------


def _read_json(text: str, path: str) -> Iterator[Record | Problem]:
    try:
        obj = orjson.loads(text)
    except orjson.JSONDecodeError as e:
        yield Problem(path, e.lineno, f"broken JSON ({e.msg} at column {e.colno}), file skipped")
        return
    if isinstance(obj, dict):
        yield from to_records(obj, path, 1, path)
    elif isinstance(obj, list):
        for n, item in enumerate(obj, 1):
            if isinstance(item, dict):
                yield from to_records(item, path, n, f"{path}#{n}")
            else:
                yield Problem(path, None, f"item {n} is not a JSON object, skipped")
    else:
        yield Problem(path, 1, "expected a JSON object or array of objects, file skipped")


def _read_csv(text: str, path: str) -> Iterator[Record | Problem]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as e:
        yield Problem(path, 1, f"broken CSV header ({e}), file skipped")
        return
    if not header:
        yield Problem(path, 1, "CSV file has no header row, skipped")
        return
    # A column named twice keeps its first cell; a dict of the row would keep the last and
    # drop the first without a word.
    columns: dict[str, int] = {}
    for column, name in enumerate(header):
        if name in columns:
            yield Problem(path, 1, f"column {name!r} is named twice in the header (columns "
                                   f"{columns[name] + 1} and {column + 1}), only the first "
                                   "is read", fatal=False)
        else:
            columns[name] = column
    starts = [0, *(m.end() for m in _LINES.finditer(text))]  # where each line begins
    yield from _csv_rows(text, path, starts, len(header), columns, reader.line_num + 1)


def _csv_rows(text: str, path: str, starts: list[int], width: int, columns: dict[str, int],
              begin: int) -> Iterator[Record | Problem]:
    """The records of the rows from line `begin` (1-based) on. A quotation mark never closed
    would make the rest of the file one cell: that row is named and skipped, and the rows
    after it are read on their own."""
    if begin > len(starts):
        return
    reader = csv.reader(io.StringIO(text[starts[begin - 1]:], newline=""))
    start = begin
    try:
        for cells in reader:
            line = reader.line_num + begin - 1
            begins, start = start, line + 1
            if _unclosed(text, starts, begins, line):
                yield Problem(path, begins, "a quotation mark opened in this row is never "
                                            f"closed (lines {begins}-{line} would be one "
                                            "cell): row skipped, the rows after it read")
                yield from _csv_rows(text, path, starts, width, columns, begins + 1)
                return
            if not cells:
                continue  # a blank line, as csv.DictReader skips it
            if len(cells) > width:
                yield Problem(path, line, "more cells than header columns, extra cells ignored",
                              fatal=False)
            row = {name: cells[column] if column < len(cells) else None
                   for name, column in columns.items()}
            yield from to_records(row, path, line, f"{path}#{line}")
    except csv.Error as e:
        yield Problem(path, reader.line_num + begin - 1,
                      f"broken CSV ({e}), rest of file skipped")


_LINES = re.compile(r"\r\n|\r|\n")
"""Line ends as the csv reader counts lines."""


def _unclosed(text: str, starts: list[int], first: int, last: int) -> bool:
    """Whether the row of lines `first`-`last` (1-based) ends the file inside a quoted cell:
    a quotation mark opened and never closed makes the rest of the file one cell."""
    if last <= first:
        return False
    after = text[starts[last]:] if last < len(starts) else ""
    if after.strip():
        return False  # lines follow: the row closed before the end of the file
    return text[starts[first - 1]:].count('"') % 2 == 1


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
    first = lines[0].lstrip("#").strip() if markdown else lines[0].strip()
    rest = "\n".join(lines[1:]).strip()
    if "title" in {field_of(k) for k in meta}:  # the first line is text like the rest
        title, body = "", f"{first}\n{rest}".strip()
    else:
        title = title_from_text(first)
        # a first line cut short for the title stays whole in the body: all of it searchable
        body = f"{first}\n{rest}".strip() if title != first else rest or first
    raw = {"title": title, "body": body} | meta
    if "date" not in {field_of(k) for k in meta}:
        raw["date"] = date_in_text(text)
    yield from to_records(raw, path, 1, path)


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
    written = [meta[k] for k in ("article:published_time", "date", "time") if meta.get(k)]
    read = next((d for d in map(parse_date, written) if d), None) or date_in_text(body)
    date: object = read or (written[0] if written else None)  # unreadable: to_records notes it
    raw = {"title": title, "body": body, "date": date,
           "source": meta.get("og:site_name", ""), "url": meta.get("og:url", "")}
    yield from to_records(raw, path, 1, path)
