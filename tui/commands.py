"""Command palette (ctrl+p) commands of the kosearch terminal UI; each one runs an app action."""

from __future__ import annotations

from textual.command import DiscoveryHit, Hit, Hits, Provider

COMMANDS: list[tuple[str, str, str]] = [
    ("Index a folder…", "index_folder", "Add a folder's documents to your index, then search them"),
    ("Switch index…", "switch_index", "Open another kosearch index folder"),
    ("Toggle sort: relevance / newest first", "toggle_sort", "Order results by score or by date"),
    ("Filters…", "filters", "Date range, sources and sort order"),
    ("Clear filters", "clear_filters", "Remove every date, source and sort filter"),
    ("Copy document id", "copy_id", "Copy the selected document's id to the clipboard"),
    ("Copy URL", "copy_url", "Copy the selected document's URL to the clipboard"),
    ("Open URL in browser", "open_url", "Open the selected document's URL in a web browser"),
    ("Open source file in $EDITOR", "open_source", "Edit the file the selected document came from"),
    ("Help: keys", "help", "Show the keys and what they do"),
]
"""(title, app action, help) of every command, in the order the palette lists them."""


class KosearchCommands(Provider):
    """Offers the kosearch commands; fuzzy-matches what the user types against their titles."""

    def _callback(self, action: str):  # type: ignore[no-untyped-def]
        async def run() -> None:
            await self.app.run_action(action)

        return run

    async def discover(self) -> Hits:
        for title, action, help_text in COMMANDS:
            yield DiscoveryHit(title, self._callback(action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, action, help_text in COMMANDS:
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(title),
                    self._callback(action),
                    text=title,
                    help=help_text,
                )
