"""Read-only maps of index files, and giving their pages back.

A `MappedFile` is a Whoosh file read through a map of its own: a read copies the bytes it
asks for and no more, so resident memory follows what searches touch. Every such map stays
known to this module, and `release_pages` gives the pages reads touched back to the page
cache when a search process passes its budget (see `search.engine_data`).
"""

from __future__ import annotations

import io
import mmap
import os
import threading
import weakref
from collections.abc import Iterable
from typing import Any

from whoosh.filedb.structfile import StructFile
from whoosh.system import unpack_int, unpack_long, unpack_uint, unpack_ushort

__all__ = ["MappedFile", "map_file", "map_handle", "mapped_resident", "release_pages"]


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
        if isinstance(source, mmap.mmap):
            with _MAPS_LOCK:
                _MAPS.add(source)
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


_MAPS: weakref.WeakSet[mmap.mmap] = weakref.WeakSet()
"""Every map of a segment file still alive in this process (see `release_pages`)."""
_MAPS_LOCK = threading.Lock()  # a file opened in one thread while another gives pages back


def release_pages(arrays: Iterable[Any] = ()) -> int:
    """Unmap from this process the pages of every segment file map, and of `arrays`
    (`numpy.memmap`s), that reads touched; returns the bytes of the maps advised.

    The maps are read-only views of files: the pages stay in the system's page cache, and the
    next read of one maps it again (a minor fault, no disk read). What a search touched then
    stops counting in the process's resident memory, which otherwise grows with the index."""
    advice = getattr(mmap, "MADV_DONTNEED", None)
    if advice is None:  # not Linux or BSD: the pages are the system's to drop
        return 0
    with _MAPS_LOCK:
        maps = list(_MAPS)
    maps += [m for m in (getattr(a, "_mmap", None) for a in arrays) if m is not None]
    done = 0
    for source in maps:
        try:
            source.madvise(advice)
        except ValueError:  # closed meanwhile (its index was closed)
            continue
        done += len(source)
    return done


def mapped_resident() -> int | None:
    """Bytes of files mapped into this process and resident (`/proc/self/statm`'s shared
    pages: index maps, and libraries' code), or None where the system does not say."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[2]) * mmap.PAGESIZE
    except (OSError, ValueError, IndexError):
        return None


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
