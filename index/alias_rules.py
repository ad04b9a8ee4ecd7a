"""The rules that vouch for a learned alias pair, so that only pairs with evidence are used.

A gloss `X(Y)` is kept when Hanja reads as its name, an acronym's letters are the initials of
its expansion or of the name's words (or it has a whole Korean name long enough for its
letters), or a Latin name sounds like its Hangul spelling. An
English phrase that merely translates the name (`당원대회(caucus)`) is kept only as a
candidate, used once another document gives the same pair (`needs_corroboration`).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Literal

from index.alias_evidence import (
    cut_short_by_meaning,
    dictionary_translation,
    english_words,
    letters_heard,
    person_in_front,
    spelled_by_meaning,
    unaccounted,
    word_for_word,
)
from index.hanja_readings import MANDARIN, READINGS
from index.romanize import initial_sound, sound_keys, sounds_alike, spelled_letters

__all__ = [
    "SOUND_THRESHOLD",
    "Evidence",
    "acronym_of",
    "hanja_reads_as",
    "initials_match",
    "names_acronym",
    "mandarin_reads_as",
    "needs_corroboration",
    "cut_short",
    "ROLE_WORDS",
    "plain_name",
    "read_numerals",
    "sound_of_name",
    "trusted",
    "vouch",
]

Evidence = Literal["hanja", "acronym", "initials", "sound", "phrase"]
"""Why a pair was kept: Hanja reading; acronym of the English expansion beside it or of a
whole Korean name (`names_acronym`); acronym of the Hangul words' initials; Latin spelling of
the Hangul sound; or a translated phrase (which needs a second document)."""

SOUND_THRESHOLD = 0.75
"""How alike (`index.romanize.sounds_alike`) a Latin name and its Hangul spelling must sound;
tuned on the tuning part of bench/data/alias-labels.jsonl."""

# Words of a legal record that stand for a party, not a name (원고 삼성전자(Samsung)).
ROLE_WORDS = frozenset(
    "원고 피고 소외 피고인 원고들 피고들 원고인 신청인 피신청인 채권자 채무자 참가인 청구인 "
    "피청구인 재항고인 항고인 상고인 피상고인 망인 위 같은 해당 동".split())
# Words that make a name a time or a measure (오전 8시(KST), 1초간 노력성호기량(FEV1)).
_TIME_WORDS = frozenset("오전 오후 낮 밤 새벽 아침 저녁 자정 정오 현지 시각 시간 기준".split())
_HANGUL_ONLY = re.compile(r"[\uac00-\ud7a3]+")
_MINOR = frozenset("of and the for on in to a an at by de du des la le & with".split())


@cache
def _readings(source: str = READINGS) -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for line in source.splitlines():
        reading, chars = line.split(" ", 1)
        for ch in chars:
            table.setdefault(ch, set()).add(reading)
    return {ch: frozenset(r) for ch, r in table.items()}


def _initial_variants(syllable: str) -> set[str]:
    """A reading with the initial-sound rule applied (李 리 -> 이, 盧 로 -> 노, 女 녀 -> 여)."""
    code = ord(syllable) - 0xAC00
    initial, rest = divmod(code, 588)
    out = {syllable}
    if initial == 5:  # ㄹ -> ㄴ, ㅇ
        out |= {chr(0xAC00 + 2 * 588 + rest), chr(0xAC00 + 11 * 588 + rest)}
    elif initial == 2:  # ㄴ -> ㅇ
        out.add(chr(0xAC00 + 11 * 588 + rest))
    return out


def hanja_reads_as(hanja: str, name: str) -> bool:
    """Whether Hanja read syllable by syllable spell the Hangul name (spaces aside).

    A character the table does not know (a Japanese or simplified form such as 図) matches any
    syllable, as long as the characters it knows outnumber it.

    >>> hanja_reads_as("李敏雨", "이민우"), hanja_reads_as("慶州", "경주"), hanja_reads_as("同旨", "판결")
    (True, True, False)
    """
    syllables = "".join(_HANGUL_ONLY.findall(name))
    if len(syllables) != len(hanja) or len(syllables) != len(name.replace(" ", "")):
        return False
    table = _readings()
    known = 0
    for ch, syl in zip(hanja, syllables, strict=True):
        readings = table.get(ch)
        if readings is None:
            continue
        if not any(syl in _initial_variants(r) for r in readings):
            return False
        known += 1
    return known > 0 and known * 2 >= len(hanja)


# Words that say what legal form a company takes, not what it is called: Korean writing
# leaves them out (리먼브라더스 for Lehman Brothers Holdings Inc.).
_LEGAL_FORMS = frozenset(
    "inc inc. incorporated co co. corp corp. corporation ltd ltd. limited llc l.l.c. plc "
    "gmbh ag sa s.a. nv n.v. bv b.v. holdings".split())


def sound_of_name(name: str, alias: str) -> float:
    """How alike a Hangul name and a Latin one sound (`index.romanize.sounds_alike`), the
    words of a company's legal form at the end of the Latin one heard or left out.

    >>> sound_of_name("리먼브라더스", "Lehman Brothers Holdings Inc.")
    1.0
    >>> sound_of_name("브라더스", "Lehman Brothers Inc.") < 0.75
    True
    """
    words = alias.replace(",", " ").split()
    while len(words) > 1 and words[-1].lower() in _LEGAL_FORMS:
        words.pop()
    core = " ".join(words)
    score = sounds_alike(name, alias)
    return max(score, sounds_alike(name, core)) if core != alias else score


_DIGITS = "영일이삼사오육칠팔구"


def _sino_korean(number: str) -> str:
    """A number as Sino-Korean reads it, the way Hanja numerals spell it (42 사십이, 10 십,
    105 백오, 20000 이만); a number with a leading zero is left as written."""
    if len(number) > 1 and number[0] == "0" or len(number) > 16:
        return number
    value = int(number)
    if value == 0:
        return "영"
    out = ""
    for group, big in enumerate(("", "만", "억", "조")):
        part, value = value % 10000, value // 10000
        spelled = "".join(("" if digit == 1 and place else _DIGITS[digit]) + unit
                          for place, unit in reversed(list(enumerate(("", "십", "백", "천"))))
                          if (digit := part // 10 ** place % 10))
        if spelled:
            out = ("" if spelled == "일" and group else spelled) + big + out
    return out


def read_numerals(name: str) -> str:
    """A name with its Arabic numbers read out in Sino-Korean, for comparing with Hanja that
    write them as numerals: 10신위 for 十信位, 42현성 for 四十二賢聖.

    >>> read_numerals("10신위"), read_numerals("42현성"), read_numerals("제105조")
    ('십신위', '사십이현성', '제백오조')
    """
    return re.sub(r"\d+", lambda m: _sino_korean(m[0]), name)


# Pinyin spellings as Korean hears them (xi 시, qi 치, zhang 장, cao 차오).
_PINYIN = [("zh", "j"), ("ch", "ch"), ("sh", "s"), ("x", "s"), ("q", "ch"), ("z", "j"),
           ("c", "ch"), ("r", "l")]


def mandarin_reads_as(hanja: str, name: str) -> bool:
    """Whether a Hangul name writes the Chinese sound of its Hanja (시진핑 for 習近平, as
    Korean writes modern Chinese names), syllable for character.

    >>> mandarin_reads_as("習近平", "시진핑"), mandarin_reads_as("習近平", "습근평")
    (True, False)
    >>> mandarin_reads_as("毛澤東", "마오쩌둥"), mandarin_reads_as("李克強", "리커창")
    (False, True)
    """
    syllables = "".join(_HANGUL_ONLY.findall(name))
    if len(syllables) != len(hanja) or len(hanja) < 2:
        return False
    table = _readings(MANDARIN)
    for ch, syl in zip(hanja, syllables, strict=True):
        readings = table.get(ch)
        if readings is None:
            return False
        keys = set()
        for r in readings:
            for spelling, heard in _PINYIN:
                if r.startswith(spelling):
                    r = heard + r[len(spelling):]
                    break
            keys.add(r)
        if not sound_keys(syl) & {key for k in keys for key in sound_keys(k)}:
            return False
    return True


def acronym_of(acronym: str, expansion: str) -> bool:
    """Whether an acronym's letters are the initials of its English expansion's words (a
    word may give more than its initial, a minor word may give none; a plural s is no letter).

    >>> acronym_of("GCF", "Green Climate Fund"), acronym_of("ZFNs", "Zinc Finger Nucleases")
    (True, True)
    >>> acronym_of("IoT", "Internet of Things"), acronym_of("CRPS", "Complex Regional Pain")
    (True, False)
    """
    letters = re.sub(r"[^a-z]", "", re.sub(r"(?<=[A-Z])s$", "", acronym).lower())
    words = [w.lower() for w in re.split(r"[\s\-/]+", expansion) if w and w[0].isalpha()]
    if len(letters) < 2 or len(words) < 2:
        return False

    @cache
    def match(i: int, w: int) -> bool:
        if w == len(words):
            return i == len(letters)
        word, minor = words[w], words[w].lower() in _MINOR
        if minor and match(i, w + 1):
            return True
        if i == len(letters) or letters[i] != word[0]:
            return False
        # This word gives its initial and perhaps more of its letters, in order.
        at, j = 1, i + 1
        while True:
            if match(j, w + 1):
                return True
            if j == len(letters):
                return False
            at = word.find(letters[j], at) + 1
            if at == 0:
                return False
            j += 1

    return match(0, 0)


def initials_match(acronym: str, name: str) -> bool:
    """Whether an acronym's letters sound like the initials of a Hangul name's words, one
    letter a word (소셜 네트워크 서비스, SNS); a vowel-initial word matches a vowel letter.

    >>> initials_match("SNS", "소셜 네트워크 서비스"), initials_match("SNS", "네트워크 서비스")
    (True, False)
    """
    letters = [ch for ch in acronym if ch.isalpha()]
    words = name.split()
    if len(words) < 2 or len(words) != len(letters):
        return False
    for letter, word in zip(letters, words, strict=True):
        sound = initial_sound(word)
        if (sound or letter.lower() in "aeiou") != (initial_sound(letter) or letter.lower()
                                                   if sound else letter.lower()):
            return False
    return True


def plain_name(name: str, analysis_units: list[str] | None = None, alias: str = "") -> bool:
    """Whether a Korean side is a name and nothing else: no party word (원고, 피고, 소외),
    time or measure, digits, and every word holding a noun as written (not `따라`, `된`).

    :param analysis_units: the analyser's terms for `name` (`index.analysis.analyze(...).units`
        texts), to tell a word with a noun in it from a verb form or a particle.
    :param alias: the other side; digits it also writes are part of the name (코로나19,
        COVID-19), other digits are a count, a date or a measure.

    >>> plain_name("미국 항공우주국", ["미국", "항공", "우주국"]), plain_name("오전 8시")
    (True, False)
    >>> plain_name("소외 회사"), plain_name("따라 사드", ["따르", "사드"])
    (False, False)
    """
    words = name.split()
    shared = set(re.findall(r"\d+", alias))
    if not words or any(d not in shared for d in re.findall(r"\d+", name)):
        return False
    if words[0] in ROLE_WORDS or any(w in _TIME_WORDS for w in words):
        return False
    if analysis_units is not None:
        folded = name.lower()
        units = [u.lower() for u in analysis_units]
        if any(u not in folded for u in units):
            return False  # a verb or adjective: its stem is not written as such
        if not all(any(u in w for u in units) for w in folded.split()):
            return False  # a word with no noun: a particle, an ending
    return True


def cut_short(acronym: str, name: str) -> bool:
    """Whether a Hangul name looks like the tail of the one an acronym stands for: its last
    word is a loanword whose sound starts the acronym's last letter, but it has fewer words
    than the acronym has letters (네트워크 서비스 for SNS, 크루즈 컨트롤 for ACC).

    >>> cut_short("SNS", "네트워크 서비스"), cut_short("SNS", "소셜 네트워크 서비스")
    (True, False)
    >>> cut_short("NASA", "미국 항공우주국")
    False
    """
    letters = [ch for ch in acronym if ch.isalpha()]
    words = name.split()
    if not 2 <= len(words) < len(letters):
        return False
    last = initial_sound(words[-1])
    return bool(last) and last == initial_sound(letters[-1])


@cache
def vouch(name: str, alias: str) -> Evidence | None:
    """The rule that vouches for a pair on its own, without the gloss around it, or None.

    >>> vouch("시진핑", "習近平"), vouch("엔비디아", "Nvidia"), vouch("소셜 네트워크 서비스", "SNS")
    ('hanja', 'sound', 'initials')
    >>> vouch("공화당", "Repulican House") is None, vouch("당원대회", "caucus") is None
    (True, True)
    """
    if not re.search(r"[A-Za-z]", alias):
        name = read_numerals(name)  # 10신위 for 十信位
        if not plain_name(name, alias=alias):
            return None
        return ("hanja" if hanja_reads_as(alias, name) or mandarin_reads_as(alias, name)
                else None)
    if not plain_name(name, alias=alias):
        return None
    compact = alias.replace(" ", "")
    upper = sum(ch.isupper() for ch in compact)
    acronym = upper >= 2 and upper * 2 >= sum(ch.isalpha() for ch in compact)
    if acronym:
        if initials_match(alias, name):
            return "initials"
        if spelled_letters(name, alias):
            return "sound"
    if sound_of_name(name, alias) >= SOUND_THRESHOLD or letters_heard(alias, name):
        return "sound"
    if acronym and (names_acronym(alias, name) or spelled_by_meaning(alias, name)):
        return "acronym"
    return None


def names_acronym(acronym: str, name: str) -> bool:
    """Whether a Hangul name can be what an acronym of three or more letters stands for: at
    least a syllable a letter and one more (a Korean translation of an English name is
    rarely shorter), no digits in the acronym (STS-133, KF80 name a model or a mission),
    and not the tail of a longer name (`cut_short`). Two letters say too little, and so does
    a name whose words, read through the vocabulary, leave two letters or more unexplained
    (`index.alias_evidence.unaccounted`: 입자 물리 연구소 for CERN).

    >>> names_acronym("NASA", "미국 항공우주국"), names_acronym("SNS", "네트워크 서비스")
    (True, False)
    >>> names_acronym("EU", "유럽연합"), names_acronym("KAIST", "과학원")
    (False, False)
    """
    letters = sum(ch.isalpha() for ch in acronym)
    if letters < 3 or set(re.findall(r"\d+", acronym)) - set(re.findall(r"\d+", name)):
        return False
    syllables = sum(1 for ch in name if "\uac00" <= ch <= "\ud7a3")
    return (syllables >= letters + 1 and not cut_short(acronym, name)
            and not cut_short_by_meaning(acronym, name) and not person_in_front(acronym, name)
            and (unaccounted(acronym, name) or 0) < 2)


def needs_corroboration(name: str, alias: str) -> bool:
    """Whether a learned pair is a translated phrase, kept only where two documents give it."""
    return vouch(name, alias) is None


def trusted(docs: Mapping[str, Iterable[tuple[str, str]]],
            nouns: Mapping[str, int | None] | None = None) -> set[tuple[str, str]]:
    """The learned pairs a table may use: those a rule vouches for, those that agree with an
    acronym given for the same name in the same document (`WAICO` beside its expansion),
    translations that two documents give, and translations one document gives that another
    rule agrees with (`index.alias_evidence`).

    :param nouns: how many dictionary nouns Kiwi reads in each Korean side
        (`index.alias_evidence.known_nouns`); a name not in it is not known to be any.

    >>> sorted(trusted({"a": [("당원대회", "caucus"), ("엔비디아", "Nvidia")],
    ...                 "b": [("당원대회", "caucus"), ("방광염", "cystitis")]}))
    [('당원대회', 'caucus'), ('엔비디아', 'Nvidia')]
    >>> sorted(trusted({"b": [("방광염", "cystitis"), ("후보자", "running mate")]},
    ...                {"방광염": 1, "후보자": 1}))
    [('방광염', 'cystitis')]
    """
    out: set[tuple[str, str]] = set()
    count: Counter[tuple[str, str]] = Counter()
    for pairs in docs.values():
        found = list(dict.fromkeys(pairs))
        by_name: dict[str, list[str]] = defaultdict(list)
        for a, b in found:
            by_name[a].append(b)
        for a, b in found:
            count[(a, b)] += 1
            if vouch(a, b) is not None or any(
                    acronym_of(b, o) or acronym_of(o, b) for o in by_name[a] if o != b):
                out.add((a, b))
    out |= {p for p, n in count.items() if n >= 2}
    single = [p for p in count if p not in out and plain_name(p[0], alias=p[1])]
    nouns = nouns or {}
    out |= {(a, b) for a, b in single if dictionary_translation(a, b, nouns.get(a))}
    # Word pairs the index attests elsewhere vouch for the phrases they make up.
    known: dict[str, set[str]] = defaultdict(set)
    for a, b in out:
        if " " not in a:
            known[a].update(english_words(b))
    frozen = {k: frozenset(v) for k, v in known.items()}
    return out | {(a, b) for a, b in single if word_for_word(a, b, frozen)}
