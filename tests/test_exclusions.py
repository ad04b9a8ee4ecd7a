"""What a query excludes stays excluded in every tier of a search: a query whose words no
article has all together falls back to articles with some of them, and those must not bring
back the articles its NOT or -word ruled out, nor search for the excluded word itself."""

from __future__ import annotations

import pytest

from search import Index


def text_of(idx: Index, doc_id: str) -> str:
    doc = idx.document(doc_id)
    return f"{doc.title}\n{doc.body}"


@pytest.mark.parametrize(("query", "excluded"), [
    ("엔비디아 관세 NOT 반도체", "반도체"),
    ("엔비디아 예산 NOT 수출", "수출"),
    ("반도체 올림픽 -엔비디아", "엔비디아"),
])
def test_relaxed_results_keep_the_exclusion(idx: Index, query: str, excluded: str) -> None:
    """No article has every positive word, so the search relaxes to articles with some of
    them; none of those may hold the excluded word."""
    results = idx.search(query, limit=50)
    assert results.mode == "any"
    assert results.total > 0
    assert all(excluded not in text_of(idx, h.id) for h in results)


def test_the_excluded_word_is_not_searched_for(idx: Index) -> None:
    """Relaxed, `엔비디아 관세 NOT 반도체` is the articles with 엔비디아 or 관세 and no 반도체:
    before, 반도체 was one of the words it ranked by (13 articles, most about chips)."""
    results = idx.search("엔비디아 관세 NOT 반도체", limit=50)
    assert [h.id for h in results] == ["sample-020"]


def test_without_an_exclusion_relaxing_is_unchanged(idx: Index) -> None:
    """The same words without NOT: the chip articles are back."""
    results = idx.search("엔비디아 관세 반도체", limit=50)
    assert results.mode == "any"
    assert {"sample-008", "sample-020"} <= {h.id for h in results}


@pytest.mark.parametrize("query", ["반도체 NOT 엔비디아", "반도체 NOT Nvidia"])
def test_an_alias_of_an_excluded_name_is_excluded_too(idx: Index, query: str) -> None:
    """sample-009 writes only Nvidia, the others 엔비디아: excluding either spelling leaves out
    both (12 articles about chips, 5 of them about the company)."""
    results = idx.search(query, limit=50)
    assert [h.id for h in results] == ["sample-022", "sample-012", "sample-006", "sample-003",
                                       "sample-015", "sample-010", "sample-002"]
    assert results.total == 7
    assert not {"sample-009", "sample-007", "sample-008"} & {h.id for h in results}
