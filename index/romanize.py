"""Hangul in Latin letters, and a sound key that Korean and Latin spellings of one name share.

Loanwords and foreign names are written in Hangul by ear (엔비디아 for Nvidia, 딥시크 for
DeepSeek), so the learned-alias rules compare the consonants both spellings keep rather than the
letters: voiced and voiceless stops fall together, as do l and r, f and p, v and b.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

__all__ = ["initial_sound", "romanize", "sound_keys", "sounds_alike", "spelled_letters"]

_INITIALS = "g kk n d tt r m b pp s ss - j jj ch k t p h".split()
_MEDIALS = "a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i".split()
# A final consonant as it sounds at the end of a syllable (Revised Romanization spells it so).
_FINALS = [""] + "k k k n n n t l k m l l l p l m p p t t ng t t k t p t".split()

_LETTER_NAMES = dict(zip(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    ("에이 비 씨 디 이 에프 지 에이치 아이 제이 케이 엘 엠 엔 오 피 큐 알 에스 티 유 브이 "
     "더블유 엑스 와이 제트").split(), strict=True))
_LETTER_NAMES_ALT = {"C": "시", "G": "쥐", "J": "제", "R": "아르", "Z": "지"}

# Spellings that one sound takes in English, folded to one letter, longest first.
_DIGRAPHS = [("tch", "j"), ("sch", "s"), ("ph", "p"), ("ck", "k"), ("sh", "s"), ("qu", "k"),
             ("gh", "g"), ("x", "ks"), ("ng", "n")]
# Spellings Korean reads two ways: Thomas 토머스 but THAAD 사드, Charles 찰스 but Michael 마이클.
_EITHER = [("th", ("t", "s")), ("ch", ("j", "k"))]
_CLASSES = str.maketrans({"g": "k", "q": "k", "d": "t", "b": "p", "f": "p", "v": "p",
                          "z": "j", "r": "l"})


def romanize(text: str) -> str:
    """Hangul syllables in Revised Romanization (final consonants as pronounced); other
    characters are kept, lower-cased.

    >>> romanize("엔비디아"), romanize("딥시크"), romanize("나사")
    ('enbidia', 'dipsikeu', 'nasa')
    """
    out = []
    for ch in text:
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            initial, rest = divmod(code, 588)
            medial, final = divmod(rest, 28)
            out.append(_INITIALS[initial].strip("-") + _MEDIALS[medial] + _FINALS[final])
        else:
            out.append(ch.lower())
    return "".join(out)


def sound_keys(text: str) -> set[str]:
    """`_sound_keys`, a fresh set the caller may change."""
    return set(_sound_keys(text))


@lru_cache(maxsize=65536)
def _sound_keys(text: str) -> frozenset[str]:
    """The consonant skeletons of a Korean or Latin spelling, for comparing the two: one, or
    more where an English spelling is read two ways.

    >>> sound_keys("엔비디아"), sound_keys("Nvidia"), sound_keys("딥시크"), sound_keys("DeepSeek")
    ({'npt'}, {'npt'}, {'tpsk'}, {'tpsk'})
    >>> sorted(sound_keys("THAAD")), sorted(sound_keys("Harcourt"))
    (['st', 't'], ['kt'])
    """
    latin = not re.search(r"[\uac00-\ud7a3]", text)
    s = re.sub(r"[^a-z]", "", romanize(text))
    if latin:
        s = re.sub(r"r(?![aeiouy])", "", s)  # Harcourt 하코트: r after a vowel is not heard
        s = re.sub(r"^x", "z", s).replace("tth", "th")  # Xanthomonas 잔토모나스, Matthew 매슈
    variants = [s]
    for digraph, ways in _EITHER if latin else []:
        variants = [v.replace(digraph, w) for v in variants for w in ways]
    if latin and re.search(r"g[eiy]", s):
        # A g before e, i or y may be soft (autophagy 오토파지, genome 게놈): both ways.
        variants += [re.sub(r"g(?=[eiy])", "j", v) for v in variants]
    return frozenset(_skeleton(v) for v in variants)


def _skeleton(s: str) -> str:
    for digraph, one in _DIGRAPHS:
        s = s.replace(digraph, one)
    s = re.sub(r"c(?=[eiy])", "s", s).replace("c", "k").translate(_CLASSES)
    s = re.sub(r"(?<=[aeiouy])m(?=[p])", "n", s)  # 덴빈 Tembin: a nasal before p is one sound
    s = re.sub(r"[aeiouyhw]", "", s)
    # English s between vowels is often z, which Korean writes ㅈ (nucleases 뉴클레이즈).
    s = s.replace("j", "s")
    return re.sub(r"(.)\1+", r"\1", s)


def _likeness(a: str, b: str) -> float:
    if len(a) < 2 or len(b) < 2:
        return 1.0 if a and a == b else 0.0
    same = sum(block.size for block in
               SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
    return same / max(len(a), len(b))


@lru_cache(maxsize=65536)
def sounds_alike(korean: str, latin: str) -> float:
    """How alike the sound keys of a Hangul and a Latin spelling are, 0 to 1 (0 when either
    has fewer than two consonants, too few to tell).

    >>> sounds_alike("엔비디아", "Nvidia"), sounds_alike("트럼프", "Donald Trump")
    (1.0, 0.5714285714285714)
    """
    if len(korean.replace(" ", "")) < 2:
        return 0.0
    return max(_likeness(a, b) for a in _sound_keys(korean) for b in _sound_keys(latin))


def spelled_letters(korean: str, acronym: str) -> bool:
    """Whether Hangul spells an acronym letter by letter (씨티 for CT, 에스알 for SR).

    >>> spelled_letters("에스알", "SR"), spelled_letters("씨티", "CT"), spelled_letters("사드", "SD")
    (True, True, False)
    """
    target = korean.replace(" ", "")
    letters = [ch for ch in acronym.upper() if ch.isalpha()]
    if not letters or not all(ch in _LETTER_NAMES for ch in letters):
        return False

    def match(i: int, at: int) -> bool:
        if i == len(letters):
            return at == len(target)
        names = {_LETTER_NAMES[letters[i]], _LETTER_NAMES_ALT.get(letters[i], "")} - {""}
        return any(target.startswith(n, at) and match(i + 1, at + len(n)) for n in names)

    return match(0, 0)


def initial_sound(word: str) -> str:
    """The sound class of a word's first consonant ('' when it starts with a vowel), for
    matching acronym letters to the words of a Hangul name (소셜 네트워크 서비스, SNS).

    >>> [initial_sound(w) for w in ("소셜", "네트워크", "어드밴스드", "Volvo")]
    ['s', 'n', '', 'p']
    """
    s = re.sub(r"[^a-z]", "", romanize(word))
    for digraph, one in _DIGRAPHS:
        if s.startswith(digraph):
            s = one + s[len(digraph):]
            break
    s = re.sub(r"^c(?=[eiy])", "s", s)
    if not s or s[0] in "aeiouyw":
        return ""
    return s[0].replace("c", "k").translate(_CLASSES)
