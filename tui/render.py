"""Turning search records (text plus (start, end) marks) into rich Text for the terminal UI.

The search API returns data, never markup; this is the one place the TUI decides how a match
looks, so the results list, the preview and the tests agree. Every text from a document or a
query passes `tui.terminal.clean` here before it becomes a Text.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from rich.console import Console, Group
from rich.padding import Padding
from rich.style import Style
from rich.text import Text

from .terminal import clean, clean_marked

if TYPE_CHECKING:
    from search.types import Document, Facet, Hit, Snippet, Span


KEYS_HINT = "Press F1 for keys, ctrl+p for commands (index a folder, switch index, copy, open)."
"""The start screen's hint: F1 works while the search box has focus, where `?` is typed."""

MARK = Style(bold=True, color="black", bgcolor="#e5c07b")
CURRENT_MARK = Style(bold=True, color="black", bgcolor="#ff8c00", underline=True)
DIM = Style(dim=True)


def marked(text: str, marks: Sequence[Span], style: Style | str = "", mark: Style = MARK) -> Text:
    """Return `text` as rich Text with every (start, end) mark styled as a match.

    Newlines become spaces (same length, so marks keep their offsets), for one-paragraph views.

    >>> marked("서울 날씨", [(3, 5)]).spans[0].start
    3
    """
    out = Text(text, style=style, end="")
    for start, end in marks:
        if 0 <= start < end <= len(text):
            out.stylize(mark, start, end)
    return out


def flat(text: str) -> str:
    """Return `text` on one line, same length: newlines and tabs become spaces."""
    return text.replace("\r", " ").replace("\n", " ").replace("\t", " ")


def meta_line(date: dt.date | None, source: str, extra: str = "") -> Text:
    """Return the dim "date · source" line shown under a title."""
    parts = [p for p in (date.isoformat() if date else "", source, extra) if p]
    return Text(flat(clean(" · ".join(parts))), style=DIM, end="")


def title_text(title: str, marks: Sequence[Span], doc_id: str) -> Text:
    """Return a document's title, cleaned (`clean_marked`), marked and bold on one line; its
    id when it has no title."""
    text, marks = clean_marked(title, marks)
    if not text:
        return Text(flat(clean(doc_id)), style="bold", end="")
    return marked(flat(text), marks, style="bold")


SENTENCE_END = (".", "!", "?", "。", "…", "”", "’", '"', "'")


def passage(snippet: Snippet) -> Text:
    """Return a snippet on one line, marked, with "…" where it stops inside a sentence.

    >>> from search.types import Snippet
    >>> passage(Snippet("전문가 세 명에게 이 제안이 지닌 의미와", ())).plain[-4:]
    '의미와…'
    """
    text, marks = clean_marked(snippet.text, snippet.marks)
    text = flat(text).rstrip()
    out = marked(text, marks)
    if snippet.page:  # a PDF: the page the passage is on
        out = Text.assemble((f"p. {snippet.page} ", DIM), out)
    if text and not text.endswith(SENTENCE_END):
        out.append("…", style=DIM)
    return out


PASSAGE_INDENT = 2


def hit_parts(hit: Hit, snippets: int = 2) -> list[tuple[Text, int]]:
    """Return one result as (text, indent) parts, each wrapped on its own: marked title,
    date and source, up to `snippets` passages indented by `PASSAGE_INDENT`."""
    title = title_text(hit.title, hit.title_marks, hit.id)
    passages = [s for s in hit.snippets if s.field == "body"][:snippets]
    return [(title, 0), (meta_line(hit.date, hit.source), 0),
            *((passage(s), PASSAGE_INDENT) for s in passages)]


def hit_text(hit: Hit, snippets: int = 2) -> Group:
    """Return one result (`hit_parts`) as one rich renderable."""
    out: list[Text | Padding] = []
    for text, indent in hit_parts(hit, snippets):
        if indent:
            out.append(Padding(text, (0, 0, 0, indent)))
        else:
            text.end = "\n"
            out.append(text)
    return Group(*out)


def wrap_text(text: Text, width: int, console: Console) -> list[Text]:
    """Return `text` (one paragraph) wrapped to `width` cells as rich wraps it: at spaces,
    words longer than a line folded, trailing spaces past the edge dropped."""
    return list(text.wrap(console, max(1, width), overflow="fold"))


def counted(n: int, noun: str, plural: str = "") -> str:
    """Return `n` with its noun: `search.notices.counted`, imported at the first call because
    the first frame loads no library module (see tests/test_layering.py).

    >>> counted(1234, "match", "matches")
    '1,234 matches'
    """
    from search.notices import counted as library_counted

    return library_counted(n, noun, plural)


def document_header(doc: Document) -> Text:
    """Return the preview's metadata header: title, then date · source · tags, then URL or path."""
    out = title_text(doc.title, doc.title_marks, doc.id)
    out.append("\n")
    out.append_text(meta_line(doc.date, doc.source, ", ".join(doc.tags)))
    where = doc.url or doc.path
    if where:
        out.append("\n")
        out.append(flat(clean(where)), style=Style(dim=True, italic=True))
    return out


class WrappedLine(NamedTuple):
    """One screen line of a wrapped body: the slice [start, end) of the text."""

    start: int
    end: int


def wrap_offsets(text: str, width: int) -> list[WrappedLine]:
    """Wrap `text` to `width` cells, keeping each line's offsets so a mark can be scrolled to.

    Breaks where rich's `divide_line` would (at spaces; words longer than a line folded; wide
    Korean characters two cells), computed from per-character widths looked up at once, so
    a court decision of 300,000 characters wraps in tens of ms instead of a third of a second.

    >>> [(w.start, w.end) for w in wrap_offsets("가나다 라마", 8)]
    [(0, 4), (4, 6)]
    """
    import numpy as np

    width = max(width, 2)
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    cells_of, space_of = _char_tables(points)
    cum = np.zeros(len(points) + 1, dtype=np.int64)  # cells before each character
    np.cumsum(cells_of[points], out=cum[1:])
    solid = ~space_of[points]
    # Runs of non-space characters. A word, as rich's `divide_line` sees it, is a run and
    # the spaces after it; a paragraph's first word also takes the spaces before it.
    runs = np.flatnonzero(solid & np.r_[True, ~solid[:-1]])
    run_ends = np.flatnonzero(solid & np.r_[~solid[1:], True]) + 1
    starts, cells_at_start, cells_at_end = runs.tolist(), cum[runs].tolist(), cum[run_ends].tolist()
    lines: list[WrappedLine] = []
    pos = 0
    for paragraph in text.split("\n"):
        end = pos + len(paragraph)
        first, last = bisect_left(starts, pos), bisect_left(starts, end)
        breaks = [pos]
        origin = int(cum[pos])  # cells before the current line
        k = first
        while k < last:
            # Words k.. fit while they end (spaces after them aside) within the line.
            j = bisect_right(cells_at_end, origin + width, k, last)
            if j == last:
                break
            word, word_cells = (pos, int(cum[pos])) if j == first else (starts[j], cells_at_start[j])
            if cells_at_end[j] - word_cells <= width:  # it starts the next line
                breaks.append(word)
                origin = word_cells
            else:  # longer than a line: folded into chunks of at most `width` cells
                after = starts[j + 1] if j + 1 < last else end
                chunk = word
                while True:
                    if chunk > pos:
                        breaks.append(chunk)
                    nxt = max(chunk + 1, int(np.searchsorted(cum, cum[chunk] + width, "right")) - 1)
                    if nxt >= after:
                        break
                    chunk = nxt
                origin = int(cum[chunk])
            k = j + 1
        breaks.append(end)
        lines.extend(map(WrappedLine, breaks[:-1], breaks[1:]))
        pos = end + 1
    return lines


_TABLES: tuple[Any, Any] | None = None


def _char_tables(points: Any) -> tuple[Any, Any]:
    """Cells per code point (as rich counts them: -1 for one not asked about yet, filled in
    for those of `points`) and which code points are spaces."""
    global _TABLES
    import numpy as np
    from rich.cells import get_character_cell_size

    if _TABLES is None:
        space = np.zeros(0x110000, dtype=bool)
        space[[p for p in range(0x3001) if chr(p).isspace()]] = True  # none above U+3000
        _TABLES = np.full(0x110000, -1, dtype=np.int64), space
    cells = _TABLES[0]
    # A document has a few thousand distinct characters: ask rich about the new ones only.
    for point in np.unique(points[cells[points] < 0]).tolist():
        cells[point] = get_character_cell_size(chr(point))
    return _TABLES


def line_of(lines: Sequence[WrappedLine], offset: int) -> int:
    """Return the index of the wrapped line holding character `offset`."""
    starts = [line.start for line in lines]
    return max(0, bisect_right(starts, offset) - 1)


@dataclass(frozen=True)
class Period:
    """A run of months on the timeline: one bar."""

    first: str
    """`YYYY-MM` of the first month."""
    last: str
    count: int

    @property
    def since(self) -> dt.date:
        year, month = map(int, self.first.split("-"))
        return dt.date(year, month, 1)

    @property
    def until(self) -> dt.date:
        year, month = map(int, self.last.split("-"))
        nxt = dt.date(year + month // 12, month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        return self.first if self.first == self.last else f"{self.first}..{self.last}"


def _month_range(first: str, last: str) -> list[str]:
    year, month = map(int, first.split("-"))
    end = tuple(map(int, last.split("-")))
    out = []
    while (year, month) <= end:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def periods(months: Sequence[Facet], columns: int) -> list[Period]:
    """Group per-month counts (months without matches filled with 0) into at most `columns` bars.

    >>> from search.types import Facet
    >>> [(p.label, p.count) for p in periods([Facet("2024-01", 2), Facet("2024-03", 1)], 10)]
    [('2024-01', 2), ('2024-02', 0), ('2024-03', 1)]
    >>> [(p.label, p.count) for p in periods([Facet("2024-01", 2), Facet("2024-03", 1)], 2)]
    [('2024-01..2024-02', 2), ('2024-03', 1)]
    """
    valid = sorted((f for f in months if len(f.value) == 7 and f.value[4] == "-"), key=lambda f: f.value)
    if not valid or columns < 1:
        return []
    counts = {f.value: f.count for f in valid}
    every = _month_range(valid[0].value, valid[-1].value)
    size = -(-len(every) // columns)
    return [
        Period(chunk[0], chunk[-1], sum(counts.get(m, 0) for m in chunk))
        for chunk in (every[i : i + size] for i in range(0, len(every), size))
    ]
