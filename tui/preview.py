"""The preview of one document: metadata header and the whole body with every match marked.

The body is a Line API widget because it must know which screen line holds each match, to
jump between matches with n/N; it wraps with offsets itself (`render.wrap_offsets`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static

from .render import CURRENT_MARK, WrappedLine, document_header, line_of, marked, wrap_offsets
from .terminal import clean_marked

_BLANKED = re.compile("[\a\b\t\v\f\r]")
"""Characters shown as spaces: those rich's Text leaves out (`rich.control.strip_control_codes`)
and tabs (no width to rich), so a line keeps its length and the marks their places."""

PAGE_BREAK = Style(overline=True)
"""The line where a PDF page starts is ruled off above."""
PAGE_LABEL = Style(dim=True, italic=True)

if TYPE_CHECKING:
    from search.types import Document


class DocumentView(ScrollView, can_focus=True):
    """A document body, wrapped to the widget's width, with a current match to jump from."""

    # n/N are named on the match line above the body, so the footer keeps room for "? Help".
    BINDINGS = [
        Binding(
            "n",
            "next_match",
            "Next match",
            id="preview.next",
            show=False,
            tooltip="Scroll to the next match",
        ),
        Binding(
            "N",
            "previous_match",
            "Prev match",
            id="preview.previous",
            show=False,
            tooltip="Scroll to the previous match",
        ),
        Binding("j", "scroll_down", "Down", show=False, id="preview.down"),
        Binding("k", "scroll_up", "Up", show=False, id="preview.up"),
        Binding("space", "page_down", "Page down", show=False, id="preview.page_down"),
        Binding("b", "page_up", "Page up", show=False, id="preview.page_up"),
    ]

    current = reactive(-1, always_update=True)
    """Index into the document's body marks of the match jumped to, or -1."""

    @dataclass
    class MatchMoved(Message):
        """The current match changed (index from 0, or -1 when there are none)."""

        view: DocumentView
        index: int
        total: int

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.document: Document | None = None
        self._plain = ""
        """The body as drawn: cleaned (`tui.terminal.clean`), tabs as spaces."""
        self._marks: tuple[tuple[int, int], ...] = ()
        self._mark_ends: list[int] = []
        self._pages: list[int] = []
        """Where pages 2, 3... of a PDF start in the body as drawn."""
        self._lines: list[WrappedLine] = []
        self._width = 0

    @property
    def marks(self) -> tuple[tuple[int, int], ...]:
        """The body's marks, as offsets into the body as drawn (`text`)."""
        return self._marks

    @property
    def text(self) -> str:
        """The body as drawn: without control characters, tabs as spaces."""
        return self._plain

    @property
    def lines(self) -> list[WrappedLine]:
        """The body's screen lines at the current width."""
        return self._lines

    def show(self, document: Document | None) -> None:
        """Show `document` from its top, its first match current."""
        self.document = document
        body, self._marks = clean_marked(document.body, document.body_marks) if document else ("", ())
        self._plain = _BLANKED.sub(" ", body)
        self._mark_ends = [end for _, end in self.marks]
        starts = [(p, p + 1) for p in (document.pages[1:] if document else ()) if p < len(body)]
        # Moved as marks are: cleaning may have removed characters before a page start.
        self._pages = [start for start, _ in clean_marked(document.body, starts)[1]] if (
            document and starts) else []
        self._width = 0
        self._rewrap()
        self.scroll_to(0, 0, animate=False)
        self.current = 0 if self.marks else -1

    def _rewrap(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0 or width == self._width:
            return
        self._width = width
        self._lines = wrap_offsets(self._plain, width)
        self.virtual_size = Size(width, len(self._lines))
        self.refresh()

    def on_resize(self) -> None:
        self._rewrap()
        self._scroll_to_current()

    def watch_current(self, index: int) -> None:
        self.refresh()
        self._scroll_to_current()
        self.post_message(self.MatchMoved(self, index, len(self.marks)))

    def _scroll_to_current(self) -> None:
        if not (0 <= self.current < len(self.marks)) or not self._lines:
            return
        line = line_of(self._lines, self.marks[self.current][0])
        height = self.scrollable_content_region.height
        if not self.scroll_y <= line < self.scroll_y + height:
            self.scroll_to(y=max(0, line - height // 3), animate=False)

    @property
    def current_line(self) -> int | None:
        """The screen line of the current match, if any."""
        if 0 <= self.current < len(self.marks) and self._lines:
            return line_of(self._lines, self.marks[self.current][0])
        return None

    def action_next_match(self) -> None:
        if self.marks:
            self.current = (self.current + 1) % len(self.marks)

    def action_previous_match(self) -> None:
        if self.marks:
            self.current = (self.current - 1) % len(self.marks)

    def render_line(self, y: int) -> Strip:
        self._rewrap()
        index = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        style = self.rich_style
        if not 0 <= index < len(self._lines):
            return Strip.blank(width, style)
        line = self._lines[index]
        # Built from the line's own slice: slicing the document's Text divides all of it,
        # which took ~2 ms a line on a court decision.
        marks = self.marks
        i = bisect.bisect_right(self._mark_ends, line.start)
        spans = []
        while i < len(marks) and marks[i][0] < line.end:
            start, end = marks[i]
            spans.append((max(start, line.start) - line.start, min(end, line.end) - line.start))
            i += 1
        text = marked(self._plain[line.start : line.end], spans)
        if 0 <= self.current < len(self.marks):
            start, end = self.marks[self.current]
            if start < line.end and end > line.start:
                text.stylize(
                    CURRENT_MARK,
                    max(start, line.start) - line.start,
                    min(end, line.end) - line.start,
                )
        page = bisect.bisect_left(self._pages, line.start)
        if page < len(self._pages) and self._pages[page] < line.end:
            # A PDF page starts on this line: rule it off and say which page begins.
            text.stylize(PAGE_BREAK)
            text.append(f"  p. {page + 2}", style=PAGE_LABEL)
        segments = list(text.render(self.app.console, end=""))
        strip = Strip(Segment.apply_style(segments, style))
        return strip.crop_extend(0, width, style)


class Preview(Vertical):
    """Metadata header, match counter and body of one document."""

    def compose(self) -> ComposeResult:
        yield Static(id="doc-header")
        yield Static(id="doc-matches")
        yield DocumentView(id="doc-body")

    def show(self, document: Document | None) -> None:
        """Show `document`, or a hint when there is none."""
        header = self.query_one("#doc-header", Static)
        header.update(document_header(document) if document else Text("Nothing selected", style="dim"))
        self.query_one(DocumentView).show(document)

    @property
    def body(self) -> DocumentView:
        return self.query_one(DocumentView)

    def on_document_view_match_moved(self, event: DocumentView.MatchMoved) -> None:
        label = self.query_one("#doc-matches", Static)
        if event.view.document is None:
            label.update("")
        elif event.total:
            label.update(
                Text.assemble(
                    (f"match {event.index + 1}/{event.total}", "bold"),
                    ("  n/N next/previous", "dim"),
                )
            )
        elif event.view.document.title_marks:  # a document found: say where, never "no match"
            label.update(Text("match in the title", style="dim"))
        else:
            label.update(Text("nothing of the query to mark", style="dim"))
