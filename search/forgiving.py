"""Forgiving queries: what a query that finds little was probably meant to say.

Typed 초성 (ㅅㅈㅍ), Korean typed with the English keyboard layout (tlwlsvld), one-jamo typos
(시진펑), wrong spacing (시 진핑, 반도체수출) and names the corpus also writes another way
(엔비디아 / Nvidia) are each read back into words of the index. These are pure functions over
the index's vocabulary and alias table; they run per keystroke, so the only analysis they do
goes through the cached `analyze`, which reads the forms the index holds from its lexicon: a
query of such words is never analysed otherwise, so it never waits for Kiwi to load.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from index.aliases import AliasTable
from index.analysis import analyze, normalize
from search.suggest import Vocabulary, from_qwerty, is_choseong
from search.types import Rewrite

__all__ = ["MAX_JOIN", "apply_rewrites", "rewrites"]

MAX_JOIN = 3
"""Up to this many query words may be joined into one vocabulary word."""
MAX_ALIAS_WORDS = 4
"""Names of up to this many words are looked up in the alias table."""

COMPLETION_RATIO = 2
"""An unknown word is finished (오바 as 오바마) rather than changed by one jamo (오가) when the
finished word is at least this many times as frequent: the bar a "did you mean" word clears
to replace a rare one (`search.suggest.suggestion`)."""

_TOKEN = re.compile(r'"[^"]*"?|\S+')
_SYNTAX = re.compile(r"""["'()\[\]{}^~*?:\\]""")
_OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"})
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_SYLLABLES = re.compile(r"[\uac00-\ud7a3]+")


@dataclass(frozen=True)
class _Token:
    text: str
    plain: bool
    """A word the rules may change: no query syntax, not excluded with `-`."""
    excluded: str | None = None
    """The word of `-word`: not corrected, but its aliases are excluded with it, as those of
    `NOT word` are (the two forms read the same)."""


def _tokens(text: str) -> list[_Token]:
    out = []
    for m in _TOKEN.finditer(text):
        tok = m[0]
        plain = not (_SYNTAX.search(tok) or tok in _OPERATORS or tok[0] in "+-")
        word = tok[1:]
        # The query parser's rule (search.query._MINUS): a minus before a word, not a number.
        minus = (tok[0] == "-" and word[:1] not in ("", "-", ")") and not word[0].isdigit()
                 and not _SYNTAX.search(word) and word not in _OPERATORS)
        out.append(_Token(tok, plain, word if minus else None))
    return out


def _stem(word: str) -> tuple[str, str]:
    """The word as the `words` field holds it, and the particles or endings after it.

    >>> _stem("반도체를")
    ('반도체', '를')
    """
    words = analyze(normalize(word)).words
    if len(words) != 1 or words[0][1] != 0:
        return word.lower(), ""
    term, _, end = words[0]
    return term, word[end:]


class _Known:
    """Whether a word is one the index holds."""

    def __init__(self, vocab: Vocabulary, known: Callable[[str], bool] | None) -> None:
        self.vocab = vocab
        self.extra = known

    def __call__(self, term: str) -> bool:
        return term in self.vocab.df or bool(self.extra and self.extra(term))

    def all(self, text: str) -> bool:
        """Whether every word of `text` is known (and there is at least one)."""
        words = analyze(normalize(text)).words
        return bool(words) and all(self(w) for w, _, _ in words)


_PARTICLES = sorted(("이", "가", "은", "는", "을", "를", "의", "에", "와", "과", "도", "로", "만",
                     "으로", "에서", "에게", "까지", "부터", "처럼", "보다", "이나", "에는", "에도",
                     "로는", "으로는", "에서는", "에서도"), key=len, reverse=True)
"""Particles a word typed alone may carry that Kiwi, reading it without a sentence, keeps
glued to it (곰이/NNP, 속도로/NNG, 세상에/IC) where the texts read the noun and the particle."""


def _without_particle(stem: str, known: _Known) -> str | None:
    """`stem` less a particle at its end when the index holds what is left and not `stem`
    itself (the caller checked): 곰이 -> 곰, 속도로 -> 속도; None otherwise.

    Longest particle first, so 세상에서는 is 세상, not 세상에서 less 는."""
    if not _SYLLABLES.fullmatch(stem) or any(
            u[4] for u in analyze(normalize(stem)).units):
        return None  # a name with a glued particle is already read both ways (엔비디아가)
    for particle in _PARTICLES:
        bare = stem[:-len(particle)]
        if stem.endswith(particle) and bare and known(bare):
            return bare
    return None


def _correct(word: str, known: _Known) -> Rewrite | None:
    """The first rule that reads one unknown query word as vocabulary, or None."""
    vocab = known.vocab
    if is_choseong(word):
        found = vocab.by_initials(word)
        return Rewrite("choseong", word, found[0]) if found else None
    if word.isascii() and word.isalpha():
        if known(word.lower()):
            return None
        hangul = from_qwerty(word)
        if hangul and (known(hangul) or known.all(hangul)):
            return Rewrite("keyboard", word, hangul)
    if _HANGUL.search(word) and not analyze(normalize(word)).words:
        return None  # particles or endings alone (까지, 에서) were typed as such: no typo
    stem, tail = _stem(word)
    if known(stem) or any(ch.isdigit() for ch in stem):
        return None  # 12일 is not a typo of 27일
    bare = _without_particle(stem, known)
    if bare:  # 곰이 that Kiwi reads alone as one name, where the texts read 곰 + 이
        return Rewrite("particle", word, bare + tail)
    if len(stem) < 2:
        return None
    if _HANGUL.search(stem):
        splits = [(min(vocab.df[stem[:k]], vocab.df[stem[k:]]), k) for k in range(2, len(stem) - 1)
                  if stem[:k] in vocab.df and stem[k:] in vocab.df]
        if splits:
            _, k = max(splits)
            return Rewrite("spacing", word, f"{stem[:k]} {stem[k:]}{tail}")
    elif len(stem) < 4:
        return None  # short Latin words are one letter from too many others
    near = vocab.near(stem)
    if _HANGUL.search(stem):
        # A word typed but its last syllable (오바 for 오바마, as the search box sees it at
        # every keystroke) is finished rather than changed, when the finished word is at
        # least COMPLETION_RATIO times as frequent as the nearest one-jamo change (오가).
        # Not by more syllables: 삼성 is not a 삼성전자 typed in part.
        longer = vocab.completions(stem)
        if longer and (not near or vocab.df[longer[0]] >= COMPLETION_RATIO * vocab.df[near[0]]):
            return Rewrite("typo", word, longer[0] + tail)
    if near:
        return Rewrite("typo", word, near[0] + tail)
    return None


def _join(tokens: Sequence[_Token], i: int, known: _Known) -> Rewrite | None:
    """Query words from `i` on that make one vocabulary word when written together."""
    for n in range(min(MAX_JOIN, len(tokens) - i), 1, -1):
        group = tokens[i:i + n]
        if not all(t.plain and _HANGUL.search(t.text) for t in group):
            continue
        if all(known(_stem(t.text)[0]) for t in group):
            # Nothing to join. Asked first: the joined form is often one no text holds,
            # which the lexicon cannot read, so analysing it would load Kiwi for nothing.
            continue
        joined = "".join(t.text for t in group)
        if known(_stem(joined)[0]):
            return Rewrite("spacing", " ".join(t.text for t in group), joined)
    return None


def rewrites(text: str, vocab: Vocabulary, aliases: AliasTable | None = None, *,
             known: Callable[[str], bool] | None = None) -> list[Rewrite]:
    """How the words of `text` may be read to find more, in query order.

    Each unknown word gets at most one correction (초성, keyboard layout, spacing, typo, tried
    in that order); then every word or name of up to four words with known aliases gets one
    `alias` rewrite per alias. Words under query syntax (quotes, `field:`, `-word`) are left
    alone.

    :param known: whether the index holds a word that is too rare for `vocab` (which keeps only
        words of two documents or more), so a rare but real word is not "corrected".
    """
    check = _Known(vocab, known)
    tokens = _tokens(normalize(text or ""))
    out: list[Rewrite] = []
    words: list[str | None] = []  # the query's words after corrections; None: leave alone
    alone: set[int] = set()  # words of `-word`: their aliases are looked up one word at a time
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if not tok.plain:
            if tok.excluded:
                alone.add(len(words))
            words.append(tok.excluded)
            i += 1
            continue
        joined = _join(tokens, i, check)
        if joined:
            out.append(joined)
            words.append(joined.replacement)
            i += joined.original.count(" ") + 1
            continue
        fixed = _correct(tok.text, check)
        if fixed:
            out.append(fixed)
        words.append(fixed.replacement if fixed else tok.text)
        i += 1
    if aliases is not None:
        out.extend(_alias_rewrites(words, aliases, alone))
    return out


def _alias_rewrites(words: Sequence[str | None], aliases: AliasTable,
                    alone: Collection[int] = ()) -> list[Rewrite]:
    """One `alias` rewrite per alias of each word or name of up to `MAX_ALIAS_WORDS` words;
    a word in `alone` (of `-word`) is never part of a longer name."""
    out: list[Rewrite] = []
    i = 0
    while i < len(words):
        for n in range(min(MAX_ALIAS_WORDS, len(words) - i), 0, -1):
            group = words[i:i + n]
            if any(w is None for w in group) or (n > 1 and any(k in alone for k in range(i, i + n))):
                continue
            name = " ".join(group)  # type: ignore[arg-type]
            found = aliases.lookup(name)
            if found:
                out.extend(Rewrite("alias", name, alias) for alias in sorted(found))
                i += n
                break
        else:
            i += 1
    return out


def _quoted(text: str, *, phrase: bool = False) -> str:
    """`text` as one alternative of an OR group; with `phrase`, a name of several morphemes
    (세계인공지능협력기구) is quoted too, so its words must stand together."""
    if re.fullmatch(r"\w+", text) and not (phrase and len(analyze(normalize(text)).units) > 1):
        return text
    return '"' + text.replace('"', " ") + '"'


def apply_rewrites(text: str, found: Sequence[Rewrite]) -> str:
    """The query text with `found` applied: corrections replace words, aliases join them in
    an OR group (`(엔비디아 OR Nvidia)`), which the query parser reads as either.

    >>> apply_rewrites("반도채 수출", [Rewrite("typo", "반도채", "반도체")])
    '반도체 수출'
    """
    out = normalize(text or "")
    cursor = 0
    for rw in found:
        if rw.rule == "alias":
            continue
        at = out.find(rw.original, cursor)
        if at < 0:
            continue
        out = out[:at] + rw.replacement + out[at + len(rw.original):]
        cursor = at + len(rw.replacement)
    groups: dict[str, list[str]] = {}
    for rw in found:
        if rw.rule == "alias":
            groups.setdefault(rw.original, []).append(rw.replacement)
    cursor = 0
    for name, alts in groups.items():
        at = out.find(name, cursor)
        if at < 0:
            continue
        # The name as typed keeps its own reading; another name is a phrase.
        group = "(" + " OR ".join([_quoted(name), *(_quoted(x, phrase=True) for x in alts)]) + ")"
        out = out[:at] + group + out[at + len(name):]
        cursor = at + len(group)
    return out
