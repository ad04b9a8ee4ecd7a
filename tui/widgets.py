"""Widgets of the kosearch terminal UI: the search box, results, timeline, filters and status.

They display search records and post small messages; the app decides what to search for.
The preview widgets live in `tui.preview`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive, reactive
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widget import Widget
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from .filters import FilterKey, Filters
from .render import (
    Period,
    counted,
    flat,
    hit_parts,
    periods,
    wrap_text,
)
from .terminal import clean

if TYPE_CHECKING:
    from textual.css.styles import RulesMap

    from search.types import Facet, Hit, Results

MORE_ID = "__more__"
TALL = 34
"""Terminal rows from which each result shows two snippets rather than one."""
BARS = " ▁▂▃▄▅▆▇█"


def format_elapsed(seconds: float) -> str:
    """Return a search time for the status bar (tests replace this to get stable snapshots)."""
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.0f} s"


def format_path(path: Path | None) -> str:
    """Return the index path for the status bar, with the home folder as `~`."""
    if path is None:
        return "no index"
    try:
        shown = "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        shown = str(path)
    return flat(clean(shown))


class CleanInput(Input):
    """An input box whose text is cleaned (`tui.terminal.clean`) and on one line, however it
    comes (typed, pasted or set): the box draws its text on the terminal as it is."""

    def validate_value(self, value: str) -> str:
        return flat(clean(value))

    def replace(self, text: str, start: int, end: int) -> None:
        super().replace(flat(clean(text)), start, end)  # the cursor goes after what is kept


class SearchInput(CleanInput):
    """The query box; down arrow moves into the results."""

    # Input grows its virtual width with the text, and the stock reactive asks for a layout
    # pass of the whole screen on every change: one per key typed. The box's own size never
    # depends on it (it is as wide as the screen), so a repaint is enough.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    BINDINGS = [
        Binding(
            "down",
            "app.focus_results",
            "Results",
            show=False,
            id="search.down",
            tooltip="Move to the results",
        ),
    ]


class HitVisual(Visual):
    """One hit (`render.hit_parts`) as the results list draws it: each part wrapped once per
    width (`render.wrap_text`) and the lines turned into strips directly. Textual's way with
    a rich renderable (rendered whole to count its height, then again through rich's console
    to paint) cost two thirds of the time a result set took to reach the screen."""

    def __init__(self, hit: Hit, snippets: int, console: Console) -> None:
        self._parts = hit_parts(hit, snippets)
        self._console = console
        self._lines: dict[int, list[tuple[int, Text]]] = {}

    def lines(self, width: int) -> list[tuple[int, Text]]:
        """(indent, text) of each screen line at `width` cells."""
        lines = self._lines.get(width)
        if lines is None:
            lines = self._lines[width] = [
                (indent, line)
                for text, indent in self._parts
                for line in wrap_text(text, width - indent, self._console)
            ]
        return lines

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self.lines(width))

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max(indent + text.cell_len for text, indent in self._parts)

    def render_strips(self, width: int, height: int | None, style: Style,
                      options: RenderOptions) -> list[Strip]:
        console = self._console
        base = style.rich_style
        strips = []
        for indent, line in self.lines(width)[:height]:
            if line.spans:
                segments = list(line.render(console))
            else:  # rich's render leaves out the text's own style when it has no spans
                segments = [Segment(line.plain, console.get_style(line.style) if line.style else None)]
            if indent:
                segments.insert(0, Segment(" " * indent))
            strips.append(Strip(Segment.apply_style(segments, base), indent + line.cell_len))
        return strips


class ResultList(OptionList):
    """One page (or more) of hits, each a title, date, source and marked snippets."""

    # Every new result set changes the list's virtual height, and the stock reactive asks for
    # a layout pass of the whole screen for it (every widget placed and repainted). The list's
    # own size comes from the stylesheet, never from its content; Textual shows or hides the
    # scrollbar (with a layout of its own) when the content starts or stops overflowing.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="results.down", tooltip="Next result"),
        Binding("k", "cursor_up", "Up", show=False, id="results.up", tooltip="Previous result"),
    ]

    @dataclass
    class More(Message):
        """The user asked for the next page of results."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.hits: list[Hit] = []
        self.total = 0
        self.snippets = 1
        """Snippets shown per hit: two when the terminal is tall enough."""
        self._asked_for = -1
        """The number of hits shown when the next page was last asked for."""

    def show(self, results: Results, *, append: bool = False) -> None:
        """Show `results`, replacing what is shown unless `append` (a next page)."""
        keep = self.highlighted if append else None
        if not append:
            self.hits = []
        seen = {hit.id for hit in self.hits}
        self.hits.extend(hit for hit in results.hits if hit.id not in seen)
        self.total = results.total
        self._render_hits(keep)

    def _render_hits(self, keep: int | None) -> None:
        self.snippets = 2 if self.app.size.height >= TALL else 1
        options: list[Option | None] = []
        for i, hit in enumerate(self.hits):
            if i:
                options.append(None)
            options.append(Option(HitVisual(hit, self.snippets, self.app.console),
                                  id=f"hit-{i}"))
        if len(self.hits) < self.total:
            more = Text(f"{len(self.hits)} of {self.total:,} shown · more…", style="dim italic")
            options += [None, Option(more, id=MORE_ID)]
        self.set_options(options)
        if self.hits:
            self.highlighted = keep if keep is not None and keep < self.option_count else 0

    def on_resize(self) -> None:
        if self.hits and self.snippets != (2 if self.app.size.height >= TALL else 1):
            self._render_hits(self.highlighted)

    def clear_hits(self) -> None:
        """Show nothing."""
        self.hits = []
        self.total = 0
        self.clear_options()

    @property
    def current(self) -> Hit | None:
        """The highlighted hit, if any."""
        if self.highlighted is None:
            return None
        option_id = self.get_option_at_index(self.highlighted).id or ""
        if not option_id.startswith("hit-"):
            return None
        return self.hits[int(option_id[4:])]

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == MORE_ID:
            event.stop()
            self._more()

    def _on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id == MORE_ID:  # moving past the last result loads the next page
            event.stop()
            self._more()

    def _more(self) -> None:
        if self._asked_for != len(self.hits):  # once per page, however often it is reached
            self._asked_for = len(self.hits)
            self.post_message(self.More())


class Timeline(Widget, can_focus=True):
    """Matching documents per month as a bar strip; Enter or a click filters to a period."""

    BINDINGS = [
        Binding(
            "left,h",
            "move(-1)",
            "Earlier",
            show=False,
            id="timeline.left",
            tooltip="Earlier period",
        ),
        Binding("right,l", "move(1)", "Later", show=False, id="timeline.right", tooltip="Later period"),
        Binding("home", "move(-100000)", "First", show=False, id="timeline.first"),
        Binding("end", "move(100000)", "Last", show=False, id="timeline.last"),
        Binding(
            "enter",
            "choose",
            "Filter to period",
            id="timeline.choose",
            tooltip="Show only the highlighted period",
        ),
    ]

    COMPONENT_CLASSES = {"timeline--bar", "timeline--cursor"}

    months: reactive[tuple[Facet, ...]] = reactive(())
    cursor = reactive(-1)
    """Index of the highlighted bar; -1 until the user moves it: the latest bar with matches.

    Resolved when used, because the number of bars depends on the width, which is 0 while
    the timeline is hidden."""

    @dataclass
    class Chosen(Message):
        """The user picked a period to filter to."""

        period: Period

    def _periods(self) -> list[Period]:
        return periods(self.months, max(self.size.width // 2, 1))

    def _cursor(self, bars: list[Period]) -> int:
        if 0 <= self.cursor < len(bars):
            return self.cursor
        with_matches = [i for i, bar in enumerate(bars) if bar.count]
        return with_matches[-1] if with_matches else len(bars) - 1

    @property
    def current(self) -> Period | None:
        """The period under the cursor."""
        bars = self._periods()
        index = self._cursor(bars)
        return bars[index] if 0 <= index < len(bars) else None

    def watch_months(self) -> None:
        self.cursor = -1

    def on_resize(self) -> None:
        self.cursor = -1  # another width groups the months into other bars

    def render(self) -> Text:
        bars = self._periods()
        if not bars:
            return Text("")
        top = max(p.count for p in bars) or 1
        bar = self.get_component_rich_style("timeline--bar")
        cursor = self.get_component_rich_style("timeline--cursor")
        here = self._cursor(bars)
        line = Text(end="")
        for i, period in enumerate(bars):
            level = 0 if not period.count else max(1, round(period.count / top * 8))
            line.append(BARS[level], style=cursor if i == here and self.has_focus else bar)
            line.append(" ")
        if self.has_focus:
            label = Text.assemble(
                (f"{bars[here].label}: {bars[here].count:,}", "bold"),
                ("  ←/→ move · Enter filters · Esc leaves", "dim"),
            )
        else:
            label = Text.assemble(
                (f"{bars[0].first} … {bars[-1].last}", "dim"), ("  t: filter by month", "dim italic")
            )
        return Text.assemble(line, "\n", label)

    def action_move(self, step: int) -> None:
        """Move `step` bars, over those without matches; a large step goes to the first or last."""
        bars = self._periods()
        with_matches = [i for i, bar in enumerate(bars) if bar.count]
        if not with_matches:
            return
        here = self._cursor(bars)
        if step < 0:
            before = [i for i in with_matches if i < here]
            self.cursor = before[max(step, -len(before))] if before else with_matches[0]
        else:
            after = [i for i in with_matches if i > here]
            self.cursor = after[min(step, len(after)) - 1] if after else with_matches[-1]

    def action_choose(self) -> None:
        period = self.current
        if period is not None and period.count:
            self.post_message(self.Chosen(period))

    def on_click(self, event: events.Click) -> None:
        bars = self._periods()
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = offset.x // 2
        if offset.y == 0 and 0 <= index < len(bars) and bars[index].count:
            self.cursor = index
            self.post_message(self.Chosen(bars[index]))

    def _on_focus(self, event: events.Focus) -> None:
        self.refresh()

    def _on_blur(self, event: events.Blur) -> None:
        self.refresh()


class FilterBar(Horizontal):
    """The active filters as chips; pressing a chip removes that filter."""

    filters: reactive[Filters] = reactive(Filters, recompose=True)

    @dataclass
    class Removed(Message):
        """The user removed the filter `key`."""

        key: FilterKey

    def compose(self) -> ComposeResult:
        for key, label in self.filters.chips():
            yield Button(
                Content(flat(clean(f"{label} ✕"))),
                id=f"chip-{key}",
                compact=True,
                classes="chip",
                tooltip="Remove this filter",
            )

    def watch_filters(self, filters: Filters) -> None:
        self.display = bool(filters.chips())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        key = (event.button.id or "").removeprefix("chip-")
        if key in ("since", "until", "sources", "sort"):
            self.post_message(self.Removed(key))  # type: ignore[arg-type]


class StatusBar(Static):
    """Index path and size, results count, query time, and what is running."""

    path: reactive[Path | None] = reactive(None)
    documents = reactive(0)
    is_sample = reactive(False)
    total: reactive[int | None] = reactive(None)
    elapsed = reactive(0.0)
    busy = reactive("")
    """What is running ("loading analyzer…", "indexing…"), shown first."""

    def render(self) -> Text:
        return self.render_line_text(self.content_size.width)

    def render_line_text(self, width: int) -> Text:
        """The status line in `width` cells: the path is shortened first, from its left,
        so the counts and the query time at the end stay readable at 80 columns."""
        busy = flat(clean(self.busy))
        if self.path is None and busy:  # opening: no path or size to tell yet
            return Text(f"⏳ {busy}", style="bold", end="", no_wrap=True, overflow="ellipsis")
        tail = Text(end="")
        if self.is_sample:
            tail.append(" (sample)", style="italic")
        tail.append(f" · {counted(self.documents, 'doc')}")
        if self.total is not None:
            noun = "match" if self.total == 1 else "matches"
            tail.append(f" │ {self.total:,} {noun}", style="bold")
            tail.append(f" · {format_elapsed(self.elapsed)}")
        head = Text(end="")
        if busy:
            head.append(f"⏳ {busy}  ", style="bold")
        path = format_path(self.path)
        room = width - head.cell_len - tail.cell_len
        if cell_len(path) > room:
            while path and cell_len(path) > room - 1:
                path = path[1:]
            path = "…" + path if room > 1 else ""
        out = Text.assemble(head, path, tail, end="", no_wrap=True, overflow="ellipsis")
        out.truncate(max(width, 0), overflow="ellipsis")
        return out


