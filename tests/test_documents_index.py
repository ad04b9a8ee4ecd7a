"""End to end: `index_paths` over a folder of documents the test writes (a PDF, an HWPX, an
encrypted PDF) makes the readable ones searchable and reports the other by name."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from documents_samples import para, t, table, write_hwpx, write_pdf

from index import index_paths
from search import open_index


def test_pdf_and_hwpx_become_searchable(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    write_pdf(docs / "보도자료.pdf",
              [["해양 쓰레기 수거 실적 발표", "해양수산부는 2026년 6월 2일 수거 실적을 공개했다."],
               ["둘째 쪽", "부표 재활용 사업을 넓힌다."]],
              title="해양 쓰레기 수거 실적", author="해양수산부")
    write_hwpx(docs / "공고.hwpx", [
        para(t("입 법 예 고")) + para(t("마포구 자전거 주차장 조례 개정안"))
        + para(t(""), table([["구분", "내용"], ["시행일", "2026년 7월 1일"]])),
    ])
    write_pdf(docs / "잠금.pdf", [["열 수 없는 본문"]], user_password="비밀")

    report = index_paths([docs], tmp_path / "index")

    assert (report.added, report.failed) == (2, 1)
    assert [(Path(p.path).name, p.message) for p in report.problems if p.fatal] == [
        ("잠금.pdf", "cannot read this PDF document: the PDF is encrypted with a password; "
                    "kosearch cannot read it; skipped")]
    index = open_index(tmp_path / "index")
    (hit,) = index.search("부표 재활용").hits
    assert (Path(hit.path).name, hit.title, hit.source, str(hit.date)) == (
        "보도자료.pdf", "해양 쓰레기 수거 실적", "해양수산부", "2026-06-02")
    (hit,) = index.search("입법예고").hits
    assert (Path(hit.path).name, hit.title) == ("공고.hwpx", "입법예고")
    (hit,) = index.search("자전거 주차장 시행일").hits
    assert Path(hit.path).name == "공고.hwpx"


def test_unchanged_documents_are_not_read_into_the_index_again(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    write_hwpx(docs / "a.hwpx", [para(t("하천 정비 사업 설명회 안내"))])
    first = index_paths([docs], tmp_path / "index")
    again = index_paths([docs], tmp_path / "index")
    assert (first.added, again.added, again.unchanged) == (1, 0, 1)


def test_page_starts_are_stored_and_kept_by_a_rebuild(tmp_path: Path) -> None:
    from index.documents import page_of
    from index.state import stored_records
    from index.store import open_existing

    docs = tmp_path / "docs"
    docs.mkdir()
    pdf = write_pdf(docs / "r.pdf", [["첫 쪽 하천 정비"], ["둘째 쪽 예산 배정"]])
    index_paths([docs], tmp_path / "index")
    (rec,) = stored_records(open_existing(tmp_path / "index"), {str(pdf)})
    assert rec.pages == (0, 11)
    assert page_of(rec.pages, rec.body.index("예산")) == 2
    index_paths([docs], tmp_path / "index", rebuild=True)
    (rec,) = stored_records(open_existing(tmp_path / "index"), {str(pdf)})
    assert rec.pages == (0, 11)


def test_an_index_without_the_pages_field_still_takes_pdfs(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """An index made before page starts were stored (its pickled schema has no `pages`)."""
    from index import store

    def old_schema() -> object:
        schema = make_schema()
        schema.remove("pages")
        return schema

    make_schema = store.make_schema
    docs = tmp_path / "docs"
    docs.mkdir()
    write_hwpx(docs / "a.hwpx", [para(t("하천 정비 사업 설명회 안내"))])
    monkeypatch.setattr(store, "make_schema", old_schema)
    index_paths([docs], tmp_path / "index")
    monkeypatch.undo()
    write_pdf(docs / "b.pdf", [["빗물 저류조 설치"], ["둘째 쪽"]])
    report = index_paths([docs], tmp_path / "index")
    assert (report.added, report.failed) == (1, 0)
    (hit,) = open_index(tmp_path / "index").search("빗물 저류조").hits
    assert Path(hit.path).name == "b.pdf"


def test_a_hit_in_a_pdf_says_its_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Search results, the document and the command line say which page a passage is on."""
    from tui.cli import main

    docs = tmp_path / "docs"
    docs.mkdir()
    write_pdf(docs / "r.pdf", [["첫 쪽 하천 정비"], ["둘째 쪽 예산 배정"]])
    index_paths([docs], tmp_path / "index")
    with open_index(tmp_path / "index") as index:
        (hit,) = index.search("예산").hits
        assert [(s.page, s.text[a:b]) for s in hit.snippets for a, b in s.marks] == [(2, "예산")]
        (hit,) = index.search("하천").hits
        assert [s.page for s in hit.snippets] == [1]
        document = index.document(hit.id, "예산")
        assert document is not None and document.pages == (0, 11)
    assert main(["search", "예산", "--color=never", "--index", str(tmp_path / "index")]) == 0
    assert "     p. 2 … 첫 쪽 하천 정비  둘째 쪽 «예산» 배정 …\n" in capsys.readouterr().out


def test_a_hit_outside_a_pdf_names_no_page(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    write_hwpx(docs / "a.hwpx", [para(t("하천 정비 사업 설명회 안내"))])
    index_paths([docs], tmp_path / "index")
    with open_index(tmp_path / "index") as index:
        (hit,) = index.search("하천").hits
        assert [s.page for s in hit.snippets] == [0]
        document = index.document(hit.id)
        assert document is not None and document.pages == ()


def test_a_pdf_paginated_anew_is_indexed_again_with_its_new_pages(tmp_path: Path) -> None:
    """Same text, other page breaks: a line of spaces reads as the blank line a page break
    leaves, so the body is identical and only the page starts tell the two files apart."""
    docs = tmp_path / "docs"
    docs.mkdir()
    pdf = write_pdf(docs / "r.pdf", [["첫 문단 하천 정비", "   ", "둘째 문단 예산 배정"]])
    index_paths([docs], tmp_path / "index")
    with open_index(tmp_path / "index") as index:
        (hit,) = index.search("예산").hits
        assert [s.page for s in hit.snippets] == [1]
        before = index.document(hit.id)
    write_pdf(pdf, [["첫 문단 하천 정비"], ["둘째 문단 예산 배정"]])
    os.utime(pdf, ns=(1_800_000_000_000_000_000, 1_800_000_000_000_000_000))

    report = index_paths([docs], tmp_path / "index")

    assert (report.added, report.updated, report.unchanged) == (0, 1, 0)
    with open_index(tmp_path / "index") as index:
        (hit,) = index.search("예산").hits
        assert [s.page for s in hit.snippets] == [2]
        after = index.document(hit.id)
    assert before is not None and after is not None
    assert (before.body, before.pages) == ("첫 문단 하천 정비\n\n둘째 문단 예산 배정", (0,))
    assert (after.body, after.pages) == ("첫 문단 하천 정비\n\n둘째 문단 예산 배정", (0, 12))


def test_page_starts_count_in_the_hash_only_where_there_are_pages() -> None:
    """A record without pages (every article, HWP and HWPX) keeps the hash it was indexed
    with before page starts counted, so an existing index is not re-indexed for them."""
    import dataclasses
    import datetime as dt

    from index.records import Record

    rec = Record(id="a", title="하천 정비 계획", body="하천 정비 예산을 배정했다.",
                 date=dt.date(2026, 6, 2), source="환경부", url="", tags=("하천",),
                 path="a.txt", line=1)
    assert rec.hash == "469e7976eb495bf7e8c7119f1f8b241f"
    paged = dataclasses.replace(rec, pages=(0, 5))
    assert paged.hash != rec.hash
    assert dataclasses.replace(rec, pages=(0, 6)).hash not in (rec.hash, paged.hash)
    assert dataclasses.replace(rec, pages=(0, 5)).hash == paged.hash


def test_kosearch_index_names_unreadable_documents_and_exits_1(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The command line: a document alone or in a folder; the unreadable one is named with its
    reason and the run goes on to exit 1; a damaged metadata part is a note, not a failure."""
    from tui.cli import main

    docs = tmp_path / "docs"
    docs.mkdir()
    alone = write_pdf(tmp_path / "단독.pdf", [["빗물 저류조 설치 계획"]])
    write_pdf(docs / "잠금.pdf", [["열 수 없는 본문"]], user_password="비밀")
    write_hwpx(docs / "m.hwpx", [para(t("하천 정비 사업 안내"))],
               hpf="<opf:package><opf:metadata><opf:title>제목</opf:metadata>")

    assert main(["index", str(alone), "--index", str(tmp_path / "one")]) == 0
    assert "added      1" in capsys.readouterr().out
    assert main(["index", str(docs), "--index", str(tmp_path / "ix")]) == 1
    out, err = capsys.readouterr()
    err = err.replace("\n", "")
    assert "added      1" in out and "failed     1" in out
    assert (f"{(docs / '잠금.pdf').resolve()}: cannot read this PDF document: the PDF is "
            "encrypted with a password; kosearch cannot read it; skipped") in err
    assert (f"{(docs / 'm.hwpx').resolve()}: broken XML in Contents/content.hpf at line 1 "
            "(mismatched tag): its title, author and date are not read") in err
