"""How kosearch reaches Whoosh's segment files: mapped, never copied whole.

Opening an index must cost what its queries read, not what it holds. Whoosh's compound-file
reader wraps each part of a segment in a `BytesIO` of the mapped bytes, a full copy (1 GB of
a 100,000-decision index) made before the first query. Here every segment file, and every
part of an older compound segment, is read through a read-only map of its own: a read copies
the bytes it asks for and no more, so resident memory follows what searches touch. Written for
whoosh-reloaded 2.7.5 (`tests/test_segments.py` pins it); this module is the one place that
reads Whoosh's storage internals.
"""

from __future__ import annotations

import io
import mmap
import os
import weakref
from typing import Any

import numpy as np
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile
from whoosh.system import unpack_int, unpack_long, unpack_uint, unpack_ushort

__all__ = [
    "WHOOSH_VERSION", "MappedFile", "SegmentStorage", "map_file", "map_handle", "numeric_column",
    "segment_storage", "writer_options",
]

WHOOSH_VERSION = "2.7.5"
"""The whoosh-reloaded release whose storage internals this module relies on."""


class MappedFile(StructFile):  # type: ignore[misc]
    """A read-only Whoosh file: the bytes of its own map from `delta` to the map's end.

    Whoosh reads through `read`, `seek`, `tell` and `get` (the `read_*`/`get_*` helpers and
    arrays go through them). `read` is the map's own (C, no Python frame; it copies only the
    bytes it returns) and so are `seek` and `tell` when the file starts the map; a part of a
    compound segment starts `delta` bytes in, because a map must start at a page boundary."""

    def __init__(self, source: mmap.mmap | io.BytesIO, delta: int, name: str | None = None,
                 handle: int | None = None) -> None:
        self._source = source
        self._view: mmap.mmap | bytes = source if isinstance(source, mmap.mmap) else b""
        self._delta = delta
        self._handle = handle  # the open file it maps, kept by its storage
        self._name = name
        self.file = self  # StructFile hands `file` to pickle, which reads through us
        self.onclose = None
        self.is_real = False
        self.is_closed = False
        source.seek(delta)
        # The map's own methods on the instance: Whoosh's read_* helpers then call C directly.
        self.read = source.read  # type: ignore[method-assign]
        self.readline = source.readline  # type: ignore[method-assign]
        if not delta:
            self.seek = source.seek  # type: ignore[method-assign, assignment]
            self.tell = source.tell  # type: ignore[method-assign]

    def __iter__(self) -> Any:  # Whoosh iterates files only when copying them whole
        return iter(self.readline, b"")

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> None:
        if whence == os.SEEK_SET:
            offset += self._delta
        self._source.seek(offset, whence)  # type: ignore[arg-type]  # whence as Whoosh gives it

    def tell(self) -> int:
        return int(self._source.tell()) - self._delta

    # Slices of the map stop at its end, which is this file's end: no bounds to check.
    def get(self, position: int, length: int) -> bytes:
        start = self._delta + position
        return self._view[start:start + length]

    def get_int(self, position: int) -> int:
        start = self._delta + position
        return int(unpack_int(self._view[start:start + 4])[0])

    def get_uint(self, position: int) -> int:
        start = self._delta + position
        return int(unpack_uint(self._view[start:start + 4])[0])

    def get_ushort(self, position: int) -> int:
        start = self._delta + position
        return int(unpack_ushort(self._view[start:start + 2])[0])

    def get_long(self, position: int) -> int:
        start = self._delta + position
        return int(unpack_long(self._view[start:start + 8])[0])

    def subset(self, offset: int, length: int, name: str | None = None) -> MappedFile:
        """A part of this file in a map of its own (how Whoosh's compound reader opens each
        part of a segment when its storage says it does not map files)."""
        assert self._handle is not None, "subset of a file opened without its storage"
        return map_handle(self._handle, self._delta + offset, length, name=name or self._name)

    def write(self, *args: object, **kwargs: object) -> int:
        raise OSError(f"{self._name} is open for reading only")

    def truncate(self, *args: object, **kwargs: object) -> int:
        raise OSError(f"{self._name} is open for reading only")

    def flush(self) -> None:
        pass

    def close(self) -> None:
        if self.is_closed:
            raise Exception("This file is already closed")  # as StructFile says
        self.is_closed = True
        try:
            self._source.close()
        except BufferError:  # a memoryview of it is still alive: the map goes with it
            pass


def map_file(path: str, offset: int = 0, length: int | None = None,
             name: str | None = None) -> MappedFile:
    """Bytes `[offset, offset + length)` of the file at `path` (to its end by default) as a
    `MappedFile`; nothing is read until Whoosh reads it."""
    with open(path, "rb") as f:
        return map_handle(f.fileno(), offset, length, name=name, keep=False)


def map_handle(handle: int, offset: int = 0, length: int | None = None,
               name: str | None = None, keep: bool = True) -> MappedFile:
    """`map_file` of an open file descriptor; `keep`: the descriptor stays open for the
    file's `subset`s."""
    if length is None:
        length = os.fstat(handle).st_size - offset
    kept = handle if keep else None
    if length <= 0:  # an empty file cannot be mapped
        return MappedFile(io.BytesIO(), 0, name=name, handle=kept)
    start = offset - offset % mmap.ALLOCATIONGRANULARITY
    source = mmap.mmap(handle, offset - start + length, access=mmap.ACCESS_READ, offset=start)
    return MappedFile(source, offset - start, name=name, handle=kept)


def _close_all(handles: dict[str, int]) -> None:
    for handle in handles.values():
        try:
            os.close(handle)
        except OSError:
            pass
    handles.clear()


class SegmentStorage(FileStorage):  # type: ignore[misc]
    """A folder storage whose files are opened as `MappedFile`s.

    `supports_mmap` is False on purpose: told so, Whoosh's `CompoundStorage` no longer maps
    a compound segment and copies its parts, but asks the opened file for `subset`s, which
    `MappedFile` answers with a map of each part."""

    def __init__(self, path: str, readonly: bool = False) -> None:
        super().__init__(path, supports_mmap=False, readonly=readonly)
        self._handles: dict[str, int] = {}
        weakref.finalize(self, _close_all, self._handles)

    def _handle(self, name: str) -> int:
        """An open descriptor of file `name`. The first file of a segment opened opens all
        of that segment's files: Whoosh opens some only when a search needs them, and by
        then the folder may have been moved or replaced (a run killed mid-rebuild); what
        this storage opened stays readable."""
        handle = self._handles.get(name)
        if handle is None:
            prefix = name.split(".", 1)[0] + "."
            for other in [name] + [n for n in os.listdir(self.folder) if n.startswith(prefix)]:
                if other not in self._handles:
                    try:
                        self._handles[other] = os.open(self._fpath(other), os.O_RDONLY)
                    except OSError:
                        if other == name:
                            raise
            handle = self._handles[name]
        return handle

    def open_file(self, name: str, **kwargs: Any) -> MappedFile:
        return map_handle(self._handle(name), name=name)

    # Whoosh asks whether a column's file exists, and its length, before opening it.
    def file_exists(self, name: str) -> bool:
        return name in self._handles or bool(super().file_exists(name))

    def file_length(self, name: str) -> int:
        handle = self._handles.get(name)
        return os.fstat(handle).st_size if handle is not None else int(super().file_length(name))


def segment_storage(path: str | os.PathLike[str]) -> SegmentStorage:
    """The storage of the index folder `path`, for reading and for writing."""
    return SegmentStorage(os.fspath(path))


def writer_options() -> dict[str, object]:
    """Keyword arguments for `FileIndex.writer` that new segments need: each file of a
    segment written apart (no compound file), so a commit does not copy the segment once
    more to assemble it, and each file maps on its own."""
    return {"compound": False}


def numeric_column(column: Any, count: int) -> np.ndarray:
    """A Whoosh numeric column reader's values as an array of `count` (documents past its
    end: 0), read in one slice of its file when it is a fixed-width column."""
    out = np.zeros(count, dtype=np.int64)
    raw = getattr(column, "_dbfile", None)
    if raw is not None and hasattr(column, "_typecode") and hasattr(column, "_count"):
        n = min(column._count, count)
        data = raw.get(column._basepos, n * column._fixedlen)
        out[:n] = np.frombuffer(data, dtype=np.dtype(">" + column._typecode))
        return out
    values = np.fromiter((v or 0 for v in column), dtype=np.int64)
    out[: len(values)] = values[:count]
    return out
