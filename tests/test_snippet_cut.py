"""A snippet shows every mark its window was chosen for: the window is weighed by the marks
within its width, then moved to start at a sentence and cut back to end at one; neither may
leave out a mark it was weighed by (a passage chosen for 항구 and 축제 showed 항구 alone)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import search.highlight as highlight
from search.highlight import snippets

Mark = tuple[int, int, str]


def marks_of(text: str, words: list[str]) -> list[Mark]:
    return sorted((i, i + len(w), w) for w in words for i in range(len(text))
                  if text.startswith(w, i))


def shown(text: str, words: list[str]) -> list[tuple[int, str, list[str]]]:
    return [(s.start, s.text, [s.text[a:b] for a, b in s.marks])
            for s in snippets(text, marks_of(text, words))]


def test_the_cut_back_to_a_sentence_end_keeps_a_mark_after_it() -> None:
    """The window from the first 항구 holds 축제 (ending at 98 of 120 characters); cut back to
    the sentence end at 86, it showed 항구 alone, and 축제 was left out as near it."""
    text = ("작은 항구 마을에는 아침마다 고깃배가 들어오고 상인들이 생선을 사려고 부두에 모여 줄을 "
            "서며 값을 놓고 흥정을 하는데 해가 뜨기 전부터 사람들로 북적인다. 올해 가을 열린 "
            "축제에는 시민 오천 명이 모여 밤늦게까지 노래를 부르고 춤을 추었다. 내년에도 같은 때에 "
            "열린다.")
    assert shown(text, ["항구", "축제"]) == [(
        0, "작은 항구 마을에는 아침마다 고깃배가 들어오고 상인들이 생선을 사려고 부두에 모여 줄을 "
           "서며 값을 놓고 흥정을 하는데 해가 뜨기 전부터 사람들로 북적인다. 올해 가을 열린 "
           "축제에는 시민 오천 명이 모여 밤늦게까지", ["항구", "축제"])]


def test_a_window_moved_back_to_its_sentence_start_keeps_its_last_mark() -> None:
    """The window weighed from 40 characters before 항구 holds 축제 at its end; started 5
    characters earlier, where 항구's sentence begins, it ended before 축제."""
    text = ("들판에는 벼가 누렇게 익어 간다. 마을 사람들은 저녁이면 정자에 모여 앉아 이야기를 나누고 "
            "낡은 다리를 건너 작은 항구까지 걸어가서 고깃배가 드나드는 모습을 바라보며 상인들이 "
            "생선을 파는 소리를 듣다가 해마다 가을이 오면 부두 앞 마당에서 열리는 축제 이야기를 "
            "꺼내곤 한다. 올해는 비가 와서 하루 미뤄졌다.")
    assert shown(text, ["항구", "축제"]) == [(
        64, "항구까지 걸어가서 고깃배가 드나드는 모습을 바라보며 상인들이 생선을 파는 소리를 "
            "듣다가 해마다 가을이 오면 부두 앞 마당에서 열리는 축제 이야기를 꺼내곤 한다. "
            "올해는 비가 와서 하루 미뤄졌다.", ["항구", "축제"])]


def test_a_window_with_room_still_ends_at_a_sentence() -> None:
    """Where the marks end before the sentence does, the passage is cut there as before."""
    text = ("작은 항구 축제에 시민 오천 명이 모여 밤늦게까지 노래를 부르고 춤을 추었다. 내년에도 "
            "같은 때에 열린다는 소식에 상인들은 벌써부터 준비를 서두르고 있으며 시청도 돕는다.")
    assert shown(text, ["항구", "축제"]) == [
        (0, "작은 항구 축제에 시민 오천 명이 모여 밤늦게까지 노래를 부르고 춤을 추었다. 내년에도 "
            "같은 때에 열린다는 소식에 상인들은 벌써부터 준비를 서두르고 있으며 시청도 돕는다.",
         ["항구", "축제"])]


SENTENCES = ["항구에 배가 많다. ", "축제가 열린다. ", "바람이 분다 ", "정부는 발표했다. ",
             "들판에 벼가 익어 간다. ", "\n", "시장 상인들이 생선을 판다 "]


@settings(max_examples=400, deadline=None)
@given(parts=st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=60),
       width=st.sampled_from([30, 60, 120]), count=st.integers(1, 3))
def test_every_mark_a_window_was_weighed_by_is_shown(parts: list[str], width: int,
                                                    count: int) -> None:
    """Each passage shows all the marks the window chosen for it held within its width
    (those `_best_window` counted), whichever path (loop or numpy) found it."""
    text = "".join(parts)
    marks = marks_of(text, ["항구", "축제", "정부", "발표", "상인"])
    if not marks:
        return
    for slide in (highlight._SLIDE_MARKS, 0):
        saved = highlight._SLIDE_MARKS
        highlight._SLIDE_MARKS = slide
        try:
            shown_marks = {(s.start + a, s.start + b) for s in snippets(text, marks, count=count,
                                                                         width=width)
                           for a, b in s.marks}
        finally:
            highlight._SLIDE_MARKS = saved
        found = highlight._best_window(marks, width)
        assert found is not None
        first, start = found
        for m in marks[first:]:
            if m[1] > start + width:  # the marks weighed end here
                break
            assert any(a <= m[0] and m[1] <= b for a, b in shown_marks), (m, shown_marks)
