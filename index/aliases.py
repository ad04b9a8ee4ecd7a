"""Aliases learned from the corpus's glosses: `시진핑(習近平)`, `엔비디아(Nvidia)`, `나사(NASA)`.

News writing names a thing once with its foreign form in parentheses and then uses either form
alone, so a search for one misses articles that use the other. `index.glosses.harvest` finds the
pairs in a document; an `AliasTable` keeps them with the documents that attest them, with the
user's own synonyms file, so the search side can expand a query word with its equivalents.
"""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from index.alias_evidence import known_nouns
from index.alias_rules import trusted
from index.analysis import Analysis, analyze, analyze_many, normalize
from index.glosses import AliasPair, harvest
from index.synonyms import Synonyms, SynonymsError, load_synonyms

__all__ = [
    "ALIASES_FILE",
    "AliasPair",
    "AliasTable",
    "Synonyms",
    "SynonymsError",
    "harvest",
    "load_synonyms",
]

ALIASES_FILE = "kosearch-aliases.json"
"""The table's file in the index folder, written by the indexing run."""


# -- the table ------------------------------------------------------------------------------


@dataclass
class _Graph:
    """Equivalences between normalised keys, derived from the table on first need."""

    edges: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    shown: dict[str, str] = field(default_factory=dict)
    evidence: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def _key_of(analysis: Analysis) -> str:
    return " ".join(u[0] for u in analysis.units)


class AliasTable:
    """Learned alias pairs by document, plus the user's synonyms; looked up in both directions.

    Names are compared by their query terms, so spacing, case and particles do not matter:
    `엔비디아가`, `Nvidia` and `NVIDIA` all find the `엔비디아(Nvidia)` pair.
    """

    VERSION = 1

    def __init__(self) -> None:
        self._docs: dict[str, tuple[tuple[str, str], ...]] = {}
        self._keys: dict[str, str] = {}
        self._nouns: dict[str, int | None] = {}
        """How many dictionary nouns Kiwi reads in each Korean side (None: not only such
        nouns), evidence for a translation one document gives (`index.alias_evidence`)."""
        self._unread: set[str] = set()
        """Korean sides added since Kiwi last read them: read before the next use, so a
        table loaded from an index never loads Kiwi."""
        self._synonyms = Synonyms("")
        self._graph: _Graph | None = None

    def __len__(self) -> int:
        """The number of distinct learned pairs the table uses (see `pairs`)."""
        return len(self._trusted())

    def _trusted(self) -> set[tuple[str, str]]:
        if self._unread:
            self._nouns.update(known_nouns(sorted(self._unread)))
            self._unread.clear()
        return trusted(self._docs, self._nouns)

    def __bool__(self) -> bool:
        """Whether any pair was learned (without counting them, as `len` does: searches ask)."""
        return bool(self._docs)

    def add(self, doc_id: str, pairs: Iterable[AliasPair | tuple[str, str]]) -> None:
        """Record the pairs of document `doc_id`, replacing what it said before."""
        found = tuple(dict.fromkeys((p.name, p.alias) if isinstance(p, AliasPair) else tuple(p)
                                    for p in pairs))
        if found:
            self._docs[doc_id] = found  # type: ignore[assignment]
            self._unread.update(a for a, _ in found if a not in self._nouns)
        else:
            self._docs.pop(doc_id, None)
        self._graph = None

    def pairs(self) -> list[tuple[str, str, list[str]]]:
        """Every learned pair (name, alias) the table uses with the documents that taught it,
        sorted: a translation that only one document gives is left out until another does."""
        used = self._trusted()
        evidence: dict[tuple[str, str], set[str]] = defaultdict(set)
        for doc, found in self._docs.items():
            for pair in found:
                if pair in used:
                    evidence[pair].add(doc)
        return [(a, b, sorted(docs)) for (a, b), docs in sorted(evidence.items())]

    def remove(self, doc_id: str) -> None:
        """Forget what document `doc_id` taught (it was deleted or changed)."""
        if self._docs.pop(doc_id, None) is not None:
            self._graph = None

    def use_synonyms(self, synonyms: Synonyms | None) -> None:
        """Apply a user's synonyms file (None: none) on top of the learned pairs."""
        self._synonyms = synonyms or Synonyms("")
        self._graph = None

    def _ensure_keys(self, surfaces: Iterable[str]) -> None:
        missing = list(dict.fromkeys(s for s in surfaces if s not in self._keys))
        # One batch through Kiwi, outside the query cache that `analyze` keeps.
        for surface, analysis in zip(missing, analyze_many(normalize(s) for s in missing),
                                     strict=True):
            self._keys[surface] = _key_of(analysis)

    def _built(self) -> _Graph:
        if self._graph is not None:
            return self._graph
        syn = self._synonyms
        vouched = self._trusted()
        learned = [(doc, p) for doc, pairs in self._docs.items() for p in pairs if p in vouched]
        self._ensure_keys(s for _, p in learned for s in p)
        self._ensure_keys(s for p in syn.add + syn.remove for s in p)
        key = self._keys
        removed = {frozenset((key[a], key[b])) for a, b in syn.remove}
        graph = _Graph()
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        sources = [(doc, p) for doc, p in learned] + [(None, p) for p in syn.add]
        for doc, (a, b) in sources:
            ka, kb = key[a], key[b]
            if not ka or not kb or ka == kb or frozenset((ka, kb)) in removed:
                continue
            graph.edges[ka].add(kb)
            graph.edges[kb].add(ka)
            counts[ka][a] += 1
            counts[kb][b] += 1
            if doc is not None:
                graph.evidence[ka].add(doc)
                graph.evidence[kb].add(doc)
        graph.shown = {k: min(c, key=lambda s: (-c[s], s)) for k, c in counts.items()}
        self._graph = graph
        return graph

    @staticmethod
    def _query_keys(term: str) -> set[str]:
        """The keys a query text may mean: its terms, and their particle-less alternatives."""
        units = analyze(normalize(term)).units
        keys = {" ".join(u[0] for u in units)}
        if any(u[4] for u in units):
            keys.add(" ".join(u[4][0] if u[4] else u[0] for u in units))
        keys.discard("")
        return keys

    def lookup(self, term: str) -> set[str]:
        """The other names of `term` (a word or a multi-word name), as the corpus writes them.

        Equivalents of equivalents count too (`WAICO` finds the Korean name and the English
        expansion given beside it), but no further.
        """
        keys = self._query_keys(term)
        if not keys:
            return set()
        graph = self._built()
        found: set[str] = set()
        for k in keys:
            for near in graph.edges.get(k, ()):
                found.add(near)
                found.update(graph.edges.get(near, ()))
        return {graph.shown[k] for k in found - keys}

    def evidence(self, term: str) -> list[str]:
        """The documents that taught a pair with `term`, sorted (user synonyms have none)."""
        graph = self._built()
        return sorted({doc for k in self._query_keys(term) for doc in graph.evidence.get(k, ())})

    # -- storage ----------------------------------------------------------------------------

    def to_json(self) -> bytes:
        """The learned pairs (not the user's synonyms) with their keys, as JSON."""
        self._ensure_keys(s for pairs in self._docs.values() for p in pairs for s in p)
        self._trusted()  # reads the names added since the last use
        used = {s for pairs in self._docs.values() for p in pairs for s in p}
        return orjson.dumps({
            "version": self.VERSION,
            "docs": {d: [list(p) for p in pairs] for d, pairs in sorted(self._docs.items())},
            "keys": {s: k for s, k in sorted(self._keys.items()) if s in used},
            "nouns": {s: n for s, n in sorted(self._nouns.items()) if s in used},
        })

    @classmethod
    def from_json(cls, data: bytes | str) -> AliasTable:
        """A table from `to_json` output. Raises ValueError when it is not one."""
        try:
            raw = orjson.loads(data)
        except orjson.JSONDecodeError as e:
            raise ValueError(f"alias table is not JSON: {e}") from None
        if not isinstance(raw, dict) or raw.get("version") != cls.VERSION:
            raise ValueError(f"alias table is not version {cls.VERSION}")
        table = cls()
        try:
            for doc, pairs in raw.get("docs", {}).items():
                table.add(str(doc), [(str(a), str(b)) for a, b in pairs])
            table._keys.update({str(s): str(k) for s, k in raw.get("keys", {}).items()})
            # A table written before nouns were read has none: its one-document
            # translations wait for a second document, as they did then.
            table._nouns.update({str(s): n if isinstance(n, int) else None
                                 for s, n in raw.get("nouns", {}).items()})
            table._unread.clear()
        except (TypeError, ValueError, AttributeError) as e:
            raise ValueError(f"alias table is malformed: {e}") from None
        return table

    @classmethod
    def load(cls, index_dir: str | Path, generation: int | None = None) -> AliasTable:
        """The table of the index in `index_dir` as of its commit `generation` (default: its
        latest); empty when there is none or it is unreadable.

        A run writes its table before its commit, for that commit's generation
        (`save(..., generation=N)`), so the table read is always the one of the documents the
        index holds, whenever the run was stopped.
        """
        folder = Path(index_dir)
        if generation is None:
            generation = _index_generation(folder)
        tables = [g for g in _table_generations(folder) if g <= generation]
        name = _table_name(max(tables)) if tables else ALIASES_FILE
        try:
            return cls.from_json((folder / name).read_bytes())
        except (OSError, ValueError):
            return cls()

    def save(self, index_dir: str | Path, generation: int | None = None) -> None:
        """Write the table into an index folder, atomically: for the commit `generation` that
        is about to be made, or (None) as the folder's only table."""
        name = ALIASES_FILE if generation is None else _table_name(generation)
        target = Path(index_dir) / name
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_bytes(self.to_json())
        os.replace(tmp, target)

    @staticmethod
    def prune(index_dir: str | Path, generation: int) -> None:
        """Delete the tables of an index folder but that of its commit `generation`, once it
        has landed."""
        folder = Path(index_dir)
        names = [_table_name(g) for g in _table_generations(folder) if g != generation]
        for name in [*names, ALIASES_FILE]:
            try:
                (folder / name).unlink()
            except FileNotFoundError:
                pass


def _table_name(generation: int) -> str:
    stem, _, ext = ALIASES_FILE.rpartition(".")
    return f"{stem}.{generation}.{ext}"


_TABLE = re.compile(re.escape(ALIASES_FILE.rpartition(".")[0]) + r"\.(\d+)\.json")


def _table_generations(folder: Path) -> list[int]:
    from index.segments import generations

    return generations(folder, _TABLE)


def _index_generation(folder: Path) -> int:
    """The latest commit of the Whoosh index in `folder`, -1 when there is none."""
    from index.segments import latest_generation

    try:
        return latest_generation(folder)
    except OSError:
        return -1
