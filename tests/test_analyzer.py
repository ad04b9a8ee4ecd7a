"""Analysis settings belong to an `Analyzer`, not to the process: two analyzers with different
user words read the same text differently in one process, and making one active changes only
what the current context uses."""

from __future__ import annotations

import threading

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
