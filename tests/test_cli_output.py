"""What `kosearch search` and `kosearch aliases` print: piped text unwrapped with marked
matches, --color, timings apart from start-up, banners that say only what is true, --json and
--explain telling what the query also searched for, and the UI's keys hint."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from index import index_paths
from search import Index, tuning
from tui.cli import main

ROOT = Path(__file__).resolve().parent.parent
ANSI = re.compile(r"\x1b\[[0-9;]*m")
SEARCH_MS = re.compile(r" in [\d,]+ ms")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def timed(out: str) -> str:
    """`out` with the search's own time (the clock's, not the test's) written `in N ms`."""
    return SEARCH_MS.sub(" in N ms", out)


@pytest.fixture
def on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """stdout counts as a terminal (capsys's is not), with no colour variables set."""
    monkeypatch.setattr("tui.output.stdout_is_terminal", lambda: True)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    yield


# Piped output ------------------------------------------------------------------------------

NVIDIA_PIPED = [
    "4 documents in N ms",
    "",
    "  1. «엔비디아» 분기 매출 467억 달러 '사상 최대'…중국향 H20 판매는 끝내 0",
    "     2025-08-28 · 한빛일보 · sample-008 · score 13.50",
]


def _pipe(sample_index: Path, *argv: str, **env: str) -> str:
    clean_env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    proc = subprocess.run(
        [sys.executable, "-m", "tui.cli", "search", *argv, "--index", str(sample_index)],
        capture_output=True, timeout=300, env={**clean_env, "COLUMNS": "80", **env}, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.decode()


def test_piped_output_is_not_wrapped_and_marks_matches(sample_index: Path) -> None:
    """Through a pipe: no colour, no line longer than the terminal broken (a snippet is one
    line, `score 13.50` whole), every match between « and ». The index's lexicon holds the
    word, so no model is loaded and no start-up time is reported."""
    out = _pipe(sample_index, "엔비디아", "-n", "1", "--exact")
    lines = out.splitlines()
    assert re.fullmatch(r"4 documents in [\d,]+ ms", lines[0])
    assert lines[1:4] == NVIDIA_PIPED[1:]
    assert lines[4] == (
        "     … «엔비디아»가 27일(현지시간) 발표한 2분기 실적에서 매출 467억 달러를 기록하며 "
        "또다시 분기 최대치를 갈아치웠다. 전년 같은 기간보다 56% 늘어난 수치로, 데이터센터 "
        "부문이 전체 매출의 대부분을 책임졌다. …")
    assert lines[5].startswith("     … 그는 차세대 제품을") and lines[5].endswith(
        "«엔비디아»의 실적은 국내 반도체 기업에도 직접적인 영향을 준다. …")
    assert len(lines) == 6 and "\x1b" not in out
    assert re.findall("«[^»]*»", out) == ["«엔비디아»"] * 3


def test_color_always_colours_a_pipe_without_markers(sample_index: Path) -> None:
    out = _pipe(sample_index, "엔비디아", "-n", "1", "--exact", "--color=always")
    assert "«" not in out
    assert "\x1b[1;30;43m엔비디아\x1b[0m" in out  # bold black on yellow
    plain = ANSI.sub("", out).splitlines()
    assert plain[2] == "  1. 엔비디아 분기 매출 467억 달러 '사상 최대'…중국향 H20 판매는 끝내 0"
    assert plain[3] == NVIDIA_PIPED[3]  # still one line: a pipe is never wrapped


# --color and NO_COLOR, through main() --------------------------------------------------------

@pytest.mark.parametrize(("argv", "env", "coloured"), [
    ((), {}, True),  # auto on a terminal
    ((), {"NO_COLOR": "1"}, False),
    ((), {"NO_COLOR": ""}, True),  # empty means unset
    (("--color=never",), {}, False),
    (("--color=always",), {"NO_COLOR": "1"}, True),
])
def test_color_on_a_terminal(capsys: pytest.CaptureFixture[str], sample_index: Path,
                             on_a_terminal: None, monkeypatch: pytest.MonkeyPatch,
                             argv: tuple[str, ...], env: dict[str, str], coloured: bool) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    code, out, _ = run(capsys, "search", "엔비디아", "-n", "1", "--exact", *argv,
                       "--index", str(sample_index))
    assert code == 0
    title = "  1. 엔비디아 분기 매출 467억 달러 '사상 최대'…중국향 H20 판매는 끝내 0"
    if coloured:
        assert "«" not in out and "\x1b[1;30;43m엔비디아" in out
        assert title in ANSI.sub("", out).splitlines()
    else:
        assert "\x1b" not in out
        assert "  1. «엔비디아» 분기 매출 467억 달러 '사상 최대'…중국향 H20 판매는 끝내 0" in \
            out.splitlines()


def test_color_auto_in_a_pipe_is_plain(capsys: pytest.CaptureFixture[str],
                                       sample_index: Path) -> None:
    code, out, _ = run(capsys, "search", "엔비디아", "-n", "1", "--exact", "--index",
                       str(sample_index))
    assert code == 0
    assert timed(out).splitlines()[:4] == NVIDIA_PIPED


def test_a_bad_color_value_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["search", "x", "--color=sometimes"])
    assert exit_.value.code == 2
    assert capsys.readouterr().err.endswith(
        "argument --color: invalid choice: 'sometimes' (choose from 'auto', 'always', 'never')\n")


# Timings -----------------------------------------------------------------------------------

def test_start_up_is_timed_apart_from_the_search(capsys: pytest.CaptureFixture[str],
                                                 sample_index: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """When the model is not loaded yet, the command loads it before searching and says how
    long that took on its own; the search's time is then the search's."""
    calls: list[str] = []
    ticks = iter([10.0, 12.5])
    monkeypatch.setattr(Index, "ready", property(lambda self: False))
    monkeypatch.setattr(tuning, "warm_up", lambda index: calls.append("warm_up"))
    real_search = Index.search
    monkeypatch.setattr(Index, "search", lambda self, *a, **k: (calls.append("search"),
                                                              real_search(self, *a, **k))[1])
    monkeypatch.setattr("tui.output.CLOCK", lambda: next(ticks))
    code, out, _ = run(capsys, "search", "엔비디아", "-n", "1", "--exact", "--index",
                       str(sample_index))
    assert code == 0 and calls == ["warm_up", "search"]
    assert timed(out).splitlines()[0] == (
        "4 documents in N ms (start-up 2,500 ms: the Korean model and the vocabulary)")


def test_no_start_up_when_the_model_is_loaded(capsys: pytest.CaptureFixture[str],
                                              sample_index: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Index, "ready", property(lambda self: True))
    monkeypatch.setattr(tuning, "warm_up", lambda index: pytest.fail("loaded twice"))
    code, out, _ = run(capsys, "search", "엔비디아", "-n", "1", "--exact", "--index",
                       str(sample_index))
    assert code == 0 and timed(out).splitlines()[0] == "4 documents in N ms"


@pytest.fixture
def lazy_model(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, object]]:
    """An index whose lexicon answers (`ready`) with the model not loaded yet; `state["by"]`
    names what loads it: "parse" (a query word the lexicon does not know) or "search" (only
    a rewrite of the query needs it). Records the calls made and gives each search `elapsed`
    from `state["elapsed"]` in turn."""
    import dataclasses

    state: dict[str, object] = {"loaded": False, "by": "parse", "calls": [],
                                "elapsed": iter([3.0, 0.04])}
    calls: list[str] = state["calls"]  # type: ignore[assignment]
    monkeypatch.setattr(Index, "ready", property(lambda self: True))
    monkeypatch.setattr(tuning, "warm_up", lambda index: pytest.fail("no warm-up: ready"))
    monkeypatch.setattr("tui.output.analyzer_loaded", lambda idx: state["loaded"])
    real_parse, real_search = Index.parse, Index.search

    def parse(self: Index, text: str) -> object:
        calls.append("parse")
        state["loaded"] = state["loaded"] or state["by"] == "parse"
        return real_parse(self, text)

    def search(self: Index, *a: object, **k: object) -> object:
        calls.append("search")
        state["loaded"] = state["loaded"] or state["by"] == "search"
        return dataclasses.replace(real_search(self, *a, **k),  # type: ignore[arg-type]
                                   elapsed=next(state["elapsed"]))  # type: ignore[call-overload]

    monkeypatch.setattr(Index, "parse", parse)
    monkeypatch.setattr(Index, "search", search)
    yield state


def test_a_model_loaded_by_the_query_is_start_up(capsys: pytest.CaptureFixture[str],
                                                sample_index: Path,
                                                lazy_model: dict[str, object],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """With a lexicon the model loads inside the call, for a word the lexicon does not know:
    the query is read first, and that load is the start-up, not the search's time (before,
    the header said `in 10,714 ms` with no start-up)."""
    ticks = iter([10.0, 12.5])
    monkeypatch.setattr("tui.output.CLOCK", lambda: next(ticks))
    code, out, _ = run(capsys, "search", "엔비디아", "-n", "1", "--exact", "--index",
                       str(sample_index))
    assert code == 0 and lazy_model["calls"] == ["parse", "search"]
    assert out.splitlines()[0] == "4 documents in 3,000 ms (start-up 2,500 ms: the Korean model)"


def test_a_model_loaded_by_a_rewrite_is_start_up(capsys: pytest.CaptureFixture[str],
                                                sample_index: Path,
                                                lazy_model: dict[str, object]) -> None:
    """When only a rewrite of the query loads the model, the search runs again with it
    loaded: its time is the search's, the difference the start-up."""
    lazy_model["by"] = "search"
    code, out, _ = run(capsys, "search", "엔비디아", "-n", "1", "--exact", "--index",
                       str(sample_index))
    assert code == 0 and lazy_model["calls"] == ["parse", "search", "search"]
    assert out.splitlines()[0] == "4 documents in 40 ms (start-up 2,960 ms: the Korean model)"


@pytest.mark.parametrize("json", [False, True])
def test_a_query_the_lexicon_reads_has_no_start_up(capsys: pytest.CaptureFixture[str],
                                                  sample_index: Path,
                                                  lazy_model: dict[str, object],
                                                  json: bool) -> None:
    """Nothing loaded: one search, its own time. JSON has no times, so it is not read first."""
    lazy_model["by"] = "nothing"
    code, out, _ = run(capsys, "search", "엔비디아", "-n", "1", "--exact", "--index",
                       str(sample_index), *(["--json"] if json else []))
    assert code == 0
    if json:
        assert lazy_model["calls"] == ["search"] and orjson.loads(out)["total"] == 4
    else:
        assert lazy_model["calls"] == ["parse", "search"]
        assert out.splitlines()[0] == "4 documents in 3,000 ms"


def test_an_unknown_word_in_a_fresh_process_reports_the_load_apart(sample_index: Path) -> None:
    """For real: a new process, a word the sample's lexicon does not hold (so Kiwi loads)."""
    first = _pipe(sample_index, "양자얽힘실험실", "-n", "1").splitlines()[0]
    assert re.fullmatch(r"2 documents in [\d,]+ ms \(start-up [\d,]+ ms: the Korean model\)",
                        first), first


# Banners -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("query", "banner"), [
    ("멜라녹스", ["1 document in N ms"]),
    ("zzqxjv", ["0 documents in N ms", "No document matches zzqxjv."]),  # not "every word"
    ("인공지능 zzqxjv", ["4 documents in N ms",
                       "No document has every word: ranked by how many of them each holds."]),
    ("WAICO를 제안한 사람은?", ["13 documents in N ms", "Ranked by the words each document "
                                                    "shares with the query (some may hold "
                                                    "only some of them)."]),
    ("IAEA", ["3 documents in N ms", "Also searched 국제원자력기구 (for IAEA)"]),
    ("반도채", ["12 documents in N ms", "Showing results for 반도체 (typo: 반도채 → 반도체)"]),
])
def test_banners_say_only_what_is_true(capsys: pytest.CaptureFixture[str], sample_index: Path,
                                       query: str, banner: list[str]) -> None:
    """Singular and plural right; "no document has every word" only for keywords that no
    document holds all of (not for a question, not for nothing found); a correction said once,
    and an alias said as what was also searched."""
    code, out, _ = run(capsys, "search", query, "-n", "1", "--index", str(sample_index))
    assert code == 0
    lines = timed(out).splitlines()
    assert (lines[:lines.index("")] if "" in lines else lines) == banner


def test_a_failed_search_is_an_error(capsys: pytest.CaptureFixture[str], sample_index: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A fault of the search (not the query) is not "0 documents" and exit 0."""
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("posting file [/b] damaged")

    monkeypatch.setattr(Index, "_search", broken)
    code, out, err = run(capsys, "search", "엔비디아", "--index", str(sample_index))
    assert code == 1 and timed(out) == "0 documents in N ms\n"
    assert err == "error: search failed (RuntimeError: posting file [/b] damaged)\n"
    code, out, err = run(capsys, "search", "엔비디아", "--json", "--index", str(sample_index))
    data = orjson.loads(out)
    assert code == 1 and data["failure"] == "search failed (RuntimeError: posting file [/b] " \
                                            "damaged)"
    assert (data["total"], data["hits"], data["mode"]) == (0, [], "none")


# --json and --explain ----------------------------------------------------------------------

def test_json_says_what_happened_and_the_facets(capsys: pytest.CaptureFixture[str],
                                                sample_index: Path) -> None:
    code, out, _ = run(capsys, "search", "Nvidia", "--json", "-n", "1", "--index",
                       str(sample_index))
    assert code == 0
    data = orjson.loads(out)
    assert [h["id"] for h in data["hits"]] == ["sample-009"]
    del data["hits"]
    assert data == {
        "query": "Nvidia",
        "total": 5,
        "suggestion": None,
        "mode": "all",
        "rewrites": [{"rule": "alias", "original": "Nvidia", "replacement": "엔비디아"}],
        "aliases": [{"original": "Nvidia", "alias": "엔비디아"}],
        "sources": [{"source": "경제투데이", "count": 1}, {"source": "과학기술신문", "count": 1},
                    {"source": "국제뉴스통신", "count": 1}, {"source": "정책브리핑", "count": 1},
                    {"source": "한빛일보", "count": 1}],
        "months": [{"month": "2024-12", "count": 1}, {"month": "2025-01", "count": 1},
                   {"month": "2025-07", "count": 1}, {"month": "2025-08", "count": 1},
                   {"month": "2025-10", "count": 1}],
    }


def test_json_of_a_correction(capsys: pytest.CaptureFixture[str], sample_index: Path) -> None:
    code, out, _ = run(capsys, "search", "반도채", "--json", "-n", "1", "--index",
                       str(sample_index))
    data = orjson.loads(out)
    assert code == 0
    assert (data["total"], data["mode"], data["aliases"]) == (12, "all", [])
    assert data["rewrites"] == [{"rule": "typo", "original": "반도채", "replacement": "반도체"}]


def test_explain_shows_aliases_and_the_query_they_make(capsys: pytest.CaptureFixture[str],
                                                      sample_index: Path) -> None:
    code, out, _ = run(capsys, "search", "Nvidia", "--explain", "--index", str(sample_index))
    assert code == 0
    assert out.splitlines() == [
        "query:  'Nvidia'",
        "mode:   all",
        "terms:  nvidia",
        "whoosh: ((title:nvidia^1.6 OR body:nvidia OR words:nvidia^0.7) ANDMAYBE "
        "words:nvidia^0.7)",
        "also:   엔비디아 (alias of Nvidia)",
        "searched as:",
        "  query:  '(Nvidia OR 엔비디아)'",
        "  mode:   all",
        "  terms:  nvidia 엔비디아",
        "  whoosh: (((title:nvidia^1.6 OR body:nvidia OR words:nvidia^0.7) ANDMAYBE "
        "words:nvidia^0.7) OR ((title:엔비디아^1.6 OR body:엔비디아 OR words:엔비디아^0.7) "
        "ANDMAYBE words:엔비디아^0.7))",
    ]


@pytest.mark.parametrize(("argv", "also"), [
    ((), ["also:   반도체 (typo: 반도채 → 반도체)", "searched as:", "  query:  '반도체'"]),
    (("--exact",), ["also:   nothing (--exact)"]),
])
def test_explain_shows_corrections(capsys: pytest.CaptureFixture[str], sample_index: Path,
                                   argv: tuple[str, ...], also: list[str]) -> None:
    code, out, _ = run(capsys, "search", "반도채", "--explain", *argv, "--index",
                       str(sample_index))
    assert code == 0
    assert out.splitlines()[4:4 + len(also)] == also


def test_explain_when_nothing_else_is_searched(capsys: pytest.CaptureFixture[str],
                                               sample_index: Path) -> None:
    code, out, _ = run(capsys, "search", "반도체", "--explain", "--index", str(sample_index))
    assert code == 0
    assert out.splitlines()[4:] == ["also:   nothing (no alias or correction applies)"]


# kosearch aliases --json -------------------------------------------------------------------

ALIAS_DOCS = [
    {"id": "금리-1", "title": "기준금리 동결",
     "body": "한국은행(韓國銀行)이 이번 달 기준금리를 그대로 두기로 했다. 국제통화기금(IMF)은 "
             "올해 성장률 전망을 낮췄다."},
    {"id": "금리-2", "title": "인공지능 모델 공개",
     "body": "중국 기업 딥시크(DeepSeek)가 새 모델을 내놓자 한국은행(韓國銀行)도 파급 효과를 "
             "살피기 시작했다."},
]


@pytest.fixture(scope="module")
def alias_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("aliases")
    (folder / "금리.jsonl").write_bytes(b"".join(orjson.dumps(d) + b"\n" for d in ALIAS_DOCS))
    report = index_paths([folder / "금리.jsonl"], folder / "index")
    assert (report.added, report.failed) == (2, 0), report.problems
    return folder / "index"


def test_aliases_json(capsys: pytest.CaptureFixture[str], alias_index: Path) -> None:
    code, out, _ = run(capsys, "aliases", "--json", "--index", str(alias_index))
    assert code == 0
    assert orjson.loads(out) == [
        {"term": "국제통화기금", "alias": "IMF", "documents": ["금리-1"]},
        {"term": "딥시크", "alias": "DeepSeek", "documents": ["금리-2"]},
        {"term": "한국은행", "alias": "韓國銀行", "documents": ["금리-1", "금리-2"]},
    ]
    assert "韓國銀行" in out  # UTF-8, not \\u escapes


@pytest.mark.parametrize(("term", "code", "expected"), [
    ("IMF", 0, {"term": "IMF", "aliases": ["국제통화기금"], "documents": ["금리-1"]}),
    ("없는 이름", 1, {"term": "없는 이름", "aliases": [], "documents": []}),
])
def test_aliases_of_a_term_as_json(capsys: pytest.CaptureFixture[str], alias_index: Path,
                                   term: str, code: int, expected: dict[str, object]) -> None:
    got, out, _ = run(capsys, "aliases", term, "--json", "--index", str(alias_index))
    assert (got, orjson.loads(out)) == (code, expected)


def test_aliases_text_counts_pairs(capsys: pytest.CaptureFixture[str], alias_index: Path) -> None:
    code, out, _ = run(capsys, "aliases", "--index", str(alias_index))
    assert code == 0 and out.splitlines()[-1] == "3 pairs"


def test_aliases_json_is_safe_to_cat(capsys: pytest.CaptureFixture[str]) -> None:
    from tui.output import aliases_json

    raw = aliases_json([("\u202e한국\x1b]0;x\x07", "KR\x9b2J", ["d\u2028"])]).decode()
    assert orjson.loads(raw) == [{"term": "\u202e한국\x1b]0;x\x07", "alias": "KR\x9b2J",
                                  "documents": ["d\u2028"]}]
    assert "\\u202e" in raw and "\\u001b]0;x\\u0007" in raw and "\\u009b2J" in raw
    assert "\\u2028" in raw


# The UI's keys hint ------------------------------------------------------------------------

def test_the_keys_hint_names_a_key_that_works_in_the_search_box() -> None:
    """`?` is typed into the search box, which has focus on the start screen; F1 is bound to
    help at the app level, which the box lets through."""
    from textual.binding import Binding

    from tui import app
    from tui.app import KosearchApp
    from tui.render import KEYS_HINT

    assert KEYS_HINT.startswith("Press F1 for keys") and "?" not in KEYS_HINT
    assert app.KEYS_HINT is KEYS_HINT  # the start screen shows this one
    helps = [b for b in KosearchApp.BINDINGS if isinstance(b, Binding) and b.action == "help"]
    assert [b.key.split(",") for b in helps] == [["question_mark", "f1"]]


def test_f1_opens_help_while_typing(sample_index: Path) -> None:
    import asyncio

    from test_tui_support import ready

    from tui.app import make_app
    from tui.screens import HelpScreen
    from tui.widgets import SearchInput

    async def scenario() -> None:
        app = make_app(sample_index)
        async with app.run_test(size=(100, 30)) as pilot:
            await ready(pilot)
            box = app.query_one("#search", SearchInput)
            box.focus()
            await pilot.press("question_mark")
            assert box.value == "?" and not isinstance(app.screen, HelpScreen)
            await pilot.press("f1")
            assert isinstance(app.screen, HelpScreen)

    asyncio.run(scenario())


# Tables in a pipe (issue 13) ---------------------------------------------------------------

def test_stats_in_a_pipe_is_neither_padded_nor_cut(capsys: pytest.CaptureFixture[str],
                                                   sample_index: Path) -> None:
    """Out of a terminal, `stats` writes each row whole on one line, even past 80 columns,
    with no spaces after the value (rich's table padded every line to 80 and cut a source's
    name with its count pushed onto the next line)."""
    code, out, _ = run(capsys, "stats", "--index", str(sample_index))
    assert code == 0
    lines = out.splitlines()
    assert lines[1:3] == ["documents   44", "dates       2024-01-25 .. 2026-10-08"]
    assert lines[5] == ("sources     경제투데이 8, 한빛일보 7, 정책브리핑 7, 국제뉴스통신 6, "
                        "과학기술신문 6, 노동정책리뷰 4, 에너지경제 4, 산업연구원 보고서 2")
    assert [line for line in lines if line != line.rstrip()] == []


def test_aliases_in_a_pipe_are_aligned_without_padding(capsys: pytest.CaptureFixture[str],
                                                      alias_index: Path) -> None:
    code, out, _ = run(capsys, "aliases", "--index", str(alias_index))
    assert code == 0
    assert out.splitlines() == [
        "name          alias     documents",
        "국제통화기금  IMF       금리-1",
        "딥시크        DeepSeek  금리-2",
        "한국은행      韓國銀行  금리-1, 금리-2",
        "3 pairs",
    ]


def test_tables_on_a_terminal_are_drawn_by_rich() -> None:
    """On a terminal rich draws the table (cells padded to their columns)."""
    from rich.console import Console

    from tui.output import print_rows

    console = Console(force_terminal=True, width=40, color_system=None)
    with console.capture() as captured:
        print_rows(console, [("딥시크", "DeepSeek")], ("name", "alias"))
    assert captured.get().splitlines() == [" name    alias    ", " 딥시크  DeepSeek "]
