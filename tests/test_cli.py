"""The `kosearch` command: help for every command, JSON output, --explain, exit statuses."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest

from index import ANALYZER_VERSION
from index.store import MARKER
from tui.cli import build_parser, main

COMMANDS = ["aliases", "index", "search", "stats", "tui"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: kosearch")
    for command in COMMANDS:
        assert command in out


def test_parser_has_exactly_the_documented_commands() -> None:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert sorted(sub.choices) == sorted(COMMANDS)  # type: ignore[arg-type]


@pytest.mark.parametrize("command", COMMANDS)
def test_subcommand_help(capsys: pytest.CaptureFixture[str], command: str) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: kosearch {command}")
    assert "--index DIR" in out


def test_module_entry_point_help() -> None:
    proc = subprocess.run([sys.executable, "-m", "tui.cli", "search", "--help"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    assert "--explain" in proc.stdout and "--json" in proc.stdout


def test_search_json(capsys: pytest.CaptureFixture[str], sample_index: Path) -> None:
    code, out, _ = run(capsys, "search", "엔비디아가", "--json", "--exact", "--index",
                       str(sample_index))
    assert code == 0
    data = orjson.loads(out)
    assert list(data) == ["query", "total", "suggestion", "hits", "mode", "rewrites", "aliases",
                          "sources", "months"]
    assert (data["query"], data["total"], data["suggestion"]) == ("엔비디아가", 4, None)
    assert {h["id"] for h in data["hits"]} == {"sample-007", "sample-008", "sample-011",
                                               "sample-013"}
    for hit in data["hits"]:
        assert list(hit) == ["id", "title", "score", "date", "source", "url", "snippets"]
        assert isinstance(hit["score"], float) and hit["score"] > 0
        assert len(hit["date"]) == 10 and hit["url"].startswith("https://")
        for snippet in hit["snippets"]:
            assert list(snippet) == ["text", "marks"]
            assert {snippet["text"][a:b] for a, b in snippet["marks"]} <= {"엔비디아"}
    assert "엔비디아" in out  # UTF-8, not \\u escapes


def test_search_json_options(capsys: pytest.CaptureFixture[str], sample_index: Path) -> None:
    code, out, _ = run(capsys, "search", "APEC", "--json", "--index", str(sample_index),
                       "--limit", "2", "--page", "2", "--sort", "date",
                       "--since", "2025-11-01", "--until", "2026-12-31",
                       "--source", "경제투데이", "--source", "국제뉴스통신")
    assert code == 0
    data = orjson.loads(out)
    assert data["total"] == 5  # 028, 004, 020, 025, 001 by date
    assert [(h["id"], h["date"]) for h in data["hits"]] == [("sample-020", "2025-11-20"),
                                                             ("sample-025", "2025-11-03")]


def test_until_a_month_includes_the_month(capsys: pytest.CaptureFixture[str],
                                          sample_index: Path) -> None:
    code, out, _ = run(capsys, "search", "APEC", "--json", "--index", str(sample_index),
                       "--until", "2025-11")
    assert code == 0
    assert "sample-002" in {h["id"] for h in orjson.loads(out)["hits"]}  # dated 2025-11-05


def test_search_json_for_a_query_without_words(capsys: pytest.CaptureFixture[str],
                                               sample_index: Path) -> None:
    code, out, _ = run(capsys, "search", "😀", "--json", "--index", str(sample_index))
    assert code == 0
    assert orjson.loads(out) == {"query": "😀", "total": 0, "suggestion": None, "hits": [],
                                 "mode": "none", "rewrites": [], "aliases": [], "sources": [],
                                 "months": []}


def test_search_text_output(capsys: pytest.CaptureFixture[str], sample_index: Path) -> None:
    code, out, _ = run(capsys, "search", "반도채", "--exact", "--index", str(sample_index))
    assert code == 0
    assert "Did you mean 반도체?" in out
    code, out, _ = run(capsys, "search", "반도채", "--index", str(sample_index))
    assert "Showing results for 반도체 (typo: 반도채 → 반도체)" in out
    assert "Did you mean" not in out  # the correction is said once


def test_explain(capsys: pytest.CaptureFixture[str], sample_index: Path) -> None:
    code, out, _ = run(capsys, "search", "WAICO", "NOT", "시진핑", "--explain",
                       "--index", str(sample_index))
    assert code == 0
    assert out.splitlines()[:3] == ["query:  'WAICO NOT 시진핑'", "mode:   all", "terms:  waico"]
    assert "NOT" in out and "시진핑" in out and "whoosh:" in out


def test_stats(capsys: pytest.CaptureFixture[str], sample_index: Path) -> None:
    code, out, _ = run(capsys, "stats", "--index", str(sample_index))
    assert code == 0
    lines = dict(line.split(None, 1) for line in out.splitlines() if line.strip()
                 and not line.startswith(" "))
    assert lines["documents"].strip() == "44"
    assert lines["dates"].strip() == "2024-01-25 .. 2026-10-08"
    assert lines["format"].startswith("1 (kosearch ")
    assert lines["format"].rstrip().endswith(f"analyzer {ANALYZER_VERSION}")


def test_stats_of_an_index_made_by_an_older_analyzer_advises_a_rebuild(
        capsys: pytest.CaptureFixture[str], sample_index: Path, tmp_path: Path) -> None:
    """An index created before the analyzer's last change still searches; stats says so and
    how to bring the newer analysis to its documents."""
    old = tmp_path / "old"
    shutil.copytree(sample_index, old)
    (old / MARKER).write_bytes(b'{"format": 1, "created_by": "kosearch 0.1.0"}')
    code, out, err = run(capsys, "stats", "--index", str(old))
    assert code == 0
    assert "analyzer 1" in out
    assert f"analyses with {ANALYZER_VERSION}" in err and "--rebuild" in err


def test_missing_index_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "search", "탄소", "--index", str(tmp_path / "none"))
    assert code == 2
    assert "no index at" in err


def test_index_exit_status(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.jsonl").write_text('{"id": "a", "body": "반도체 기사"}\n', encoding="utf-8")
    code, out, err = run(capsys, "index", str(src), "--index", str(tmp_path / "ix"))
    assert code == 0, err
    assert "added      1" in out and "failed     0" in out

    (src / "bad.jsonl").write_text('{"id": "b", "body": 깨짐\n', encoding="utf-8")
    code, out, err = run(capsys, "index", str(src), "--index", str(tmp_path / "ix"))
    assert code == 1
    assert f"{(src / 'bad.jsonl').resolve()}:1: broken JSON" in err.replace("\n", "")
    assert "failed     1" in out


def test_index_refuses_foreign_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "ix").mkdir()
    (tmp_path / "ix" / "notes.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a.jsonl").write_text('{"body": "본문"}\n', encoding="utf-8")
    code, _, err = run(capsys, "index", str(tmp_path / "a.jsonl"), "--index", str(tmp_path / "ix"))
    assert code == 2
    assert "is not a kosearch index" in err.replace("\n", " ")


def test_tui_needs_a_terminal(capsys: pytest.CaptureFixture[str],
                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KOSEARCH_FORCE_TUI", raising=False)
    code, _, err = run(capsys)
    assert code == 2
    assert "needs a terminal" in err


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(command: str) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert f"kosearch {command}" in readme


def test_index_into_a_log_prints_progress_lines(capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tui.cli.PROGRESS_EVERY", 0.0)
    (tmp_path / "a.jsonl").write_text("".join(
        f'{{"id": "a{n}", "body": "반도체 기사 {n}"}}\n' for n in range(20)), encoding="utf-8")
    code, _, err = run(capsys, "index", str(tmp_path / "a.jsonl"), "--index", str(tmp_path / "ix"))
    assert code == 0
    lines = [line for line in err.splitlines() if line.startswith("analysed")]
    assert [line.split(" (")[0] for line in lines] == [
        "analysed 0 of 20 documents", "analysed 16 of 20 documents", "analysed 20 of 20 documents"]
    code, _, err = run(capsys, "index", str(tmp_path / "a.jsonl"), "--index",
                       str(tmp_path / "ix2"), "--quiet")
    assert code == 0 and "analysed" not in err


@pytest.mark.parametrize("argv", [(), ("tui",), ("tui", "--index", "somewhere")])
def test_no_command_opens_the_tui(argv: tuple[str, ...], monkeypatch: pytest.MonkeyPatch) -> None:
    """`kosearch` alone opens the UI like `kosearch tui` (it once crashed: no --index option)."""
    opened: list[object] = []

    class FakeApp:
        def run(self) -> None:
            opened.append(True)

    monkeypatch.setenv("KOSEARCH_FORCE_TUI", "1")
    monkeypatch.setattr("tui.app.make_app", lambda index: opened.append(index) or FakeApp())
    assert main(list(argv)) in (0, None)
    assert opened[-1] is True
    assert opened[0] == (Path("somewhere").absolute() if argv[1:] else None)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["search", "-메모리"], ["search", "--", "-메모리"]),
        (["search", "기사", "-메모리"], ["search", "--", "기사", "-메모리"]),
        (["search", "-메모리", "기사", "--json", "-n", "3"],
         ["search", "--json", "-n=3", "--", "-메모리", "기사"]),
        (["search", "-5", "-", "-n5", "--limit=2", "--lim", "4", "기사"],
         ["search", "-n5", "--limit=2", "--lim=4", "--", "-5", "-", "기사"]),
        (["search", "-nuclear", "--source", "-뉴스", "x"],
         ["search", "--source=-뉴스", "--", "-nuclear", "x"]),
        (["search", "기사", "--", "--json", "-n"], ["search", "--", "기사", "--json", "-n"]),
        (["search", "--help"], ["search", "--help"]),
        (["search", "x", "--limit"], ["search", "--limit", "--", "x"]),
        (["index", "-a.jsonl"], ["index", "-a.jsonl"]),  # only search takes query words
    ],
)
def test_search_arguments_starting_with_a_dash_are_query_words(argv: list[str],
                                                                expected: list[str]) -> None:
    from tui.arguments import query_as_words

    assert query_as_words(build_parser(), argv) == expected


@pytest.mark.parametrize(("argv", "query"), [(["-메모리"], "-메모리"),
                                             (["기사", "-메모리"], "기사 -메모리")])
def test_search_excluding_a_word(capsys: pytest.CaptureFixture[str], sample_index: Path,
                                 argv: list[str], query: str) -> None:
    code, out, err = run(capsys, "search", *argv, "--json", "--index", str(sample_index))
    assert code == 0, err
    assert orjson.loads(out)["query"] == query


@pytest.mark.parametrize("command", [["search", "x"], ["index", "a.jsonl"], ["stats"],
                                     ["aliases"]])
def test_index_naming_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                             command: list[str]) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        main([*command, "--index", str(tmp_path / "file")])
    assert exit_.value.code == 2
    err = capsys.readouterr().err.replace("\n", "")
    assert f"argument --index: {tmp_path / 'file'} is a file, not an index folder" in err


def test_rebuild_the_index_in_the_current_folder(capsys: pytest.CaptureFixture[str],
                                                 tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.jsonl").write_text('{"id": "a", "body": "반도체 기사"}\n', encoding="utf-8")
    code, _, err = run(capsys, "index", str(tmp_path / "a.jsonl"), "--index", str(tmp_path / "ix"))
    assert code == 0, err
    monkeypatch.chdir(tmp_path / "ix")
    code, out, err = run(capsys, "index", str(tmp_path / "a.jsonl"), "--rebuild", "--index", ".")
    assert code == 0, err
    assert out.startswith(f"{tmp_path / 'ix'} (")


def test_an_index_folder_that_cannot_be_written(capsys: pytest.CaptureFixture[str],
                                                 tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", "/srv/[/b]ix")

    monkeypatch.setattr("index.indexer.index_paths", refuse)
    (tmp_path / "a.jsonl").write_text("{}\n", encoding="utf-8")
    code, out, err = run(capsys, "index", str(tmp_path / "a.jsonl"), "--index", str(tmp_path))
    assert (code, out, err) == (2, "", "error: /srv/[/b]ix: Permission denied\n")


def test_ctrl_c_while_indexing(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, on_progress: Any, **kwargs: object) -> None:
        on_progress(1, 10)  # with the progress bar drawn
        raise KeyboardInterrupt

    monkeypatch.setattr("index.indexer.index_paths", interrupted)
    (tmp_path / "a.jsonl").write_text("{}\n", encoding="utf-8")
    code, out, err = run(capsys, "index", str(tmp_path / "a.jsonl"), "--index", str(tmp_path / "ix"))
    assert (code, out) == (130, "")
    assert err.endswith("interrupted: the index is as it was before this run\n")
    assert "Traceback" not in err


@pytest.mark.parametrize("argv", [["search", "기사"], ["search", "기사", "--json"], ["stats"],
                                  ["aliases"]])
def test_ctrl_c_while_searching(capsys: pytest.CaptureFixture[str],
                                monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("tui.output.open_index", interrupted)
    monkeypatch.setattr("search.open_index", interrupted)
    assert run(capsys, *argv) == (130, "", "interrupted\n")


def test_argparse_messages_are_clean(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["stats", "\x1b]0;x\x07[/b]\x1b[2J"])
    assert exit_.value.code == 2
    assert capsys.readouterr().err.endswith("error: unrecognized arguments: [/b]\n")


@pytest.mark.parametrize(("options", "message"), [
    (["-n", "0"], "argument --limit/-n: 0 is not a number of results from 1 to 1000"),
    (["-n", "-5"], "argument --limit/-n: -5 is not a number of results from 1 to 1000"),
    (["-n0"], "argument --limit/-n: 0 is not a number of results from 1 to 1000"),
    (["--limit", "1001"], "argument --limit/-n: 1001 is not a number of results from 1 to 1000"),
    (["--limit=ten"], "argument --limit/-n: ten is not a number of results from 1 to 1000"),
    (["--page", "0"], "argument --page: 0 is not a page number (the first page is 1)"),
    (["--page=-2"], "argument --page: -2 is not a page number (the first page is 1)"),
    (["--since", "2025-13"], "argument --since: cannot read the date '2025-13' (try 2025-11-01)"),
    (["--until", "내일"], "argument --until: cannot read the date '내일' (try 2025-11-01)"),
    (["--since", "2013", "--until", "2012"], "--since 2013 is after --until 2012: no date is in "
                                             "both"),
    (["--since", "2024-03-02", "--until", "2024-03-01"], "--since 2024-03-02 is after --until "
                                                         "2024-03-01: no date is in both"),
])
def test_search_refuses_odd_values(capsys: pytest.CaptureFixture[str], options: list[str],
                                   message: str) -> None:
    """A value that cannot mean what was asked is refused before any index is opened, naming
    the option (before, `-n 0` gave one result and `--page 0` the first page)."""
    with pytest.raises(SystemExit) as exit_:
        main(["search", "반도체", *options, "--index", "/nonexistent/index"])
    assert exit_.value.code == 2
    assert capsys.readouterr().err.endswith(f"kosearch search: error: {message}\n")


@pytest.mark.parametrize("options", [["-n", "1000"], ["-n1"], ["--page", "2"],
                                     ["--since", "2024-03", "--until", "2024-03"]])
def test_search_accepts_the_edges(capsys: pytest.CaptureFixture[str], sample_index: Path,
                                  options: list[str]) -> None:
    code, _, err = run(capsys, "search", "반도체", *options, "--json", "--index",
                       str(sample_index))
    assert (code, err) == (0, "")


@pytest.mark.parametrize("json", [[], ["--json"]])
def test_a_page_past_the_last_is_said(capsys: pytest.CaptureFixture[str], sample_index: Path,
                                     json: list[str]) -> None:
    """12 documents hold 반도체: page 2 of 10 has two, page 3 none and says so on stderr."""
    code, out, err = run(capsys, "search", "반도체", "--page", "3", *json, "--index",
                         str(sample_index))
    assert code == 0
    assert err == "note: page 3 is past the last page: 12 documents make 2 pages of 10\n"
    code, out, err = run(capsys, "search", "반도체", "--page", "2", "--json", "--index",
                         str(sample_index))
    assert (code, err, len(orjson.loads(out)["hits"])) == (0, "", 2)


@pytest.mark.parametrize("argv", [["search", "반도체", "-n", "20"], ["search", "반도체", "--json"],
                                  ["stats"], ["aliases"]])
def test_a_closed_pipe_ends_quietly_with_0(sample_index: Path, argv: list[str]) -> None:
    """`kosearch search ... | head -1`: a reader that stops reading is no error (ripgrep's and
    git's view), so nothing on stderr and exit 0, not rich's silent 1. The reading end is
    closed before the command starts, so its first write meets the closed pipe."""
    read, write = os.pipe()
    os.close(read)
    try:
        proc = subprocess.run([sys.executable, "-m", "tui.cli", *argv, "--index",
                               str(sample_index)], stdout=write, stderr=subprocess.PIPE,
                              timeout=300, cwd=Path(__file__).resolve().parent.parent)
    finally:
        os.close(write)
    assert (proc.returncode, proc.stderr.decode()) == (0, "")
