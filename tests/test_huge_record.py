"""A huge record (a report pasted as one line: a million characters, thousands of matches)
gets the snippets a small document holding the same passage gets, without work per character
or per match in Python: the best window among thousands of marks is found with numpy, the
places of the `words` view's words with `re` looking for their first letter."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import orjson
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import search.highlight as highlight
from index import index_paths
from index.terms import fold
from search import Index, open_index
from search.highlight import snippets, word_marks

HARBOUR = ["작은 항구에는 아침마다 고깃배가 들어온다.", "항구 옆 시장에서 상인들이 생선을 판다.",
           "바람이 불면 항구에 묶인 배들이 흔들린다."]
FIELDS = ["들판에는 벼가 누렇게 익어 간다.", "마을 사람들은 저녁이면 정자에 모인다."]
FESTIVAL = "올해 가을 항구 축제에는 시민 오천 명이 모였다. 기차는 대전광역시에서 부산광역시까지 달렸다."


def report() -> tuple[str, int]:
    """A long report: 330 sentences about the harbour, a festival, then fields; and where the
    text a small document would hold (eight sentences before the festival onwards) begins."""
    before = [HARBOUR[i % 3] for i in range(330)]
    after = [FIELDS[i % 2] for i in range(20)]
    cut = len(" ".join(before[:-8])) + 1
    return " ".join([*before, FESTIVAL, *after]), cut


@pytest.fixture(scope="module")
def idx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    base = tmp_path_factory.mktemp("huge-record")
    text, cut = report()
    source = base / "docs.jsonl"
    source.write_bytes(b"".join(orjson.dumps({"id": i, "title": t, "body": b}) + b"\n" for i, t, b in [
        ("big", "항구 보고서", text), ("small", "항구 소식", text[cut:])]))
    done = index_paths([source], base / "index")
    assert (done.added, done.failed) == (2, 0)
    with open_index(Path(base / "index")) as index:
        yield index


def passage(idx: Index, query: str, word: str) -> dict[str, tuple[str, list[str], int]]:
    """For each hit, its snippet holding `word`: text, marked words, offset in the body."""
    out = {}
    for hit in idx.search(query).hits:
        s = next(s for s in hit.snippets if word in s.text)
        out[hit.id] = (s.text, [s.text[a:b] for a, b in s.marks], s.start)
    return out


def test_the_report_shows_the_passage_a_small_document_shows(idx: Index) -> None:
    """Among 330 marks of 항구 the passage holding 축제 too is shown, as in the small document
    holding only the end of the report (chosen among 11 marks)."""
    _, cut = report()
    found = passage(idx, "항구 축제", "축제")
    text, marks, start = found["big"]
    assert text == ("작은 항구에는 아침마다 고깃배가 들어온다. 항구 옆 시장에서 상인들이 생선을 판다. "
                    "바람이 불면 항구에 묶인 배들이 흔들린다. 올해 가을 항구 축제에는 시민 오천 명이 모였다.")
    assert marks == ["항구", "항구", "항구", "항구", "축제"]
    assert found["small"] == (text, marks, start - cut)


def test_a_word_of_the_words_view_is_marked_in_the_report(idx: Index) -> None:
    """부산광역시 (부산 + 광역시 for Kiwi in this sentence) is found in the words view and marked
    where it stands, in the report as in the small document."""
    _, cut = report()
    found = passage(idx, "부산광역시", "부산광역시")
    assert found["big"][1] == ["부산광역시"]
    assert found["small"] == (found["big"][0], ["부산광역시"], found["big"][2] - cut)


class _CountedMark(tuple):  # type: ignore[type-arg]
    reads = 0

    def __getitem__(self, key):  # type: ignore[no-untyped-def]
        _CountedMark.reads += 1
        return tuple.__getitem__(self, key)


def test_thousands_of_marks_are_weighed_by_numpy() -> None:
    """Choosing three passages among 4,000 marks reads each mark once in Python (where it
    starts); the Python loop over them read each about ten times."""
    n = 4000
    text = "정부 발표 " * n
    marks = [_CountedMark((i * 6, i * 6 + 2, "정부")) for i in range(n)]
    _CountedMark.reads = 0
    result = snippets(text, marks)
    assert [(s.start, s.marks[:2]) for s in result] == [(0, ((0, 2), (6, 8))),
                                                      (180, ((0, 2), (6, 8))),
                                                      (360, ((0, 2), (6, 8)))]
    assert _CountedMark.reads < 1.1 * n, _CountedMark.reads


marks_strategy = st.lists(
    st.tuples(st.integers(0, 90), st.sampled_from([0, 9]), st.sampled_from([1, 2, 3, 7, 40, 150]),
              st.sampled_from(["정부", "발표", "항구", "정부 발표"])),
    min_size=1, max_size=80).map(lambda ms: [(10 * k + o, 10 * k + o + n, t) for k, o, n, t in ms])
"""Marks starting where the passages' edges fall in a text of ten-character sentences
(`test_passages_chosen_from_arrays_are_those_of_the_loop`) and 30 characters away (the
marks left out around a passage)."""


@settings(max_examples=300, deadline=None)
@given(marks=marks_strategy, width=st.sampled_from([30, 60, 120]))
def test_numpy_window_is_the_loops_window(marks: list[tuple[int, int, str]], width: int) -> None:
    """The window numpy finds is the one the sliding loop finds, marks overlapping, longer
    than the window, of phrases, repeated."""
    ordered = sorted(marks)
    starts, ends, terms = ([m[k] for m in ordered] for k in range(3))
    numbers = np.unique(terms, return_inverse=True)[1]
    found = highlight._best_window(ordered, width)
    assert found is not None
    assert highlight._best_window_arrays(np.array(starts), np.array(ends), numbers,
                                         width) == found[0]


@settings(max_examples=500, deadline=None)
@given(marks=marks_strategy, count=st.integers(1, 4))
def test_passages_chosen_from_arrays_are_those_of_the_loop(marks: list[tuple[int, int, str]],
                                                          count: int) -> None:
    """The passages chosen one after another (each leaving out the marks near it) are the
    same whichever way the windows are found."""
    text = "가나다라마바사아. " * 100
    chosen = []
    saved = highlight._SLIDE_MARKS
    try:
        for most in (0, len(marks)):  # numpy, then the loop
            highlight._SLIDE_MARKS = most
            chosen.append(snippets(text, marks, count=count, width=60))
    finally:
        highlight._SLIDE_MARKS = saved
    assert chosen[0] == chosen[1]


def _old_word_marks(text: str, words: list[str]) -> list[tuple[int, int, str]]:
    """`word_marks` as it was: a look-behind regex over the text folded whole."""
    low = fold(text).lower()
    if len(low) != len(text):
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in fold(text))
    out = []
    for w in dict.fromkeys(words):
        if not w or any(c in w for c in "*?[") or w.isspace():
            continue
        body = (",?".join(re.escape(c) for c in w) if any(c.isdigit() for c in w)
                else re.escape(w))
        end = r"(?!,?\w)" if w[-1].isdigit() else r"(?![a-z0-9])" if w[-1].isascii() else ""
        out += [(m.start(), m.end(), w) for m in re.finditer(r"(?<!\w)" + body + end, low)]
    return sorted(out)


@settings(max_examples=400, deadline=None)
@example(text="＿가나 가가가 x가나", words=["가나", "가가"])
@example(text="ＡＰＥＣ에 1,0 10", words=["a", "10", "1,0"])
@given(text=st.text(st.sampled_from(list("가나다 ,._＿1０0aAＡİΣ\n")), max_size=60),
       words=st.lists(st.sampled_from(["가나", "나가", "가가", "10", "1,0", "a", "aa", "_가",
                                       "a.a", "가 나", "σ가"]), min_size=1, max_size=3))
def test_word_places_as_the_look_behind_found_them(text: str, words: list[str]) -> None:
    """Looking for a word's first letter and then at the character before finds the places
    the look-behind regex found in the folded, lower-case text, overlapping candidates
    (가가가) and rejected ones included, a Hangul word looked for in the text as written
    (＿ before it folds to _, a letter of a word)."""
    assert word_marks(text, words) == _old_word_marks(text, words)


def test_full_width_forms_are_what_fold_changes() -> None:
    """Folding only the runs `_FULL_WIDTH` finds is folding the whole text."""
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    assert highlight._FULL_WIDTH.sub(lambda m: fold(m.group()), every) == fold(every)
