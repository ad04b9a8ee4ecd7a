"""Kiwi's tokens turned into search terms with exact character offsets: the part of the
analysis that needs no Kiwi, so it can be read, tested and reused without loading the model.

`index.analysis` runs Kiwi and hands its tokens to `units_and_words` here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "CHUNK",
    "Analysis",
    "Term",
    "Unit",
    "chunks",
    "fold",
    "normalize",
    "shift",
    "units_and_words",
    "user_term",
]

Term = tuple[str, int, int]
"""A search term and its (start, end) code-point offsets in the normalised text."""

# Full-width ASCII (Ｕ+FF01..FF5E) and the ideographic space fold one-to-one onto ASCII, so
# folding for analysis never moves an offset.
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}

# Kiwi part-of-speech tags that carry meaning people search for.
_CONTENT_TAGS = frozenset(
    {"NNG", "NNP", "NNB", "SL", "SH", "SN", "XR", "VV", "VA", "XSN",
     "W_URL", "W_EMAIL", "W_HASHTAG", "W_MENTION", "W_SERIAL"}
)
# Dependent nouns and suffixes too common or empty to help a search.
_STOP = {
    "NNB": frozenset("것 수 등 데 바 뿐 줄 듯 지 터 채 때문 만큼 대로 척 중 측 뒤 김 리".split()),
    "XSN": frozenset("들 적 님 씩 쯤 별 끼리 께 상 간 하".split()),
    "VV": frozenset("하 되 있 없 않 같 말".split()),
    "VA": frozenset("하 되 있 없 않 같".split()),
}
# Tags that may stand at the end of a word without being part of what it means.
_TRAILING = ("J", "E", "XSV", "XSA", "VCP", "VCN", "VX", "S", "W_EMOJI", "Z")
# Particles that Kiwi's dictionary sometimes glues to an unknown name (엔비디아가/NNG).
_GLUED_PARTICLES = frozenset("가이은는을를의에와과도로")
CHUNK = 20_000
"""Texts longer than this many characters go to Kiwi in pieces, cut at line breaks."""
_UNIT_TAGS = frozenset({"NR", "NNB", "SN"})
_SCRIPT_TAGS = frozenset({"SN", "SL", "SH"})
_LATIN_LETTER = re.compile(r"[A-Za-z]")
# The pieces of a dictionary name with Latin in it: runs of Latin letters and digits, and runs
# of other letters (Hangul, Hanja); punctuation between them is no term.
_SCRIPT_RUNS = re.compile(r"[A-Za-z0-9]+|[^\W\d_A-Za-z]+")


def normalize(text: str) -> str:
    """Return `text` as kosearch stores and shows it: NFC, no NUL, no lone surrogates.

    >>> normalize("\u1112\u1161\u11ab")  # decomposed 한
    '한'
    """
    text = unicodedata.normalize("NFC", text)
    if "\x00" in text:
        text = text.replace("\x00", " ")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def _fold(text: str) -> str:
    return text.translate(_FOLD)


def fold(text: str) -> str:
    """Full-width forms folded onto ASCII, as Kiwi reads a text (offsets do not move).

    >>> fold("ＡＰＥＣ　정상회의")
    'APEC 정상회의'
    """
    return _fold(text)


Unit = tuple[str, int, int, tuple[Term, ...], tuple[str, ...]]
"""One position of the morpheme view: (term, start, end, extra, alternatives).

`extra` terms are indexed at the same position but never searched for by themselves (the bare
number of `1,800만`). `alternatives` are other readings a query also accepts: Kiwi's dictionary
glues particles to some names (`엔비디아가/NNG`) but also holds names that merely end like a
particle (`우루과이/NNP`), so such a token is indexed and searched both with and without its
last syllable. Plain tuples: millions are made."""


@dataclass(frozen=True, slots=True)
class Analysis:
    """Both views of one normalised text."""

    units: tuple[Unit, ...]
    words: tuple[Term, ...]


def user_term(word: str) -> str:
    """The one search term a user dictionary word becomes: spaces dropped, Latin lowered,
    so `알고리즘 주권` meets `알고리즘주권` and `소버린AI` meets `소버린ai`.

    >>> user_term("알고리즘 주권"), user_term("소버린AI")
    ('알고리즘주권', '소버린ai')
    """
    return "".join(word.split()).lower()


# -- Kiwi tokens to terms -------------------------------------------------------------------


_PUNCT, _TRAIL, _KEEP, _NUM, _LATIN, _UNIT, _OTHER = 1, 2, 4, 8, 16, 32, 64
_tag_flags: dict[str, tuple[int, frozenset[str]]] = {}


def _flags(tag: str) -> tuple[int, frozenset[str]]:
    """What a Kiwi tag means to the analysis (computed once per tag spelling)."""
    found = _tag_flags.get(tag)
    if found is None:
        base = tag.split("-", 1)[0]  # irregular conjugations come as VV-I, VA-R...
        flags = 0
        if (base.startswith("S") and base not in _SCRIPT_TAGS) or base == "W_EMOJI":
            flags |= _PUNCT | _TRAIL
        elif base.startswith(_TRAILING) and base not in _SCRIPT_TAGS:
            flags |= _TRAIL
        if base in _CONTENT_TAGS:
            flags |= _KEEP
        if base == "SN":
            flags |= _NUM
        elif base == "SL":
            flags |= _LATIN
        if base in _UNIT_TAGS:
            flags |= _UNIT
        if base in ("NNG", "NNP"):
            flags |= _OTHER  # may be a name with a particle glued on
        found = _tag_flags[tag] = (flags, _STOP.get(base, frozenset()))
    return found


def units_and_words(folded: str, tokens: Sequence[Any],
                     user_terms: dict[str, str]) -> Analysis:
    """Both views from Kiwi's tokens of `folded` (the full-width-folded text); `user_terms`
    maps the forms of user dictionary words to their terms."""
    toks = [(t.form, t.tag, t.start, t.end) for t in tokens]
    n = len(toks)
    flags = [_flags(tag) for _, tag, _, _ in toks]
    units: list[Unit] = []
    words: list[Term] = []

    # Words: runs of tokens with no gap between them, cut at punctuation, each without its
    # trailing particles and endings.
    i = 0
    while i < n:
        if flags[i][0] & _PUNCT:
            i += 1
            continue
        j = i
        run_end = toks[i][3]
        last_kept = i if not flags[i][0] & _TRAIL else -1
        kept_end = run_end if last_kept >= 0 else 0
        while j + 1 < n and toks[j + 1][2] <= run_end and not flags[j + 1][0] & _PUNCT:
            j += 1
            end = toks[j][3]
            if end > run_end:
                run_end = end
            if not flags[j][0] & _TRAIL:
                last_kept = j
                if end > kept_end:
                    kept_end = end
        if last_kept >= 0:
            start = toks[i][2]
            word = folded[start:kept_end].lower().replace(",", "")
            if user_terms and any(toks[k][0] in user_terms for k in range(i, j + 1)):
                word = "".join(word.split())  # `알고리즘 주권을` is one word, as its term is
            words.append((word, start, kept_end))
        i = j + 1

    # Morphemes: content tokens; numbers joined with their units; Latin joined with digits.
    i = 0
    while i < n:
        form, tag, start, end = toks[i]
        flag, stop = flags[i]
        if flag & (_NUM | _LATIN) and (flag & _NUM or (
                i + 1 < n and flags[i + 1][0] & _NUM and toks[i + 1][2] == end)):
            j = i
            latin = bool(flag & _LATIN)
            while j + 1 < n and toks[j + 1][2] == toks[j][3]:
                nxt = flags[j + 1][0]
                if nxt & (_NUM | _LATIN):
                    latin = latin or bool(nxt & _LATIN)
                elif latin or not (nxt & _UNIT or toks[j + 1][0] == "%"):
                    break
                elif toks[j + 1][1] == "NNB" and any(t[1] == "NR" for t in toks[i + 1:j + 1]):
                    # A counter after a magnitude is its own term: 1800만명 is indexed as
                    # 1,800만 명 is (1800만, 명), so each spelling finds the other.
                    break
                j += 1
                if not latin and not nxt & (_NUM | _LATIN) and toks[j][1] == "NNB":
                    break
            end = toks[j][3]
            whole = folded[start:end].lower().replace(",", "")
            if j == i:
                units.append((whole, start, end, (), ()))
            else:
                parts = tuple((folded[s:e].lower().replace(",", ""), s, e)
                              for (_, _, s, e), f in zip(toks[i:j + 1], flags[i:j + 1],
                                                         strict=True)
                              if s < e and f[0] & (_NUM | _LATIN))
                units.append((whole, start, end, parts, ()))
            i = j + 1
            continue
        if flag & _KEEP and form not in stop:
            if user_terms and form in user_terms:
                units.append(_user_unit(user_terms[form], form, start, end, folded))
            elif flag & _LATIN or tag.startswith(("SH", "W_")):
                units.append((folded[start:end].lower(), start, end, (), ()))
            elif " " in form:
                # Multi-word dictionary names (젠슨 황, 네이버 클라우드): one term per word.
                units.extend(_split_spaced(form, start, end, folded))
            elif _LATIN_LETTER.search(form):
                # A dictionary name with Latin in it (LG전자, 판도라TV, LNG선 in context) is
                # read as Kiwi reads the same text in lower case or alone (lg + 전자).
                units.extend(_latin_name(form, start, end, folded))
            elif (flag & _OTHER and len(form) >= 4 and form[-1] in _GLUED_PARTICLES
                    and end - start == len(form)
                    and (i + 1 == n or toks[i + 1][2] > end or flags[i + 1][0] & _PUNCT)):
                units.append((form, start, end, ((form[:-1], start, end - 1),), (form[:-1],)))
            else:
                units.append((form, start, end, (), ()))
        elif flag & _PUNCT and tag == "SW" and _fold(form).isalnum():
            # Full-width Latin that Kiwi saw as a symbol.
            units.append((folded[start:end].lower(), start, end, (), ()))
        i += 1
    return Analysis(tuple(units), tuple(words))


def _split_spaced(form: str, start: int, end: int, folded: str) -> list[Unit]:
    """Units for each word of a spaced form, located in the surface text when possible."""
    out: list[Unit] = []
    cursor = start
    for part in form.split():
        found = folded.find(part, cursor, end)
        if found < 0:
            found = min(cursor, end)
        part_end = min(found + len(part), end)
        if _LATIN_LETTER.search(part):  # 팔레르모 FC
            out.extend(_latin_name(part, found, part_end, folded))
        else:
            out.append((part, found, part_end, (), ()))
        cursor = part_end
    return out


def _latin_name(form: str, start: int, end: int, folded: str) -> list[Unit]:
    """The units of a name from Kiwi's dictionary with Latin letters in it: its Latin (with
    digits) and its other letters apart, Latin lowered, as Kiwi reads the text when the name
    is not in its dictionary (`LNG선` alone is LNG/SL + 선/NNG; `lg전자` is lg/SL + 전자/NNG):
    index and query then meet whatever the letter case, and `LNG` finds `LNG선`."""
    if folded[start:end] != form:  # not the surface text: its pieces cannot be located
        return [(form.lower(), start, end, (), ())]
    out: list[Unit] = [(m[0].lower(), start + m.start(), start + m.end(), (), ())
                       for m in _SCRIPT_RUNS.finditer(form)]
    return out or [(form.lower(), start, end, (), ())]


def _user_unit(term: str, form: str, start: int, end: int, folded: str) -> Unit:
    """The unit of a user dictionary word: one term, plus (in the index only) each word of a
    spaced entry, so `알고리즘` alone still finds `알고리즘 주권`, written with or without spaces."""
    if " " not in form:
        return (term, start, end, (), ())
    parts: list[Term] = []
    pos = start
    for part in form.split():
        while pos < end and folded[pos].isspace():
            pos += 1
        part_end = min(end, pos + len(part))
        parts.append((folded[pos:part_end].lower(), pos, part_end))
        pos = part_end
    return (term, start, end, tuple(parts), ())


def chunks(text: str, size: int = CHUNK) -> list[tuple[int, str]]:
    """Cut a long text at line breaks (else spaces) into pieces of about `size` characters."""
    if len(text) <= size:
        return [(0, text)]
    pieces = []
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n", start + size // 2, end)
            if cut < 0:
                cut = text.rfind(" ", start + size // 2, end)
            end = cut + 1 if cut >= 0 else end
        pieces.append((start, text[start:end]))
        start = end
    return pieces


def shift(analysis: Analysis, by: int) -> Analysis:
    def move(t: Term) -> Term:
        return (t[0], t[1] + by, t[2] + by)

    units = tuple((u[0], u[1] + by, u[2] + by, tuple(move(e) for e in u[3]), u[4])
                  for u in analysis.units)
    return Analysis(units, tuple(move(w) for w in analysis.words))
