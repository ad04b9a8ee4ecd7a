"""The user dictionary: its file format, coined words as single terms, the change report, and
`--reanalyze` analysing again only the documents a change concerns.

Kiwi takes new words only when it loads (2-3 s), so the tests come in phases that load it few
times: first without user words, then with the DICTIONARY words, on copies of two indexes
built once. Each test still sets up what it needs, so it also passes alone.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from index import IndexReport, index_paths
from index.analysis import (
    Analyzer,
    analyze,
    join_user_words,
    normalize,
    postings,
    set_user_words,
    user_words,
)
from index.dictionary import (
    DictionaryError,
    default_dictionary_path,
    dictionary_status,
    load_dictionary,
    parse_dictionary,
)
from index.store import DICTIONARY_RECORD, read_dictionary_record
from search import open_index
from tui.cli import main

DOCS = [
    {"id": "d1", "title": "알고리즘 주권 논쟁", "date": "2025-03-01",
     "body": "플랫폼 시대의 알고리즘 주권을 지키자는 주장이 나왔다.", "source": "정책브리핑",
     "url": "https://example.kr/d1", "tags": ["플랫폼", "주권"]},
    {"id": "d2", "title": "소버린AI 전략", "date": "2025-03-02",
     "body": "정부는 소버린AI 육성 계획을 발표했다. 알고리즘주권 확보가 목표다."},
    {"id": "d3", "title": "반도체 수출", "date": "2025-03-03", "body": "반도체 수출이 늘었다."},
    {"id": "d4", "title": "데이터 정책", "date": "2025-03-04",
     "body": "알고리즘의 공정성과 국가 주권 문제를 다뤘다."},
    {"id": "d5", "title": "ＡＩ 포럼", "date": "2025-03-05",
     "body": "소버린ＡＩ 포럼이 서울에서 열렸다."},
    {"id": "d6", "title": "축산 소식", "date": "2025-03-06", "body": "소를 버린 AI 농장이 논란이다."},
]
DICTIONARY = "# 신조어\n알고리즘 주권\n\n소버린AI NNP\n"


def terms(text: str) -> list[str]:
    return [u[0] for u in analyze(normalize(text)).units]


def found(index_dir: Path, query: str) -> set[str]:
    with open_index(index_dir) as idx:
        return {h.id for h in idx.search(query, limit=100, forgiving=False)}


@pytest.fixture(autouse=True, scope="module")
def _no_words_after() -> Iterator[None]:
    """Leave the process analysing without user words, as every other test module expects."""
    yield
    set_user_words(())


@pytest.fixture(scope="module")
def plain_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of DOCS analysed without a dictionary (copy it before changing it)."""
    base = tmp_path_factory.mktemp("dictionary")
    src = base / "src"
    src.mkdir()
    (src / "docs.jsonl").write_bytes(b"".join(orjson.dumps(d) + b"\n" for d in DOCS))
    empty = base / "empty.txt"
    empty.write_text("", encoding="utf-8")
    report = index_paths([src], base / "index", dictionary=empty)
    assert (report.added, report.failed, report.dictionary) == (6, 0, None)
    return base / "index"


@pytest.fixture
def src(plain_index: Path) -> Path:
    """The folder DOCS were indexed from."""
    return plain_index.parent / "src"


@pytest.fixture
def index_copy(plain_index: Path, tmp_path: Path) -> Path:
    target = tmp_path / "index"
    shutil.copytree(plain_index, target)
    return target


@pytest.fixture
def dictionary(tmp_path: Path) -> Path:
    path = tmp_path / "dictionary.txt"
    path.write_text(DICTIONARY, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def reanalyzed(plain_index: Path, tmp_path_factory: pytest.TempPathFactory
               ) -> tuple[Path, IndexReport, list[tuple[int, int]]]:
    """A copy of the plain index after `--reanalyze` with DICTIONARY, the run's report and
    its progress calls (copy the index before changing it)."""
    base = tmp_path_factory.mktemp("reanalyzed")
    shutil.copytree(plain_index, base / "index")
    (base / "dictionary.txt").write_text(DICTIONARY, encoding="utf-8")
    progress: list[tuple[int, int]] = []
    report = index_paths([], base / "index", reanalyze=True, dictionary=base / "dictionary.txt",
                         on_progress=lambda done, total: progress.append((done, total)))
    return base / "index", report, progress


@pytest.fixture
def with_words(reanalyzed: tuple[Path, IndexReport, list[tuple[int, int]]],
               tmp_path: Path) -> Path:
    """A copy of the reanalysed index."""
    shutil.copytree(reanalyzed[0], tmp_path / "with-words")
    return tmp_path / "with-words"


# -- the file -------------------------------------------------------------------------------


@pytest.mark.parametrize(("line", "entry"), [
    ("딥시크", ("딥시크", "NNP")),
    ("딥시크 NNG", ("딥시크", "NNG")),
    ("알고리즘 주권", ("알고리즘 주권", "NNP")),
    ("  알고리즘   주권  NNG ", ("알고리즘 주권", "NNG")),
    ("갑분싸하 VV", ("갑분싸하", "VV")),
    ("ＡＩ반도체", ("AI반도체", "NNP")),  # full-width folded, as Kiwi reads text
    ("주한 UN", ("주한 UN", "NNP")),  # a two-letter word at the end is part of the name
    ("C++", ("C++", "NNP")),
])
def test_a_line_is_a_word_and_an_optional_tag(line: str, entry: tuple[str, str]) -> None:
    assert parse_dictionary(line + "\n").entries == (entry,)


def test_bad_lines_are_reported_with_file_and_line_and_skipped(tmp_path: Path) -> None:
    path = tmp_path / "words.txt"
    path.write_text("\ufeff# 내 사전\n딥시크\n뭐지 JKS\nNNG\n!!! \n" + "가" * 41 + "\n딥시크 NNG\n"
                    "알고리즘 주권\n", encoding="utf-8")
    d = load_dictionary(path)
    assert d.entries == (("딥시크", "NNP"), ("알고리즘 주권", "NNP"))
    assert [str(p) for p in d.problems] == [
        f"{path}:3: tag JKS cannot be searched (use NNP, NNG, VV, VA); line skipped",
        f"{path}:4: no word before the tag NNG; line skipped",
        f"{path}:5: '!!!' has no letters or digits; line skipped",
        f"{path}:6: '{'가' * 40}'... is longer than 40 characters; line skipped",
        f"{path}:7: '딥시크' is already on line 2; line skipped",
    ]
    assert not any(p.fatal for p in d.problems)


def test_unreadable_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KOSEARCH_DICTIONARY", raising=False)
    assert default_dictionary_path().name == "dictionary.txt"
    assert load_dictionary().entries == ()  # no file of one's own yet: no words
    with pytest.raises(DictionaryError, match="no such dictionary file"):
        load_dictionary(tmp_path / "missing.txt")
    (tmp_path / "cp949.txt").write_bytes("딥시크".encode("cp949"))
    with pytest.raises(DictionaryError, match=r"cp949\.txt: not UTF-8 text \(byte 0\)"):
        load_dictionary(tmp_path / "cp949.txt")


def test_environment_variable_names_the_file(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "mine.txt"
    path.write_text("딥시크\n", encoding="utf-8")
    monkeypatch.setenv("KOSEARCH_DICTIONARY", str(path))
    assert default_dictionary_path() == path
    assert load_dictionary().entries == (("딥시크", "NNP"),)
    path.unlink()
    with pytest.raises(DictionaryError, match="no such dictionary file"):
        load_dictionary()  # asked for by name: a missing file is a mistake


# -- without user words ----------------------------------------------------------------------


def test_without_the_dictionary_coined_words_are_split(plain_index: Path) -> None:
    set_user_words(())
    assert terms("소버린AI 전략") == ["소", "버리", "ai", "전략"]
    assert terms("알고리즘 주권을 지키자") == ["알고리즘", "주권", "지키"]
    # So their look-alikes match too.
    assert found(plain_index, "알고리즘주권") == {"d1", "d2", "d4"}
    assert found(plain_index, "소버린AI") == {"d2", "d5", "d6"}


def test_a_change_waits_and_names_exactly_the_documents_it_concerns(
        index_copy: Path, dictionary: Path) -> None:
    report = index_paths([], index_copy, dictionary=dictionary)
    change = report.dictionary
    assert change is not None and not change.applied
    assert change.added == (("소버린AI", "NNP"), ("알고리즘 주권", "NNP"))
    assert change.removed == ()
    # Spaced or joined, full-width or not; never d4 (알고리즘의 ... 주권) or d6 (소를 버린 AI).
    assert change.affected == (("d1", "알고리즘 주권 논쟁"), ("d2", "소버린AI 전략"),
                               ("d5", "ＡＩ 포럼"))
    assert (report.reanalyzed, read_dictionary_record(index_copy)) == (0, ())
    assert dictionary_status(index_copy, load_dictionary(dictionary)) == change


def test_a_word_no_document_contains_applies_at_once(index_copy: Path, tmp_path: Path) -> None:
    path = tmp_path / "d.txt"
    path.write_text("양자내성암호\n", encoding="utf-8")
    report = index_paths([], index_copy, dictionary=path)
    assert report.dictionary is not None and report.dictionary.applied
    assert (report.dictionary.affected, report.reanalyzed) == ((), 0)
    assert read_dictionary_record(index_copy) == (("양자내성암호", "NNP"),)
    assert dictionary_status(index_copy, load_dictionary(path)) is None


def test_interrupted_reanalysis_keeps_the_old_words(index_copy: Path, dictionary: Path) -> None:
    def interrupt(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        index_paths([], index_copy, reanalyze=True, dictionary=dictionary, on_progress=interrupt)
    # The new words were recorded for a commit that never landed: the old ones still hold.
    assert orjson.loads((index_copy / DICTIONARY_RECORD).read_bytes())["words"]
    assert read_dictionary_record(index_copy) == ()
    with open_index(index_copy) as idx:
        assert user_words() == ()
        assert idx.doc_count == 6
    assert found(index_copy, "알고리즘주권") == {"d1", "d2", "d4"}
    change = dictionary_status(index_copy, load_dictionary(dictionary))
    assert change is not None and len(change.affected) == 3


def test_cli_reports_the_change_and_reanalyzes(
        index_copy: Path, dictionary: Path, src: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    common = ["--index", str(index_copy), "--dictionary", str(dictionary)]
    assert main(["index", str(src), *common]) == 0
    out = capsys.readouterr().out
    assert f"dictionary {dictionary}: 2 added (소버린AI, 알고리즘 주권)" in out
    assert "3 documents need re-analysis: d1 (알고리즘 주권 논쟁), d2 (소버린AI 전략), d5 (ＡＩ 포럼)" in out
    assert f"not applied yet: run `kosearch index --reanalyze {' '.join(common)}`" in out

    assert main(["stats", *common]) == 0
    out = capsys.readouterr().out
    assert "dictionary  none" in out and "3 documents need re-analysis" in out

    assert main(["index", "--reanalyze", *common]) == 0
    out = capsys.readouterr().out
    assert "reanalyzed  3" in out
    assert "applied; 3 documents analysed again: d1 (알고리즘 주권 논쟁)" in out

    assert main(["stats", *common]) == 0
    out = capsys.readouterr().out
    assert "dictionary  2 words" in out and "re-analysis" not in out


def test_cli_index_needs_paths_unless_reanalyzing(capsys: pytest.CaptureFixture[str],
                                                  tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["index"])
    assert exit_.value.code == 2
    assert "PATH is optional only with --reanalyze" in capsys.readouterr().err
    assert main(["index", "--reanalyze", "--index", str(tmp_path / "none")]) == 2
    assert "no index at" in capsys.readouterr().err


# -- with the dictionary's words ----------------------------------------------------------


def test_reanalyze_analyses_only_the_concerned_documents(
        reanalyzed: tuple[Path, IndexReport, list[tuple[int, int]]], plain_index: Path) -> None:
    index_dir, report, progress = reanalyzed
    assert report.reanalyzed == 3 and progress[-1] == (3, 3)
    assert (report.added, report.updated, report.removed, report.failed) == (0, 0, 0, 0)
    assert report.dictionary is not None and report.dictionary.applied
    assert [rid for rid, _ in report.dictionary.affected] == ["d1", "d2", "d5"]
    assert read_dictionary_record(index_dir) == (("소버린AI", "NNP"), ("알고리즘 주권", "NNP"))
    with open_index(index_dir) as idx:
        assert idx.doc_count == 6
        after = [idx.document(d) for d in ("d1", "d5")]
    with open_index(plain_index) as idx:
        before = [idx.document(d) for d in ("d1", "d5")]
    assert after == before  # ids, text and metadata as they were
    assert dictionary_status(index_dir, load_dictionary(index_dir.parent / "dictionary.txt")
                             ) is None


def test_coined_words_become_one_term() -> None:
    with Analyzer([("소버린AI", "NNP"), ("알고리즘 주권", "NNP")]).active():
        assert terms("소버린AI 전략") == terms("소버린ai 전략") == ["소버린ai", "전략"]
        assert terms("알고리즘 주권을 지키자") == terms("알고리즘주권을 지키자") == ["알고리즘주권", "지키"]
        indexed = postings(analyze(normalize("알고리즘  주권을")), "morph")
        assert indexed == {"알고리즘주권": [(0, 0, 8)], "알고리즘": [(0, 0, 4)], "주권": [(0, 6, 8)]}
        assert [w[0] for w in analyze(normalize("알고리즘 주권을 지키자")).words] == [
            "알고리즘주권", "지키"]
        # For query parsers that cut at spaces before analysing.
        assert join_user_words('"알고리즘  주권" OR 알고리즘 -주권') == '"알고리즘주권" OR 알고리즘 -주권'


def test_documents_are_found_by_the_coined_words(with_words: Path) -> None:
    # Single terms now: the look-alikes (d4: 알고리즘의 ... 주권, d6: 소를 버린 AI) are gone.
    assert found(with_words, "알고리즘주권") == {"d1", "d2"}
    assert found(with_words, join_user_words("알고리즘 주권")) == {"d1", "d2"}
    assert found(with_words, "소버린AI") == {"d2", "d5"}
    assert found(with_words, "소버린ai") == {"d2", "d5"}
    # The words of a spaced entry still find it.
    assert found(with_words, "알고리즘") == {"d1", "d2", "d4"}


def test_a_rerun_after_reanalysis_has_nothing_to_do(with_words: Path, src: Path) -> None:
    report = index_paths([src], with_words, dictionary=parse_dictionary(DICTIONARY))
    assert (report.dictionary, report.reanalyzed, report.unchanged, report.updated) == (
        None, 0, 6, 0)


def test_removing_a_word_concerns_the_documents_that_contain_it(
        with_words: Path, tmp_path: Path) -> None:
    path = tmp_path / "fewer.txt"
    path.write_text("알고리즘 주권\n", encoding="utf-8")
    report = index_paths([], with_words, dictionary=path)
    assert report.dictionary is not None and not report.dictionary.applied
    assert (report.dictionary.added, report.dictionary.removed) == ((), (("소버린AI", "NNP"),))
    assert [rid for rid, _ in report.dictionary.affected] == ["d2", "d5"]
    # The index keeps the words it was analysed with until --reanalyze.
    assert read_dictionary_record(with_words) == (("소버린AI", "NNP"), ("알고리즘 주권", "NNP"))
    assert found(with_words, "소버린AI") == {"d2", "d5"}


def test_rebuild_takes_the_file_words(index_copy: Path, src: Path, dictionary: Path) -> None:
    report = index_paths([src], index_copy, rebuild=True, dictionary=dictionary)
    assert (report.added, report.reanalyzed, report.dictionary) == (0, 6, None)
    assert read_dictionary_record(index_copy) == (("소버린AI", "NNP"), ("알고리즘 주권", "NNP"))
    assert found(index_copy, "소버린AI") == {"d2", "d5"}


def test_queries_use_the_words_of_the_index_they_search(
        with_words: Path, sample_index: Path) -> None:
    with open_index(with_words) as coined, open_index(sample_index) as plain:
        assert coined.parse("소버린AI").terms == ("소버린ai",)
        assert plain.parse("소버린AI").terms == ("소", "버리", "ai", "소버린ai")  # + its word
        assert coined.parse("소버린AI").terms == ("소버린ai",)
    assert user_words() == ()  # opening an index leaves the process's default words alone
