"""Analysis settings belong to an `Analyzer`, not to the process: two analyzers with different
user words read the same text differently in one process, and making one active changes only
what the current context uses."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from index import index_paths, kiwis
from index.analysis import (
    Analyzer,
    KiwiNotReady,
    KiwiTokenizer,
    analyze,
    current_analyzer,
    join_user_words,
    no_wait,
    normalize,
    set_user_words,
    user_words,
)
from index.kiwis import READY, KiwiChild, Words
from search import Index, open_index
from search.types import Results

WORDS = (("소버린AI", "NNP"), ("알고리즘 주권", "NNP"))
TEXT = "소버린AI와 알고리즘 주권을 논의했다"


def terms(analyzer: Analyzer, text: str = TEXT) -> list[str]:
    return [u[0] for u in analyzer.analyze(normalize(text)).units]


def test_two_analyzers_keep_their_own_words() -> None:
    plain, coined = Analyzer(), Analyzer(WORDS)
    assert terms(coined) == ["소버린ai", "알고리즘주권", "논의"]
    assert terms(plain) == ["소", "버리", "ai", "알고리즘", "주권", "논의"]
    assert terms(coined) == ["소버린ai", "알고리즘주권", "논의"]  # unchanged by the other's use


def test_analyzers_with_the_same_words_share_one_kiwi() -> None:
    assert Analyzer(WORDS).kiwi() is Analyzer(list(WORDS)).kiwi()
    assert Analyzer(WORDS).kiwi() is not Analyzer().kiwi()


def test_active_analyzer_is_what_the_tokenizer_and_functions_use() -> None:
    coined = Analyzer(WORDS)
    tokenizer = KiwiTokenizer("morph")
    before = [t.text for t in tokenizer("소버린AI")]
    with coined.active():
        assert current_analyzer() is coined
        assert user_words() == WORDS
        assert [t.text for t in tokenizer("소버린AI")] == ["소버린ai"]
        assert join_user_words("알고리즘  주권 논쟁") == "알고리즘주권 논쟁"
        assert [u[0] for u in analyze("알고리즘 주권").units] == ["알고리즘주권"]
    assert [t.text for t in tokenizer("소버린AI")] == before == ["소", "버리", "ai"]
    assert join_user_words("알고리즘  주권 논쟁") == "알고리즘  주권 논쟁"


def test_an_active_analyzer_stays_in_its_thread() -> None:
    coined = Analyzer(WORDS)
    seen: list[tuple[tuple[str, str], ...]] = []
    with coined.active():
        worker = threading.Thread(target=lambda: seen.append(user_words()))
        worker.start()
        worker.join()
        assert user_words() == WORDS
    assert seen == [()]


def test_setting_the_default_words_leaves_other_analyzers_alone() -> None:
    coined = Analyzer(WORDS)
    try:
        set_user_words([("소버린AI", "NNP")])
        assert [u[0] for u in analyze(normalize("소버린AI")).units] == ["소버린ai"]
        assert terms(coined) == ["소버린ai", "알고리즘주권", "논의"]
        assert terms(Analyzer()) == ["소", "버리", "ai", "알고리즘", "주권", "논의"]
    finally:
        set_user_words(())
    assert [u[0] for u in analyze(normalize("소버린AI")).units] == ["소", "버리", "ai"]


def test_opening_another_index_leaves_an_open_index_reading_as_before(tmp_path: Path) -> None:
    """The issue's case: index A analysed with the dictionary word 소버린AI, index B without;
    searching A gives the same result before and after B is opened (and indexed)."""
    articles = tmp_path / "articles.jsonl"
    articles.write_text(
        '{"id": "a1", "title": "소버린AI 전략", "body": "정부가 소버린AI 전략을 발표했다."}\n'
        '{"id": "a2", "title": "소버린 펀드", "body": "소버린 펀드와 AI 투자가 늘었다."}\n',
        encoding="utf-8")
    words = tmp_path / "dictionary.txt"
    words.write_text("소버린AI NNP\n", encoding="utf-8")
    assert index_paths([articles], tmp_path / "a", dictionary=words).failed == 0
    assert index_paths([articles], tmp_path / "b").failed == 0

    def found(ix: Index) -> tuple[str, list[str]]:
        results = ix.search("소버린AI")
        return results.mode, [h.id for h in results.hits]

    with open_index(tmp_path / "a") as a:
        before = found(a)
        with open_index(tmp_path / "b") as b:
            assert found(b) == ("all", ["a1", "a2"])  # 소 + 버리 + ai in both
            assert found(a) == before == ("all", ["a1"])
        assert a.parse("소버린AI").terms == ("소버린ai",)


# -- not waiting for Kiwi in its child process (`no_wait`) ------------------------------------


class HeldChild(KiwiChild):
    """A `KiwiChild` whose Kiwi "loads" until the test calls `release`: the child's own code
    for its ready line and its waiters, over the Kiwi of this process."""

    def __init__(self, words: Words) -> None:
        self._kiwi = kiwis.load(words)
        self.terms = self._kiwi.terms
        self.asked: list[str] = []
        self.may_wait = False
        """Whether an analysis may wait in `tokenize` while Kiwi loads (else the test fails
        there rather than hang)."""
        self.waiting = threading.Event()
        """Set when an analysis waits in `tokenize`."""
        self._loaded = threading.Event()
        self._line = READY
        self._watch(lambda: self._line if self._loaded.wait() else b"")

    def release(self, line: bytes = READY) -> None:
        """Kiwi has loaded: the ready line comes and the waiters are told (or, with the
        line b"", the child has ended before)."""
        self._line = line
        self._loaded.set()
        assert self.wait() == (line == READY)

    def tokenize(self, folded: str) -> Any:
        self.asked.append(folded)
        if self.loading and not self.may_wait:
            pytest.fail(f"waited for Kiwi to analyse {folded!r}")
        self.waiting.set()
        if not self.wait():
            return None
        return self._kiwi.kiwi.tokenize(folded)


@pytest.fixture
def held(idx: Index, monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldChild]:
    """The sample index's Kiwi loading in a (held) child, none in this process, as in a TUI
    just started (the index has a lexicon)."""
    analyzer = idx._analyzer
    assert analyzer.lexicon is not None
    kid = HeldChild(analyzer.words)
    monkeypatch.setattr(kiwis, "_children", {analyzer.words: kid})
    monkeypatch.setattr(Analyzer, "loaded", property(lambda self: False))
    yield kid
    if kid.loading:
        kid.release()  # the thread reading its first line ends


KNOWN, UNSEEN = "탄소", "뾰롱뾰롱했다"
"""A form the sample index's lexicon holds and one it does not."""


def test_no_wait_raises_where_kiwi_would_be_waited_for(idx: Index, held: HeldChild) -> None:
    analyzer = idx._analyzer
    expected = Analyzer(analyzer.words).analyze(UNSEEN)  # Kiwi of this process
    with no_wait():
        assert [u[0] for u in analyzer.analyze(KNOWN).units] == ["탄소"]
        with pytest.raises(KiwiNotReady) as raised:
            analyzer.analyze(UNSEEN)
        assert raised.value.child is held and held.asked == []  # never waited on the child
        with pytest.raises(KiwiNotReady):  # the raise was not cached as an answer either
            analyzer.analyze(UNSEEN)
        held.release()
        assert analyzer.analyze(UNSEEN) == expected  # now the child answers
    assert held.asked == [UNSEEN]


def test_a_search_raises_under_no_wait_only(idx: Index, held: HeldChild) -> None:
    """Under `no_wait` a search that needs Kiwi raises through the library's own guard; a
    search of known words answers; without `no_wait` a search waits for the child."""
    with no_wait():
        assert idx.search(KNOWN).total == 4
        with pytest.raises(KiwiNotReady):
            idx.search(UNSEEN)
    found: list[Results] = []
    held.may_wait = True
    searching = threading.Thread(target=lambda: found.append(idx.search(UNSEEN)))
    searching.start()
    held.waiting.wait()
    assert found == [] and held.asked == [UNSEEN]
    held.release()
    searching.join()
    assert found[0].failure is None and found[0].query == UNSEEN


def test_a_child_that_ended_leaves_kiwi_to_this_process(idx: Index, held: HeldChild) -> None:
    """A child gone before Kiwi loaded: nothing left to wait for, Kiwi loads here instead."""
    told: list[bool] = []
    held.when_ready(lambda: told.append(held.ready))
    held.release(b"")
    assert told == [False] and not held.loading
    with no_wait():
        analysis = idx._analyzer.analyze(UNSEEN)
    assert analysis == Analyzer(idx._analyzer.words).analyze(UNSEEN)
    assert held.asked == [UNSEEN]


def test_no_wait_starts_the_child_of_words_that_have_none(
        idx: Index, held: HeldChild, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another commit's analyzer (other user words, say) gets its Kiwi loaded in a child too,
    never in this process (which would freeze a UI)."""
    started: list[Words] = []
    monkeypatch.setattr(kiwis, "_children", {})
    monkeypatch.setattr(kiwis, "KiwiChild", lambda words: started.append(words) or held)
    monkeypatch.setattr("index.analysis._load", lambda words: pytest.fail("Kiwi loaded here"))
    with no_wait(), pytest.raises(KiwiNotReady) as raised:
        idx._analyzer.analyze(UNSEEN)
    assert raised.value.child is held and started == [idx._analyzer.words]


def test_the_child_says_when_kiwi_has_loaded() -> None:
    """The real child process: loading, then ready (its first line), waiters told once."""
    kid = KiwiChild((("소버린AI", "NNP"),))
    told: list[bool] = []
    done = threading.Event()
    kid.when_ready(lambda: (told.append(kid.ready), done.set()))
    assert kid.wait(120) and kid.ready and not kid.loading
    done.wait(120)
    assert told == [True]
    kid.when_ready(lambda: told.append(kid.ready))  # after the fact: at once
    assert told == [True, True]
    assert [t.form for t in kid.tokenize("소버린ai를") or []] == ["소버린ai", "를"]
    kid.close()
    assert kid.tokenize("소버린ai") is None
