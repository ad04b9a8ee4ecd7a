"""Helpers for the TUI tests: run Pilot tests without an asyncio plugin, and wait for the app.

The tests run against the real index of the sample corpus from conftest's `sample_index`.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from typing import Any

from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot

from search.types import Hit
from tui.app import KosearchApp
from tui.commands import COMMANDS
from tui.screens import PreviewScreen
from tui.widgets import SearchInput


def pilot_test(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async Pilot test in its own event loop (no pytest asyncio plugin needed)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


STEP = 0.02
"""Seconds of each pause while `wait_for` waits."""
GIVE_UP = 6000
"""Pauses after which `wait_for` fails: a guard against a test that would hang (two minutes
of pauses at least, for Kiwi loading in a child process on a machine busy with other work),
not a statement about speed."""


async def wait_for(pilot: Pilot, condition: Callable[[], object], pauses: int = GIVE_UP) -> None:
    """Let the app run until `condition()` holds; fail after `pauses` pauses of the app.

    Each pause lets the app process its messages, timers and the answers of its workers; no
    clock is read and nothing is asserted about how long that takes."""
    for _ in range(pauses):
        if condition():
            return
        await pilot.pause(STEP)
    if not condition():
        raise AssertionError(f"{condition} still false after {pauses} pauses")


async def ready(pilot: Pilot[None]) -> KosearchApp:
    """Wait until the app's index is open and its analyzer loaded."""
    app = pilot.app
    assert isinstance(app, KosearchApp)
    await wait_for(pilot, lambda: app.analyzer_ready)
    await pilot.pause()
    return app


async def search(pilot: Pilot[None], query: str) -> KosearchApp:
    """Type `query` into the (emptied) search box and wait until its results are on screen."""
    app = await ready(pilot)
    box = app.query_one("#search", SearchInput)
    box.focus()
    box.value = ""
    await pilot.press(*query)
    await wait_for(pilot, lambda: app.settled and app.rendered[0] == query)
    await pilot.pause()
    return app


async def open_preview(pilot: Pilot[None], query: str) -> KosearchApp:
    """Search `query`, press Enter on the first result and wait for the preview screen."""
    app = await search(pilot, query)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, PreviewScreen))
    return app


async def run_command(pilot: Pilot[None], title: str) -> None:
    """Run the palette command whose title starts with `title`, and wait until its action has
    run (watched through the app's `run_action`, which the palette calls)."""
    app = pilot.app
    action = next(a for t, a, _ in COMMANDS if t.startswith(title))
    ran: list[str] = []
    run_action = app.run_action

    async def watched(name: str, *args: object, **kwargs: object) -> bool:
        try:
            return await run_action(name, *args, **kwargs)  # type: ignore[arg-type]
        finally:
            ran.append(name)

    def highlighted() -> str:
        if not isinstance(app.screen, CommandPalette):
            return ""
        options = app.screen.query_one(CommandList)
        at = options.highlighted
        return "" if at is None else str(options.get_option_at_index(at).prompt)

    app.run_action = watched  # type: ignore[method-assign,assignment]
    try:
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*title)
        await wait_for(pilot, lambda: highlighted().startswith(title))
        await pilot.press("enter")
        await wait_for(pilot, lambda: action in ran)
    finally:
        del app.run_action


def make_hit(**fields: Any) -> Hit:
    """A search hit for rendering tests: `fields` over a bare one (id "a", source "s")."""
    base: dict[str, Any] = {"id": "a", "title": "t", "score": 1.0, "date": None, "source": "s",
                            "url": ""}
    return Hit(**(base | fields))
