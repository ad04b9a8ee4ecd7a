"""Screens pushed over the search screen: a document preview, filters, a folder prompt and help."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.suggester import Suggester
from textual.widgets import (
    Button,
    Footer,
    Input,
    Label,
    RadioButton,
    RadioSet,
    SelectionList,
    Static,
)
from textual.widgets.selection_list import Selection

from .filters import Filters, parse_date, source_label
from .preview import Preview
from .render import flat
from .terminal import clean
from .widgets import CleanInput

if TYPE_CHECKING:
    from search.types import Document, Facet, SortOrder


class PreviewScreen(Screen[None]):
    """A whole document on its own screen, used when the terminal is too narrow for a side pane."""

    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back", id="preview.back", tooltip="Back to the results"),
    ]

    def __init__(self, document: Document) -> None:
        super().__init__()
        self.document = document

    def compose(self) -> ComposeResult:
        yield Preview(id="preview-screen")
        yield Footer()

    def on_mount(self) -> None:
        preview = self.query_one(Preview)
        preview.show(self.document)
        preview.body.focus()


class FilterScreen(ModalScreen[Filters | None]):
    """Date range, sources (with their counts) and sort order; dismisses with the new filters."""

    BINDINGS = [
        Binding(
            "escape",
            "dismiss(None)",
            "Cancel",
            id="filters.cancel",
            tooltip="Keep the filters as they were",
        ),
        Binding("ctrl+s", "apply", "Apply", id="filters.apply", tooltip="Search with these filters"),
    ]

    AUTO_FOCUS = "#since"
    """Open with the cursor in "From", so a date can be typed at once."""

    def __init__(self, filters: Filters, sources: tuple[Facet, ...]) -> None:
        super().__init__()
        self.filters = filters
        self.sources = sources

    def compose(self) -> ComposeResult:
        chosen = set(self.filters.sources)
        known = {facet.value for facet in self.sources}
        counts = [(f.value, f.count) for f in self.sources]
        counts += [(value, 0) for value in sorted(chosen - known)]  # chosen, no match now
        with VerticalScroll(id="filter-dialog", classes="dialog"):
            yield Label("Filters", classes="dialog-title")
            with Horizontal(classes="row"):
                yield Label("From", classes="field-label")
                yield CleanInput(self._date(self.filters.since), placeholder="YYYY-MM-DD", id="since")
                yield Label("until", classes="field-label")
                yield CleanInput(self._date(self.filters.until), placeholder="YYYY-MM-DD", id="until")
            yield Label("Sources (matches of the current query)", classes="field-label")
            yield SelectionList[str](
                *(
                    Selection(Content(flat(clean(f"{source_label(value)}  ({count:,})"))), value,
                              value in chosen)
                    for value, count in counts
                ),
                id="sources",
            )
            with RadioSet(id="sort"):
                yield RadioButton("Relevance", value=self.filters.sort == "relevance", id="sort-relevance")
                yield RadioButton("Newest first", value=self.filters.sort == "date", id="sort-date")
            with Horizontal(classes="buttons"):
                yield Button("Apply", variant="primary", id="apply", compact=True)
                yield Button("Clear all", id="clear", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
            yield Static(
                "Tab: next field · Space: tick a source · ctrl+s: apply · Esc: cancel",
                classes="hint keys",
            )

    def on_mount(self) -> None:
        sources = self.query_one("#sources", SelectionList)
        if sources.option_count:
            sources.highlighted = 0  # else Space does nothing until an arrow key is pressed

    @staticmethod
    def _date(value: object) -> str:
        return value.isoformat() if value is not None else ""  # type: ignore[attr-defined]

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_apply()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "apply":
            self.action_apply()
        elif event.button.id == "clear":
            self.dismiss(Filters())
        else:
            self.dismiss(None)

    def action_apply(self) -> None:
        """Dismiss with the filters as entered, or say which date cannot be read."""
        try:
            since = parse_date(self.query_one("#since", Input).value)
            until = parse_date(self.query_one("#until", Input).value, end=True)
        except ValueError as error:
            self.notify(str(error), title="Filters", severity="error")
            return
        sources = tuple(self.query_one("#sources", SelectionList).selected)
        newest = self.query_one("#sort-date", RadioButton).value
        sort: SortOrder = "date" if newest else "relevance"
        self.dismiss(Filters(since=since, until=until, sources=sources, sort=sort))


class FolderSuggester(Suggester):
    """Suggest the rest of a folder name as the user types a path (→ accepts it)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        typed = Path(value).expanduser()
        folder, start = (typed, "") if value.endswith("/") else (typed.parent, typed.name)
        try:
            names = sorted(
                entry.name
                for entry in folder.iterdir()
                if entry.name.startswith(start)
                and entry.name != start
                and entry.is_dir()
                and (start.startswith(".") or not entry.name.startswith("."))
                and flat(clean(entry.name)) == entry.name  # else drawn raw, and not typeable
            )
        except OSError:
            return None
        return f"{value}{names[0][len(start) :]}/" if names else None


class PathScreen(ModalScreen[Path | None]):
    """Ask for a folder; dismisses with it, or None."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="path.cancel", tooltip="Do nothing")]

    def __init__(self, title: str, hint: str, value: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.hint = hint
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="path-dialog"):
            yield Label(Content(clean(self.title_text)), classes="dialog-title")
            yield Static(Content(clean(self.hint)), classes="hint")
            yield CleanInput(
                self.value, placeholder="/path/to/folder", id="path", suggester=FolderSuggester()
            )
            yield Static("→ completes a folder name · Enter: OK · Esc: cancel", classes="hint keys")
            with Horizontal(classes="buttons"):
                yield Button("OK", variant="primary", id="ok", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "ok":
            self._submit()
        else:
            self.dismiss(None)

    def _submit(self) -> None:
        text = self.query_one("#path", Input).value.strip()
        if not text:
            self.notify("Type a folder path", severity="warning")
            return
        path = Path(text).expanduser()
        if not path.is_dir():
            self.notify(f"Not a folder: {path}", severity="error")
            return
        self.dismiss(path.resolve())


HELP = [
    (
        "Search",
        [
            ("/", "focus the search box"),
            ("↓", "from the search box: into the results"),
            ("Enter", "from the search box: open the highlighted result"),
            ("↑ ↓  j k", "move between results"),
            ("Enter", "open the highlighted result"),
            ("Esc", "go back; in the search box: clear the query"),
        ],
    ),
    (
        "Preview",
        [
            ("n / N", "next / previous match"),
            ("/", "back to the search box"),
            ("↑ ↓ j k", "scroll a line (the mouse wheel too)"),
            ("PgUp PgDn, space b", "scroll a page"),
        ],
    ),
    (
        "Filters",
        [
            ("f", "date range, sources, sort order"),
            ("s", "toggle relevance / newest first"),
            ("t", "timeline: ←/→ pick a month, Enter filters to it"),
            ("x", "clear all filters (or click a filter to remove it)"),
            ("ctrl+y", 'search the suggested query ("did you mean")'),
        ],
    ),
    (
        "Elsewhere",
        [
            (
                "ctrl+p",
                "commands: index a folder, switch index, copy id/URL, open in browser/editor",
            ),
            ("? or F1", "this help (F1 in the search box)"),
            ("ctrl+q", "quit"),
        ],
    ),
]


class HelpScreen(ModalScreen[None]):
    """Keys and commands."""

    BINDINGS = [
        Binding("escape,question_mark,q,f1", "dismiss", "Close", id="help.close", tooltip="Close help")
    ]

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for section, keys in HELP:
            table.add_row(Text(section, style="bold underline"), "")
            for key, what in keys:
                table.add_row(f"  {key}", what)
            table.add_row("", "")
        with VerticalScroll(classes="dialog", id="help-dialog"):
            yield Label("kosearch help", classes="dialog-title")
            yield Static(table)
