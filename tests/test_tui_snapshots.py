"""TUI: snapshots of the main screens (pytest-textual-snapshot; update with --snapshot-update)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_support import ready, search, wait_for
from textual.widgets import Input

import tui.widgets
from tui.app import make_app
from tui.preview import Preview
from tui.screens import FilterScreen, HelpScreen, PreviewScreen


@pytest.fixture(autouse=True)
def stable_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    """Show a fixed path and query time and a steady cursor, so snapshots do not depend on
    the machine or on when the picture is taken."""
    monkeypatch.setattr(tui.widgets, "format_elapsed", lambda seconds: "12 ms")
    monkeypatch.setattr(tui.widgets, "format_path", lambda path: "~/index")
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


def test_start_screen(snap_compare, sample_index: Path) -> None:  # type: ignore[no-untyped-def]
    """The start screen: search box, what is searched, status bar and keys."""

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await ready(pilot)

    assert snap_compare(make_app(sample_index), terminal_size=(80, 24), run_before=run_before)


def test_results_narrow(snap_compare, sample_index: Path) -> None:  # type: ignore[no-untyped-def]
    """Results at 80x24: timeline, hits with marked snippets, count and time."""

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await search(pilot, "인공지능")

    assert snap_compare(make_app(sample_index), terminal_size=(80, 24), run_before=run_before)


def test_preview_screen(snap_compare, sample_index: Path) -> None:  # type: ignore[no-untyped-def]
    """The preview screen at 80x24 with the second match current."""

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await search(pilot, "인공지능")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, PreviewScreen))
        await pilot.press("n")
        await pilot.pause()

    assert snap_compare(make_app(sample_index), terminal_size=(80, 24), run_before=run_before)


def test_wide_with_preview_pane_and_filters(snap_compare, sample_index: Path) -> None:  # type: ignore[no-untyped-def]
    """At 140 columns: results beside the preview pane, with a sort chip shown."""

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        app = await search(pilot, "APEC")
        await pilot.press("down", "s")
        await wait_for(pilot, lambda: app.filters.sort == "date" and app.settled)
        pane = app.query_one("#preview-pane", Preview)
        await wait_for(pilot, lambda: pane.body.document is not None)
        await pilot.pause()

    assert snap_compare(make_app(sample_index), terminal_size=(140, 36), run_before=run_before)


def test_filter_dialog(snap_compare, sample_index: Path) -> None:  # type: ignore[no-untyped-def]
    """The filter dialog with sources and their counts."""

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await search(pilot, "AI")
        await pilot.press("down", "f")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, FilterScreen))
        await pilot.pause()

    assert snap_compare(make_app(sample_index), terminal_size=(80, 30), run_before=run_before)


def test_help(snap_compare, sample_index: Path) -> None:  # type: ignore[no-untyped-def]
    """The keys help."""

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await ready(pilot)
        await pilot.app.run_action("help")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))
        await pilot.pause()

    assert snap_compare(make_app(sample_index), terminal_size=(80, 30), run_before=run_before)
