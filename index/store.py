"""Where an index lives, what it holds, and how it is opened safely.

Whoosh unpickles the schema when it opens an index, so an index folder is as trusted as code:
kosearch only opens folders that carry its own marker file with a format version it can read.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import orjson
from whoosh import fields, formats
from whoosh.filedb.filestore import FileStorage
from whoosh.index import FileIndex
from whoosh.system import pack_uint

from index.analysis import ANALYZER_VERSION, KiwiTokenizer, postings, set_user_words

__all__ = [
    "DICTIONARY_RECORD",
    "FORMAT_VERSION",
    "IndexError_",
    "MARKER",
    "create_or_open",
    "default_index_dir",
    "make_schema",
    "open_existing",
    "read_dictionary_record",
    "read_marker",
    "write_dictionary_record",
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
    """The analyzer the index was created with (`ANALYZER_VERSION`); 1 before it was recorded.
    Documents added later by a newer kosearch are analysed with the newer one."""


def read_marker(path: Path) -> Marker | None:
    """The marker of a kosearch index folder, or None if the folder has none."""
    try:
        data = orjson.loads((path / MARKER).read_bytes())
        return Marker(int(data["format"]), str(data.get("created_by", "")),
                      int(data.get("analyzer", 1)))
    except FileNotFoundError:
        return None
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as e:
        raise IndexError_(f"{path / MARKER} is damaged ({e}); rebuild the index with "
                          f"`kosearch index PATH --index {path} --rebuild`") from None


def _write_marker(path: Path) -> None:
    tmp = path / (MARKER + ".tmp")
    tmp.write_bytes(orjson.dumps({"format": FORMAT_VERSION, "created_by": f"kosearch {VERSION}",
                                  "analyzer": ANALYZER_VERSION}))
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

    Queries are analysed from then on with the user dictionary words the index was analysed
    with (`read_dictionary_record`), so they meet its terms whatever the dictionary file says.
    """
    path = Path(path)
    if not path.is_dir():
        raise IndexError_(f"no index at {path}: create one with `kosearch index PATH --index {path}`")
    _check(path)
    try:
        ix = FileStorage(str(path)).open_index()
    except Exception as e:  # Whoosh raises many kinds for a damaged folder
        raise IndexError_(f"the index at {path} cannot be read ({type(e).__name__}: {e}); "
                          f"rebuild it with `kosearch index PATH... --index {path} --rebuild`") from None
    set_user_words(read_dictionary_record(path, ix.latest_generation()))
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


def create_or_open(path: Path) -> FileIndex:
    """Open the index at `path` for writing, creating it in an empty or missing folder."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    if read_marker(path) is not None:
        _check(path)
        return FileStorage(str(path)).open_index()
    if any(p for p in path.iterdir() if not p.name.startswith(".")):
        raise IndexError_(f"{path} is not empty and is not a kosearch index; choose another folder")
    ix = FileStorage(str(path)).create_index(make_schema())
    _write_marker(path)
    return ix


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
