"""TUI: command palette commands and the help screen."""

from __future__ import annotations

import shutil
import webbrowser
from pathlib import Path

import pytest
from test_tui_support import open_preview, pilot_test, run_command, search, wait_for

from tui.app import make_app
from tui.commands import COMMANDS
from tui.screens import HelpScreen, PreviewScreen
from tui.widgets import ResultList


def test_every_command_names_an_app_action() -> None:
    """Each palette command runs an action the app defines."""
    from tui.app import KosearchApp

    assert [a for _, a, _ in COMMANDS if not hasattr(KosearchApp, f"action_{a}")] == []


@pilot_test
async def test_copy_id_and_url_from_the_palette(sample_index: Path) -> None:
    """The "Copy document id" and "Copy URL" commands copy the highlighted result's id and URL."""
    app = make_app(sample_index)
    async with app.run_test(size=(100, 30)) as pilot:
        await search(pilot, "인공지능")
        hit = app.query_one("#results", ResultList).current
        assert hit is not None
        await run_command(pilot, "Copy document id")
        assert app.clipboard == hit.id
        await run_command(pilot, "Copy URL")
        assert app.clipboard == hit.url


@pilot_test
async def test_commands_act_on_the_previewed_document(sample_index: Path) -> None:
    """In the preview screen, copying takes the previewed document's id."""
    app = make_app(sample_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, "APEC")
        await pilot.press("down", "j", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PreviewScreen))
        document = app.screen.document  # type: ignore[attr-defined]
        await run_command(pilot, "Copy document id")
        assert app.clipboard == document.id


@pilot_test
async def test_toggle_sort_from_the_palette(sample_index: Path) -> None:
    """The palette's sort command switches to newest first."""
    app = make_app(sample_index)
    async with app.run_test(size=(100, 30)) as pilot:
        await search(pilot, "AI")
        await run_command(pilot, "Toggle sort")
        await wait_for(pilot, lambda: app.filters.sort == "date")


@pilot_test
async def test_question_mark_shows_help_and_escape_closes_it(sample_index: Path) -> None:
    """? from the results opens the keys help; Esc closes it."""
    app = make_app(sample_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, "AI")
        await pilot.press("down", "question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen))


def test_bindings_carry_ids_and_descriptions() -> None:
    """Every app binding has an id and a description (the footer and the keymap use them)."""
    from textual.binding import Binding

    from tui.app import KosearchApp

    bindings = [b for b in KosearchApp.BINDINGS if isinstance(b, Binding)]
    assert bindings and all(b.id and b.description for b in bindings)


@pilot_test
async def test_help_opens_from_the_search_box_with_f1(sample_index: Path) -> None:
    """? is a character in the search box (where the app starts), so F1 opens the help there,
    and the footer offers F1 while the box has focus."""
    app = make_app(sample_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, "AI")
        assert app.query_one("#search").has_focus
        shown = {b.binding.key for b in app.screen.active_bindings.values() if b.binding.show}
        assert "f1" in shown and "question_mark" not in shown
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))


@pilot_test
async def test_footer_does_not_offer_slash_while_typing(sample_index: Path) -> None:
    """In the search box / types a slash, so the footer does not offer it as "Search"."""
    app = make_app(sample_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, "AI")
        assert app.check_action("focus_search", ()) is False
        await pilot.press("down")
        assert app.check_action("focus_search", ()) is True


@pilot_test
async def test_slash_in_the_preview_returns_to_the_search_box(sample_index: Path) -> None:
    """/ from the preview screen closes it and puts the cursor in the search box, instead of
    focusing the hidden box under the preview."""
    app = make_app(sample_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_preview(pilot, "APEC")
        await pilot.press("slash")
        await wait_for(pilot, lambda: not isinstance(app.screen, PreviewScreen))
        await pilot.pause()
        assert app.query_one("#search").has_focus


@pilot_test
async def test_sort_from_the_preview_shows_the_reordered_results(sample_index: Path) -> None:
    """s in the preview screen closes it, so the user sees the list in its new order."""
    app = make_app(sample_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_preview(pilot, "APEC")
        await pilot.press("s")
        await wait_for(pilot, lambda: app.filters.sort == "date")
        await wait_for(pilot, lambda: not isinstance(app.screen, PreviewScreen))


@pilot_test
async def test_open_url_without_a_browser_copies_it_and_says_so(
    sample_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no web browser (a server over ssh) "Open URL" used to do nothing at all; now
    it copies the URL and says why."""

    def no_browser() -> webbrowser.BaseBrowser:
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "get", no_browser)
    app = make_app(sample_index)
    async with app.run_test(size=(100, 30)) as pilot:
        await search(pilot, "인공지능")
        hit = app.query_one("#results", ResultList).current
        assert hit is not None and hit.url
        await run_command(pilot, "Open URL in browser")
        assert app.clipboard == hit.url
        assert any(n.severity == "warning" and hit.url in n.message for n in app._notifications)


@pilot_test
async def test_open_url_with_a_browser_confirms_it(
    sample_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A graphical browser gets the URL and the app confirms it opened."""
    opened: list[str] = []

    class Browser(webbrowser.BackgroundBrowser):
        def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
            opened.append(url)
            return True

    monkeypatch.setattr(webbrowser, "get", lambda: Browser("firefox"))
    app = make_app(sample_index)
    async with app.run_test(size=(100, 30)) as pilot:
        await search(pilot, "인공지능")
        hit = app.query_one("#results", ResultList).current
        assert hit is not None
        await run_command(pilot, "Open URL in browser")
        assert opened == [hit.url]
        assert any(n.message == f"Opened {hit.url}" for n in app._notifications)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "-dump"])
@pilot_test
async def test_open_url_refuses_what_is_not_a_web_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    """A document's URL is data: a javascript: or file: URL, or an option for a terminal
    browser, never reaches a browser; the user is told why and can still copy it."""
    from index import index_paths

    source = tmp_path / "a.jsonl"
    source.write_text('{"id": "u-1", "title": "항만 소식", "body": "항만 물동량이 늘었다.", '
                      f'"url": "{url}"}}\n', encoding="utf-8")
    index_paths([source], tmp_path / "index")
    opened: list[str] = []

    class Browser(webbrowser.BackgroundBrowser):
        def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
            opened.append(url)
            return True

    monkeypatch.setattr(webbrowser, "get", lambda: Browser("firefox"))
    app = make_app(tmp_path / "index")
    ran: list[list[str]] = []
    monkeypatch.setattr(app, "_run_in_terminal", ran.append)
    async with app.run_test(size=(100, 30)) as pilot:
        await search(pilot, "항만")
        hit = app.query_one("#results", ResultList).current
        assert hit is not None and hit.url == url
        await run_command(pilot, "Open URL in browser")
        assert (opened, ran) == ([], [])
        assert [n.message for n in app._notifications if n.severity == "warning"] == [
            f"Not opened: {url} is not a web address (http or https). Copy it with the Copy "
            "URL command to open it yourself."]


@pytest.mark.parametrize(
    ("editor", "expected"),
    [("vi", ["vi", "+{line}", "{path}"]), ("code --wait", ["code", "--wait", "{path}"])],
)
@pilot_test
async def test_open_source_opens_the_file_at_the_record(
    sample_index: Path, monkeypatch: pytest.MonkeyPatch, editor: str, expected: list[str]
) -> None:
    """ "Open source file" runs $EDITOR on the document's file, at the record's line when
    the editor takes +LINE (the sample has sample-NNN on line NNN)."""
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", editor)
    app = make_app(sample_index)
    ran: list[list[str]] = []
    monkeypatch.setattr(app, "_run_in_terminal", ran.append)
    async with app.run_test(size=(100, 30)) as pilot:
        await search(pilot, "APEC")
        hit = app.query_one("#results", ResultList).current
        assert hit is not None and hit.id.startswith("sample-")
        await run_command(pilot, "Open source file")
        line = int(hit.id.removeprefix("sample-"))
        assert ran == [[part.format(line=line, path=hit.path) for part in expected]]


@pilot_test
async def test_open_source_without_editor_variables_uses_a_common_editor(
    sample_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With neither $VISUAL nor $EDITOR set, the first installed of sensible-editor, editor,
    nano and vi opens the file (it used to go to a web browser, silently absent on servers)."""
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/vi" if name == "vi" else None)
    app = make_app(sample_index)
    ran: list[list[str]] = []
    monkeypatch.setattr(app, "_run_in_terminal", ran.append)
    async with app.run_test(size=(100, 30)) as pilot:
        await search(pilot, "APEC")
        await run_command(pilot, "Open source file")
        assert len(ran) == 1 and ran[0][0] == "vi"
