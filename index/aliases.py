"""Aliases learned from the corpus's glosses: `시진핑(習近平)`, `엔비디아(Nvidia)`, `나사(NASA)`.

News writing names a thing once with its foreign form in parentheses and then uses either form
alone, so a search for one misses articles that use the other. `harvest` finds those pairs in a
document; an `AliasTable` keeps them with the documents that attest them, together with the
user's own synonyms file, so the search side can expand a query word with its equivalents.
"""

from __future__ import annotations

import bisect
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from index.alias_rules import (
    ROLE_WORDS,
    SOUND_THRESHOLD,
    acronym_of,
    cut_short,
    hanja_reads_as,
    initials_match,
    mandarin_reads_as,
    plain_name,
    trusted,
    vouch,
)
from index.analysis import Analysis, Term, analyze, analyze_many, normalize
from index.romanize import sounds_alike, spelled_letters
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
MAX_GLOSS = 80
"""Longer parentheses are asides, not glosses."""
MAX_NAME_WORDS = 4
_WINDOW = 96
"""How far before a parenthesis the name is looked for (it never crosses a line break)."""

_GLOSS = re.compile(rf"\(([^()\n]{{1,{MAX_GLOSS}}})\)")
_HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e\u1100-\u11ff]")
_HANJA_PART = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}")
_LATIN_PART = re.compile(r"[A-Za-z][A-Za-z0-9.&'/\- ]*[A-Za-z0-9.]")
# Which piece of a gloss says best how long its name is: Hanja spells it syllable by syllable.
_SPECIFIC = {"hanja": 0, "expansion": 1, "acronym": 2, "name": 3}
# Words an English expansion leaves out of its acronym (Department *of* Energy).
_MINOR = frozenset("of and the for on in to a an at by de du des la le &".split())
# Nouns that open a sentence or date it rather than belong to the name before a gloss.
_NOT_NAME = frozenset(
    "이 그 저 이번 지난 올해 지난해 지난달 이날 당시 최근 현재 또 및 등 각 전 현 신임 한편".split()
)


@dataclass(frozen=True)
class AliasPair:
    """A Korean name and one foreign form given for it, as `text[start:end]` writes them."""

    name: str
    alias: str
    start: int
    """Where the name starts."""
    end: int
    """Just after the closing parenthesis."""
    evidence: str = ""
    """The rule that vouched for the pair (`index.alias_rules.Evidence`); "phrase" is a
    translation that the table uses only once a second document gives it."""


def _syllables(text: str) -> int:
    """Length of a name for comparing with its gloss: Hangul syllables, plus one per Latin run."""
    return sum(1 for ch in text if "\uac00" <= ch <= "\ud7a3") + len(
        re.findall(r"[A-Za-z0-9]+", text))


def _classify(part: str) -> tuple[str, int] | None:
    """What a piece of a gloss is, with how long a name it calls for, or None for noise.

    >>> _classify("習近平"), _classify("IAEA"), _classify("Nvidia"), _classify("2025")
    (('hanja', 3), ('acronym', 4), ('name', 1), None)
    """
    if _HANJA_PART.fullmatch(part):
        return "hanja", len(part)
    if not _LATIN_PART.fullmatch(part):
        return None
    letters = sum(ch.isalpha() for ch in part)
    if letters < 2 or letters < sum(ch.isdigit() for ch in part):
        return None
    words = part.split()
    if len(words) > 1:
        return "expansion", sum(1 for w in words if w.lower() not in _MINOR)
    upper = sum(ch.isupper() for ch in part)
    if upper >= 2 and upper * 2 >= letters:
        return "acronym", upper
    return "name", 1


def _gloss_parts(gloss: str) -> list[tuple[str, str, int]] | None:
    """The pieces of a gloss (`World ..., WAICO` has two), or None when it is not a gloss."""
    gloss = gloss.strip()
    if len(gloss) > MAX_GLOSS or _HANGUL.search(gloss) or ":" in gloss:
        return None
    out = []
    for part in (p.strip() for p in re.split(r"[,;·]", gloss)):
        kind = _classify(part)
        if kind is None:
            return None
        out.append((part, *kind))
    return out if 0 < len(out) <= 3 else None


def _words_before(text: str, end: int,
                  analysis: Analysis | None) -> list[tuple[int, int, bool, bool]]:
    """The space-separated words on the line before `end`, nearest last.

    Each is (start, end, bare, opened): `start` skips opening quotes and brackets (`opened`
    says there were some); a word is bare when the analyser keeps it whole, without particle,
    ending or punctuation.
    """
    line_start = text.rfind("\n", 0, end) + 1
    start = max(line_start, end - _WINDOW)
    if start > line_start:
        space = text.find(" ", start, end)
        start = space + 1 if space >= 0 else end
    if start >= end:
        return []
    if analysis is not None:
        words = analysis.words
        lo = bisect.bisect_left(words, start, key=lambda w: w[1])
        hi = bisect.bisect_left(words, end, key=lambda w: w[1])
        terms: Sequence[Term] = words[lo:hi]
    else:
        terms = [(t, s + start, e + start) for t, s, e in analyze(text[start:end]).words]
    whole: set[tuple[int, int]] = set()
    for t, s, e in terms:
        surface = text[s:e].lower().replace(",", "")
        if t == surface or (" " in surface and t == "".join(surface.split())):
            # A dictionary name with a space in it (젠슨 황, a user's 알고리즘 주권) keeps
            # each of its words whole.
            whole.update((m.start() + s, m.end() + s) for m in re.finditer(r"\S+", text[s:e]))
    out = []
    for m in re.finditer(r"\S+", text[start:end]):
        s, e = m.start() + start, m.end() + start
        opened = s
        while s < e and not text[s].isalnum():
            s += 1
        out.append((s, e, (s, e) in whole, s > opened))
    return out


def _name_span(text: str, open_at: int, kind: str, size: int,
               analysis: Analysis | None) -> tuple[int, int] | None:
    """Where the name that a gloss of this kind and size belongs to starts, or None.

    Hanja spells the name syllable by syllable; an acronym or an English expansion of `size`
    letters or words stands for about two syllables each (국제원자력기구, IAEA); a name stands
    for one word.
    """
    words = _words_before(text, open_at, analysis)
    if not words or words[-1][1] != open_at:
        return None  # `X (Y)`, `X.(Y)`: a gloss sits right against its name
    start, _, bare, opened = words[-1]
    if not bare or not _HANGUL.search(text[start:open_at]):
        return None
    length, count = _syllables(text[start:open_at]), 1
    want = size if kind == "hanja" else 2 * size - 1
    rest = list(reversed(words[:-1]))
    for ws, we, bare, word_opened in rest:
        if opened or length >= want or count >= MAX_NAME_WORDS:
            break
        word = text[ws:we]
        if not bare or word in _NOT_NAME or not (_HANGUL.search(word) or word.isupper()):
            break
        start, length, count, opened = ws, length + _syllables(word), count + 1, word_opened
        rest = rest[1:]
    if kind == "hanja" and length != size:
        return None
    if kind == "expansion" and rest and not opened and count < MAX_NAME_WORDS:
        # An English phrase may translate a modifier too: in 징벌적 손해배상(punitive damages)
        # the gloss is not 손해배상's other name, so a bare 〜적 word before the name joins
        # it. A name shorter than its gloss calls for, cut short by a modifier that cannot
        # join (손해배상액의 예정(liquidated damages)), gives no pair rather than a wrong one.
        ws, we, bare, _ = rest[0]
        word = text[ws:we]
        if bare and word.endswith("적") and len(word) > 1:
            start = ws
        elif not bare and length < min(want, 4) and word.endswith(_MODIFIER_ENDINGS):
            return None
    return start, open_at


_MODIFIER_ENDINGS = ("의", "적인", "한", "된", "될", "할", "하는", "되는")
"""Endings of a word that modifies the noun after it (genitive 의, adnominal forms of 하다,
되다 and 〜적이다), for English glosses that translate the whole phrase (see `_name_span`)."""

_DATE_WORD = re.compile(r"\d+(?:년|월|일|시|분|초)\S*\s*")


def _skip_dates(text: str, start: int, end: int) -> int:
    """Where a name starts once the dates and times in front of it are left out: a gloss
    such as `12월 17일(KST)` or `2월 28일 주한미군 사드(THAAD)` names what follows the date.

    >>> text = "2월 28일 주한미군 사드(THAAD)"
    >>> end = text.index("(")
    >>> text[_skip_dates(text, 0, end):end]
    '주한미군 사드'
    """
    while start < end:
        m = _DATE_WORD.match(text, start, end)
        if not m:
            break
        start = m.end()
    return start


_URL = re.compile(r"(?:www\.|https?:|\w\.(?:com|net|org|kr|go|co|or|ac|gov|edu)\b)", re.I)


def _longer_starts(text: str, start: int, analysis: Analysis | None) -> list[int]:
    """Where a name would start if the bare Hangul words right before `start` belonged to it
    (nearest first): `힐러리 클린턴(Hillary Clinton)` when the gloss alone suggested `클린턴`."""
    out: list[int] = []
    at = start
    words = _words_before(text, start - 1, analysis) if start > 0 and text[start - 1] == " " else []
    for ws, we, bare, opened in reversed(words):
        word = text[ws:we]
        if we != at - 1 or not bare or word in _NOT_NAME or not _HANGUL.fullmatch(word[0]):
            break
        if len(out) + 1 >= MAX_NAME_WORDS:
            break
        out.append(ws)
        at = ws
        if opened:
            break
    return out


def _own_digits(alias: str, name: str) -> bool:
    """Whether an acronym has digits its name lacks (STS-133 for 마지막 임무, KF80 for
    마스크): a model or a mission, not what the name says. 코로나19 has COVID-19's."""
    return bool(set(re.findall(r"\d+", alias)) - set(re.findall(r"\d+", name)))


def _units(text: str, start: int, end: int, analysis: Analysis | None) -> list[str]:
    if analysis is None:
        return [u[0] for u in analyze(normalize(text[start:end])).units]
    return [u[0] for u in analysis.units if start <= u[1] and u[2] <= end]


def _evidence(text: str, starts: list[int], end: int, alias: str, kind: str, size: int,
              parts: list[tuple[str, str, int]],
              analysis: Analysis | None) -> tuple[int, str] | None:
    """Which name (by its start, among `starts`: the gloss's own first) a rule vouches for
    with `alias`, and the rule; None when no rule does."""
    def plain(at: int) -> bool:
        return plain_name(text[at:end], _units(text, at, end, analysis), alias)

    base = starts[0]
    name = text[base:end]
    before = text[text.rfind(" ", 0, max(0, base - 1)) + 1:max(0, base - 1)]
    if before in ROLE_WORDS and before not in ("위", "같은", "해당"):
        return None  # 원고 회사(Apple): the gloss names a party to the case
    if kind == "hanja":
        if plain(base) and (hanja_reads_as(alias, name) or mandarin_reads_as(alias, name)):
            return base, "hanja"
        return None
    if _URL.search(alias):
        return None  # an address says where a thing is, not what it is called
    others = [p for p, k, _ in parts if p != alias]
    if kind == "acronym":
        if any(acronym_of(alias, p) for p in others) and plain(base):
            return base, "acronym"
        for at in starts:
            if initials_match(alias, text[at:end]) and plain(at):
                return at, "initials"
    elif kind == "expansion" and any(acronym_of(p, alias) for p in others) and plain(base):
        return base, "acronym"
    scored = [(sounds_alike(text[at:end], alias), -i, at) for i, at in enumerate(starts)]
    score, _, at = max(scored)
    if score >= SOUND_THRESHOLD and plain(at):
        return at, "sound"
    if kind == "acronym" and spelled_letters(name, alias) and plain(base):
        return base, "sound"
    # A translation: the Korean side must be long enough for what the English says, and an
    # acronym's digits (STS-133, KF80) name a model or a mission, not what the Korean says.
    if kind == "acronym" and (_own_digits(alias, name) or cut_short(alias, name)):
        return None
    want = {"acronym": size + 1, "expansion": 2 * size - 1}.get(kind, 1)
    if _syllables(name) >= want and plain(base):
        return base, vouch(name, alias) or "phrase"
    return None


def _sounded_start(text: str, starts: list[int], end: int,
                   parts: list[tuple[str, str, int]]) -> list[int]:
    """The start of the name a Latin part of the gloss spells, when it is not the one the
    gloss's size suggested: longer (`징크 핑거 뉴클레이즈(ZFNs, Zinc Finger Nucleases)`) or
    shorter (`주한미군 사드(THAAD)`). Empty when no part sounds like any of them."""
    base = starts[0]
    shorter = [m.end() + base for m in re.finditer(r"\s+", text[base:end])]
    best = (SOUND_THRESHOLD, base)
    for alias, kind, _ in parts:
        if kind == "hanja":
            continue
        for at in starts[1:] + shorter:
            # 연질 피브이씨(PVC): the letters spelled out are the name, not the modifier.
            spelled = kind == "acronym" and spelled_letters(text[at:end], alias)
            score = 1.0 if spelled else sounds_alike(text[at:end], alias)
            if score > best[0] or (score == best[0] and best[1] == base):
                best = (score, at)
    if best[1] == base or sounds_alike(text[base:end], next(
            (a for a, k, _ in parts if k != "hanja"), "")) >= best[0]:
        return []
    return [best[1]]


def harvest(text: str, analysis: Analysis | None = None) -> list[AliasPair]:
    """The gloss pairs `X(Y)` of one document that a rule vouches for, in text order.

    `Y` is Latin (an acronym, a name or an English expansion), Hanja, or an expansion followed
    by its acronym; `X` is the Korean phrase right before the parenthesis, as many words as the
    gloss suggests (or as a rule finds: `힐러리 클린턴(Hillary Clinton)`). Dates, numbers,
    units, credits, addresses and Korean asides are not glosses; `index.alias_rules` says
    which pairs are kept and why (`AliasPair.evidence`).

    :param text: a normalised document text (`index.analysis.normalize`).
    :param analysis: the text's analysis when the caller has it (indexing does), which spares
        the analyser a look at the words before each parenthesis.

    >>> [(p.name, p.alias, p.evidence) for p in harvest("미국 항공우주국(NASA)이 발표했다(사진)")]
    [('미국 항공우주국', 'NASA', 'acronym')]
    """
    pairs: list[AliasPair] = []
    for m in _GLOSS.finditer(text):
        parts = _gloss_parts(m[1])
        if parts is None:
            continue
        _, kind, size = min(parts, key=lambda p: _SPECIFIC[p[1]])
        span = _name_span(text, m.start(), kind, size, analysis)
        if span is None:
            continue
        start = _skip_dates(text, span[0], span[1])
        name = text[start:span[1]]
        if len(name.replace(" ", "")) < 2:
            continue
        starts = [start] + (_longer_starts(text, start, analysis) if kind != "hanja" else [])
        starts = _sounded_start(text, starts, span[1], parts) + starts
        for alias, alias_kind, alias_size in parts:
            if alias.lower() == name.lower():
                continue
            found = _evidence(text, starts, span[1], alias, alias_kind, alias_size, parts,
                              analysis)
            if found is not None:
                at, why = found
                pairs.append(AliasPair(text[at:span[1]], alias, at, m.end(), why))
    return pairs


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
        self._synonyms = Synonyms("")
        self._graph: _Graph | None = None

    def __len__(self) -> int:
        """The number of distinct learned pairs the table uses (see `pairs`)."""
        return len(trusted(self._docs))

    def __bool__(self) -> bool:
        """Whether any pair was learned (without counting them, as `len` does: searches ask)."""
        return bool(self._docs)

    def add(self, doc_id: str, pairs: Iterable[AliasPair | tuple[str, str]]) -> None:
        """Record the pairs of document `doc_id`, replacing what it said before."""
        found = tuple(dict.fromkeys((p.name, p.alias) if isinstance(p, AliasPair) else tuple(p)
                                    for p in pairs))
        if found:
            self._docs[doc_id] = found  # type: ignore[assignment]
        else:
            self._docs.pop(doc_id, None)
        self._graph = None

    def pairs(self) -> list[tuple[str, str, list[str]]]:
        """Every learned pair (name, alias) the table uses with the documents that taught it,
        sorted: a translation that only one document gives is left out until another does."""
        used = trusted(self._docs)
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
        vouched = trusted(self._docs)
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
        used = {s for pairs in self._docs.values() for p in pairs for s in p}
        return orjson.dumps({
            "version": self.VERSION,
            "docs": {d: [list(p) for p in pairs] for d, pairs in sorted(self._docs.items())},
            "keys": {s: k for s, k in sorted(self._keys.items()) if s in used},
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
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return [int(m.group(1)) for n in names if (m := _TABLE.fullmatch(n))]


def _index_generation(folder: Path) -> int:
    """The latest commit of the Whoosh index in `folder`, -1 when there is none."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC

    try:
        return int(TOC._latest_generation(FileStorage(str(folder)), "MAIN"))
    except OSError:
        return -1
