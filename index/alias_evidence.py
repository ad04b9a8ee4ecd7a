"""Evidence for a translated gloss that only one document gives (`당원대회(caucus)`).

A translation is not a name spelled two ways, so no reading or sound vouches for it; these
rules look for another reason to believe it: the Korean side is nouns Kiwi's dictionary knows,
as many as the English words (`dictionary_translation`), or the two sides agree word for word
through a small vocabulary of our own, loanwords that sound alike and pairs that other glosses
of the same index attest (`word_for_word`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache

from index.alias_vocabulary import VOCABULARY
from index.hanja_readings import READINGS
from index.romanize import initial_sound, sounds_alike

__all__ = [
    "cut_short_by_meaning",
    "dictionary_translation",
    "english_words",
    "known_nouns",
    "letters_heard",
    "noun_count",
    "person_in_front",
    "spelled_by_meaning",
    "unaccounted",
    "word_for_word",
]

# Words a translation adds or drops without changing what it names.
_MINOR = frozenset("of and the for on in to a an at by with & de du des la le".split())
_WORD = re.compile(r"[A-Za-z]+(?:[-'][A-Za-z]+)*")


def english_words(alias: str) -> list[str]:
    """The content words of an English phrase, lower-cased, a possessive `'s` dropped; a
    hyphenated compound is one word.

    >>> english_words("The Office of Price Administration"), english_words("e-mail")
    (['office', 'price', 'administration'], ['e-mail'])
    """
    words = [w.lower() for w in _WORD.findall(alias)]
    return [re.sub(r"'s$", "", w) for w in words if w not in _MINOR]


def _plain_english(alias: str) -> bool:
    """Whether an English gloss is a plain noun phrase: letters, spaces and inner hyphens
    only, no acronym, no possessive, and not headed by a participle (`Delayed`)."""
    if not re.fullmatch(r"[A-Za-z]+(?:[ \-][A-Za-z]+)*", alias.strip()):
        return False
    words = alias.split()
    if any(sum(ch.isupper() for ch in w) >= 2 or re.search(r"[a-z][A-Z]", w) for w in words):
        return False  # an acronym, a unit (dB) or a brand says more than a translation
    head = english_words(alias)
    return bool(head) and not head[-1].endswith(("ed", "ing"))


# Kiwi tags of a dictionary noun, and the affixes that stay part of one (대+학살, 파생+적).
_NOUNS = frozenset({"NNG", "NNP"})
_KEEP_SUFFIXES = frozenset("적 성 층 상 학 론 인 자 가 사 원 장 권 화".split()) - {"화"}


def noun_count(tokens: Iterable[tuple[str, str, bool]]) -> int | None:
    """How many nouns Kiwi's tokens (form, tag, unknown) of a name are, or None when the name
    is not dictionary nouns only: a form Kiwi guessed, a plural 들, a bound noun, a number.

    >>> noun_count([("파생", "NNG", False), ("적", "XSN", False), ("판매", "NNG", False)])
    2
    >>> noun_count([("연구자", "NNG", False), ("들", "XSN", False)]) is None
    True
    """
    count = 0
    prefix = False
    for form, tag, unknown in tokens:
        if unknown:
            return None
        if tag in _NOUNS:
            count += 0 if prefix else 1
            prefix = False
        elif tag == "XPN" and not prefix:
            count += 1
            prefix = True
        elif tag == "XSN" and count and not prefix and form in _KEEP_SUFFIXES:
            continue
        else:
            return None
    return None if prefix or not count else count


def known_nouns(names: Iterable[str]) -> dict[str, int | None]:
    """`noun_count` of each name as the current analyzer's Kiwi reads it (loads Kiwi)."""
    from index.analysis import get_kiwi

    kiwi = get_kiwi()
    out: dict[str, int | None] = {}
    for name in dict.fromkeys(names):
        out[name] = noun_count((t.form, t.tag, bool(t.oov)) for t in kiwi.tokenize(name))
    return out


def dictionary_translation(name: str, alias: str, nouns: int | None) -> bool:
    """Whether a gloss is a plain English noun phrase as long as its Korean side of `nouns`
    dictionary nouns (`noun_count`): one English word of five letters or more may stand for a
    compound (당원대회, caucus; a shorter one is more often a symbol or a fragment: ca, Kush);
    two or more need one noun each, and a piece of the Korean that translates one of them
    (특별 검찰, special prosecutor), lest any two nouns pass for any two words.

    >>> dictionary_translation("당원대회", "caucus", 2), dictionary_translation("후보자", "running mate", 1)
    (True, False)
    >>> dictionary_translation("방출", "Delayed", 1), dictionary_translation("당원대회", "caucus", None)
    (False, False)
    """
    if nouns is None or not _plain_english(alias):
        return False
    words = english_words(alias)
    if len(words) == 1:
        return len(words[0]) >= 5
    korean = "".join(name.split())
    return len(words) == nouns and any(
        _covers(korean[i:j], w) for w in words
        for i in range(len(korean)) for j in range(i + 1, len(korean) + 1))


def _stem_of(word: str, stems: Iterable[str]) -> bool:
    """Whether an English word is one of `stems` (or of the words of an `a+b` phrase), or
    such a stem with a short ending (sales, laws)."""
    return any(word == s or (len(s) >= 3 and word.startswith(s) and len(word) - len(s) <= 3)
               for phrase in stems for s in phrase.split("+"))


@cache
def _covers(piece: str, word: str) -> bool:
    """Whether a Korean piece translates an English word by the vocabulary or, for a
    loanword, by its sound (센터, center)."""
    if _stem_of(word, VOCABULARY.get(piece, ())):
        return True
    return len(piece) >= 2 and len(word) >= 3 and sounds_alike(piece, word) >= 0.75


def word_for_word(name: str, alias: str,
                  known: Mapping[str, frozenset[str]] | None = None) -> bool:
    """Whether the Korean side and the English side agree word for word: the Korean, spaces
    aside, splits into pieces that each translate one or more English words, in any order,
    through `VOCABULARY`, through `known` pairs (a Korean word -> English words that other
    glosses of the index attest) or as loanwords that sound alike, with no word left over.

    >>> word_for_word("국제올림픽위원회", "International Olympic Committee")
    True
    >>> word_for_word("텔레비전 시스템 위원회", "National Television System Committee")
    False
    >>> word_for_word("올림픽위원회", "Olympic Council", {"올림픽위원회": frozenset({"ioc"})})
    True
    """
    words = english_words(alias)
    korean = "".join(name.split())
    if not words or not re.fullmatch(r"[\uac00-\ud7a3]+", korean) or len(words) > 8:
        return False
    if re.search(r"\d", alias):
        return False  # a number (Committee 2025, Vol. 1) says what the Korean does not
    extra = known or {}

    def takes(piece: str, left: frozenset[int]) -> list[frozenset[int]]:
        """The sets of English words a piece may translate: one word, two that a phrase of
        the vocabulary gives (인권, human rights), or the words of a pair learned elsewhere."""
        out = [frozenset({i}) for i in left if _covers(piece, words[i])]
        for phrase in VOCABULARY.get(piece, ()):
            parts = phrase.split("+")
            out += [frozenset({i, i + 1}) for i in left if len(parts) == 2 and i + 1 in left
                    and _stem_of(words[i], parts[:1]) and _stem_of(words[i + 1], parts[1:])]
        learned = frozenset(i for i in left if words[i] in extra.get(piece, ()))
        return out + [learned] if learned else out

    @cache
    def solve(at: int, left: frozenset[int]) -> bool:
        if at == len(korean):
            return not left
        return any(solve(end, left - took) for end in range(len(korean), at, -1)
                   for took in takes(korean[at:end], left))

    return solve(0, frozenset(range(len(words))))


# -- acronyms whose Korean name is cut short ------------------------------------------------


@cache
def _sino_syllables() -> frozenset[str]:
    """Every syllable that reads a Hanja, with the initial-sound rule applied (리 and 이)."""
    out: set[str] = set()
    for line in READINGS.splitlines():
        syllable = line.split(" ", 1)[0]
        if len(syllable) != 1 or not "\uac00" <= syllable <= "\ud7a3":
            continue
        initial, rest = divmod(ord(syllable) - 0xAC00, 588)
        out.add(syllable)
        if initial in (2, 5):  # ㄴ -> ㅇ; ㄹ -> ㄴ, ㅇ
            out.update(chr(0xAC00 + i * 588 + rest) for i in ((11,) if initial == 2 else (2, 11)))
    return frozenset(out)


def loanword(word: str) -> bool:
    """Whether a Hangul word spells a foreign one: a syllable of it reads no Hanja (틸 and 티
    of 유틸리티; 비말차단 is Sino-Korean throughout).

    >>> loanword("유틸리티"), loanword("비말차단용"), loanword("덴마크")
    (True, False, True)
    """
    syllables = _sino_syllables()
    return any("\uac00" <= ch <= "\ud7a3" and ch not in syllables for ch in word)


def _initials(word: str) -> list[str] | None:
    """The acronym letters one Korean word may give, piece by piece: each piece the
    vocabulary knows gives the initials of one of its translations (우주 s, 국제연합 un); a
    word it does not know at all may give any letters (`*`), but a loanword starts with a
    letter of its own first sound (`~` and the sound: 유틸리티 a vowel, 덴마크 d). None when
    a word splits only in part (항공우주국)."""
    table = VOCABULARY

    @cache
    def split(at: int) -> tuple[tuple[str, ...], ...] | None:
        if at == len(word):
            return ()
        for end in range(len(word), at, -1):
            if word[at:end] in table:
                rest = split(end)
                if rest is not None:
                    options = tuple(dict.fromkeys(
                        "".join(w[0] for w in t.split("+")) for t in table[word[at:end]]))
                    return (options, *rest)
        return None

    pieces = split(0)
    if pieces is not None:
        return ["|".join(p) for p in pieces]
    if any(word[i:j] in table for i in range(len(word)) for j in range(i + 2, len(word) + 1)):
        return None
    return ["~" + initial_sound(word)] if loanword(word) else ["*"]


def _open(option: str) -> bool:
    """Whether a piece's option may stand for letters the vocabulary does not say."""
    return option == "*" or option.startswith("~")


def _letters(acronym: str) -> str:
    return re.sub(r"[^a-z]", "", re.sub(r"(?<=[A-Z])s$", "", acronym).lower())


def _read_initials(name: str) -> list[list[str]] | None:
    """The initials each piece of a Korean name may give (`_initials`), the vocabulary
    reading across spaces where it can (국제 연합, united nations); None when a word is
    read only in part."""
    compact = name.replace(" ", "")
    whole = _initials(compact)
    words = [compact] if whole is not None and not any(map(_open, whole)) else name.split()
    options: list[list[str]] = []
    for word in words:
        found = _initials(word)
        if found is None:
            return None
        options += [opt.split("|") for opt in found]
    return options


def _fits(letters: str, initials: str, at: int) -> range:
    """How many letters a piece's initials may take at `at` (none: they do not fit)."""
    if initials == "*":
        return range(1, len(letters) - at + 1)
    if initials.startswith("~"):
        heard = initial_sound(letters[at]) if at < len(letters) else "-"
        return range(1, len(letters) - at + 1) if heard == initials[1:] else range(0)
    return range(len(initials), len(initials) + letters.startswith(initials, at))


def spelled_by_meaning(acronym: str, name: str) -> bool:
    """Whether a Korean name, read word by word through the vocabulary, gives exactly the
    acronym's letters in order (증강 현실 for AR, 국제 통화 기구 for IMF).

    >>> spelled_by_meaning("AR", "증강 현실"), spelled_by_meaning("IOC", "올림픽 위원회")
    (True, False)
    """
    letters = _letters(acronym)
    options = _read_initials(name)
    if not options or len(letters) < 2 or any(_open(i) for o in options for i in o):
        return False

    @cache
    def spell(piece: int, at: int) -> bool:
        if piece == len(options):
            return at == len(letters)
        return any(spell(piece + 1, at + n) for i in options[piece]
                   for n in _fits(letters, i, at))

    return spell(0, 0)


def cut_short_by_meaning(acronym: str, name: str) -> bool:
    """Whether a Korean name translates only part of what an acronym stands for: its words,
    read through the vocabulary (a word it does not know may stand for any letters), give
    the acronym's letters in order but never both its first and its last one (우주 정거장
    for ISS, 올림픽 위원회 for IOC, 산소요구량 for BOD). A name the vocabulary cannot read
    says nothing.

    >>> cut_short_by_meaning("ISS", "우주 정거장"), cut_short_by_meaning("BOD", "산소요구량")
    (True, True)
    >>> cut_short_by_meaning("IAEA", "국제 원자력 기구"), cut_short_by_meaning("NASA", "미국 항공우주국")
    (False, False)
    """
    letters = _letters(acronym)
    options = _read_initials(name)
    if not options or len(options) >= len(letters):
        return False

    @cache
    def lasts(piece: int, at: int) -> frozenset[int]:
        """The last letter used by each way pieces `piece...` align from letter `at` on."""
        if piece == len(options):
            return frozenset({at - 1})
        return frozenset(last for start in range(at, len(letters)) for i in options[piece]
                         for n in _fits(letters, i, start) for last in lasts(piece + 1, start + n))

    aligned = any(lasts(0, 0))
    whole = any(len(letters) - 1 in lasts(1, n) for i in options[0] for n in _fits(letters, i, 0))
    return aligned and not whole


def unaccounted(acronym: str, name: str) -> int | None:
    """How many of an acronym's letters a Korean name read through the vocabulary leaves
    unexplained: each piece gives the initials of one of its translations, at the letters
    that spell them, in any order (사물인터넷 is Internet of Things in Korean order). None
    when a word of the name is not read (it may stand for any letters): nothing is known.

    Two or more letters left over mean the acronym names something the Korean side does not
    say: another language's words (입자 물리 연구소 for CERN) or more words than it has
    (국제 연합 기본 협약 for UNFCCC, Framework Convention on Climate Change).

    >>> unaccounted("CERN", "입자 물리 연구소"), unaccounted("UNFCCC", "국제 연합 기본 협약")
    (3, 2)
    >>> unaccounted("IAEA", "국제 원자력 기구"), unaccounted("IoT", "사물인터넷")
    (1, 1)
    >>> unaccounted("SUV", "유틸리티 자동차") is None
    True
    """
    letters = _letters(acronym)
    options = _read_initials(name)
    if not options or any(_open(i) for o in options for i in o):
        return None

    @cache
    def most(piece: int, used: frozenset[int]) -> int:
        if piece == len(options):
            return 0
        best = most(piece + 1, used)
        for initials in options[piece]:
            for at in range(len(letters) - len(initials) + 1):
                spots = frozenset(range(at, at + len(initials)))
                if letters.startswith(initials, at) and not spots & used:
                    best = max(best, len(initials) + most(piece + 1, used | spots))
        return best

    return len(letters) - most(0, frozenset())


_SURNAMES = frozenset("김 이 박 최 정 강 조 윤 장 임 한 오 서 신 권 황 안 송 류 유 전 홍 고 문 양 손 "
                      "배 백 허 남 심 노 하 곽 성 차 주 우 구 민 진 지 엄 채 원 천 방 공 현 함 변 "
                      "염 여 추 도 소 석 선 설 마 길 연 위 표 명 기 반 왕 금 옥 육 인 맹 제 모 "
                      "탁 국 어 은 편 용 예 경 봉 사 부 나".split())


def person_in_front(acronym: str, name: str) -> bool:
    """Whether a Korean name for an acronym starts with what looks like a person's name (a
    surname and two syllables, a word the vocabulary does not know) whose sound is not the
    acronym's first letter: `서남표 한국과학기술원` for KAIST.

    >>> person_in_front("KAIST", "서남표 한국과학기술원"), person_in_front("SMRT", "서울시 도시철도")
    (True, False)
    """
    words = name.split()
    if len(words) < 2 or not re.fullmatch(r"[\uac00-\ud7a3]{3}", words[0]):
        return False
    first = words[0]
    letter = next((ch.lower() for ch in acronym if ch.isalpha()), "")
    sound = initial_sound(first)
    return (first[0] in _SURNAMES and first not in VOCABULARY
            and first[:2] not in VOCABULARY and initial_sound(letter) != sound)


def letters_heard(acronym: str, name: str) -> bool:
    """Whether a short acronym's letters are heard in a one-word loanword name, in order,
    the first letter opening it: the initials of the foreign words the Hangul spells
    (워싱턴포스트 for WP, 데시리터 for dl).

    >>> letters_heard("WP", "워싱턴포스트"), letters_heard("dl", "데시리터"), letters_heard("DH", "제네시스")
    (True, True, False)
    """
    letters = [ch for ch in acronym if ch.isalpha()]
    if not 2 <= len(letters) <= 3 or len(letters) != len(acronym) or " " in name:
        return False
    if not re.fullmatch(r"[\uac00-\ud7a3]{3,}", name) or any(
            name[i:j] in VOCABULARY for i in range(len(name)) for j in range(i + 2, len(name) + 1)):
        return False  # a Sino-Korean compound, not a loanword
    sounds = [initial_sound(syllable) for syllable in name]
    heard = [initial_sound(letter) for letter in letters]
    if heard[0] != sounds[0]:
        return False
    at = 1
    for sound in heard[1:]:
        if not sound or sound not in sounds[at:]:
            return False
        at = sounds.index(sound, at) + 1
    return True
