"""Where an index lives, what it holds, and how it is opened safely.

Whoosh unpickles the schema when it opens an index, so an index folder is as trusted as code:
kosearch only opens folders that carry its own marker file with a format version it can read.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import orjson
from whoosh import fields, formats
from whoosh.filedb.filestore import FileStorage
from whoosh.index import FileIndex
from whoosh.system import pack_uint

from index.analysis import ANALYZER_VERSION, KiwiTokenizer, postings
from index.faults import phase
from index.segments import latest_generation, segment_storage

__all__ = [
    "DICTIONARY_RECORD",
    "FORMAT_VERSION",
    "IndexError_",
    "MARKER",
    "RUN_LOCK",
    "Rebuilt",
    "check_writable",
    "create_or_open",
    "default_index_dir",
    "foreign_entries",
    "index_generation",
    "make_schema",
    "open_existing",
    "open_for_rebuild",
    "read_dictionary_record",
    "read_marker",
    "recover_old_rebuild",
    "run_lock",
    "settle_marker",
    "write_dictionary_record",
    "write_marker",
]

FORMAT_VERSION = 1
"""Bump when the schema or the analysis changes what is indexed; old indexes must be rebuilt."""
MARKER = "kosearch-index.json"
DICTIONARY_RECORD = "kosearch-dictionary.json"
"""The user dictionary words an index was analysed with; none when the file is absent."""
VERSION = "0.1.0"


class IndexError_(Exception):
    """An index folder that kosearch cannot or will not open; the message says what to do."""


def default_index_dir() -> Path:
    """The user's index: `KOSEARCH_INDEX`, else the platform's user data directory."""
    env = os.environ.get("KOSEARCH_INDEX")
    if env:
        return Path(env).expanduser()
    return user_data_dir() / "index"


def user_data_dir() -> Path:
    """kosearch's folder in the user's data directory (XDG on Linux)."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "kosearch"


class KoreanText(fields.TEXT):  # type: ignore[misc]
    """A TEXT field over `KiwiTokenizer` that indexes pre-analysed text without Token objects.

    Indexing spends most of its Python time here, beside Kiwi; text given as a plain string
    (queries, other callers) goes through the tokenizer as usual.
    """

    def index(self, value: object, **kwargs: object):  # type: ignore[no-untyped-def]
        analysis = getattr(value, "analysis", None)
        if analysis is None:
            yield from super().index(value, **kwargs)
            return
        fmt = self.format
        boost = fmt.field_boost
        grouped = postings(analysis, self.analyzer.view)
        if isinstance(fmt, formats.Characters):
            encode = fmt.encode
            for term, poslist in grouped.items():
                yield term.encode("utf-8"), len(poslist), len(poslist) * boost, encode(poslist)
        else:
            for term, poslist in grouped.items():
                n = len(poslist)
                yield term.encode("utf-8"), n, n * boost, pack_uint(n)


def make_schema() -> fields.Schema:
    """The index schema. Title and body keep positions (phrases) and character offsets
    (highlighting without re-analysis); `words` is the whole-word view used for ranking."""
    morph = KiwiTokenizer("morph")
    return fields.Schema(
        id=fields.ID(stored=True, unique=True, sortable=True),
        title=KoreanText(analyzer=morph, stored=True, phrase=True, chars=True),
        body=KoreanText(analyzer=morph, stored=True, phrase=True, chars=True),
        words=KoreanText(analyzer=KiwiTokenizer("word"), phrase=False),
        date=fields.DATETIME(stored=True, sortable=True),
        source=fields.ID(stored=True, sortable=True),
        url=fields.STORED(),
        pages=fields.STORED(),  # where each page starts in the body (PDF)
        tags=fields.KEYWORD(stored=True, commas=True, lowercase=True, scorable=True),
        path=fields.ID(stored=True, sortable=True),
        hash=fields.ID(stored=True, sortable=True),
        filesig=fields.ID(sortable=True),
    )


@dataclass(frozen=True)
class Marker:
    format_version: int
    created_by: str
    analyzer_version: int = 1
    """The analyzer the index was created or last rebuilt with (`ANALYZER_VERSION`); 1 before
    it was recorded. Documents added later by a newer kosearch are analysed with the newer one."""


def index_generation(path: Path) -> int:
    """The generation of the latest commit of the index in folder `path`, -1 when none."""
    return latest_generation(path)


def read_marker(path: Path) -> Marker | None:
    """The marker of a kosearch index folder, or None if the folder has none.

    A rebuild writes its marker before its commit, as `generation: N` with the marker of the
    generations before it (like `write_dictionary_record`): until commit N lands, the index
    and so its marker are the old ones.
    """
    try:
        data = orjson.loads((path / MARKER).read_bytes())
        if isinstance(data, dict) and "generation" in data:
            if index_generation(path) < int(data["generation"]) and data.get("before"):
                data = data["before"]
        return Marker(int(data["format"]), str(data.get("created_by", "")),
                      int(data.get("analyzer", 1)))
    except FileNotFoundError:
        return None
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as e:
        raise IndexError_(f"{path / MARKER} is damaged ({e}); rebuild the index with "
                          f"`kosearch index PATH --index {path} --rebuild`") from None


def write_marker(path: Path, *, generation: int = 0, before: Marker | None = None) -> None:
    """Mark folder `path` as a kosearch index of this version from commit `generation` on
    (atomically); `before` is the marker of the generations before it."""
    data: dict[str, object] = {"format": FORMAT_VERSION, "created_by": f"kosearch {VERSION}",
                               "analyzer": ANALYZER_VERSION, "generation": generation}
    if before is not None:
        data["before"] = {"format": before.format_version, "created_by": before.created_by,
                          "analyzer": before.analyzer_version}
    tmp = path / (MARKER + ".tmp")
    tmp.write_bytes(orjson.dumps(data))
    os.replace(tmp, path / MARKER)


def settle_marker(path: Path) -> None:
    """Put back the marker a stopped rebuild replaced before its commit: the next commit, of
    another run, takes that generation number and must not adopt the rebuild's marker."""
    try:
        data = orjson.loads((path / MARKER).read_bytes())
        pending = int(data["generation"]) > index_generation(path) and data.get("before")
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        return
    if pending:
        tmp = path / (MARKER + ".tmp")
        tmp.write_bytes(orjson.dumps(data["before"]))
        os.replace(tmp, path / MARKER)


def _check(path: Path) -> None:
    marker = read_marker(path)
    if marker is None:
        raise IndexError_(
            f"{path} is not a kosearch index (no {MARKER}); kosearch does not open folders it "
            "did not create, because opening an index runs code stored in it"
        )
    if marker.format_version != FORMAT_VERSION:
        raise IndexError_(
            f"the index at {path} has format {marker.format_version} ({marker.created_by}); this "
            f"kosearch reads format {FORMAT_VERSION}: rebuild it with "
            f"`kosearch index PATH... --index {path} --rebuild`"
        )


def open_existing(path: Path) -> FileIndex:
    """Open a kosearch index for reading; `IndexError_` with advice if that is not possible.

    Its queries are to be analysed with the user dictionary words it was analysed with
    (`read_dictionary_record`): `search.Index` makes an `Analyzer` of them.
    """
    path = Path(path)
    if not path.is_dir():
        raise IndexError_(f"no index at {path}: create one with `kosearch index PATH --index {path}`")
    _check(path)
    if index_generation(path) < 0:
        raise IndexError_(f"the index at {path} was never finished (its first run was stopped): "
                          f"run `kosearch index PATH --index {path}` again")
    try:
        ix = segment_storage(path).open_index()  # mapped, not read: see index.segments
    except Exception as e:  # Whoosh raises many kinds for a damaged folder
        raise IndexError_(f"the index at {path} cannot be read ({type(e).__name__}: {e}); "
                          f"rebuild it with `kosearch index PATH... --index {path} --rebuild`") from None
    return ix


Entry = tuple[str, str]


def read_dictionary_record(path: Path, generation: int | None = None) -> tuple[Entry, ...]:
    """The user dictionary words of the index at `path` whose latest commit is `generation`
    (default: the latest commit in the folder now).

    An indexing run records its words before it commits generation N (as `generation: N`,
    with the words that held before): until that commit lands, the index is still at N-1 and
    the earlier words apply, so an interrupted run never leaves documents and words apart.
    """
    if generation is None:
        generation = FileIndex(FileStorage(str(path))).latest_generation()
    try:
        data = orjson.loads((Path(path) / DICTIONARY_RECORD).read_bytes())
        words = data["words"] if generation >= int(data["generation"]) else data["before"]
        return tuple((str(w), str(t)) for w, t in words)
    except FileNotFoundError:
        return ()
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as e:
        raise IndexError_(f"{Path(path) / DICTIONARY_RECORD} is damaged ({e}); rebuild the index "
                          f"with `kosearch index PATH... --index {path} --rebuild`") from None


def write_dictionary_record(path: Path, words: tuple[Entry, ...], *, generation: int,
                            before: tuple[Entry, ...]) -> None:
    """Record that generation `generation` of the index is analysed with `words` (atomically);
    `before` are the words of the generations before it."""
    target = Path(path) / DICTIONARY_RECORD
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_bytes(orjson.dumps({"generation": generation, "words": words, "before": before}))
    os.replace(tmp, target)


def foreign_entries(path: Path) -> list[str]:
    """What folder `path` holds besides a run's lock, hidden entries included, sorted."""
    try:
        return sorted(p.name for p in Path(path).iterdir() if p.name != RUN_LOCK)
    except (FileNotFoundError, NotADirectoryError):
        return []


def _not_an_index(path: Path) -> IndexError_:
    return IndexError_(f"{path} is not empty and is not a kosearch index; choose another "
                       "folder (kosearch only writes into an empty folder or its own index)")


def check_writable(path: Path) -> None:
    """Raise `IndexError_` unless `path` is missing, an empty folder or a kosearch index (a
    damaged marker still marks one). Hidden entries count: `.git` makes a folder not empty."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise IndexError_(f"{path} is a file, not an index folder; choose a folder")
    if path.is_dir() and not (path / MARKER).exists() and foreign_entries(path):
        raise _not_an_index(path)


def create_or_open(path: Path) -> FileIndex:
    """Open the index at `path` for writing, creating it in an empty or missing folder.

    The marker is written before the index, so a folder kosearch began to make is always
    recognised as its own; one left without an index (a run stopped between the two) is
    finished here.
    """
    path = Path(path)
    check_writable(path)
    path.mkdir(parents=True, exist_ok=True)
    if read_marker(path) is not None:
        _check(path)
        if index_generation(path) < 0:
            return segment_storage(path).create_index(make_schema())
        return segment_storage(path).open_index()
    if foreign_entries(path):  # made between the check and now
        raise _not_an_index(path)
    phase("new-index-before-marker")
    write_marker(path)
    return segment_storage(path).create_index(make_schema())


@dataclass
class Rebuilt:
    """An index opened to be rebuilt in place, with its marker (None: damaged or new)."""

    ix: FileIndex
    old: Marker | None
    readable: bool = True
    """Whether the index's documents can be read (to be analysed again)."""


def open_for_rebuild(path: Path) -> Rebuilt:
    """Open the index at `path` (created when missing) to be rebuilt in place.

    Whoosh keeps the schema in each commit, so even a format change is rebuilt in place: the
    writer gets the current schema and its commit replaces every old segment at once. An
    index that cannot be read is replaced first by an empty commit of the current schema.
    """
    path = Path(path)
    check_writable(path)
    if not (path / MARKER).exists():
        return Rebuilt(create_or_open(path), None, readable=False)
    storage = segment_storage(path)
    try:
        old = read_marker(path)
    except IndexError_:
        old = None
    generation = index_generation(path)
    if generation >= 0:  # a damaged marker still marks kosearch's own index: keep its documents
        try:
            ix = storage.open_index()
            ix.doc_count_all()
            return Rebuilt(ix, old)
        except Exception:  # Whoosh raises many kinds for a damaged index  # noqa: BLE001
            pass
    # Nothing readable to keep: start from an empty commit, numbered after the last one so
    # that records kept per generation (aliases, words) never describe it by mistake.
    from whoosh.index import TOC

    write_marker(path, generation=generation + 1)
    TOC(make_schema(), [], generation + 1).write(storage, "MAIN")
    return Rebuilt(storage.open_index(), None, readable=False)


RUN_LOCK = "kosearch-run.lock"
"""Held by an indexing run from before it reads the index until after its last write."""


@contextmanager
def run_lock(path: Path) -> Iterator[None]:
    """Hold the run lock of the index folder `path` (created if missing), or raise
    `IndexError_` at once when another run holds it."""
    from whoosh.util.filelock import FileLock

    Path(path).mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(Path(path) / RUN_LOCK))
    if not lock.acquire(blocking=False):
        raise IndexError_(f"another kosearch run is writing to {path}; try again when it "
                          "finishes")
    try:
        yield
    finally:
        lock.release()


def recover_old_rebuild(target: Path) -> None:
    """Finish or clear what an older kosearch's stopped rebuild left beside `target`: it built
    `.NAME.rebuild` and swapped it in through `.NAME.old`. Only folders holding a kosearch
    marker are moved or deleted."""
    target = Path(target).resolve()
    if not target.name:
        return
    new = target.with_name(f".{target.name}.rebuild")
    old = target.with_name(f".{target.name}.old")

    def ours(p: Path) -> bool:
        return p.is_dir() and not p.is_symlink() and (p / MARKER).is_file()

    if not target.exists() and ours(old):
        # Stopped between its two renames: the rebuilt copy was complete.
        os.replace(new if ours(new) else old, target)
    for leftover in (new, old):
        if ours(leftover):
            shutil.rmtree(leftover, ignore_errors=True)


def read_user_file(path: Path, what: str, error: type[Exception]) -> str:
    """The text of a file the user wrote (UTF-8, with or without a BOM), every failure but a
    missing file raised as `error` naming the file. `what` names it: "dictionary file".
    FileNotFoundError passes through: whether a missing file is an error is the caller's call."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise
    except IsADirectoryError:
        raise error(f"{path}: is a folder, not a {what}") from None
    except UnicodeDecodeError as e:
        raise error(f"{path}: not UTF-8 text (byte {e.start})") from None
    except OSError as e:
        raise error(f"{path}: cannot read the {what} ({e.strerror})") from None
