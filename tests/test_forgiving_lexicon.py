"""The forgiving rewrites read a query of words the index holds through its lexicon: a
multi-word search then never loads Kiwi (2-3 s, ~500 MB) and finds what a Kiwi-analysed
search finds; a word the index lacks still gets its rewrite, through Kiwi."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from search import open_index

ROOT = Path(__file__).resolve().parents[1]
WORDS = "청정수소위원회 NNP\n"
"""A word list no other test uses: its Kiwi is loaded in this process only if a search here
loads it (the index is built in a child process)."""
DOCS = [
    {"id": "a1", "title": "반도체 수출이 늘었다",
     "body": "올해 반도체 수출은 작년보다 크게 늘었다. 청정수소위원회는 전력 수요를 따졌다."},
    {"id": "a2", "title": "반도체 수출 전망",
     "body": "업계는 반도체 수출이 내년에도 늘 것으로 본다. 반도체수출액은 역대 최대다."},
    {"id": "a3", "title": "자동차 수출 둔화",
     "body": "자동차 수출은 줄었지만 반도체 수출은 버텼다. 조선 수주는 늘었다."},
    {"id": "a4", "title": "전력 수요 급증",
     "body": "데이터센터가 늘면서 전력 수요가 급증했다. 반도체 공장도 전력을 많이 쓴다."},
]
QUERIES = [
    ("반도체 수출", ["a2", "a1", "a3"]),  # every word known, several results
    ("전력 수요가", ["a4", "a1"]),  # every word known, few results: corrections are tried
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small index made by `kosearch index` in a child process, with WORDS."""
    base = tmp_path_factory.mktemp("forgiving-lexicon")
    (base / "src").mkdir()
    (base / "src" / "docs.jsonl").write_bytes(b"".join(orjson.dumps(d) + b"\n" for d in DOCS))
    (base / "words.txt").write_text(WORDS, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KOSEARCH_DICTIONARY": str(base / "words.txt")}
    run = subprocess.run([sys.executable, "-m", "tui.cli", "index", "--quiet", str(base / "src"),
                          "--index", str(base / "index")], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    return base / "index"


def outcome(index_dir: Path, query: str) -> tuple[list[str], list[float], int, list[str], bool]:
    """Ids, scores, total and rewrites of a search in a fresh Index, and whether it loaded
    Kiwi."""
    with open_index(index_dir) as idx:
        results = idx.search(query)
        loaded = idx._analyzer.loaded
    return ([h.id for h in results.hits], [round(h.score, 6) for h in results.hits],
            results.total, [f"{r.rule}:{r.original}>{r.replacement}" for r in results.rewrites],
            loaded)


def test_multi_word_searches_of_known_words_need_no_kiwi_and_find_what_kiwi_finds(
        built: Path, tmp_path: Path) -> None:
    looked = {query: outcome(built, query) for query, _ in QUERIES}
    for query, ids in QUERIES:
        assert looked[query][0] == ids, query
        assert looked[query][4] is False, f"{query}: Kiwi loaded"
    # The same index without its lexicon: every word goes through Kiwi.
    without = tmp_path / "ix"
    shutil.copytree(built, without)
    for path in without.glob("kosearch-lexicon.*"):
        path.unlink()
    for query, _ in QUERIES:
        by_kiwi = outcome(without, query)
        assert by_kiwi[4] is True
        assert by_kiwi[:4] == looked[query][:4], query


def test_a_word_written_apart_is_still_joined_through_kiwi(built: Path) -> None:
    """`반도체 수출액은`: 수출액은 is a form the index lacks, so the spacing rule needs Kiwi
    for the joined form, and still finds the word the index holds."""
    with open_index(built) as idx:
        results = idx.search("반도체 수출액은")
        assert [f"{r.rule}:{r.original}>{r.replacement}" for r in results.rewrites] == [
            "spacing:반도체 수출액은>반도체수출액은"]
        assert [h.id for h in results.hits][:1] == ["a2"]
        assert idx._analyzer.loaded
