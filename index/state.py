"""What an index holds, as an indexing run needs it: which file each id came from with which
content hash, the files seen unchanged at the last run, and the stored text of documents to
analyse again. Kept apart from the run itself so the run reads as its steps."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import orjson
from whoosh.index import FileIndex

from index.dictionary import (
    DictionaryChange,
    UserDictionary,
    affected_documents,
    diff,
    word_pattern,
)
from index.readers import Problem, Record, supported
from index.store import MARKER

__all__ = ["FILES_CACHE", "State", "discover", "gone", "load_state", "read_files_cache",
           "dictionary_plan", "signature", "stored_records", "write_files_cache"]

FILES_CACHE = "kosearch-files.json"
"""Per-file size and mtime seen at the last run: lets a rerun skip unchanged files unread.
Only a cache, valid for the commit it names: correctness comes from content hashes, so
losing it costs time, never data."""


def discover(paths: list[Path] | tuple[Path, ...]) -> tuple[list[Path], list[Problem]]:
    """The supported files under `paths` (files and folders, recursively), sorted, deduplicated;
    a Problem for each path or folder that cannot be read."""
    files: dict[Path, None] = {}
    problems: list[Problem] = []

    def unreadable(e: OSError) -> None:
        problems.append(Problem(str(e.filename), None, f"cannot read folder: {e.strerror or e}"))

    for path in paths:
        path = Path(path).expanduser()
        try:
            is_dir, is_file = path.is_dir(), path.is_file()
        except OSError as e:
            problems.append(Problem(str(path), None, f"cannot read: {e.strerror or e}"))
            continue
        if is_dir:
            for root, dirs, names in os.walk(path, onerror=unreadable):
                if MARKER in names:  # a kosearch index: its own files are not articles
                    dirs[:] = []
                    continue
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    child = Path(root) / name
                    if not name.startswith(".") and supported(child):
                        files[child.resolve()] = None
        elif is_file:
            if supported(path):
                files[path.resolve()] = None
            else:
                problems.append(Problem(str(path), None, "unsupported file type (use .jsonl, "
                                        ".jsonl.gz, .json, .csv, .txt, .md, .html, .hwp, .hwpx "
                                        "or .pdf)"))
        else:
            problems.append(Problem(str(path), None, "no such file or folder"))
    return list(files), problems


def signature(path: Path) -> str:
    """Size and mtime of a file, "" when it cannot be read (then it is read, and reported)."""
    try:
        st = path.stat()
    except OSError:
        return ""
    return f"{st.st_size}:{st.st_mtime_ns}"


def gone(path: str) -> bool:
    """Whether an indexed file no longer exists. A file that cannot be checked (a folder on
    its way became unreadable) is not gone: its documents stay until it is readable again."""
    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return True
    except OSError:
        return False
    return False


@dataclass
class State:
    """What the index holds: id -> (path, hash), and the ids of each file."""

    docs: dict[str, tuple[str, str]] = field(default_factory=dict)
    by_path: dict[str, set[str]] = field(default_factory=dict)


def load_state(ix: FileIndex) -> State:
    state = State()
    with ix.reader() as reader:
        if reader.doc_count() == 0:
            return state
        ids = reader.column_reader("id")
        paths = reader.column_reader("path")
        hashes = reader.column_reader("hash")
        for docnum in reader.all_doc_ids():
            rid, path = ids[docnum], paths[docnum]
            state.docs[rid] = (path, hashes[docnum])
            state.by_path.setdefault(path, set()).add(rid)
    return state


def read_files_cache(index_dir: Path, generation: int) -> dict[str, str]:
    """The files cache if it was written for commit `generation` (the index's latest), else
    empty: a cache from before a commit may describe files the commit did not hold."""
    try:
        data = orjson.loads((index_dir / FILES_CACHE).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return {}
    if not isinstance(data, dict) or data.get("generation") != generation:
        return {}
    files = data.get("files")
    return files if isinstance(files, dict) else {}


def write_files_cache(index_dir: Path, cache: dict[str, str], generation: int) -> None:
    tmp = index_dir / (FILES_CACHE + ".tmp")
    tmp.write_bytes(orjson.dumps({"generation": generation, "files": cache}))
    os.replace(tmp, index_dir / FILES_CACHE)


@dataclass(frozen=True)
class _Stored(Record):
    """A record rebuilt from an index's stored fields, keeping the hash it was indexed with."""

    stored_hash: str = ""

    @property
    def hash(self) -> str:
        return self.stored_hash


def stored_records(ix: FileIndex, ids: set[str]) -> list[Record]:
    """The records of documents `ids` as the index stores them, for analysing them again."""
    out: list[Record] = []
    with ix.searcher() as searcher:
        for rid in sorted(ids):
            f = searcher.document(id=rid)
            if f is None:
                continue
            date = f.get("date")
            out.append(_Stored(
                id=rid, title=f.get("title", ""), body=f.get("body", ""),
                date=date.date() if isinstance(date, dt.datetime) else None,
                source=f.get("source", ""), url=f.get("url", ""),
                tags=tuple(t for t in f.get("tags", "").split(",") if t),
                path=f.get("path", ""), line=0, stored_hash=f.get("hash", ""),
                pages=tuple(f.get("pages") or ()),
            ))
    return out


def dictionary_plan(ix: FileIndex, recorded: tuple[tuple[str, str], ...],
                     dictionary: UserDictionary, *, reanalyze: bool, skip: set[str],
                     pending: Callable[[], Iterable[Record]]) -> tuple[DictionaryChange, set[str]]:
    """What to do about a dictionary file that differs from the index's words: the change to
    report, and the ids of stored documents to analyse again now (empty when it waits).

    The file's words are taken at once when no stored document contains a changed word (its
    analysis cannot differ) or with `reanalyze`; otherwise the index keeps its words, so it
    never holds documents analysed with two dictionaries, and the change waits.
    """
    added, removed = diff(recorded, dictionary.entries)
    words = {w for w, _ in added + removed}
    with ix.reader() as reader:
        affected = sorted(affected_documents(reader.all_stored_fields(), words, skip))
    if reanalyze or not affected:
        return DictionaryChange(added, removed, tuple(affected), applied=True), {
            rid for rid, _ in affected}
    pattern = word_pattern(words)
    assert pattern is not None
    # Records analysed in this run with the index's words will need it as well.
    waiting = {rid: title for rid, title in affected}
    for rec in pending():
        if pattern.search(rec.title) or pattern.search(rec.body):
            waiting[rec.id] = rec.title
    return DictionaryChange(added, removed, tuple(sorted(waiting.items()))), set()
