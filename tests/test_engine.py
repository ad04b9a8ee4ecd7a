"""The array engine ranks exactly as Whoosh's own matchers would, across several segments and
with deleted documents. Phrases match where Whoosh's phrase matcher does; they score BM25 of how
often the phrase occurs (Whoosh's span matcher sums its words' scores instead), which the tests
check against a plain count over positions read through Whoosh."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import orjson
import pytest
from whoosh import query as wq
from whoosh.scoring import bm25

from index import index_paths
from search import Index, open_index
from search.engine import Engine
from search.engine_phrases import optional_phrases
from search.engine_scoring import Node
from search.tuning import prefetch


def query_of(index: Index, text: str) -> wq.Query:
    """The Whoosh query `index` runs for `text`."""
    return index._parse(text).query


def whoosh_scores(index: Index, q: wq.Query) -> dict[int, float]:
    """Every match of `q` with its score, from Whoosh's searcher (the reference)."""
    s = index._searcher
    return {h.docnum: h.score for h in s.search(q, limit=None)}


def engine_scores(index: Index, q: wq.Query) -> dict[int, float]:
    engine = index._engine()
    ranked = engine.run(q, allowed=None, limit=index.doc_count + 1)
    return dict(zip(ranked.docnums.tolist(), ranked.scores.tolist(), strict=True))


def assert_ranks_as_whoosh(index: Index, q: wq.Query, text: str) -> None:
    """The engine matches what Whoosh's searcher matches, with the same scores (phrases
    scored by their count: see `reference_scores`)."""
    reference = reference_scores(index, q)
    assert reference.keys() == whoosh_scores(index, q).keys(), text
    got = engine_scores(index, q)
    assert got.keys() == reference.keys(), text
    for docnum, score in reference.items():
        assert got[docnum] == pytest.approx(score, rel=1e-6, abs=1e-9), (text, docnum)


def _scoring_phrases(q: wq.Query) -> list[wq.Phrase]:
    """The phrases of `q` that add to a score (not those that only exclude)."""
    if isinstance(q, wq.Phrase):
        return [q]
    if isinstance(q, wq.Not):
        return []
    if isinstance(q, wq.AndNot):
        return _scoring_phrases(q.a)
    return [p for child in q.children() for p in _scoring_phrases(child)]


def reference_scores(index: Index, q: wq.Query) -> dict[int, float]:
    """Whoosh's matches and scores of `q`, except that a phrase scores `boost * BM25(sum of its
    words' idf, how often it occurs)`, the occurrences counted plainly from positions Whoosh
    reads (`naive_phrase_counts`), lengths and BM25 as Whoosh's."""
    if not _scoring_phrases(q):
        return whoosh_scores(index, q)
    if isinstance(q, wq.Phrase):
        return phrase_reference(index, q)
    parts = [reference_scores(index, child) for child in q.children()]
    if isinstance(q, wq.Or):
        docs = set().union(*parts)
    elif isinstance(q, wq.And):
        docs = set(parts[0]).intersection(*parts[1:])
    elif isinstance(q, wq.AndMaybe):
        docs = set(parts[0])
    else:
        raise NotImplementedError(repr(q))
    return {d: q.boost * sum(part.get(d, 0.0) for part in parts) for d in docs}


def phrase_reference(index: Index, q: wq.Phrase) -> dict[int, float]:
    s = index._searcher
    field, words = q.fieldname, list(q.words)
    positions: list[dict[int, list[int]]] = []
    for word in words:
        try:
            m = s.postings(field, word)
        except Exception:  # a word the field lacks
            return {}
        found = {}
        while m.is_active():
            found[m.id()] = list(m.value_as("positions"))
            m.next()
        positions.append(found)
    docs = sorted(set(positions[0]).intersection(*positions[1:]))
    counts = naive_phrase_counts([[p[d] for d in docs] for p in positions], max(1, q.slop))
    n = s.doc_count_all()
    idf = sum(math.log(1 + (n - s.doc_frequency(field, w) + 0.5) / (s.doc_frequency(field, w) + 0.5))
              for w in set(words))
    w = index.weights
    b = w.title_b if field == "title" else w.b
    avg = s.reader().field_length(field) / n
    return {d: q.boost * bm25(idf, count, s.doc_field_length(d, field) or 0, avg, b, w.k1)
            for d, count in zip(docs, counts, strict=True) if count}


@pytest.mark.parametrize("text", [
    "WAICO",
    "시진핑 OR 엔비디아",
    "반도체 NOT 엔비디아",
    "title:반도체",
    "source:정책브리핑",
    "반도*",
    "date:2025",
    "국제원자력기구는 어느 나라의 원전 안전 점검을 위해 전문가를 보냈나?",  # ranked, mode any
])
def test_scores_equal_whoosh(idx: Index, text: str) -> None:
    """Without phrases the engine's matches and scores are Whoosh's, to float precision."""
    q = query_of(idx, text)
    assert whoosh_scores(idx, q), text
    assert_ranks_as_whoosh(idx, q, text)


def test_top_documents_in_score_order(idx: Index) -> None:
    q = query_of(idx, "정부 AND 발표")
    ranked = idx._engine().run(q, allowed=None, limit=5)
    assert len(ranked.docnums) == min(5, ranked.total)
    assert list(ranked.scores) == sorted(ranked.scores, reverse=True)
    reference = sorted(whoosh_scores(idx, q).values(), reverse=True)[:5]
    assert list(ranked.scores) == pytest.approx(reference)


def test_required_phrase_needs_adjacent_words(idx: Index) -> None:
    """A quoted phrase matches where Whoosh's phrase matcher does, and nowhere else, alone or
    inside AND, OR and NOT, and scores as Whoosh scores it."""
    for text in ('"탄소 국경"', '"인공지능 협력"', '"협력 인공지능"', '"탄소 국경" 무역',
                 '(반도체 OR "탄소 국경") 정부', '정부 NOT "탄소 국경"', '정부 -"인공지능 협력"',
                 '("인공지능 협력" OR WAICO) APEC'):
        assert_ranks_as_whoosh(idx, query_of(idx, text), text)


def test_a_phrase_under_and_is_checked_only_where_the_rest_matched(
        idx: Index, monkeypatch: pytest.MonkeyPatch) -> None:
    """Positions are read only in documents the AND's other parts already matched."""
    engine = idx._engine()
    checked: list[int] = []
    count = engine.phrases.counts
    monkeypatch.setattr(engine.phrases, "counts", lambda field, words, docs, slop: (
        checked.append(len(docs)), count(field, words, docs, slop))[1])
    phrase = query_of(idx, '"미국 정부"')
    alone = engine.run(phrase, allowed=None, limit=5)
    everywhere = sum(checked)
    checked.clear()
    q = query_of(idx, '"미국 정부" WAICO')
    ranked = engine.run(q, allowed=None, limit=5)
    waico = engine.run(query_of(idx, "WAICO"), allowed=None, limit=5).total
    assert alone.total > waico > 0 and ranked.total <= waico
    assert sum(checked) <= 2 * waico < everywhere, (checked, waico, everywhere)
    assert_ranks_as_whoosh(idx, q, '"미국 정부" WAICO')


@pytest.mark.parametrize("text", ['"탄소 국경"~3', '"인공지능 협력 기구"', '"정부 발표"~5',
                                  '"반도 체"'])
def test_phrases_with_slop_match_as_whoosh(idx: Index, text: str) -> None:
    assert_ranks_as_whoosh(idx, query_of(idx, text), text)


def naive_phrase_counts(positions: list[list[list[int]]], slop: int) -> list[int]:
    """Occurrences of a phrase per document, the plain way: from each position of the first
    word, step to the nearest position of each next word at most `slop` further on."""
    counts = []
    for per_word in zip(*positions, strict=True):
        first, rest = per_word[0], [set(p) for p in per_word[1:]]
        n = 0
        for start in first:
            at: int | None = start
            for r in rest:
                at = next((at + k for k in range(1, slop + 1) if at + k in r), None)
                if at is None:
                    break
            n += at is not None
        counts.append(n)
    return counts


@pytest.mark.parametrize("words,slop", [(["탄소", "국경"], 1), (["정부", "는"], 2),
                                        (["인공", "지능", "협력"], 1), (["반도체", "수출"], 4)])
def test_phrase_counts_equal_the_plain_count(idx: Index, words: list[str], slop: int) -> None:
    """The array phrase count, and the same asked again (remembered), equal a plain count."""
    engine = idx._engine()
    docs = np.arange(engine.n, dtype=np.int64)
    expected = naive_phrase_counts([engine.data.positions("body", w, docs) for w in words], slop)
    assert sum(expected) > 0 or words == ["정부", "는"]
    assert engine.phrases.counts("body", words, docs, slop).tolist() == expected
    some = docs[::3]
    assert engine.phrases.counts("body", words, some, slop).tolist() == expected[::3]


COMPOUNDS = ["탄소국경조정제도", "인공지능 규범 협력기구", "반도체 수출통제 강화",
             "합계출산율 저출산대책", "원자력발전소 안전점검 결과", "국제원자력기구 전문가",
             "정부는 탄소중립기본법에 따라 온실가스 감축목표를 발표했다"]


def test_phrase_bound_is_never_below_the_boost(idx: Index) -> None:
    """The bound used to skip counting (from the words' frequencies) is at least the boost
    counting gives, in every document, and equals it where the words always occur together."""
    engine = idx._engine()
    tight = 0
    for text in COMPOUNDS:
        q = query_of(idx, text)
        mask = engine.evaluate(q).mask
        for phrase in optional_phrases(q):
            among = np.intersect1d(np.flatnonzero(mask), engine.phrases.candidates(phrase))
            if not len(among):
                continue
            bound = engine.phrases.bound(phrase, among)
            exact = engine.phrases.phrase(phrase, among=among).score[among]
            assert np.all(exact <= bound + 1e-9), (text, phrase)
            tight += int(np.sum(np.isclose(exact, bound) & (exact > 0)))
    assert tight > 0


@pytest.mark.parametrize("text", COMPOUNDS)
def test_phrase_counting_stops_where_it_cannot_change_the_top(sample_index: Path,
                                                               text: str) -> None:
    """Counting optional phrases only for documents that can still reach the top `limit`
    gives exactly the ranking of counting them for all: same documents, order and scores."""
    with open_index(sample_index) as full, open_index(sample_index) as pruned:
        full._engine().phrases.prune = False
        for limit in (1, 2, 3, 5, 10):
            a = full._engine().run(query_of(full, text), allowed=None, limit=limit)
            b = pruned._engine().run(query_of(pruned, text), allowed=None, limit=limit)
            assert a.docnums.tolist() == b.docnums.tolist(), limit
            assert a.scores.tolist() == pytest.approx(b.scores.tolist()), limit
        assert full.search(text).hits == pruned.search(text).hits


def test_ties_at_the_cut_go_to_the_lower_document_number(idx: Index,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Documents tied at the last place kept are chosen by document number, not by where a
    partial sort left them."""
    engine = idx._engine()
    scores = np.random.default_rng(1).integers(0, 3, engine.n).astype(np.float64)
    monkeypatch.setattr(engine, "evaluate",
                        lambda q, optional=False: Node(np.ones(engine.n, dtype=bool), scores))
    best_first = np.lexsort((np.arange(engine.n), -scores))
    for limit in range(1, engine.n):
        ranked = engine.run(wq.Every(), allowed=None, limit=limit)
        assert ranked.docnums.tolist() == best_first[:limit].tolist(), limit


def test_phrase_boost_lifts_adjacent_morphemes(tmp_path: Path) -> None:
    """A compound's morphemes side by side score above the same morphemes apart: two
    documents of the same words, in an order that keeps 탄소 국경 조정 제도 together or not,
    score alike without the phrase and apart with it."""
    docs = [{"id": "adjacent", "body": "탄소 국경 조정 제도 개편"},
            {"id": "apart", "body": "제도 조정 국경 탄소 개편"},
            {"id": "other", "body": "지하철 요금 조정 논의"}]
    (tmp_path / "d.jsonl").write_bytes(b"\n".join(orjson.dumps(d) for d in docs))
    index_paths([tmp_path / "d.jsonl"], tmp_path / "index")
    with open_index(tmp_path / "index") as index:
        adjacent, apart = (index._searcher.document_number(id=i) for i in ("adjacent", "apart"))
        q = query_of(index, "탄소국경조정제도")
        assert list(optional_phrases(q)), q  # the compound's morphemes, as a phrase boost
        boosted = engine_scores(index, q)
        bare = engine_scores(index, wq.And([wq.Or([wq.Term(f, t) for f in ("title", "body")])
                                            for t in ("탄소", "국경", "조정", "제도")]))
    assert boosted.keys() == bare.keys() == {adjacent, apart}
    assert bare[adjacent] == pytest.approx(bare[apart])
    assert boosted[adjacent] > boosted[apart] + 1.0


def test_filters_and_date_sort(idx: Index) -> None:
    engine = idx._engine()
    q = query_of(idx, "정부")
    allowed = np.zeros(engine.n, dtype=bool)
    allowed[:10] = True
    ranked = engine.run(q, allowed=allowed, limit=100)
    assert set(ranked.docnums) <= set(range(10))
    keys = engine.column("date")
    by_date = engine.run(q, allowed=None, limit=100, sort_key=keys)
    dates = keys[by_date.docnums]
    assert list(dates) == sorted(dates, reverse=True)


@pytest.fixture
def segmented(tmp_path: Path) -> Iterator[Index]:
    """An index written in three runs (three segments), one document then deleted."""
    folder = tmp_path / "docs"
    folder.mkdir()
    path = tmp_path / "index"
    texts = ["반도체 수출 규제가 강화됐다", "반도체 공급망 협력", "수출 규제 완화 논의",
             "반도체 수출이 늘었다", "공급망 규제 점검"]
    lines = [[orjson.dumps({"id": f"d{run}-{i}", "title": f"문서 {run}-{i}", "body": t})
              for i, t in enumerate(texts)] for run in range(3)]
    for run in range(3):
        (folder / f"part{run}.jsonl").write_bytes(b"\n".join(lines[run]))
        index_paths([folder], path)
    # Drops d1-2 .. d1-4, which stand after live documents of their segment: only the
    # engine's mask of deleted documents keeps them out.
    (folder / "part1.jsonl").write_bytes(b"\n".join(lines[1][:2]))
    index_paths([folder], path)
    with open_index(path) as index:
        yield index


def test_several_segments_and_deletions(segmented: Index) -> None:
    engine: Engine = segmented._engine()
    assert len(engine.leaves) == 3
    assert engine.live.tolist() == [True] * 7 + [False] * 3 + [True] * 5
    for text in ("반도체 수출", "규제", "공급망 OR 협력", "수출 NOT 반도체", '"반도체 수출"'):
        assert_ranks_as_whoosh(segmented, query_of(segmented, text), text)
    ids = {h.id for h in segmented.search("규제", limit=50)}
    assert "d1-2" not in ids and "d0-2" in ids


def test_prefetch_reads_frequent_terms_without_changing_results(sample_index: Path,
                                                                 tmp_path: Path) -> None:
    """Without posting files (an index written before them) prefetch reads Whoosh's blocks."""
    import shutil

    from index.postings import SUFFIX

    path = tmp_path / "index"
    shutil.copytree(sample_index, path)
    for sidecar in path.glob(f"*{SUFFIX}"):
        sidecar.unlink()
    with open_index(path) as index:
        before = [(h.id, h.score) for h in index.search("정부 정책", limit=20)]
        assert prefetch(index, share=0.2) > 0
        assert index._engine().cached > 0  # read ahead, cached
        after = [(h.id, h.score) for h in index.search("정부 정책", limit=20)]
    assert after == before


def test_marks_equal_whoosh_highlighter(idx: Index) -> None:
    """The engine's cached block reader finds the same offsets as the matcher-based one."""
    from search.highlight import find_marks

    docnums = list(range(idx.doc_count))
    for field in ("title", "body"):
        terms = ["반도체", "엔비디아", "waico", "국제*"]
        assert idx._engine().marks(field, terms, docnums) == dict(
            find_marks(idx._searcher, field, terms, docnums))


def test_proximity_rewards_words_said_together(tmp_path: Path) -> None:
    filler = " ".join(["그리고 정부는 다음 달 회의를 열었다."] * 12)
    docs = [{"id": "near", "body": f"반도체 수출이 늘었다. {filler}"},
            {"id": "far", "body": f"반도체 이야기. {filler} 수출 이야기."}]
    (tmp_path / "d.jsonl").write_bytes(b"\n".join(orjson.dumps(d) for d in docs))
    index_paths([tmp_path / "d.jsonl"], tmp_path / "index")
    with open_index(tmp_path / "index") as index:
        engine = index._engine()
        near, far = (index._searcher.document_number(id=i) for i in ("near", "far"))
        order = np.array(sorted([near, far]))
        got = dict(zip(order.tolist(), engine.proximity(
            "body", [("반도체", 1.0), ("수출", 2.0)], order, 16).tolist(), strict=True))
    assert got[near] == 3.0  # both words within 16 positions
    assert got[far] == 2.0  # only one at a time: the heavier
