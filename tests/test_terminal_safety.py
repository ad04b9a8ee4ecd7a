"""Terminal safety: what documents, file names and queries hold is data, never markup and never
a control sequence, in the CLI (pipe and terminal) and the TUI; `--json` stays exact."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_tui_support import pilot_test, ready, search, wait_for

from index import index_paths
from tui.app import make_app
from tui.cli import main
from tui.preview import DocumentView, Preview
from tui.render import MARK, hit_parts
from tui.terminal import FORBIDDEN, clean, clean_marked
from tui.widgets import ResultList, SearchInput

# Each kind of sequence a hostile article can hold, and what is left of it.
CASES = [
    ("제목\x1b]0;창 제목을 바꿈\x07끝", "제목끝"),  # window title, ended by BEL
    ("앞\x1b]2;제목\x1b\\뒤", "앞뒤"),  # window title, ended by ST
    ("\x1b[2J\x1b[H본문", "본문"),  # clear the screen, cursor home
    ("\x1b]8;;https://evil.example/\x07여기\x1b]8;;\x07를 누르세요", "여기를 누르세요"),  # OSC 8
    ("\x9b31m빨강\x9b0m", "빨강"),  # CSI as one C1 byte
    ("\x1b[5m깜빡\x1b[25m임", "깜빡임"),  # blinking
    ("\x1bP1$r비밀\x1b\\뒤", "뒤"),  # DCS string
    ("\x1b_앱 명령\x1b\\뒤", "뒤"),  # APC string
    ("\x1b^개인\x9c뒤", "뒤"),  # PM string, ended by an 8-bit ST
    ("\x1bX시작\x1b\\뒤", "뒤"),  # SOS string
    ("\x90데이터\x9c뒤", "뒤"),  # DCS as one C1 byte
    ("\x1b7저장\x1b8", "저장"),  # two-character sequences
    ("\x1b(B라\x1bc", "라"),  # character set, full reset
    ("a\x00b\x07c\x08d\x7fe\x1ff", "abcdef"),  # C0 controls and DEL
    ("가\x85나", "가\n나"),  # NEL, a C1 line break
    ("줄1\r\n줄2\r줄3\x0b줄4\x0c줄5\u2028줄6\u2029끝", "줄1\n줄2\n줄3\n줄4\n줄5\n줄6\n끝"),
    ("가\t나\n다", "가\t나\n다"),  # tab and newline stay
    ("\u202e꾸로\u202c \u2066격리\u2069 \u200f\u200e\u061c끝", "꾸로 격리 끝"),  # bidi
    ("\udcff\udcfe시진핑", "\ufffd\ufffd시진핑"),  # undecodable bytes of a file name
    ("\x1b]0;제목 없음", "0;제목 없음"),  # unterminated: only the introducer goes
    ("\x1b[12", "12"),
    ("끝\x1b", "끝"),
    ("\x1b가", "가"),
    ("習近平 👩\u200d👩\u200d👧 e\u0301 한글 ①", "習近平 👩\u200d👩\u200d👧 e\u0301 한글 ①"),
]

FORBIDDEN_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(FORBIDDEN)) + "]")


@pytest.mark.parametrize(("text", "cleaned"), CASES)
def test_clean_removes_whole_sequences(text: str, cleaned: str) -> None:
    assert clean(text) == cleaned
    assert clean_marked(text, ())[0] == cleaned


def test_clean_returns_clean_text_itself() -> None:
    text = "정부가 내년 예산을\n발표했다.\t(習近平)"
    assert clean(text) is text


def test_marks_stay_on_their_words() -> None:
    text = "\x1b[1m서울\x1b[0m 날씨\r\n\x1b]8;;https://e.example/\x07예보\x1b]8;;\x07 \u202e끝"
    marks = [(text.index(w), text.index(w) + len(w)) for w in ("서울", "날씨", "예보", "끝")]
    cleaned, moved = clean_marked(text, marks)
    assert cleaned == "서울 날씨\n예보 끝"
    assert moved == ((0, 2), (3, 5), (6, 8), (9, 10))
    assert [cleaned[a:b] for a, b in moved] == ["서울", "날씨", "예보", "끝"]


@pytest.mark.parametrize(
    ("text", "marks", "cleaned", "moved"),
    [
        ("가\x1b[2J나", [(0, 6)], "가나", ((0, 2),)),  # a mark across a removed sequence
        ("가\x1b[2J나", [(1, 5)], "가나", ()),  # a mark on nothing but the sequence
        ("가\x1b[2J나", [(3, 6)], "가나", ((1, 2),)),  # starting inside it
        ("가\r\n나", [(0, 1), (3, 4)], "가\n나", ((0, 1), (2, 3))),
    ],
)
def test_marks_over_removed_characters(text: str, marks: list[tuple[int, int]], cleaned: str,
                                       moved: tuple[tuple[int, int], ...]) -> None:
    assert clean_marked(text, marks) == (cleaned, moved)


@given(st.text())
def test_clean_leaves_nothing_forbidden_and_is_idempotent(text: str) -> None:
    cleaned = clean(text)
    assert not {ord(c) for c in cleaned} & FORBIDDEN
    assert clean(cleaned) == cleaned
    assert clean_marked(text, [(0, len(text))])[0] == cleaned


JUNK = ["\x1b[2J", "\x1b]0;t\x07", "\x9b1m", "\u202e", "\x00", "\x1b7", "\x1bP0\x1b\\", "\x7f",
        "\x1b]8;;u\x1b\\"]


@given(st.lists(st.tuples(st.text("가나다라 abc習", min_size=1, max_size=4),
                          st.lists(st.sampled_from(JUNK), max_size=2)), min_size=1, max_size=6))
def test_marked_words_survive_any_junk_around_them(parts: list[tuple[str, list[str]]]) -> None:
    text, marks = "", []
    for word, junk in parts:
        marks.append((len(text), len(text) + len(word)))
        text += word + "".join(junk)
    cleaned, moved = clean_marked(text, marks)
    assert [cleaned[a:b] for a, b in moved] == [word for word, _ in parts]


def test_hit_parts_are_clean() -> None:
    from test_tui_support import make_hit

    from search.types import Snippet

    title = "\x1b]0;x\x07정부 예산"
    hit = make_hit(title=title, title_marks=((title.index("예산"), len(title)),),
                   source="\x1b[5m통신", snippets=(Snippet("본문\x9b2J 예산", ((6, 8),)),))
    parts = [text for text, _ in hit_parts(hit)]
    assert [p.plain for p in parts] == ["정부 예산", "통신", "본문 예산…"]
    for part in (parts[0], parts[2]):
        assert [part.plain[s.start:s.end] for s in part.spans if s.style == MARK] == ["예산"]


def test_rewrites_echo_the_query_clean() -> None:
    from search.notices import notices
    from search.types import Results, Rewrite
    from tui.banner import banner_text
    from tui.output import notice_text

    found = notices(Results("출산\x1b]0;x\x07뉼", (), 3,
                            rewrites=(Rewrite("typo", "출산\x1b]0;x\x07뉼", "출산율"),)))
    expected = "Showing results for 출산율 (typo: 출산뉼 → 출산율)"
    assert banner_text(found).plain == expected
    assert [notice_text(n).plain for n in found] == [expected]


# An index of hostile documents ------------------------------------------------------------

HOSTILE = [
    {"id": "evil-[/]1", "title": "\x1b]0;owned\x07정부 \x1b[5m예산\x1b[0m 발표",
     "body": "\x1b[2J정부가 내년 예산을 \x9b31m발표했다\x1b]8;;http://evil.example\x07여기"
             "\x1b]8;;\x07 그리고 \u202e메모리\u202c 반도체 예산.\r\n둘째 줄\x1bP1$r\x1b\\ 끝.",
     "source": "[bold]통신[/]", "date": "2025-01-02", "url": "https://e.example/1",
     "tags": ["\x1b[31m태그[/b]"]},
    {"id": "evil-2", "title": "예산 [/b] 두 번째", "body": "예산 이야기\x07\x1b[?1049h 계속.",
     "source": "통신\x1b]0;x\x07", "date": "2025-01-03"},
]
NAME = "악성 [bold]x[dim] \x1b]0;t\x07.jsonl"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with NAME (the hostile documents) and `[/b]index` (a folder `b]index` in a
    folder `[`), their index."""
    folder = tmp_path_factory.mktemp("hostile")
    (folder / NAME).write_bytes(b"\n".join(orjson.dumps(d) for d in HOSTILE) + b"\n")
    report = index_paths([folder / NAME], folder / "[/b]index")
    assert (report.added, report.failed) == (2, 0), report.problems
    return folder


def unsafe(text: str) -> list[str]:
    return FORBIDDEN_RE.findall(text)


def test_cli_index_and_search_print_data_as_text(hostile: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "[bold]x[dim]"
    folder.mkdir()
    (folder / "bad[").mkdir()  # so the file's path holds "[/b]"
    (folder / "bad[/b].jsonl").write_text('{"id": "a[/]", "title": "t"\n', encoding="utf-8")
    (folder / NAME).write_bytes((hostile / NAME).read_bytes())
    code = main(["index", str(folder), "--index", str(tmp_path / "[/]idx")])
    out, err = capsys.readouterr()
    assert code == 1  # one bad record, the rest indexed
    assert f"{tmp_path / '[/]idx'} (" in out and "added      2" in out
    assert "bad[/b].jsonl" in err and not unsafe(out + err)
    code = main(["search", "예산", "--index", str(hostile / "[/b]index")])
    out, err = capsys.readouterr()
    assert code == 0 and not unsafe(out + err)
    assert "정부 «예산» 발표" in out and "[bold]통신[/]" in out and "evil-[/]1" in out
    assert "발표했다여기 그리고 메모리 반도체" in out
    code = main(["search", "[/b]", "두", "--index", str(hostile / "[/b]index")])
    out, err = capsys.readouterr()
    assert code == 0 and "예산 [/«b»] 두 번째" in out and not unsafe(out + err)


def test_cli_did_you_mean_echoes_the_query_clean(sample_index: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["search", "반도채\x1b]0;x\x07 \x1b[2J수출", "--exact", "--index",
                 str(sample_index)])
    out, err = capsys.readouterr()
    assert code == 0 and "Did you mean 반도체 수출?" in out and not unsafe(out + err)


def test_json_is_exact_and_safe_to_cat(hostile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["search", "예산", "--json", "--exact", "--index", str(hostile / "[/b]index")])
    raw = capsys.readouterr().out
    assert code == 0
    data = orjson.loads(raw)
    titles = {hit["id"]: hit["title"] for hit in data["hits"]}
    assert titles == {h["id"]: h["title"] for h in HOSTILE}  # exact, not cleaned
    assert not unsafe(raw.replace("\n", ""))  # every control character is \u-escaped
    assert "\\u009b31m" in raw and "\\u202e" in raw and "\\u001b]0;owned" in raw


def test_json_with_a_lone_surrogate_in_the_query(hostile: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    query = b"\xff\xfe\xec\x98\x88\xec\x82\xb0".decode("utf-8", "surrogateescape")  # as argv has it
    assert query == "\udcff\udcfe예산"
    code = main(["search", query, "--json", "--index", str(hostile / "[/b]index")])
    data = orjson.loads(capsys.readouterr().out)
    assert code == 0 and data["query"] == "\ufffd\ufffd예산"
    code = main(["search", query, "--index", str(hostile / "[/b]index")])
    out, err = capsys.readouterr()
    assert code == 0 and not unsafe(out + err)


def _subprocess_search(hostile: Path, **env: str) -> bytes:
    proc = subprocess.run(
        [sys.executable, "-m", "tui.cli", "search", "예산", "--index", str(hostile / "[/b]index")],
        capture_output=True, timeout=120, env={**os.environ, **env},
        cwd=Path(__file__).parent.parent,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout + proc.stderr


def test_cli_subprocess_through_a_pipe(hostile: Path) -> None:
    raw = _subprocess_search(hostile, NO_COLOR="1", TERM="dumb")
    text = raw.decode()
    assert "정부 «예산» 발표" in text and not unsafe(text.replace("\n", ""))


def test_cli_subprocess_on_a_terminal_emits_only_its_own_colours(hostile: Path) -> None:
    text = _subprocess_search(hostile, FORCE_COLOR="1", COLUMNS="200").decode()
    codes = re.findall(r"\x1b\[([0-9;]*)m", text)
    assert codes  # rich's own styles are there...
    assert not unsafe(re.sub(r"\x1b\[[0-9;]*m", "", text).replace("\n", ""))  # ...and only they
    assert not any("5" in code.split(";") for code in codes)  # no blinking
    assert "정부 예산 발표" in re.sub(r"\x1b\[[0-9;]*m", "", text)


# The TUI -------------------------------------------------------------------------------------

def _shown(widget: object) -> str:
    """The text of the lines `widget` paints."""
    lines = [widget.render_line(y) for y in range(widget.size.height)]  # type: ignore[attr-defined]
    return "\n".join("".join(segment.text for segment in line) for line in lines)


@pilot_test
async def test_tui_results_and_preview_hold_no_control_characters(hostile: Path) -> None:
    """The result list, the preview header and body show the words of a hostile document,
    with none of its control characters, and the marks stay on the query's words."""
    app = make_app(hostile / "[/b]index")
    async with app.run_test(size=(140, 40)) as pilot:
        await search(pilot, "반도체")
        results = app.query_one("#results", ResultList)
        listed = _shown(results)
        assert "정부 예산 발표" in listed and "[bold]통신[/]" in listed
        assert not unsafe(listed.replace("\n", ""))
        await pilot.press("enter")
        pane = app.query_one("#preview-pane", Preview)
        await wait_for(pilot, lambda: pane.body.document is not None)
        await pilot.pause()
        view = pane.query_one(DocumentView)
        header, body = _shown(pane.query_one("#doc-header")), _shown(view)
        assert "발표했다여기 그리고 메모리 반도체 예산." in body and "둘째 줄 끝." in body
        assert "태그[/b]" in header and "https://e.example/1" in header
        assert not unsafe((header + body).replace("\n", ""))
        assert [view.text[a:b] for a, b in view.marks] == ["반도체"]


@pilot_test
async def test_tui_pasted_query_and_notifications_are_clean(hostile: Path) -> None:
    """A pasted query loses its control characters; a notification with markup characters
    and escape sequences in it is shown as plain, cleaned text."""
    app = make_app(hostile / "[/b]index")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        box = app.query_one("#search", SearchInput)
        box.focus()
        box.insert_text_at_cursor("\x1b[2J예\u202e산\r\n")
        assert (box.value, box.cursor_position) == ("예산 ", 3)
        box.value = "\x1b]0;x\x07반도체"
        assert box.value == "반도체"
        app.notify("[/b] \x1b]0;x\x07경로 [bold]x", title="[/]\x1b[2J제목")
        await pilot.pause()
        shown = [(n.message, n.title, n.markup) for n in app._notifications]
        assert shown[-1] == ("[/b] 경로 [bold]x", "[/]제목", False)



def test_folder_suggestions_skip_names_with_control_characters(tmp_path: Path) -> None:
    import asyncio

    from tui.screens import FolderSuggester

    (tmp_path / "\x1b]0;x\x07a").mkdir()
    (tmp_path / "정책").mkdir()
    suggestion = asyncio.run(FolderSuggester().get_suggestion(f"{tmp_path}/"))
    assert suggestion == f"{tmp_path}/정책/"
