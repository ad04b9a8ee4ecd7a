"""A search says when compounds of a query's noun found documents of their own (issue 14's one
vocabulary for what happened): the rule "compound" in `Results.rewrites`, a notice in the
banner and the CLI, `--json` and `--explain`; nothing is said when the compounds found no
document the query as typed did not.

On five articles written for these tests: 대통령 alone in c1, 대통령실 in c2 and c3 (never the
noun itself), 대통령직 in c4."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from written_articles import article_index

from search import Index
from search.notices import notices
from search.types import Rewrite
from tui.banner import banner_text
from tui.output import explain_lines, results_json

ARTICLES = [
    ("c1", "대통령 신년 기자회견", "대통령은 신년 기자회견에서 경제 정책을 설명했다."),
    ("c2", "대통령실 인사 발표", "대통령실은 새 비서실장 인사를 발표했다."),
    ("c3", "대통령실 이전 논의", "대통령실 이전 비용을 두고 국회에서 논의가 이어졌다."),
    ("c4", "인수위원회 출범", "대통령직 인수위원회가 출범했다. 위원회는 정부 조직 개편안을 검토한다."),
    ("c5", "맑은 날씨", "맑은 날씨가 주말까지 이어졌다."),
]
COMPOUNDS = (Rewrite("compound", "대통령", "대통령실"), Rewrite("compound", "대통령", "대통령직"))


@pytest.fixture(scope="module")
def five(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    with article_index(tmp_path_factory.mktemp("compound"), ARTICLES) as index:
        yield index


def test_compounds_that_found_documents_are_named(five: Index) -> None:
    results = five.search("대통령")
    assert [h.id for h in results][0] == "c1"  # the noun itself first
    assert sorted(h.id for h in results) == ["c1", "c2", "c3", "c4"]
    assert results.rewrites == COMPOUNDS
    assert [(n.kind, n.text) for n in notices(results)] == [
        ("compounds", "Also searched 대통령실, 대통령직 (compounds of 대통령, after the "
                      "documents that name it)")]
    assert str(banner_text(notices(results))) == (
        "Also searched 대통령실, 대통령직 (compounds of 대통령, after the documents that name it)")


def test_json_and_explain_name_the_compounds(five: Index) -> None:
    doc = json.loads(results_json(five.search("대통령")))
    assert doc["rewrites"] == [
        {"rule": "compound", "original": "대통령", "replacement": "대통령실"},
        {"rule": "compound", "original": "대통령", "replacement": "대통령직"}]
    assert doc["aliases"] == []
    lines = explain_lines(five, "대통령", forgiving=True)
    assert "also:   대통령실 (compound of 대통령)" in lines
    assert "        대통령직 (compound of 대통령)" in lines
    # Compounds are a tier of their own, not words written into the query searched.
    assert lines[lines.index("searched as:") + 1] == "  query:  '대통령'"


def test_nothing_is_said_when_the_compounds_found_nothing_new(five: Index) -> None:
    results = five.search("대통령 기자회견")
    assert [h.id for h in results] == ["c1"]
    assert results.rewrites == ()
    assert notices(results) == ()


def test_an_exact_search_reads_and_names_no_compound(five: Index) -> None:
    results = five.search("대통령", forgiving=False)
    assert [h.id for h in results] == ["c1"]
    assert results.rewrites == ()
    assert explain_lines(five, "대통령", forgiving=False)[-1] == "also:   nothing (--exact)"


OTHERS = [
    ("a1", "애플 신제품", "애플은 새 휴대전화를 공개했다."),
    ("a2", "앱 시장", "모바일 애플리케이션 시장이 커졌다."),
    ("a3", "줄다리기", "양측의 줄이 팽팽하게 당겨졌다. 팽팽 맞선 채 끝났다."),
]


@pytest.fixture(scope="module")
def others(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    with article_index(tmp_path_factory.mktemp("not-compounds"), OTHERS) as index:
        yield index


@pytest.mark.parametrize(("query", "expected"), [("애플", ["a1"]), ("팽팽", ["a3"])])
def test_a_longer_word_that_only_begins_alike_is_no_compound(others: Index, query: str,
                                                             expected: list[str]) -> None:
    """애플리케이션 is no 애플 + 리케이션 (QA: "Also searched 애플리케이션"), 팽팽하 is the root
    made an adjective."""
    results = others.search(query)
    assert [h.id for h in results] == expected
    assert [r for r in results.rewrites if r.rule == "compound"] == []
