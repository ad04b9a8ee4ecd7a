"""The text of a query before it is parsed: cleaned of terminal escapes and of operators
that join nothing, dates made safe for the parser, and the questions that decide how it is
read (is it a question, does it use query syntax on purpose)."""

from __future__ import annotations

import datetime as dt
import re

from index.analysis import analyze, normalize

__all__ = ["MAX_QUERY_CHARS", "RANGE_BETWEEN", "clean", "compact_dates",
           "compact_ranges", "has_syntax", "is_question", "plain_words", "range_parts",
           "range_words", "without_bad_dates"]

MAX_QUERY_CHARS = 2000
"""Longer queries are cut here (a pasted article); the rest would not change the ranking."""


_SYNTAX = re.compile(r"""["'()\[\]{}^~*?:+\-\\/]|\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE|TO)\b""")


def plain_words(text: str) -> str:
    """The query text with every bit of query syntax removed.

    >>> plain_words('"탄소 (중립 AND title:법')
    ' 탄소  중립   title 법'
    """
    return _SYNTAX.sub(" ", text)


_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
"""Terminal escape sequences whole (CSI such as ESC [1m, OSC, two-byte ones): pasted from a
terminal, their letters (1m) are not words to search for."""
_DANGLING = re.compile(r"^\s*\b(?:AND|OR)\b|\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b\s*$"
                       r"|(?<=\()\s*(?:AND|OR)\b|\b(?:AND|OR|NOT)\s*(?=\))")
"""An operator with nothing on one side ('오바마 OR', '(원전 AND)'): it joins nothing, so it is
dropped rather than searched as the word 'or'."""


def clean(text: str) -> str:
    r"""The query text normalised, without escape sequences or operators that join nothing.

    >>> clean("\x1b[31m오바마\x1b[0m OR"), clean("(원전 AND) NOT"), clean("OR AND 원전")
    ('오바마', '(원전  )', '원전')
    """
    text = normalize(_ESCAPES.sub("", text or ""))[:MAX_QUERY_CHARS].strip()
    while True:
        dropped = _DANGLING.sub(" ", text).strip()
        if dropped == text:
            return text
        text = dropped


_DATE_CLAUSE = re.compile(r"date:(\[[^\]]*\]|\S+)", re.I)
_DATE_PARTS = re.compile(r"(\d{4})[-./](\d{1,2})(?:[-./](\d{1,2}))?\.?")


def compact_dates(text: str) -> str:
    """`date:2025-11` -> `date:202511`, so the parser does not read `-11` as NOT 11.

    >>> compact_dates("AI date:[2025-1 TO 2025.06.30] date:2025-11")
    'AI date:[202501 TO 20250630] date:202511'
    """

    def digits(m: re.Match[str]) -> str:
        return m[1] + m[2].zfill(2) + (m[3].zfill(2) if m[3] else "")

    return _DATE_CLAUSE.sub(lambda m: "date:" + _DATE_PARTS.sub(digits, m[1]), text)


_END = r"(?=[\s?？.,!·]|$)"
_COMPACT_DATE = re.compile(r"\d{4}(?:\d{2}(?:\d{2})?)?")
_DATE_RANGE = re.compile(r"\[\s*(\d*)\s*TO\s*(\d*)\s*\]", re.I)


def _readable_date(value: str) -> bool:
    """Whether a compacted date (2025, 202511, 20251103) is a real year, month or day."""
    if not _COMPACT_DATE.fullmatch(value):
        return False
    try:
        dt.date(int(value[:4]), int(value[4:6] or 1), int(value[6:8] or 1))
    except ValueError:
        return False
    return True


def without_bad_dates(text: str) -> tuple[str, list[str]]:
    """`text` less the `date:` clauses that name no date, and those clauses as written: the
    parser would read each as a query matching nothing, so that `date:abc 태풍` found no
    document without a word of why.

    >>> without_bad_dates("태풍 date:2025-08 date:abc date:[2025 TO 2025-13]")
    ('태풍 date:2025-08  ', ['date:abc', 'date:[2025 TO 2025-13]'])
    >>> without_bad_dates("date:[2024 TO] 태풍 date:2025.02.29")
    ('date:[2024 TO] 태풍 ', ['date:2025.02.29'])
    """
    bad: list[str] = []

    def check(m: re.Match[str]) -> str:
        value = compact_dates("date:" + m[1])[5:]
        r = _DATE_RANGE.fullmatch(value)
        ends = [e for e in r.groups() if e] if r else [value]
        if (r is None or ends) and all(_readable_date(e) for e in ends):
            return m[0]
        bad.append(m[0])
        return ""

    return _DATE_CLAUSE.sub(check, text), bad


_QUESTION = re.compile(
    r"[?？]\s*$|(?:^|\s)(?:"
    # Question words as words: alone, or with a particle or a copula after them; not the
    # start of another word (왜곡, 왜군, 어느새, 몇몇) nor "any-" (누구나, 언제나, 어디든).
    r"(?:무엇|누구|언제|어디|얼마)(?:(?:을|를|이|가|은|는|에|에서|에게|로|으로|와|과|도|의|부터|까지"
    r"|쯤)?" + _END + r"|이었|였|인가|인지|일까|입니까|이냐|이며|이라|이다)|누가" + _END
    + r"|얼마나" + _END
    + r"|(?:어느|무슨|어떤|어떻게|왜)" + _END + r"|몇(?!몇))")


def is_question(text: str) -> bool:
    """Whether the text is a question, which ranks by shared words instead of requiring all.

    >>> is_question("WAICO를 제안한 사람은?"), is_question("엔비디아 수출 규제")
    (True, False)
    >>> [is_question(t) for t in ("왜 금리를 올렸나", "무엇을 바꾸나", "몇 명이 참석했나")]
    [True, True, True]
    >>> [is_question(t) for t in ("역사 왜곡 일본", "누구나 이용하는 도서관", "몇몇 의원")]
    [False, False, False]
    """
    return bool(_QUESTION.search(text))


_SYNTAX_USE = re.compile(
    r'\b(?:AND|OR|NOT)\b|(?:^|\s)[-+][^\s\d]|\b(?:title|body|source|date|tags|id):\S')
_SYNTAX_WORDS = re.compile(r'\b(?:AND|OR|NOT)\b|\b(?:title|body|source|date|tags|id):\S')
_QUOTES = re.compile(r'"[^"]+"')
END_QUESTION_MARK = re.compile(r"(?<=\S)[?？](?=\s|$)")


def has_syntax(text: str, *, quotes: bool = True, signs: bool = True) -> bool:
    """Whether the text uses query syntax on purpose (pasted prose has brackets, not this;
    questions quote names, so with `quotes=False` quotes do not count, and write a stray
    hyphen before a name's second half, so with `signs=False` a leading minus does not).

    >>> has_syntax("[1] 원고(피고)의 청구"), has_syntax('"탄소 중립" NOT 원전')
    (False, True)
    >>> has_syntax('"행"은 뭐라고 불리나?', quotes=False)
    False
    >>> has_syntax("마이르 -하팅은 어느 나라의 대사인가?", quotes=False, signs=False)
    False
    """
    syntax = _SYNTAX_USE if signs else _SYNTAX_WORDS
    return bool(syntax.search(text) or (quotes and _QUOTES.search(text)))


_SIGNS = "~∼〜～\\-‐–—"
_RANGE = re.compile(rf"(\d+(?:[.,]\d+)*)([^\W\d_]*)[{_SIGNS}](\d+(?:[.,]\d+)*)([^\d\s{_SIGNS}]*)")
"""A range of numbers written as one word: 6~8일, 6-8일, 2019∼2020년, 6일~8일 (groups: the
first number, its unit if written, the last number, what follows it)."""
RANGE_BETWEEN = frozenset({*"~∼〜～-‐–—", "부터", "에서"})
"""What stands between the two numbers of a range in a text, spaces aside (6일부터 8일까지)."""
_SPACED_RANGE = re.compile(r"(?<=\d)\s*([~∼〜～])\s*(?=\d)")
_RANGE_WORD = re.compile(rf"(?<!\S){_RANGE.pattern}(?!\S)")


def compact_ranges(text: str) -> str:
    """`6 ~ 8일` -> `6~8일`: a range written with spaces is one word, as it is without.

    >>> compact_ranges("6 ~ 8일 행사, 3 - 4명")
    '6~8일 행사, 3 - 4명'
    """
    return _SPACED_RANGE.sub(r"\1", text)


def range_words(text: str) -> list[str]:
    """The words of `text` that are ranges of numbers (see `RANGE`).

    >>> range_words("2019∼2020년 시즌 6월 8일 3-4명이")
    ['2019∼2020년', '3-4명이']
    """
    return [m[0] for m in _RANGE_WORD.finditer(compact_ranges(text))]


def range_parts(word: str) -> tuple[str, str, str, str] | None:
    """A word that is a range of numbers as (first number, last number, unit, what follows
    the last number's unit), numbers without commas; None for any other word.

    >>> range_parts("6~8일에"), range_parts("1,000-2,000원"), range_parts("6월~8일")
    (('6', '8', '일', '에'), ('1000', '2000', '원', ''), None)
    """
    m = _RANGE.fullmatch(word)
    if m is None:
        return None
    first, last = m[1].replace(",", ""), m[3].replace(",", "")
    after = normalize(m[3] + m[4])
    units = analyze(after).units
    if not units or not units[0][0].startswith(last):
        return None
    unit = units[0][0][len(last):]
    if m[2] and m[2].lower() != unit:  # 6월~8일 is no range of one unit
        return None
    return first, last, unit, after[units[0][2]:]
