"""Dependency direction tui -> search -> index: the library never imports Textual, and the
command line does not either (Textual loads only when the terminal UI opens)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

CHECK = """
import sys

def loaded(*prefixes):
    return sorted(m for m in sys.modules if m.split(".")[0] in prefixes)

{body}
"""


def run_isolated(body: str) -> None:
    code = CHECK.format(body=textwrap.dedent(body))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr


def test_index_imports_nothing_above_it() -> None:
    run_isolated("""
        import index, index.analysis, index.indexer, index.readers, index.sample, index.store
        above = loaded("textual", "search", "tui", "rich")
        assert above == [], above
        assert loaded("kiwipiepy") == [], "Kiwi must load lazily, not on import"
    """)


def test_search_imports_no_textual() -> None:
    run_isolated("""
        import search, search.api, search.highlight, search.query, search.suggest, search.types
        assert loaded("textual", "tui") == [], loaded("textual", "tui")
        assert loaded("kiwipiepy") == [], "Kiwi must load lazily, not on import"
    """)


def test_cli_imports_no_textual() -> None:
    run_isolated("""
        import tui, tui.cli, tui.output
        assert loaded("textual") == [], loaded("textual")
    """)


def test_cli_search_runs_without_textual(sample_index: Path) -> None:
    run_isolated(f"""
        from tui.cli import main
        assert main(["search", "탄소", "--json", "--index", {str(sample_index)!r}]) == 0
        assert main(["stats", "--index", {str(sample_index)!r}]) == 0
        assert loaded("textual") == [], loaded("textual")
    """)


@pytest.mark.parametrize("module", ["index", "search"])
def test_library_source_never_mentions_textual(module: str) -> None:
    root = Path(__file__).resolve().parents[1] / module
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import textual" not in text and "from textual" not in text, path
        assert "from tui" not in text and "import tui" not in text, path


def test_first_screen_waits_for_no_more_imports_than_it_draws() -> None:
    """What `kosearch` imports before its first frame: not the library (loaded by a worker once
    the screen is up), not the pushed screens, not rich's progress bars (Textual itself loads
    rich's tables)."""
    run_isolated("""
        import tui.cli, tui.app
        assert loaded("search", "index", "whoosh", "kiwipiepy") == [], \\
            loaded("search", "index", "whoosh", "kiwipiepy")
        late = [m for m in ("tui.screens", "rich.progress") if m in sys.modules]
        assert late == [], late
    """)
