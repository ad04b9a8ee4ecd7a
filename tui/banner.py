"""The line under the search box: the library's notices about a search (`search.notices`),
rendered for the screen, with the "Did you mean" query as a button.

What the notices say is decided in the library, so the screen, the command line and `--json`
tell the same story; this module only styles it. Failures and "no match" are shown in the
results area instead, where the hits would be.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, Static

from .render import flat
from .terminal import clean

if TYPE_CHECKING:
    from search.notices import Notice
    from search.types import Results

__all__ = ["Banner", "banner_text"]

SHOWN_HERE = ("corrected", "also", "compounds", "partial", "ranked")
"""Notice kinds this line shows; `suggestion` is the button, `failure` and `nothing` the
results area, `note` a notification."""
_ROLE_STYLE = {"text": "", "term": "bold", "detail": "dim"}


def banner_text(found: tuple[Notice, ...]) -> Text:
    """The notices of the line as one text, joined with " · " (cleaned for the terminal).

    >>> from search.notices import Notice
    >>> str(banner_text((Notice("corrected", (("text", "Showing results for "),
    ...     ("term", "출산율"))), Notice("also", (("text", "Also searched "), ("term", "AI"))))))
    'Showing results for 출산율 · also searched AI'
    """
    out = Text(end="")
    for notice in (n for n in found if n.kind in SHOWN_HERE):
        parts = list(notice.parts)
        if out and notice.kind in ("also", "compounds") and parts \
                and parts[0][1].startswith("Also"):
            parts[0] = (parts[0][0], "a" + parts[0][1][1:])
        if out:
            out.append(" · ")
        italic = notice.kind in ("partial", "ranked")
        for role, text in parts:
            style = _ROLE_STYLE[role] + (" italic" if italic else "")
            out.append(flat(clean(text)), style=style.strip())
    return out


class Banner(Horizontal):
    """What the engine did with the query (corrections, aliases, partial matches) and the
    "Did you mean …?" button."""

    @dataclass
    class Accepted(Message):
        """The user picked the suggested query."""

        query: str

    suggestion: str | None = None
    _explained: str | None = None
    """The text shown (None: nothing set yet)."""

    def compose(self) -> ComposeResult:
        yield Static(id="rewrites")
        yield Button("", id="suggestion", compact=True, tooltip="Search for this instead (ctrl+y)")

    def show(self, results: Results | None) -> None:
        """Show the notices of `results`, hiding what does not apply."""
        found: tuple[Notice, ...] = ()
        if results is not None:
            from search.notices import notices  # loaded with the engine, not at start-up

            found = notices(results)
        suggestion = next((part for n in found if n.kind == "suggestion"
                           for role, part in n.parts if role == "term"), None)
        # Each update or display change costs the whole screen a layout pass, and most
        # results have nothing to say here: change only what changed.
        label = self.query_one("#rewrites", Static)
        explanation = banner_text(found)
        if explanation.plain != self._explained:
            self._explained = explanation.plain
            label.update(explanation)
            label.display = bool(explanation)
        button = self.query_one("#suggestion", Button)
        if suggestion != self.suggestion:
            button.label = Text.assemble(
                "Did you mean ", (flat(clean(suggestion or "")), "bold underline"),
                "" if (suggestion or "").endswith("?") else "?",
                (" ctrl+y", "dim"))
            self.suggestion = suggestion
        if button.display != (suggestion is not None):
            button.display = suggestion is not None
        shown = bool(explanation) or suggestion is not None
        if shown != self.display:
            self.display = shown

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if self.suggestion:
            self.post_message(self.Accepted(self.suggestion))
