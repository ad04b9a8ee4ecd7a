"""The indexing run: files in, an incremental, crash-safe Whoosh index out.

A run compares content hashes with what the index holds, so only new and changed records are
analysed; records of deleted files are removed. Everything lands in one Whoosh commit, whose table
of contents is swapped in atomically: a search during the run sees the old index, and Ctrl-C or a
crash leaves it intact.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

import orjson
from whoosh.index import FileIndex, LockError

from index.aliases import AliasTable, harvest
from index.analysis import Analysis, Preanalyzed, set_user_words
from index.cache import CACHE_BYTES, AnalysisCache, analyze_many_cached
from index.dictionary import (
    DictionaryChange,
    UserDictionary,
    affected_documents,
    diff,
    load_dictionary,
    word_pattern,
)
from index.postings import write_missing
from index.readers import Problem, Record, read_file, supported
from index.store import (
    MARKER,
    IndexError_,
    create_or_open,
    read_dictionary_record,
    read_marker,
    write_dictionary_record,
)

__all__ = ["IndexReport", "index_paths", "discover", "FILES_CACHE"]

FILES_CACHE = "kosearch-files.json"
"""Per-file size and mtime seen at the last run: lets a rerun skip unchanged files unread.
Only a cache: correctness comes from content hashes, so losing it costs time, never data."""

ProgressFn = Callable[[int, int], None]
ProblemFn = Callable[[Problem], None]


@dataclass
class IndexReport:
    """What an indexing run did."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    failed: int = 0
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    index_dir: str = ""
    reanalyzed: int = 0
    reused: int = 0
    """Titles and bodies not given to Kiwi because an identical text was analysed this run."""
    """Documents analysed again from their stored text for a user dictionary change."""
    dictionary: DictionaryChange | None = None
    """How the user dictionary file differed from the index's words, if it did."""

    @property
    def ok(self) -> bool:
        return self.failed == 0


def discover(paths: Sequence[Path]) -> tuple[list[Path], list[Problem]]:
    """The supported files under `paths` (files and folders, recursively), sorted, deduplicated."""
    files: dict[Path, None] = {}
    problems: list[Problem] = []
    for path in paths:
        path = Path(path).expanduser()
        if path.is_dir():
            for root, dirs, names in os.walk(path):
                if MARKER in names:  # a kosearch index: its own files are not articles
                    dirs[:] = []
                    continue
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    child = Path(root) / name
                    if not name.startswith(".") and supported(child):
                        files[child.resolve()] = None
        elif path.is_file():
            if supported(path):
                files[path.resolve()] = None
            else:
                problems.append(Problem(str(path), None, "unsupported file type (use .jsonl, "
                                        ".jsonl.gz, .json, .csv, .txt, .md or .html)"))
        else:
            problems.append(Problem(str(path), None, "no such file or folder"))
    return list(files), problems


def _signature(path: Path) -> str:
    st = path.stat()
    return f"{st.st_size}:{st.st_mtime_ns}"


@dataclass
class _State:
    """What the index holds: id -> (path, hash), and the ids of each file."""

    docs: dict[str, tuple[str, str]] = field(default_factory=dict)
    by_path: dict[str, set[str]] = field(default_factory=dict)


def _load_state(ix: FileIndex) -> _State:
    state = _State()
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


def _read_cache(index_dir: Path) -> dict[str, str]:
    try:
        data = orjson.loads((index_dir / FILES_CACHE).read_bytes())
        return data if isinstance(data, dict) else {}
    except (OSError, orjson.JSONDecodeError):
        return {}


def _write_cache(index_dir: Path, cache: dict[str, str]) -> None:
    tmp = index_dir / (FILES_CACHE + ".tmp")
    tmp.write_bytes(orjson.dumps(cache))
    os.replace(tmp, index_dir / FILES_CACHE)


def _datetime(date: dt.date | None) -> dt.datetime | None:
    return dt.datetime(date.year, date.month, date.day) if date else None


@dataclass(frozen=True)
class _Stored(Record):
    """A record rebuilt from an index's stored fields, keeping the hash it was indexed with."""

    stored_hash: str = ""

    @property
    def hash(self) -> str:
        return self.stored_hash


def _stored_records(ix: FileIndex, ids: set[str]) -> list[Record]:
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
            ))
    return out


def _dictionary_plan(ix: FileIndex, recorded: tuple[tuple[str, str], ...],
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


def _documents(records: Iterable[Record], aliases: AliasTable,
               cache: AnalysisCache, replaced: set[str]) -> Iterator[dict[str, object]]:
    """Whoosh documents for records, analysed in Kiwi's batch mode on all cores (each distinct
    text once, through `cache`); the glosses they hold (엔비디아(Nvidia)) go into `aliases`,
    replacing those of the old versions of the ids in `replaced`.

    `records` is read once, as Kiwi asks for texts: only the records it reads ahead of the
    writer (a few dozen) are held at a time."""
    ahead: deque[Record] = deque()

    def texts() -> Iterator[str]:
        for rec in records:
            ahead.append(rec)
            yield rec.title
            yield rec.body

    analyses = analyze_many_cached(texts(), cache)
    for title in analyses:
        body = next(analyses)
        rec = ahead.popleft()
        if rec.id in replaced:
            aliases.remove(rec.id)
        aliases.add(rec.id, harvest(rec.title, title) + harvest(rec.body, body))
        doc: dict[str, object] = {
            "id": rec.id,
            "title": Preanalyzed(rec.title, title),
            "_stored_title": rec.title,
            "body": Preanalyzed(rec.body, body),
            "_stored_body": rec.body,
            "words": Preanalyzed(" ", Analysis((), title.words + body.words)),
            "source": rec.source,
            "url": rec.url,
            "tags": ",".join(t.replace(",", " ") for t in rec.tags),
            "path": rec.path,
            "hash": rec.hash,
        }
        if rec.date:
            doc["date"] = _datetime(rec.date)
        yield doc


def index_paths(
    paths: Sequence[Path],
    index_dir: Path,
    *,
    rebuild: bool = False,
    reanalyze: bool = False,
    dictionary: UserDictionary | str | Path | None = None,
    on_progress: ProgressFn | None = None,
    on_problem: ProblemFn | None = None,
    cache_bytes: int = CACHE_BYTES,
) -> IndexReport:
    """Bring the index at `index_dir` up to date with the files under `paths`.

    :param rebuild: analyse everything again into a fresh index, swapped in when complete
        (needed after a format change).
    :param reanalyze: take the user dictionary's words even if documents already indexed
        contain words that it added or removed, and analyse those documents again from the
        text the index stores. Without it, such a change waits and `report.dictionary` says
        which documents it concerns.
    :param dictionary: the user dictionary, or its file (default: `default_dictionary_path()`);
        its bad lines are reported as problems that do not fail the run.
    :param on_progress: called with (documents analysed, documents to analyse).
    :param on_problem: called for each problem as it is found (they are also in the report).
    :param cache_bytes: memory for analyses of texts that may come again in this run (a text
        met twice, under any id, is analysed once while its analysis is kept).
    Raises `IndexError_` when the index cannot be opened or is locked by another run.
    """
    index_dir = Path(index_dir).expanduser()
    start = time.perf_counter()
    report = IndexReport(index_dir=str(index_dir))
    if not isinstance(dictionary, UserDictionary):
        dictionary = load_dictionary(dictionary)
    if reanalyze and not paths and read_marker(index_dir) is None:
        raise IndexError_(f"no index at {index_dir} to re-analyse: create one with "
                          f"`kosearch index PATH --index {index_dir}`")

    def problem(p: Problem) -> None:
        report.problems.append(p)
        if p.fatal:
            report.failed += 1
        if on_problem:
            on_problem(p)

    target = index_dir
    # A damaged marker still marks a kosearch index: --rebuild is the advice for it.
    if rebuild and index_dir.exists() and not (index_dir / MARKER).exists() and any(
            p for p in index_dir.iterdir() if not p.name.startswith(".")):
        raise IndexError_(f"{index_dir} is not empty and is not a kosearch index; "
                          "--rebuild only replaces kosearch indexes")
    if rebuild and index_dir.exists():
        index_dir = index_dir.with_name(f".{index_dir.name}.rebuild")
        shutil.rmtree(index_dir, ignore_errors=True)
    ix = create_or_open(index_dir)
    state = _State() if rebuild else _load_state(ix)
    cache = {} if rebuild else _read_cache(index_dir)

    recorded = () if rebuild else read_dictionary_record(index_dir, ix.latest_generation())

    files, problems = discover(paths)
    for p in dictionary.problems + tuple(problems):
        problem(p)

    # Records to write are remembered by id, file and content hash, not held: the files are
    # read again when writing (`_reread`), so a first run over a large folder needs memory for
    # the records Kiwi reads ahead, not for all of them.
    pending: dict[str, tuple[str, str]] = {}
    pending_files: dict[str, Path] = {}
    replaced: set[str] = set()
    """Ids whose stored version is deleted when the new one is written, so it stays if the
    new one cannot be (its file changed between the two reads)."""
    delete: set[str] = set()
    claimed: dict[str, str] = {}
    new_cache: dict[str, str] = {}
    # Files unchanged since the last run claim their ids first, so a duplicate id met in a
    # changed file is always the newcomer.
    to_read: list[tuple[Path, str]] = []
    for path in files:
        key = str(path)
        sig = _signature(path)
        old_ids = state.by_path.get(key, set())
        if cache.get(key) == sig and old_ids:
            report.unchanged += len(old_ids)
            new_cache[key] = sig
            claimed.update(dict.fromkeys(old_ids, key))
        else:
            to_read.append((path, sig))
    for path, sig in to_read:
        key = str(path)
        old_ids = state.by_path.get(key, set())
        seen: set[str] = set()
        readable = False
        failed_before = report.failed
        for item in read_file(path):
            if isinstance(item, Problem):
                problem(item)
                continue
            readable = True
            if item.id in claimed:
                problem(Problem(key, item.line, f"duplicate id {item.id!r} (first seen in "
                                f"{claimed[item.id]}), record skipped"))
                continue
            claimed[item.id] = key
            seen.add(item.id)
            old = state.docs.get(item.id)
            if old == (key, item.hash):
                report.unchanged += 1
                continue
            if old is not None:
                replaced.add(item.id)
                report.updated += 1
            else:
                report.added += 1
            pending[item.id] = (key, item.hash)
            pending_files[key] = path
        if readable:
            # A file with problems is read again next time, so they are reported again.
            if report.failed == failed_before:
                new_cache[key] = sig
            # Records gone from a file that was read are removed; an unreadable file keeps its.
            for rid in old_ids - seen:
                if rid not in claimed:
                    delete.add(rid)
                    report.removed += 1
        else:
            claimed.update(dict.fromkeys(old_ids - claimed.keys(), key))

    # Files that no longer exist lose their records.
    for path_str, ids in state.by_path.items():
        if not Path(path_str).exists():
            gone = ids - claimed.keys()
            delete |= gone
            report.removed += len(gone)

    words = dictionary.entries if rebuild else recorded
    again: list[Record] = []
    if not rebuild and dictionary.entries != recorded:
        report.dictionary, redo = _dictionary_plan(
            ix, recorded, dictionary, reanalyze=reanalyze, skip=delete | pending.keys(),
            pending=lambda: _reread(pending_files, pending, {}))
        if report.dictionary.applied:
            words = dictionary.entries
            again = _stored_records(ix, redo)
            delete |= {r.id for r in again}
            report.reanalyzed = len(again)
    set_user_words(words)

    aliases = AliasTable() if rebuild else AliasTable.load(index_dir)
    if pending or delete:
        missing: dict[str, tuple[str, str]] = {}
        for rid in delete:
            aliases.remove(rid)
        try:
            writer = ix.writer(limitmb=512)
        except LockError:
            raise IndexError_(f"another kosearch run is writing to {index_dir}; try again when it "
                              "finishes") from None
        try:
            # Before the commit, for that commit's generation: see read_dictionary_record.
            write_dictionary_record(index_dir, words, generation=writer.generation,
                                    before=recorded)
            for rid in delete:
                writer.delete_by_term("id", rid)
            total = len(pending) + len(again)
            if on_progress:
                on_progress(0, total)
            analyses = AnalysisCache(cache_bytes)
            records = chain(_reread(pending_files, pending, missing), again)
            for done, doc in enumerate(_documents(records, aliases, analyses, replaced), 1):
                if doc["id"] in replaced:
                    writer.delete_by_term("id", doc["id"])
                writer.add_document(**doc)
                if on_progress and (done % 16 == 0 or done == total):
                    on_progress(done, total)
            report.reused = analyses.hits
            if on_progress and missing:
                on_progress(total - len(missing), total - len(missing))  # the bar ends full
            for key in {key for key, _ in missing.values()}:
                # Changed between the two reads: what it held stays as it was, and the next
                # run reads it again.
                lost = [rid for rid, (k, _) in missing.items() if k == key]
                new_cache.pop(key, None)
                report.added -= sum(rid not in replaced for rid in lost)
                report.updated -= sum(rid in replaced for rid in lost)
                problem(Problem(key, None, f"changed while it was being indexed: {len(lost)} "
                                "record(s) not written this time; run kosearch index again"))
            writer.commit()
            # After the commit: a lost alias file costs aliases, never documents.
            aliases.save(index_dir)
        except BaseException:
            writer.cancel()
            if rebuild:
                shutil.rmtree(index_dir, ignore_errors=True)
            raise
    elif words != recorded:
        # Nothing to write: the words apply to the index as it is.
        write_dictionary_record(index_dir, words, generation=ix.latest_generation(),
                                before=recorded)
    # After the commit, derived data only: an interruption here costs speed, never documents.
    write_missing(ix, index_dir)
    _write_cache(index_dir, {**({} if rebuild else cache), **new_cache})
    if rebuild and index_dir != target:
        _swap(index_dir, target)
    report.index_dir = str(target)
    report.seconds = time.perf_counter() - start
    return report


def _reread(files: dict[str, Path], wanted: dict[str, tuple[str, str]],
            missing: dict[str, tuple[str, str]]) -> Iterator[Record]:
    """The records of `wanted` (id -> (file, hash)), read again from `files` in the order of the
    first read; the ids not found as they were then end in `missing`. Problems were reported by
    the first read."""
    left = dict(wanted)
    for key, path in files.items():
        for item in read_file(path):
            if isinstance(item, Record) and left.get(item.id) == (key, item.hash):
                del left[item.id]
                yield item
    missing.update(left)


def _swap(new: Path, target: Path) -> None:
    """Put a rebuilt index in place of the old one, which is removed only afterwards."""
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)
