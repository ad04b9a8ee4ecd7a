"""Analysis settings belong to an `Analyzer`, not to the process: two analyzers with different
user words read the same text differently in one process, and making one active changes only
what the current context uses."""

from __future__ import annotations

import threading
from pathlib import Path

from index import index_paths
from index.analysis import (
    Analyzer,
    KiwiTokenizer,
    analyze,
    current_analyzer,
    join_user_words,
    normalize,
    set_user_words,
    user_words,
)
from search import Index, open_index

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
