"""What the HWP, HWPX and PDF readers share: the extracted document, how a title is chosen and
made searchable, and the check that keeps decoding garbage out of the index."""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass

from index.analysis import normalize
from index.readers import Problem, Record, date_in_text
from index.records import TITLE_FROM_TEXT, title_from_text

__all__ = ["Document", "Unreadable", "collapse_spacing", "garbage_reason", "meaningful", "page_of",
           "to_record"]


class Unreadable(Exception):
    """A document that cannot be read, with the reason a user is shown (by file name)."""


@dataclass(frozen=True)
class Document:
    """The text and metadata a reader extracted from one document file.

    `pages` holds the character offset in `body` where each page starts (PDF only); `notes`
    say what could not be read without losing the body (a damaged metadata part)."""

    body: str
    title: str = ""
    date: dt.date | None = None
    source: str = ""
    pages: tuple[int, ...] = ()
    notes: tuple[str, ...] = ()


def page_of(pages: tuple[int, ...] | list[int], offset: int) -> int:
    """The 1-based page holding character `offset` of a body whose pages start at `pages`;
    0 when the document has no pages (not a PDF).

    >>> page_of((0, 120, 300), 0), page_of((0, 120, 300), 119), page_of((0, 120, 300), 120)
    (1, 1, 2)
    >>> page_of((0, 120, 300), 5000), page_of((), 10)
    (3, 0)
    """
    if not pages:
        return 0
    return max(1, bisect.bisect_right(pages, offset))


# -- titles ---------------------------------------------------------------------------------

_SYL = "[\uac00-\ud7a3]"
# A whole line of single syllables spaced out: `입 법 예 고`, or two with a wide gap: `공  고`
# (`첫 줄`, two words of one syllable, is no title spaced out).
_SPACED_LINE = re.compile(rf"{_SYL}(?: {_SYL}){{2,}}|{_SYL}(?:[ \u3000]{{2,3}}{_SYL})+")
# Inside a longer title, three or more single syllables separated by single spaces.
_SPACED_RUN = re.compile(rf"(?<!\S){_SYL}(?: {_SYL}(?!\S)){{2,}}")


def collapse_spacing(line: str) -> str:
    """A title with its letter-spaced words closed up, so `입 법 예 고` is searchable as a word.

    >>> collapse_spacing("입 법 예 고"), collapse_spacing("공  고"), collapse_spacing("첫 줄")
    ('입법예고', '공고', '첫 줄')
    >>> collapse_spacing("보 도 자 료 : 여객선 점검"), collapse_spacing("이 안은 그대로")
    ('보도자료 : 여객선 점검', '이 안은 그대로')
    """
    stripped = line.strip()
    if _SPACED_LINE.fullmatch(stripped):
        return re.sub(r"[ \u3000]+", "", stripped)
    return _SPACED_RUN.sub(lambda m: m[0].replace(" ", ""), line)


_PLACEHOLDERS = frozenset({
    "untitled", "untitle", "noname", "no title", "title", "제목", "제목 없음", "제목없음", "문서",
    "새 문서", "빈 문서", "anonymous", "unknown", "unspecified", "none", "null", "document",
})
_GENERIC_AUTHORS = _PLACEHOLDERS | frozenset({
    "user", "admin", "administrator", "owner", "windows user", "microsoft", "사용자", "관리자",
    "hp", "pc", "kosearch",
})


def meaningful(value: str, *, author: bool = False) -> bool:
    """False for the placeholder titles and authors that tools write by default.

    >>> meaningful("연안 여객선 안전 점검 결과"), meaningful("untitled"), meaningful("문서1")
    (True, False, False)
    >>> meaningful("보고서.hwp"), meaningful("Microsoft Word - 보고서.docx"), meaningful("- 1 -")
    (False, False, False)
    >>> meaningful("Administrator", author=True), meaningful("해양수산부", author=True)
    (False, True)
    >>> meaningful("fff", author=True), meaningful("ㅁㅁㅁ")
    (False, False)
    """
    v = " ".join(value.split()).strip().lower()
    if not v or not any(ch.isalpha() for ch in v):
        return False
    if len(set(v.replace(" ", ""))) == 1:  # one key held or struck again: `fff`, `ㅁㅁㅁ`
        return False
    if v in (_GENERIC_AUTHORS if author else _PLACEHOLDERS):
        return False
    if re.fullmatch(r"(문서|document|untitled|noname|제목 ?없음)\s*\d*", v):
        return False
    return not re.search(r"\.(hwpx?|pdf|docx?|xlsx?|pptx?|txt)$", v)


HEADING_LINES = 5  # a letter-spaced heading (`입 법 예 고`) is looked for among the first lines


def first_lines(body: str, count: int = HEADING_LINES) -> list[str]:
    """The first `count` non-empty lines of `body`, stripped."""
    out: list[str] = []
    for line in body.split("\n"):
        if line.strip():
            out.append(line.strip())
            if len(out) == count:
                break
    return out


def spaced_heading(lines: list[str]) -> str:
    """The letter-spaced heading of a document, closed up, or "" when it has none: the first
    line if it holds letter-spaced words, else a later one of `lines` that is nothing else
    (notices often open with the office or the notice number above `입 법 예 고`).

    >>> spaced_heading(["울산광역시 남구 공고 제2021-174호", "입 법 예 고", "본문"])
    '입법예고'
    >>> spaced_heading(["보 도 자 료 : 여객선 점검"]), spaced_heading(["공고", "이 안은 그대로"])
    ('보도자료 : 여객선 점검', '')
    >>> spaced_heading(["갯벌은 " * 30 + "5백 년 전 대 이후로"])
    ''
    """
    for i, line in enumerate(lines):
        if len(line) > TITLE_FROM_TEXT:  # a paragraph (`500여 년 전 대`), not a heading
            continue
        closed = collapse_spacing(line)
        if closed != line and (i == 0 or _SPACED_LINE.fullmatch(line)):
            return closed
    return ""


# -- garbage --------------------------------------------------------------------------------

# CJK ideographs (with extension A), private use, replacement characters, lone surrogates
_ODD = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\ue000-\uf8ff\ufffd\ud800-\udfff]+")
_READABLE = re.compile("[\uac00-\ud7a3\x21-\x7e]+")
_SPACE = re.compile(r"\s+")


def _count(pattern: re.Pattern[str], text: str) -> int:
    return sum(map(len, pattern.findall(text)))


def garbage_reason(text: str) -> str | None:
    """Why `text` looks like bytes decoded as the wrong thing, or None when it reads as text.

    Korean documents use Hanja, but among Hangul: a text that is mostly CJK ideographs, private
    use or undecodable characters with hardly any Hangul or Latin is what an HWP control record
    or an encrypted stream turns into when decoded as UTF-16.

    >>> garbage_reason("해양수산부는 국내 연안 여객선(旅客船)을 점검했다."), garbage_reason("捤獥汤捯氠瑢")
    (None, 'most of its characters (6 of 6) are CJK ideographs or undecodable: garbage, not text')
    """
    odd = _count(_ODD, text)
    if not odd:  # the usual case, decided without counting the rest
        return None
    letters = len(text) - _count(_SPACE, text)
    if odd > 0.4 * letters and _count(_READABLE, text) < odd:
        return (f"most of its characters ({odd} of {letters}) are CJK ideographs or "
                "undecodable: garbage, not text")
    return None


# -- record ---------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\ufeff]")


def clean(text: str) -> str:
    """Text a reader produced, normalised as every record is (NFC, no control characters),
    with trailing spaces and runs of blank lines dropped."""
    text = _CONTROL.sub("", normalize(text).replace("\r\n", "\n").replace("\r", "\n"))
    text = text.replace("\t", " ").replace("\xa0", " ")
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def to_record(doc: Document, path: str, kind: str) -> Record | Problem:
    """The Record of an extracted document, or the Problem saying why it has no text."""
    body = doc.body
    if not body.strip():
        return Problem(path, None, f"no text in this {kind} document (only pictures or empty?), "
                                   "skipped")
    reason = garbage_reason(body)
    if reason:
        return Problem(path, None, f"{kind} text could not be decoded ({reason}), skipped")
    lines = first_lines(body)
    title = " ".join(clean(doc.title).split())
    # a first line is often a whole paragraph: the body keeps it, the title is cut short
    title = collapse_spacing(title) if meaningful(title) else \
        title_from_text(collapse_spacing(lines[0]))
    spaced = spaced_heading(lines)
    if spaced and spaced not in title:
        # a letter-spaced heading (`입 법 예 고`) beside the title: keep it searchable
        title = f"{spaced} {title}"
    return Record(
        id=path, title=title[:500], body=body, date=date_in_text(body) or doc.date,
        source=doc.source if meaningful(doc.source, author=True) else "", url="", tags=(),
        path=path, line=1, pages=doc.pages,
    )
