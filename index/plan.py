"""What an indexing run writes, decided from one read of the files: which records are new or
changed, which are gone, and which file each id belongs to."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from index.readers import Problem, Record
from index.state import State, gone, signature

if TYPE_CHECKING:
    from index.indexer import IndexReport

__all__ = ["Plan", "make_plan"]


@dataclass
class Plan:
    """What a run writes: records to (re)write by id -> (file, hash), ids to delete, and stored
    documents to write again from their stored text (a rebuild, for sources it cannot read)."""

    pending: dict[str, tuple[str, str]] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    replaced: set[str] = field(default_factory=set)
    """Ids whose stored version is deleted when the new one is written, so it stays if the
    new one cannot be (its file changed between the two reads)."""
    delete: set[str] = field(default_factory=set)
    keep: set[str] = field(default_factory=set)
    cache: dict[str, str] = field(default_factory=dict)


def make_plan(files: list[Path], state: State, cache: dict[str, str], report: IndexReport,
              problem: Callable[[Problem], None], *, rebuild: bool,
              read: Callable[[Path], Iterable[Record | Problem]]) -> Plan:
    """Read the files once and decide what to write.

    An id belongs to the file the index stored it from for as long as that file holds it: the
    same id met in another file, in this run or a later one, is reported with both files and
    skipped. It moves to another file only when its file no longer holds it or is gone.
    Within the files read, the first to hold a new id keeps it. `read` reads a file
    (the indexer's `read_file`).
    """
    plan = Plan()
    claimed: dict[str, str] = {}
    to_read: list[tuple[Path, str]] = []
    for path in files:
        key, sig = str(path), signature(path)
        old_ids = state.by_path.get(key, set())
        if not rebuild and sig and cache.get(key) == sig and old_ids:
            report.unchanged += len(old_ids)
            plan.cache[key] = sig
            claimed.update(dict.fromkeys(old_ids, key))
        else:
            to_read.append((path, sig))

    read_ok: dict[str, list[tuple[str, str, int]]] = {}
    failures: dict[str, int] = {}
    broke: set[str] = set()  # files read only in part (a gzip file cut short)

    def file_problem(p: Problem) -> None:
        failures[p.path] = failures.get(p.path, 0) + p.fatal
        if p.fatal and p.line is None:
            broke.add(p.path)
        problem(p)

    for path, _ in to_read:
        key = str(path)
        entries: list[tuple[str, str, int]] = []
        for item in read(path):
            if isinstance(item, Problem):
                file_problem(item)
            else:
                entries.append((item.id, item.hash, item.line))
        if entries:
            read_ok[key] = entries
        else:  # an unreadable file keeps its records
            claimed.update({rid: key for rid in state.by_path.get(key, ()) if rid not in claimed})
    # Files claim first the ids they were stored with, whatever order they are read in.
    for key, entries in read_ok.items():
        for rid, _, _ in entries:
            if state.docs.get(rid, ("",))[0] == key:
                claimed.setdefault(rid, key)
    elsewhere: dict[str, set[str] | None] = {}

    def holds(path: str, rid: str) -> bool:
        """Whether a file not read in this run still holds `rid` (unknown: it does)."""
        if path not in elsewhere:
            found: set[str] | None = None if not gone(path) else set()
            if found is None:
                ids = {i.id for i in read(Path(path)) if isinstance(i, Record)}
                found = ids or None
            elsewhere[path] = found
        found = elsewhere[path]
        return found is None or rid in found

    # A file read whole claims a new id before one that broke off, whatever their order.
    for path, sig in sorted(to_read, key=lambda item: str(item[0]) in broke):
        key = str(path)
        seen: set[str] = set()
        for rid, rhash, line in read_ok.get(key, ()):
            owner = claimed.get(rid)
            old = state.docs.get(rid)
            if owner is None and old is not None and old[0] != key and old[0] not in read_ok \
                    and holds(old[0], rid):
                owner = claimed[rid] = old[0]
            if owner is not None and (owner != key or rid in seen):
                where = ("already indexed from" if old is not None and old[0] == owner != key
                         else "first seen in")
                file_problem(Problem(key, line, f"duplicate id {rid!r} ({where} {owner}), "
                                                "record skipped"))
                continue
            claimed[rid] = key
            seen.add(rid)
            if old == (key, rhash) and not rebuild:
                report.unchanged += 1
                continue
            if old is None:
                report.added += 1
            elif rebuild and old[1] == rhash:
                report.reanalyzed += 1
            else:
                report.updated += 1
            if old is not None:
                plan.replaced.add(rid)
            plan.pending[rid] = (key, rhash)
            plan.files[key] = path
        # A file with problems is read again next time, so they are reported again.
        if key in read_ok and sig and not failures.get(key):
            plan.cache[key] = sig

    # Records gone from a file that was read are removed, and so are those of files that no
    # longer exist; those of a file or folder that cannot be read stay.
    for key in read_ok:
        plan.delete |= state.by_path.get(key, set()) - claimed.keys()
    for key, ids in state.by_path.items():
        if key not in read_ok and gone(key):
            plan.delete |= ids - claimed.keys()
    report.removed += len(plan.delete)
    if rebuild:
        plan.keep = state.docs.keys() - plan.pending.keys() - plan.delete
        report.reanalyzed += len(plan.keep)
    return plan
