"""The lexicon of analysed word forms (`index.lexicon`): lookup gives what Kiwi gives, a damaged
or stale file is ignored, a killed run leaves a lexicon of the commit it left or none, and a
search of words the index holds runs without importing kiwipiepy."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import orjson
import pytest

from index import index_paths
from index.analysis import ANALYZER_VERSION, Analyzer
from index.dictionary import parse_dictionary
from index.lexicon import Collector, Lexicon, form_key, lexicon_path, open_lexicon
from index.store import index_generation, open_existing, read_dictionary_record
from index.terms import Analysis, fold, normalize
from search import open_index

ROOT = Path(__file__).resolve().parents[1]
WORDS = "소버린AI NNP\n알고리즘 주권\n"
DOCS = [
    {"id": "d1", "title": "정부가 탄소중립 기본계획을 발표했다",
     "body": "환경부는 2030년까지 온실가스 배출량을 40% 줄이겠다고 밝혔다. "
             "탄소중립 기본계획은 국무회의를 거쳐 확정된다."},
    {"id": "d2", "title": "엔비디아 신형 GPU 공개",
     "body": "엔비디아는 새 GPU를 공개했다. 판매 가격은 1,800만 원이다. "
             "삼성전자와 SK하이닉스가 메모리를 공급한다."},
    {"id": "d3", "title": "國會 본회의 통과",
     "body": "국회(國會)는 본회의에서 개정안을 통과시켰다. 알고리즘 주권을 지키자는 목소리가 "
             "높다. 소버린AI 전략도 논의됐다."},
]
NEW = {"id": "d4", "title": "배터리 공장 착공", "body": "울산에 배터리 공장을 짓는다."}


def write_docs(src: Path, docs: list[dict[str, str]]) -> None:
    src.mkdir(exist_ok=True)
    (src / "docs.jsonl").write_bytes(b"".join(orjson.dumps(d) + b"\n" for d in docs))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of DOCS analysed with WORDS (copy it before changing it)."""
    base = tmp_path_factory.mktemp("lexicon")
    write_docs(base / "src", DOCS)
    report = index_paths([base / "src"], base / "index", dictionary=parse_dictionary(WORDS))
    assert report.failed == 0
    return base / "index"


def lexicon_of(index_dir: Path) -> Lexicon | None:
    generation = index_generation(index_dir)
    words = read_dictionary_record(index_dir, generation)
    return open_lexicon(index_dir, generation, words, ANALYZER_VERSION)


def kiwi_of(index_dir: Path) -> Analyzer:
    return Analyzer(read_dictionary_record(index_dir))


# -- lookup agrees with Kiwi ---------------------------------------------------------------

QUERIES = [
    ("탄소중립 기본계획을", ["탄소", "중립", "기본", "계획"]),
    ("엔비디아는 GPU를", ["엔비디아", "gpu"]),
    ("온실가스 배출량을", ["온실가스", "배출량"]),
    ("2030년까지", ["2030년"]),
    ("1,800만 원이다.", ["1800만", "원"]),
    ("40%", ["40%"]),
    ("國會", ["國會"]),
    ("국회(國會)는", ["국회", "國會"]),
    ("삼성전자와 SK하이닉스가", ["삼성전자", "sk", "하이닉스"]),
    ("소버린AI", ["소버린ai"]),
]


@pytest.mark.parametrize(("query", "expected"), QUERIES)
def test_lookup_gives_kiwis_terms_offsets_and_views(built: Path, query: str,
                                                     expected: list[str]) -> None:
    lexicon = lexicon_of(built)
    assert lexicon is not None
    text = fold(normalize(query))
    looked = lexicon.analysis(text)
    assert looked is not None
    assert [u[0] for u in looked.units] == expected
    assert looked == kiwi_of(built).analyze(text)


def test_unseen_forms_and_spaced_user_words_go_to_kiwi(built: Path) -> None:
    lexicon = lexicon_of(built)
    assert lexicon is not None
    assert lexicon.analysis("엔비디아는 바나나를") is None  # 바나나를 is in no document
    with_lexicon = Analyzer(read_dictionary_record(built), lexicon)
    # 알고리즘 and 주권을 are known forms, but the user word joins them into one term.
    assert with_lexicon.analyze("알고리즘 주권을") == kiwi_of(built).analyze("알고리즘 주권을")
    assert [u[0] for u in with_lexicon.analyze("알고리즘 주권을").units] == ["알고리즘주권"]
    assert with_lexicon.analyze("엔비디아는 바나나를") == kiwi_of(built).analyze("엔비디아는 바나나를")


# -- damaged or stale ------------------------------------------------------------------------


def flip(path: Path, at: int) -> None:
    data = bytearray(path.read_bytes())
    data[at] ^= 0xFF
    path.write_bytes(bytes(data))


def test_a_damaged_table_is_not_opened(built: Path, tmp_path: Path) -> None:
    copy = tmp_path / "ix"
    shutil.copytree(built, copy)
    path = lexicon_path(copy, index_generation(copy))
    flip(path, 90)  # inside the hash table, covered by the checksum checked at open
    assert lexicon_of(copy) is None
    with open_index(copy) as idx:
        assert idx._analyzer.lexicon is None
        assert [h.id for h in idx.search("엔비디아는 GPU를", forgiving=False).hits] == ["d2"]


def test_a_damaged_entry_is_found_when_read_and_the_file_dropped(built: Path,
                                                                  tmp_path: Path) -> None:
    copy = tmp_path / "ix"
    shutil.copytree(built, copy)
    lexicon = lexicon_of(copy)
    assert lexicon is not None
    at = int(lexicon.keys.searchsorted(np.uint64(form_key("엔비디아는"))))
    offset = lexicon.path.stat().st_size - len(lexicon.blob) + int(lexicon.starts[at]) + 2
    del lexicon
    flip(lexicon_path(copy, index_generation(copy)), offset)
    damaged = lexicon_of(copy)
    assert damaged is not None  # entries are checked when read, not at open
    assert damaged.analysis("탄소중립") is not None
    assert damaged.analysis("엔비디아는") is None
    assert damaged.damaged
    assert damaged.analysis("탄소중립") is None  # nothing is read from it any more
    analyzer = Analyzer(read_dictionary_record(copy), damaged)
    assert analyzer.analyze("엔비디아는 GPU를") == kiwi_of(copy).analyze("엔비디아는 GPU를")


@pytest.mark.parametrize("stale", ["words", "analyzer", "truncated", "magic"])
def test_a_stale_or_foreign_file_is_ignored(built: Path, tmp_path: Path, stale: str) -> None:
    copy = tmp_path / "ix"
    shutil.copytree(built, copy)
    generation = index_generation(copy)
    words = read_dictionary_record(copy, generation)
    path = lexicon_path(copy, generation)
    if stale == "words":
        assert open_lexicon(copy, generation, (*words, ("딥시크", "NNP")), ANALYZER_VERSION) is None
        return
    if stale == "analyzer":
        assert open_lexicon(copy, generation, words, ANALYZER_VERSION + 1) is None
        return
    if stale == "truncated":
        path.write_bytes(path.read_bytes()[:-3])
    else:
        flip(path, 0)
    assert open_lexicon(copy, generation, words, ANALYZER_VERSION) is None


# -- checking forms alone, on a thread ---------------------------------------------------------


def one_term_a_form(text: str) -> Analysis:
    """An analysis giving each form itself as its one morpheme and word (no Kiwi)."""
    spans = [(m.group(), m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    return Analysis(tuple((t, s, e, (), ()) for t, s, e in spans), tuple(spans))


def test_forms_are_checked_alone_on_a_thread_while_texts_keep_coming(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The run goes on while a batch is checked; a form that a later text reads otherwise
    stays unstable whatever the check says, and a form read otherwise alone is dropped."""
    monkeypatch.setattr("index.lexicon_forms.CHECK_BATCH", 2)
    checking, go_on = threading.Event(), threading.Event()
    batches: list[list[str]] = []

    def alone(forms: Iterable[str]) -> Iterator[Analysis]:
        batch = list(forms)
        batches.append(batch)
        checking.set()
        assert go_on.wait(timeout=120)
        for form in batch:
            yield Analysis((), ()) if form == "다라" else one_term_a_form(form)

    collector = Collector()
    collector.check_in_background(alone)
    collector.add("가나 다라", one_term_a_form("가나 다라"))  # two new forms: handed off
    assert checking.wait(timeout=120)
    second = Analysis((("마바", 0, 2, (), ()), ("가", 3, 4, (), ())), (("마바", 0, 2),))
    collector.add("마바 가나", second)  # 가나 read otherwise here; 마바 waits for more
    assert batches == [["가나", "다라"]]
    go_on.set()
    assert collector.verify(alone) == 1  # 다라
    assert batches == [["가나", "다라"], ["마바"]]
    assert {form: entry[1:] for form, entry in collector.forms.items()} == {
        "가나": [1, 2], "다라": [1, 1], "마바": [1, 1]}  # [identical, all] occurrences
    assert [form for form, entry in collector.forms.items() if entry[0] is None] == [
        "가나", "다라"]
    assert orjson.loads(collector.forms["마바"][0]) == [[["마바", 0, 2, [], []]], [["마바", 0, 2]]]


def test_a_failed_check_fails_the_run_and_a_stopped_one_says_nothing() -> None:
    def broken(forms: Iterable[str]) -> Iterator[Analysis]:
        raise RuntimeError("Kiwi is gone")
        yield Analysis((), ())

    failing = Collector()
    failing.check_in_background(broken)
    failing.add("가나", one_term_a_form("가나"))
    with pytest.raises(RuntimeError, match="Kiwi is gone"):
        failing.verify(broken)
    stopped = Collector()
    stopped.check_in_background(broken)
    stopped.add("가나", one_term_a_form("가나"))
    stopped.stop()  # a run that gives up: no batch was handed off, nothing raised


# -- kept current by runs ----------------------------------------------------------------------


def test_an_incremental_run_adds_its_forms_and_prunes_the_old_file(built: Path,
                                                                   tmp_path: Path) -> None:
    copy = tmp_path / "ix"
    shutil.copytree(built, copy)
    write_docs(tmp_path / "src", [*DOCS, NEW])
    before = index_generation(copy)
    assert index_paths([tmp_path / "src"], copy, dictionary=parse_dictionary(WORDS)).added == 1
    lexicon = lexicon_of(copy)
    assert lexicon is not None
    assert sorted(p.name for p in copy.glob("kosearch-lexicon.*")) == [
        f"kosearch-lexicon.{before + 1}.bin"]
    assert lexicon.analysis("배터리 공장을") == kiwi_of(copy).analyze("배터리 공장을")
    assert lexicon.analysis("엔비디아는 GPU를") is not None  # kept from the first run


def test_a_reanalysis_with_a_new_word_relearns_the_forms_it_touches(built: Path,
                                                                    tmp_path: Path) -> None:
    copy = tmp_path / "ix"
    shutil.copytree(built, copy)
    words = parse_dictionary(WORDS + "탄소중립 NNG\n")
    report = index_paths([], copy, reanalyze=True, dictionary=words)
    assert report.reanalyzed == 1
    lexicon = lexicon_of(copy)
    assert lexicon is not None
    looked = lexicon.analysis("탄소중립 기본계획을")
    assert looked is not None
    assert [u[0] for u in looked.units] == ["탄소중립", "기본", "계획"]
    assert looked == Analyzer(words.entries).analyze("탄소중립 기본계획을")


def damage(index_dir: Path, how: str) -> None:
    """Delete the lexicon of the index's commit, or flip one byte of an entry's surface."""
    path = lexicon_path(index_dir, index_generation(index_dir))
    if how == "deleted":
        path.unlink()
        return
    lexicon = lexicon_of(index_dir)
    assert lexicon is not None
    at = int(lexicon.keys.searchsorted(np.uint64(form_key("엔비디아는"))))
    offset = path.stat().st_size - len(lexicon.blob) + int(lexicon.starts[at]) + 2
    del lexicon
    flip(path, offset)


@pytest.mark.parametrize("how", ["deleted", "flipped"])
def test_a_run_with_nothing_to_index_makes_a_lost_lexicon_again(built: Path, tmp_path: Path,
                                                                how: str) -> None:
    """Derived data: the next ordinary run reads the stored documents again and writes the
    same lexicon; meanwhile a search works through Kiwi."""
    original = lexicon_of(built)
    assert original is not None
    copy = tmp_path / "ix"
    shutil.copytree(built, copy)
    damage(copy, how)
    with open_index(copy) as idx:
        assert [h.id for h in idx.search("엔비디아는", forgiving=False).hits] == ["d2"]
    source = built.parent / "src"  # the files the index was made from, unchanged
    report = index_paths([source], copy, dictionary=parse_dictionary(WORDS))
    assert (report.added, report.unchanged, report.lexicon_rebuilt) == (0, 3, 3)
    again = lexicon_of(copy)
    assert again is not None and again.intact()
    assert dict(again.forms()) == dict(original.forms())
    assert again.analysis("엔비디아는 GPU를") == kiwi_of(copy).analyze("엔비디아는 GPU를")
    # Once made again, the next run trusts it and reads nothing.
    report = index_paths([source], copy, dictionary=parse_dictionary(WORDS))
    assert (report.unchanged, report.lexicon_rebuilt) == (3, 0)


def test_a_run_that_adds_a_document_makes_a_lost_lexicon_again_whole(built: Path,
                                                                      tmp_path: Path) -> None:
    copy = tmp_path / "ix"
    shutil.copytree(built, copy)
    damage(copy, "deleted")
    source = tmp_path / "more"
    write_docs(source, [NEW])
    report = index_paths([built.parent / "src", source], copy,
                         dictionary=parse_dictionary(WORDS))
    assert (report.added, report.unchanged, report.lexicon_rebuilt) == (1, 3, 3)
    lexicon = lexicon_of(copy)
    assert lexicon is not None
    assert lexicon.analysis("배터리 공장을") == kiwi_of(copy).analyze("배터리 공장을")
    assert lexicon.analysis("엔비디아는 GPU를") == kiwi_of(copy).analyze("엔비디아는 GPU를")


def test_a_damaged_entry_fails_the_whole_file_check(built: Path, tmp_path: Path) -> None:
    copy = tmp_path / "ix"
    shutil.copytree(built, copy)
    intact = lexicon_of(copy)
    assert intact is not None and intact.intact()
    del intact
    damage(copy, "flipped")
    damaged = lexicon_of(copy)
    assert damaged is not None  # the header and tables are fine
    assert not damaged.intact()
    assert damaged.analysis("탄소중립") is None  # not read from any more


# -- Kiwi only when needed ---------------------------------------------------------------------

SEARCH = """
import sys, orjson
from tui.cli import main
code = main(["search", "--json", *sys.argv[2:], "--index", sys.argv[1]])
sys.stdout.flush()
print(orjson.dumps({"code": code, "kiwi": "kiwipiepy" in sys.modules}).decode(), file=sys.stderr)
"""


def search_in_fresh_process(index_dir: Path, *words: str) -> tuple[list[str], bool]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", SEARCH, str(index_dir), *words], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=300)
    status = orjson.loads(out.stderr.strip().splitlines()[-1])
    assert status["code"] == 0, out.stderr
    ids = [h["id"] for h in orjson.loads(out.stdout)["hits"]]
    return ids, status["kiwi"]


def test_a_search_of_known_words_does_not_import_kiwi(built: Path) -> None:
    assert search_in_fresh_process(built, "엔비디아는") == (["d2"], False)


def test_a_search_of_an_unseen_word_loads_kiwi_and_finds_the_same(built: Path,
                                                                 tmp_path: Path) -> None:
    assert search_in_fresh_process(built, "배출량이") == (["d1"], True)
    without = tmp_path / "ix"
    shutil.copytree(built, without)
    for path in without.glob("kosearch-lexicon.*"):
        path.unlink()
    assert search_in_fresh_process(without, "엔비디아는") == (["d2"], True)


# -- a killed run -------------------------------------------------------------------------------

def stored_hashes(index_dir: Path) -> dict[str, str]:
    with open_existing(index_dir).reader() as reader:
        return {f["id"]: f["hash"] for _, f in reader.iter_docs()}


CLI = "import sys; from tui.cli import main; sys.exit(main(sys.argv[1:]))"


@pytest.mark.parametrize("fault", ["analysis", "aliases", "commit", "after-commit", "caches"])
def test_a_killed_run_leaves_the_lexicon_of_the_commit_it_left(built: Path, tmp_path: Path,
                                                                fault: str) -> None:
    write_docs(tmp_path / "src", [*DOCS[1:], NEW])
    clean = tmp_path / "clean"
    shutil.copytree(built, clean)
    before_second_run = stored_hashes(clean)
    index_paths([tmp_path / "src"], clean, dictionary=parse_dictionary(WORDS))
    after_second_run = stored_hashes(clean)
    copy = tmp_path / "ix"
    shutil.copytree(built, copy)
    (tmp_path / "words.txt").write_text(WORDS, encoding="utf-8")
    env = {**os.environ, "KOSEARCH_FAULT": fault, "PYTHONPATH": str(ROOT),
           "KOSEARCH_DICTIONARY": str(tmp_path / "words.txt")}
    run = subprocess.run([sys.executable, "-c", CLI, "index", "--quiet", str(tmp_path / "src"),
                          "--index", str(copy)], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == -9, run.stderr
    lexicon = lexicon_of(copy)
    assert lexicon is not None
    known = dict(lexicon.forms())
    with open_existing(copy).reader() as reader:
        stored = [f for _, f in reader.iter_docs()]
    committed = {f["id"]: f["hash"] for f in stored}
    assert committed == (after_second_run if fault in ("after-commit", "caches")
                         else before_second_run)
    for fields in stored:
        for text in (fields["title"], fields["body"]):
            for form in re.findall(r"\S+", fold(text)):
                assert form in known, (fault, form)


def test_kiwi_in_a_child_process_reads_unseen_words_as_kiwi_here_does(
        built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the TUI does while Kiwi loads: known forms by lookup, others by a child process
    (kiwipiepy holds the GIL while it loads), with the same result as Kiwi in this process."""
    texts = ("바나나를 수입했다", "알고리즘 주권을", "소버린AI를 논의하는 1,800만명")
    expected = [kiwi_of(built).analyze(t) for t in texts]
    analyzer = Analyzer(read_dictionary_record(built), lexicon_of(built))
    monkeypatch.setattr(Analyzer, "loaded", property(lambda self: False))  # as in a fresh UI
    monkeypatch.setattr("index.analysis._load", lambda words: pytest.fail("Kiwi loaded here"))
    analyzer.load_in_background()
    assert [analyzer.analyze(t) for t in texts] == expected
