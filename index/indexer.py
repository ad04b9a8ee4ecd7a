"""The indexing run: files in, an incremental, crash-safe Whoosh index out.

A run compares content hashes with what the index holds, so only new and changed records are
analysed; records of deleted files are removed. Everything lands in one Whoosh commit, whose table
of contents is swapped in atomically: a search during the run sees the old index. What a run
writes beside Whoosh (learned aliases, user dictionary words, a rebuild's marker) is written
before the commit for the commit's generation, and the files cache and `.kpost` files after it
are derived and checked: a kill or Ctrl-C at any instant leaves the old or the new index,
complete. One run at a time holds an index (`run_lock`), from reading it to its last write.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from whoosh.index import FileIndex, LockError
from whoosh.writing import CLEAR

from index.aliases import AliasTable, harvest
from index.analysis import (
    ANALYZER_VERSION,
    Analysis,
    Analyzer,
    Preanalyzed,
    analyze_many,
    current_analyzer,
)
from index.cache import CACHE_BYTES, AnalysisCache, analyze_many_cached
from index.dictionary import DictionaryChange, UserDictionary, load_dictionary
from index.faults import phase
from index.lexicon import Collector, open_lexicon, prune_lexicons, write_lexicon
from index.plan import Plan, make_plan
from index.postings import write_missing
from index.readers import Problem, Record, read_file
from index.segments import writer_options
from index.state import (
    FILES_CACHE,
    State,
    dictionary_plan,
    discover,
    gone,
    load_state,
    read_files_cache,
    stored_records,
    write_files_cache,
)
from index.store import (
    MARKER,
    IndexError_,
    Marker,
    check_writable,
    create_or_open,
    index_generation,
    make_schema,
    open_for_rebuild,
    read_dictionary_record,
    read_marker,
    recover_old_rebuild,
    run_lock,
    settle_marker,
    write_dictionary_record,
    write_marker,
)
from index.terms import fold

__all__ = ["IndexReport", "index_paths", "discover", "FILES_CACHE"]

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
    """Documents analysed again with their content unchanged: for a user dictionary change,
    or by a rebuild (from their file, or from the stored text when the file cannot be read)."""
    reused: int = 0
    """Titles and bodies not given to Kiwi because an identical text was analysed this run."""
    dictionary: DictionaryChange | None = None
    """How the user dictionary file differed from the index's words, if it did."""
    lexicon_rebuilt: int = 0
    """Documents analysed again from their stored text because the index's lexicon was
    missing or damaged (`index.lexicon`)."""

    @property
    def ok(self) -> bool:
        return self.failed == 0


def _datetime(date: dt.date | None) -> dt.datetime | None:
    return dt.datetime(date.year, date.month, date.day) if date else None


def _documents(records: Iterable[Record], aliases: AliasTable,
               cache: AnalysisCache, replaced: set[str],
               forms: Collector | None = None) -> Iterator[dict[str, object]]:
    """Whoosh documents for records, analysed in Kiwi's batch mode on all cores (each distinct
    text once, through `cache`); the glosses they hold (엔비디아(Nvidia)) go into `aliases`,
    replacing those of the old versions of the ids in `replaced`; their word forms into
    `forms` (the lexicon).

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
        if forms is not None:
            forms.add(fold(rec.title), title)
            forms.add(fold(rec.body), body)
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
        if rec.pages:
            doc["pages"] = rec.pages
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

    :param rebuild: analyse everything again, in place: every file the index holds documents
        from and the `paths` given (documents of files that cannot be read are analysed again
        from their stored text). Readers see the old index until the rebuilt one is committed.
        Needed after a format change; only ever writes into a kosearch index or an empty folder.
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
    Raises `IndexError_` when the index cannot be opened or another run is writing to it.
    """
    index_dir = Path(index_dir).expanduser()
    start = time.perf_counter()
    report = IndexReport(index_dir=str(index_dir))
    if not isinstance(dictionary, UserDictionary):
        dictionary = load_dictionary(dictionary)
    if not paths and (not (index_dir / MARKER).exists() if rebuild
                      else reanalyze and read_marker(index_dir) is None):
        raise IndexError_(f"no index at {index_dir} to {'rebuild' if rebuild else 're-analyse'}: "
                          f"create one with `kosearch index PATH --index {index_dir}`")
    recover_old_rebuild(index_dir)
    check_writable(index_dir)  # before the lock file is made in someone's folder
    with run_lock(index_dir):
        _run(paths, index_dir, report, dictionary, rebuild=rebuild, reanalyze=reanalyze,
             on_progress=on_progress, on_problem=on_problem, cache_bytes=cache_bytes)
    report.seconds = time.perf_counter() - start
    return report


def _run(paths: Sequence[Path], index_dir: Path, report: IndexReport,
         dictionary: UserDictionary, *, rebuild: bool, reanalyze: bool,
         on_progress: ProgressFn | None, on_problem: ProblemFn | None,
         cache_bytes: int) -> None:
    """An indexing run, under the run lock."""

    def problem(p: Problem) -> None:
        report.problems.append(p)
        if p.fatal:
            report.failed += 1
        if on_problem:
            on_problem(p)

    settle_marker(index_dir)
    old_marker: Marker | None = None
    if rebuild:
        opened = open_for_rebuild(index_dir)
        ix, old_marker, readable = opened.ix, opened.old, opened.readable
    else:
        ix, readable = create_or_open(index_dir), True
    generation = ix.latest_generation()
    state = State()
    if readable:
        try:
            state = load_state(ix)
        except Exception:  # an index of another format may lack the columns  # noqa: BLE001
            if not rebuild:
                raise
    cache = {} if rebuild else read_files_cache(index_dir, generation)
    try:
        recorded = read_dictionary_record(index_dir, generation)
    except IndexError_:
        if not rebuild:
            raise
        recorded = ()

    sources = list(paths)
    if rebuild:  # every file the index holds documents from, as well as those given
        sources += [Path(p) for p in sorted(state.by_path) if not gone(p)]
    files, problems = discover(sources)
    for p in dictionary.problems + tuple(problems):
        problem(p)
    plan = make_plan(files, state, cache, report, problem, rebuild=rebuild, read=read_file)

    words = dictionary.entries if rebuild else recorded
    again: list[Record] = stored_records(ix, plan.keep) if plan.keep else []
    if not rebuild and dictionary.entries != recorded:
        report.dictionary, redo = dictionary_plan(
            ix, recorded, dictionary, reanalyze=reanalyze, skip=plan.delete | plan.pending.keys(),
            pending=lambda: _reread(plan.files, plan.pending, {}))
        if report.dictionary.applied:
            words = dictionary.entries
            again = stored_records(ix, redo)
            plan.delete |= {r.id for r in again}
            report.reanalyzed = len(again)

    aliases = AliasTable() if rebuild else AliasTable.load(index_dir, generation)
    kept = state.docs.keys() - plan.delete - plan.pending.keys()
    if plan.pending or plan.delete or again or rebuild:
        # The run analyses with the words it records, whatever else this process has open.
        with Analyzer(words).active():
            _write(ix, index_dir, plan, again, aliases, report, problem, words=words,
                   recorded=recorded, rebuild=rebuild, old_marker=old_marker,
                   on_progress=on_progress, cache_bytes=cache_bytes, kept_ids=kept)
    elif words != recorded or (kept and not _lexicon_intact(index_dir, generation, words)):
        # Nothing to write: the words apply to the index as it is, and the lexicon is made
        # to match them (or made again, missing or damaged).
        if words != recorded:
            write_dictionary_record(index_dir, words, generation=generation, before=recorded)
        with Analyzer(words).active():
            forms = _lexicon_forms(index_dir, generation, recorded, words) or \
                _stored_forms(ix, kept, report)
            forms.verify(analyze_many)
        write_lexicon(index_dir, generation, words, forms.forms, ANALYZER_VERSION)
    # After the commit, derived data only: an interruption here costs speed, never documents.
    phase("caches")
    write_missing(ix, index_dir)
    write_files_cache(index_dir, {**cache, **plan.cache}, index_generation(index_dir))


def _write(ix: FileIndex, index_dir: Path, plan: Plan, again: list[Record],
           aliases: AliasTable, report: IndexReport, problem: ProblemFn, *,
           words: tuple[tuple[str, str], ...], recorded: tuple[tuple[str, str], ...],
           rebuild: bool, old_marker: Marker | None, on_progress: ProgressFn | None,
           cache_bytes: int, kept_ids: set[str]) -> None:
    """Write the plan in one Whoosh commit; a rebuild's commit drops every old segment.
    `kept_ids`: the stored documents the commit keeps as they are."""
    for rid in plan.delete:
        aliases.remove(rid)
    try:
        writer = ix.writer(limitmb=512, **writer_options())
    except LockError:
        raise IndexError_(f"another program is writing to {index_dir}; try again when it "
                          "finishes") from None
    committed = False
    forms = Collector()
    try:
        # Before the commit, for that commit's generation: until it lands the index is the
        # previous generation, and these records say what held for it.
        write_dictionary_record(index_dir, words, generation=writer.generation, before=recorded)
        if rebuild:
            writer.schema = make_schema()  # a format change is rebuilt in place too
            write_marker(index_dir, generation=writer.generation, before=old_marker)
        else:
            for rid in plan.delete:
                writer.delete_by_term("id", rid)
        total = len(plan.pending) + len(again)
        if on_progress:
            on_progress(0, total)
        analyses = AnalysisCache(cache_bytes)
        missing: dict[str, tuple[str, str]] = {}
        known = None if rebuild else _lexicon_forms(index_dir, ix.latest_generation(),
                                                    recorded, words)
        if known is not None:
            forms = known
        # Each form new to the lexicon is read alone by Kiwi on a thread meanwhile.
        forms.check_in_background(current_analyzer().analyze_many)
        if not rebuild and known is None:  # missing or damaged: made again
            _stored_forms(ix, kept_ids, report, forms)

        def kept() -> Iterator[Record]:
            # A rebuild drops every stored document: those whose file changed between the
            # two reads are written again as they were stored.
            if rebuild:
                yield from stored_records(ix, {rid for rid in missing if rid in plan.replaced})

        records = chain(_reread(plan.files, plan.pending, missing), again, kept())
        docs = _documents(records, aliases, analyses, plan.replaced, forms)
        for done, doc in enumerate(docs, 1):
            if doc["id"] in plan.replaced and not rebuild:
                writer.delete_by_term("id", doc["id"])
            if "pages" in doc and "pages" not in writer.schema:
                del doc["pages"]  # an index made before page starts were stored
            writer.add_document(**doc)
            if done == 1:
                phase("analysis")
            if on_progress and (done % 16 == 0 or done == total):
                on_progress(done, total)
        report.reused = analyses.hits
        if on_progress and missing:
            on_progress(total - len(missing), total - len(missing))  # the bar ends full
        for key in sorted({key for key, _ in missing.values()}):
            # Changed between the two reads: what it held stays as it was, and the next
            # run reads it again.
            lost = [rid for rid, (k, _) in missing.items() if k == key]
            plan.cache.pop(key, None)
            report.added -= sum(rid not in plan.replaced for rid in lost)
            report.updated -= sum(rid in plan.replaced for rid in lost)
            problem(Problem(key, None, f"changed while it was being indexed: {len(lost)} "
                            "record(s) not written this time; run kosearch index again"))
        aliases.save(index_dir, generation=writer.generation)
        forms.verify(analyze_many)
        write_lexicon(index_dir, writer.generation, words, forms.forms, ANALYZER_VERSION)
        phase("aliases")
        phase("commit")
        if rebuild:
            phase("rebuild-swap")
        writer.commit(mergetype=CLEAR if rebuild else None)
        committed = True
    finally:
        if not committed:
            forms.stop()
            _cancel(writer)
    phase("after-commit")
    AliasTable.prune(index_dir, ix.latest_generation())
    prune_lexicons(index_dir, ix.latest_generation())


def _lexicon_forms(index_dir: Path, generation: int, recorded: tuple[tuple[str, str], ...],
                   words: tuple[tuple[str, str], ...]) -> Collector | None:
    """The word forms of the lexicon of commit `generation` (None when it has none usable),
    without those a change of user words from `recorded` to `words` may analyse otherwise."""
    lexicon = open_lexicon(index_dir, generation, recorded, ANALYZER_VERSION)
    if lexicon is None:
        return None
    forms = Collector(dict(lexicon.forms()))
    if lexicon.damaged:
        return None
    forms.drop_touching(w for w, _ in set(words) ^ set(recorded))
    return forms


def _lexicon_intact(index_dir: Path, generation: int,
                    words: tuple[tuple[str, str], ...]) -> bool:
    """Whether commit `generation` has a lexicon for `words` that is complete and undamaged."""
    lexicon = open_lexicon(index_dir, generation, words, ANALYZER_VERSION)
    return lexicon is not None and lexicon.intact()


STORED_BATCH = 256
"""Stored documents read at a time when the lexicon is made again from them."""


def _stored_forms(ix: FileIndex, ids: set[str], report: IndexReport,
                  forms: Collector | None = None) -> Collector:
    """The word forms of the stored documents `ids` (added to `forms`), analysed again from
    their stored text with the current analyzer: how a missing or damaged lexicon is made
    again. The index holds no analysis the lexicon could be read back from exactly."""
    forms = Collector() if forms is None else forms
    order = sorted(ids)
    ahead: deque[str] = deque()  # the texts Kiwi has read ahead, in order

    def texts() -> Iterator[str]:
        for at in range(0, len(order), STORED_BATCH):
            for rec in stored_records(ix, set(order[at:at + STORED_BATCH])):
                ahead.extend((rec.title, rec.body))
                yield rec.title
                yield rec.body

    read = 0
    for analysis in analyze_many(texts()):
        forms.add(fold(ahead.popleft()), analysis)
        read += 1
    report.lexicon_rebuilt = read // 2
    return forms


def _cancel(writer: object) -> None:
    """Give up a writer whose commit did not happen, without masking why (Ctrl-C stays
    Ctrl-C): a writer stopped inside its commit may already be closed."""
    try:
        writer.cancel()  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001
        lock = getattr(writer, "writelock", None)
        if lock is not None:
            try:
                lock.release()
            except Exception:  # noqa: BLE001
                pass


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
