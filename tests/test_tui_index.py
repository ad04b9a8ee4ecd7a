"""TUI: the start screen over the sample corpus, indexing a folder from the app, and errors."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from rich.cells import cell_len
from test_tui_support import pilot_test, ready, run_command, search, wait_for
from textual.widgets import Input, Label

from tui.app import make_app
from tui.screens import PathScreen
from tui.widgets import StatusBar


@pytest.fixture
def own_index(sample_index: Path, tmp_path: Path) -> Path:
    """A copy of the sample index that a test may change."""
    return Path(shutil.copytree(sample_index, tmp_path / "own-index"))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder with two new text documents."""
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "zebracorn.txt").write_text(
        "얼룩말 유니콘 보고서\n\nzebracorn 프로젝트는 얼룩말과 유니콘을 연구한다.\n",
        encoding="utf-8",
    )
    (folder / "other.md").write_text("# 회의록\n\nzebracorn 예산 회의를 열었다.\n", encoding="utf-8")
    return folder


@pilot_test
async def test_start_screen_says_what_is_searched(own_index: Path) -> None:
    """Before a query the user sees which index is searched, its size, and no results."""
    app = make_app(own_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        status = app.query_one("#status", StatusBar)
        assert status.documents == 44 and status.path == own_index
        assert "44 documents" in str(app.query_one("#empty").render())
        assert not app.query_one("#results").display


@pilot_test
async def test_without_an_index_the_sample_corpus_is_searchable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no index of their own the user gets the sample corpus and a hint to index a folder."""
    monkeypatch.delenv("KOSEARCH_INDEX", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    app = make_app(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert app.index is not None and app.index.is_sample
        hint = str(app.query_one("#empty").render())
        assert "sample corpus" in hint and "Index a folder" in hint
        assert "(sample)" in str(app.query_one("#status", StatusBar).render())
        await search(pilot, "출산율")
        assert app.results is not None and app.results.total > 0


def _stopped(pid: int) -> bool:
    """Whether process `pid` is stopped (Linux: the state in /proc/PID/stat)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat[stat.rindex(")") + 2] in "Tt"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process states in /proc")
@pilot_test
async def test_indexing_a_folder_shows_progress_and_keeps_the_app_responsive(
    own_index: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Indexing from the palette runs in a child process (Kiwi holds the GIL of the process it
    loads in): progress shows, and keys and searches are answered while the run is stopped
    in the middle of its analysis; let go, it ends and the new files are found."""
    import os
    import signal

    from index import faults

    monkeypatch.setenv("KOSEARCH_FAULT", "analysis:stop")  # read by the run's own process
    here: list[str] = []
    monkeypatch.setattr(faults, "hook", here.append)  # phases of a run in this process
    app = make_app(own_index)
    pid = 0
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await ready(pilot)
            await run_command(pilot, "Index a folder")
            await wait_for(pilot, lambda: isinstance(app.screen, PathScreen))
            app.screen.query_one("#path").value = str(folder)  # type: ignore[attr-defined]
            await pilot.press("enter")
            await wait_for(pilot, lambda: app.indexing_process is not None)
            assert app.indexing_process is not None and app.indexing_process.pid
            pid = app.indexing_process.pid
            await wait_for(pilot, lambda: _stopped(pid))  # it analysed a document and stopped
            assert app.query_one("#indexing").display
            assert "indexing" in str(app.query_one("#status", StatusBar).render())

            await search(pilot, "출산율")  # every key answered while the run waits mid-way
            assert app.results is not None and app.results.total > 0

            os.kill(pid, signal.SIGCONT)
            await wait_for(pilot, lambda: not app.query_one("#indexing").display)
            progress = app.query_one("#indexing-progress")
            assert progress.total == 2 and progress.progress == 2  # type: ignore[attr-defined]
            await wait_for(pilot, lambda: app.query_one("#status", StatusBar).documents == 46)
            assert any(n.title == "Indexed" for n in app._notifications)
            await search(pilot, "zebracorn")
            assert app.results is not None and app.results.total == 2
    finally:
        if pid:
            try:
                os.kill(pid, signal.SIGCONT)  # never leave a stopped child behind
            except ProcessLookupError:
                pass
    assert here == []  # no phase of the run was reached in the app's own process


@pilot_test
async def test_an_indexing_process_killed_mid_run_is_a_notification(
    own_index: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The indexing child killed in the middle of its analysis (SIGKILL at the "analysis"
    phase) ends in an error notification saying so; the app goes on searching its index,
    which holds what it held before."""
    monkeypatch.setenv("KOSEARCH_FAULT", "analysis")  # read by the run's own process
    app = make_app(own_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        app._index_folder(folder, own_index)
        await wait_for(pilot, lambda: any(n.severity == "error" for n in app._notifications))
        assert [n.message for n in app._notifications if n.severity == "error"] == [
            f"Indexing {folder} failed: the indexing process ended without a report "
            "(exit code -9)"]
        assert not app.query_one("#indexing").display
        await search(pilot, "zebracorn")
        assert app.results is not None and app.results.total == 0
        assert app.query_one("#status", StatusBar).documents == 44


@pilot_test
async def test_a_broken_index_is_a_notification_not_a_traceback(tmp_path: Path) -> None:
    """An index folder that cannot be opened is reported in a notification; the app runs on."""
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "kosearch-index.json").write_text("{this is not json", encoding="utf-8")
    (broken / "_MAIN_1.toc").write_bytes(b"\x00garbage")
    app = make_app(broken)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app._notifications)
        notification = list(app._notifications)[0]
        assert notification.severity == "error"
        assert "Could not open the index" in notification.message
        assert app.index is None and app.is_running
        await pilot.press(*"인공지능")
        assert app._query == "인공지능"  # every key handled, and no search without an index
        assert app.is_running and app.results is None and app._searches_running == 0


@pilot_test
async def test_failed_indexing_is_a_notification(own_index: Path, folder: Path, tmp_path: Path) -> None:
    """An indexing run that fails (here: the target is a file) ends in an error notification."""
    target = tmp_path / "not-a-folder"
    target.write_text("x")
    app = make_app(own_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        app._index_folder(folder, target)
        await wait_for(pilot, lambda: any(n.severity == "error" for n in app._notifications))
        assert not app.query_one("#indexing").display
        assert app.is_running


@pilot_test
async def test_a_failed_switch_keeps_the_results_of_the_open_index(own_index: Path, tmp_path: Path) -> None:
    """Switching to a folder that is not an index reports it and leaves the current index,
    query and results on screen (it used to blank the screen to the start hint)."""
    app = make_app(own_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, "출산율")
        total = app.results.total  # type: ignore[union-attr]
        not_an_index = tmp_path / "plain-folder"
        not_an_index.mkdir()
        app._switch(not_an_index)
        await wait_for(pilot, lambda: any(n.severity == "error" for n in app._notifications))
        await pilot.pause()
        assert app.index is not None and app.index.path == own_index
        assert app.query_one("#results").display and not app.query_one("#empty").display
        status = app.query_one("#status", StatusBar)
        assert status.total == total and status.busy == ""


@pilot_test
async def test_progress_says_when_the_index_is_being_written(own_index: Path) -> None:
    """Once every document is analysed the bar stays full while the index is written; the
    label says so instead of looking stuck at 100%."""
    app = make_app(own_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        app._indexing("Indexing /tmp/x…")
        app.post_message(app.Progress(1, 2))
        await pilot.pause()
        label = app.query_one("#indexing-label", Label)
        assert "Indexing" in str(label.render())
        app.post_message(app.Progress(2, 2))
        await pilot.pause()
        assert "Writing the index" in str(label.render())


def test_the_status_bar_keeps_matches_and_time_when_the_path_is_long() -> None:
    """At 80 columns a long index path is shortened from the left, never the match count
    and the query time at the end of the line."""
    status = StatusBar()
    status.path = Path("/tmp/some/rather/long/folder/of/indexes/kosearch/sample-index")
    status.documents, status.is_sample, status.total, status.elapsed = 44, True, 12, 0.006
    status.busy = "indexing…"
    text = status.render_line_text(78)
    assert cell_len(text.plain) <= 78
    assert text.plain.endswith("12 matches · 6 ms")
    assert "…" in text.plain and "sample-index (sample) · 44 docs" in text.plain


@pilot_test
async def test_first_run_says_the_sample_corpus_is_being_indexed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the very first run the sample corpus is indexed before it opens (seconds); the
    screen says so rather than a bare "Opening the index…"."""
    import index.sample

    monkeypatch.delenv("KOSEARCH_INDEX", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    release = threading.Event()
    original = index.sample.ensure_sample_index

    def held(*args: object, **kwargs: object) -> Path:
        release.wait(20)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(index.sample, "ensure_sample_index", held)
    app = make_app(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "sample corpus" in str(app.query_one("#empty").render()))
        assert "first" in str(app.query_one("#empty").render())
        release.set()
        await ready(pilot)
        assert app.index is not None and app.index.is_sample


@pilot_test
async def test_the_folder_prompt_completes_folder_names(own_index: Path, tmp_path: Path) -> None:
    """Typing the start of a folder name in "Index a folder" suggests the rest; → takes it."""
    (tmp_path / "articles-2025").mkdir()
    (tmp_path / "articles.txt").write_text("a file, not offered")
    app = make_app(own_index)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        app.action_index_folder()
        await wait_for(pilot, lambda: isinstance(app.screen, PathScreen))
        await pilot.pause()
        box = app.screen.query_one("#path", Input)
        suggester = box.suggester
        assert suggester is not None
        asked: list[str] = []
        get_suggestion = suggester.get_suggestion

        async def watched(value: str) -> str | None:
            try:
                return await get_suggestion(value)
            finally:
                asked.append(value)

        suggester.get_suggestion = watched  # type: ignore[method-assign]
        box.value = ""
        typed = f"{tmp_path}/art"
        await pilot.press(*typed)
        await wait_for(pilot, lambda: typed.casefold() in (a.casefold() for a in asked))
        await pilot.pause()  # the suggestion, once found, is handed to the box as a message
        await pilot.press("right")
        assert box.value == f"{tmp_path}/articles-2025/"


@pytest.mark.parametrize(("total", "shown"), [(0, "0 matches"), (1, "1 match"), (1234, "1,234 matches")])
def test_the_status_bar_counts_matches_in_words(total: int, shown: str) -> None:
    """ "1 match", not "1 matches"."""
    status = StatusBar()
    status.path, status.documents, status.total = Path("/idx"), 44, total
    assert status.render_line_text(80).plain.endswith(f"│ {shown} · 0 ms")


def test_the_status_bar_says_only_what_runs_before_an_index_is_open() -> None:
    """While the index opens there is no path or size to show: not "no index · 0 docs"."""
    status = StatusBar()
    status.busy = "loading analyzer…"
    assert status.render_line_text(80).plain == "⏳ loading analyzer…"
