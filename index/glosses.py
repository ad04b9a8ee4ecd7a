"""Glosses `X(Y)` in a document, and which of them a rule vouches for as a pair of names.

News and court writing name a thing once with its foreign form in parentheses; `harvest` finds
those pairs so that `index.aliases.AliasTable` can keep them. Kept apart from the table so that
reading text and storing pairs change independently.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from index.alias_rules import (
    ROLE_WORDS,
    SOUND_THRESHOLD,
    acronym_of,
    cut_short,
    hanja_reads_as,
    initials_match,
    mandarin_reads_as,
    names_acronym,
    plain_name,
    read_numerals,
    sound_of_name,
    vouch,
)
from index.analysis import Analysis, Term, analyze, normalize
from index.romanize import sounds_alike, spelled_letters
from index.terms import shift

__all__ = ["MAX_GLOSS", "MAX_NAME_WORDS", "AliasPair", "harvest"]

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


def _read_length(text: str) -> int:
    """Length of a name for comparing with Hanja: Hangul syllables, numbers read out."""
    return _syllables(read_numerals(text))


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
    # Hanja spell numbers as numerals: 42현성(四十二賢聖) is five syllables long.
    measure = _read_length if kind == "hanja" else _syllables
    length, count = measure(text[start:open_at]), 1
    want = size if kind == "hanja" else 2 * size - 1
    rest = list(reversed(words[:-1]))
    for ws, we, bare, word_opened in rest:
        if opened or length >= want or count >= MAX_NAME_WORDS:
            break
        word = text[ws:we]
        if not bare or word in _NOT_NAME or not (_HANGUL.search(word) or word.isupper()):
            break
        start, length, count, opened = ws, length + measure(word), count + 1, word_opened
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
    """The morpheme terms of `text[start:end]`: those of `analysis` within it (found by
    bisection, as units are in text order: a scan of every unit for each gloss made a long
    report's indexing quadratic), or its own analysis."""
    if analysis is None:
        return [u[0] for u in analyze(normalize(text[start:end])).units]
    units = analysis.units
    lo = bisect.bisect_left(units, start, key=lambda u: u[1])
    hi = bisect.bisect_left(units, end, lo, key=lambda u: u[1])
    return [u[0] for u in units[lo:hi] if u[2] <= end]


def _evidence(text: str, starts: list[int], end: int, alias: str, kind: str, size: int,
              parts: list[tuple[str, str, int]],
              analysis: Analysis | None) -> tuple[int, str] | None:
    """Which name (by its start, among `starts`: the gloss's own first) a rule vouches for
    with `alias`, and the rule; None when no rule does."""
    def plain(at: int, spelled: bool = False) -> bool:
        """Whether the name from `at` is a plain name; one that a rule finds `spelled`
        syllable by syllable (a reading, a sound) is a name whatever the analyser takes its
        syllables for (마빈 게이 for a form of 마비다)."""
        if spelled:
            return plain_name(text[at:end], alias=alias)
        return plain_name(text[at:end], _units(text, at, end, analysis), alias)

    base = starts[0]
    name = text[base:end]
    before = text[text.rfind(" ", 0, max(0, base - 1)) + 1:max(0, base - 1)]
    if before in ROLE_WORDS and before not in ("위", "같은", "해당"):
        return None  # 원고 회사(Apple): the gloss names a party to the case
    if kind == "hanja":
        read = read_numerals(name)  # 10신위(十信位)
        if plain_name(read, alias=alias) and (
                hanja_reads_as(alias, read) or mandarin_reads_as(alias, read)):
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
                if at != base and names_acronym(alias, name) and plain(base):
                    # The gloss's own name is long enough to be the whole name: words
                    # before it whose initials happen to fit are another way of saying it
                    # (소셜 네트워크 사회관계망서비스(SNS)).
                    return base, "acronym"
                return at, "initials"
    elif kind == "expansion" and any(acronym_of(p, alias) for p in others) and plain(base):
        return base, "acronym"
    scored = [(sound_of_name(text[at:end], alias), -i, at) for i, at in enumerate(starts)]
    score, _, at = max(scored)
    if score >= SOUND_THRESHOLD and plain(at, spelled=True):
        return at, "sound"
    if kind == "acronym" and spelled_letters(name, alias) and plain(base, spelled=True):
        return base, "sound"
    if kind == "acronym" and vouch(name, alias) is None:
        # The vocabulary finds the name too short for its acronym (소형모듈원전 for i-SMR):
        # the bare words before it may make it whole (혁신 소형모듈원전).
        for at in (at for at in starts if at < base):
            if names_acronym(alias, text[at:end]) and plain(at):
                return at, "acronym"
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
    :param analysis: the text's analysis when the caller has it (indexing does); without
        it the line around each gloss is analysed, so that its words are read in their
        sentence as indexing reads them, not each alone.

    >>> [(p.name, p.alias, p.evidence) for p in harvest("미국 항공우주국(NASA)이 발표했다(사진)")]
    [('미국 항공우주국', 'NASA', 'acronym')]
    """
    pairs: list[AliasPair] = []
    for m in _GLOSS.finditer(text):
        parts = _gloss_parts(m[1])
        if parts is None:
            continue
        read = analysis if analysis is not None else _around(text, m.start(), m.end())
        pairs += _gloss_pairs(text, m, parts, read)
    return pairs


def _around(text: str, open_at: int, close: int) -> Analysis:
    """The analysis of the line around a gloss, as far as a name and the words before it
    may reach, at its place in `text`: a word read in its sentence, as indexing reads it
    (Kiwi takes `채도` alone for an adverb and a particle, `색상의 채도(saturation)` for a
    noun)."""
    line_start = text.rfind("\n", 0, open_at) + 1
    start = max(line_start, open_at - 2 * _WINDOW - 2)
    if start > line_start:
        space = text.find(" ", start, open_at)
        start = space + 1 if space >= 0 else open_at
    line_end = text.find("\n", close)
    end = min(len(text) if line_end < 0 else line_end, close + _WINDOW)
    return shift(analyze(text[start:end]), start)


def _gloss_pairs(text: str, m: re.Match[str], parts: list[tuple[str, str, int]],
                 analysis: Analysis) -> list[AliasPair]:
    """The pairs of one gloss `m` of `text` that a rule vouches for (see `harvest`)."""
    _, kind, size = min(parts, key=lambda p: _SPECIFIC[p[1]])
    span = _name_span(text, m.start(), kind, size, analysis)
    if span is None:
        return []
    start = _skip_dates(text, span[0], span[1])
    name = text[start:span[1]]
    if len(name.replace(" ", "")) < 2:
        return []
    starts = [start] + (_longer_starts(text, start, analysis) if kind != "hanja" else [])
    starts = _sounded_start(text, starts, span[1], parts) + starts
    pairs = []
    for alias, alias_kind, alias_size in parts:
        if alias.lower() == name.lower():
            continue
        found = _evidence(text, starts, span[1], alias, alias_kind, alias_size, parts,
                          analysis)
        if found is not None:
            at, why = found
            pairs.append(AliasPair(text[at:span[1]], alias, at, m.end(), why))
    return pairs
