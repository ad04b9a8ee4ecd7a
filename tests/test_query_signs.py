"""A minus excludes a word only where a word starts, and a plus changes nothing: hyphenated
words (한-EU, K-라드큐브, U-17, 코로나-19) are words to find, not a word and an exclusion."""

from __future__ import annotations

import pytest

from search import Index


@pytest.mark.parametrize(("query", "found"), [
    ("한-EU", ["sample-018"]),
    ("K-라드큐브", ["sample-043"]),
    ("i-SMR", ["sample-037"]),
])
def test_a_hyphenated_word_is_found_where_it_is_written(idx: Index, query: str,
                                                       found: list[str]) -> None:
    results = idx.search(query, limit=10)
    assert results.mode == "all"
    assert [h.id for h in results] == found


@pytest.mark.parametrize(("query", "terms"), [
    ("코로나-19", ("코로나", "19")),
    ("U-17", ("u", "17")),
    ("e-mail", ("e", "mail")),
    ("a - b", ("a", "b")),
    ("원전 -5", ("원전", "5")),
])
def test_a_minus_inside_or_apart_from_a_word_excludes_nothing(idx: Index, query: str,
                                                              terms: tuple[str, ...]) -> None:
    reading = idx.parse(query)
    assert reading.terms == terms


@pytest.mark.parametrize(("query", "terms"), [
    ("원전 -SMR", ("원전",)),
    ("-SMR 원전", ("원전",)),
    ("(원전 -소형)", ("원전",)),
])
def test_a_minus_before_a_word_excludes_it(idx: Index, query: str,
                                          terms: tuple[str, ...]) -> None:
    assert idx.parse(query).terms == terms


def test_a_plus_leaves_every_word_required(idx: Index) -> None:
    """Whoosh's `+원전 소형` made 소형 optional: three articles instead of the one with both."""
    assert [h.id for h in idx.search("+원전 소형", limit=10)] == \
        [h.id for h in idx.search("원전 소형", limit=10)] == ["sample-037"]
