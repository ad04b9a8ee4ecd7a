"""Making untrusted text safe to show on a terminal: the one filter every document text, path,
id, query echo and problem message passes through before the CLI or the TUI prints it.

An article, a file name or a pasted query can hold escape sequences that retitle the window,
clear the screen, hide a hyperlink or reorder a line (bidi controls). `clean` removes them
whole (not only the ESC byte, which would leave `]0;title` behind) and keeps every letter,
Hanja, emoji and combining mark. `--json` output is not cleaned: it is exact data.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text

__all__ = ["clean", "clean_marked", "FORBIDDEN", "problem_line"]

_ST = r"(?:\x07|\x1b\\|\x9c)"
"""What ends an OSC string (BEL or String Terminator, 7- or 8-bit)."""
_LONGEST = 4096
"""Longest OSC/DCS body removed with its introducer; a longer or unterminated one loses only
its introducer (the rest is then plain text), so one stray byte never swallows a document."""

_FIRST = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
)
"""Any character a sequence `clean` removes starts with: one character class, which `re`
scans for far faster than it tries the alternatives of `_unsafe()` at every position."""

_UNSAFE_PATTERN = (
    f"(?={_FIRST.pattern})(?:"  # fails at once where no sequence can start
    + "|".join((
        r"\x1b\[[0-?]*[ -/]*[@-~]",  # CSI: ESC [ parameters intermediates final
        r"\x9b[0-?]*[ -/]*[@-~]",  # CSI as one C1 byte
        rf"(?:\x1b\]|\x9d)[^\x07\x1b\x9c\n]{{0,{_LONGEST}}}{_ST}",  # OSC (titles, OSC 8 links)
        rf"(?:\x1b[PX^_]|[\x90\x98\x9e\x9f])[^\x1b\x9c\n]{{0,{_LONGEST}}}(?:\x1b\\|\x9c)",  # DCS SOS PM APC
        r"\x1b[ -/]*[0-~]",  # any other escape sequence (and the introducers left unterminated)
        r"\r\n?|[\x0b\x0c\x85\u2028\u2029]",  # line breaks other than \n: become \n
        r"[\x00-\x08\x0e-\x1f\x7f-\x9f]",  # the other C0 controls (tab and newline stay), DEL, C1
        r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]",  # bidi marks, overrides and isolates
        r"[\ud800-\udfff]",  # lone surrogates (undecodable bytes of a file name): U+FFFD
    ))
    + ")"
)


@cache
def _unsafe() -> re.Pattern[str]:
    """The sequences `clean` removes, compiled when first met (a few ms the UI's first frame
    need not wait for: clean text only meets `_FIRST`)."""
    return re.compile(_UNSAFE_PATTERN)

FORBIDDEN = frozenset(
    [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0), 0x061C, 0x200E, 0x200F,
     *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029, *range(0xD800, 0xE000)]
)
"""Code points `clean` never lets through."""


def _replacement(match: re.Match[str]) -> str:
    first = match.group()[0]
    if first in "\r\x0b\x0c\x85\u2028\u2029":
        return "\n"
    if "\ud800" <= first <= "\udfff":
        return "\ufffd"
    return ""


def clean(text: str) -> str:
    """Return `text` without escape sequences, control characters (tab and newline stay; other
    line breaks become newlines) or bidi controls, ready for any terminal.

    >>> clean("\\x1b]0;owned\\x07제목\\x1b[2J 본문\\x9b5m")
    '제목 본문'
    >>> clean("a\\r\\nb\\u202ec")
    'a\\nbc'
    """
    if _FIRST.search(text) is None:  # nearly always: no copy, one scan in C
        return text
    return _unsafe().sub(_replacement, text)


def clean_marked(
    text: str, marks: Iterable[tuple[int, int]]
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Return `clean(text)` and `marks` ((start, end) offsets into `text`) moved onto it.

    Removed characters shift what follows; a mark that only covered removed characters is
    dropped.

    >>> clean_marked("\\x1b[1m서울\\x1b[0m 날씨", [(4, 6), (11, 13)])
    ('서울 날씨', ((0, 2), (3, 5)))
    """
    marks = tuple(marks)
    if _FIRST.search(text) is None:
        return text, marks
    pieces: list[str] = []
    starts: list[int] = []  # where each removed match starts and ends in `text`
    ends: list[int] = []
    before: list[int] = []  # where it starts and ends in the cleaned text
    after: list[int] = []
    pos = size = 0
    for match in _unsafe().finditer(text):
        start, end = match.span()
        replacement = _replacement(match)
        pieces += (text[pos:start], replacement)
        size += start - pos
        starts.append(start)
        ends.append(end)
        before.append(size)
        size += len(replacement)
        after.append(size)
        pos = end
    pieces.append(text[pos:])

    def moved(offset: int) -> int:
        i = bisect_right(starts, offset) - 1
        if i < 0:
            return offset
        if offset >= ends[i]:
            return after[i] + offset - ends[i]
        return before[i]  # at or inside a removed sequence: where it was

    out = []
    for start, end in marks:
        a, b = moved(start), moved(end)
        if a < b:
            out.append((a, b))
    return "".join(pieces), tuple(out)


def problem_line(kind: str, message: str) -> Text:
    """An "error: ..." or "note: ..." line for the command line; `message` is data, shown as
    it is, made safe.

    >>> problem_line("note", "a\x1b[2Jb").plain
    'note: ab'
    """
    from rich.text import Text

    return Text.assemble((f"{kind}:", "red" if kind == "error" else "yellow"), " ", clean(message))
