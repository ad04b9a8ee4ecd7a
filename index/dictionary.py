"""The user dictionary: words Kiwi does not know (names, coinages such as `알고리즘 주권`), kept
in a plain-text file a person edits, and what changing it means for an index.

An index is analysed with one list of words, recorded in its folder (`index.store`); queries
are analysed with the same list. When the file and an index disagree, `dictionary_change` says
which documents a re-analysis would change: those whose text contains an added or removed word.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.analysis import fold, normalize
from index.readers import Problem
from index.store import IndexError_, read_user_file, user_data_dir

__all__ = [
    "DICTIONARY_FILE",
    "USER_TAGS",
    "DictionaryChange",
    "DictionaryError",
    "Entry",
    "UserDictionary",
    "affected_documents",
    "default_dictionary_path",
    "dictionary_status",
    "diff",
    "load_dictionary",
    "parse_dictionary",
    "word_pattern",
]

DICTIONARY_FILE = "dictionary.txt"
"""The file's name in the user data directory."""
USER_TAGS = ("NNP", "NNG", "VV", "VA")
"""Tags a word may have: a name (the default), a common noun, a verb or adjective stem."""
DEFAULT_TAG = "NNP"
MAX_CHARS = 40
# Kiwi tags a dictionary word cannot have because kosearch does not index them. Written after a
# word they are a mistake, not part of it; two-letter tags (UN, EC) may well end a name, so
# only these longer ones are recognised.
_OTHER_TAGS = frozenset("NNB MAG MAJ JKS JKC JKG JKO JKB JKV JKQ ETN ETM XPN XSN XSV XSA VCP "
                        "VCN".split())
_SPACES = re.compile(r"\s+")
_FULLWIDTH = re.compile("[\uff01-\uff5e\u3000]")

Entry = tuple[str, str]
"""A dictionary word and its Kiwi tag."""


class DictionaryError(IndexError_):
    """A dictionary file that cannot be read at all; the message names the file."""


@dataclass(frozen=True)
class UserDictionary:
    """What a dictionary file says: its words, sorted, and the lines that were skipped."""

    path: str
    entries: tuple[Entry, ...] = ()
    problems: tuple[Problem, ...] = ()


def default_dictionary_path() -> Path:
    """The user's dictionary: `KOSEARCH_DICTIONARY`, else `dictionary.txt` in the user data
    directory (`~/.local/share/kosearch/` on Linux)."""
    env = os.environ.get("KOSEARCH_DICTIONARY")
    if env:
        return Path(env).expanduser()
    return user_data_dir() / DICTIONARY_FILE


def load_dictionary(path: str | Path | None = None) -> UserDictionary:
    """Read a dictionary file (default: `default_dictionary_path()`).

    A missing default file is an empty dictionary; a missing file that was asked for, or one
    that is not UTF-8 text, raises `DictionaryError`. Bad lines are skipped and reported in
    `problems`.
    """
    asked = path is not None or bool(os.environ.get("KOSEARCH_DICTIONARY"))
    path = Path(path).expanduser() if path is not None else default_dictionary_path()
    try:
        text = read_user_file(path, "dictionary file", DictionaryError)
    except FileNotFoundError:
        if asked:
            raise DictionaryError(f"{path}: no such dictionary file") from None
        return UserDictionary(str(path))
    return parse_dictionary(text, str(path))


def parse_dictionary(text: str, path: str = "dictionary.txt") -> UserDictionary:
    """Read the lines of a dictionary file: `word [TAG]`, `#` comment lines, blank lines.

    A word may have spaces (`알고리즘 주권`: it then matches text written with or without
    them); TAG is NNP (a name, the default), NNG, VV or VA. Full-width letters are folded, so
    `ＡＩ` and `AI` are the same word.

    >>> d = parse_dictionary("# 신조어\\n알고리즘 주권\\n딥시크 NNP\\n갑분싸하 VV\\n알고리즘 주권 NNG\\n")
    >>> d.entries
    (('갑분싸하', 'VV'), ('딥시크', 'NNP'), ('알고리즘 주권', 'NNP'))
    >>> [str(p) for p in d.problems]
    ["dictionary.txt:5: '알고리즘 주권' is already on line 2; line skipped"]
    """
    entries: dict[str, Entry] = {}
    first_line: dict[str, int] = {}
    problems: list[Problem] = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = _SPACES.sub(" ", fold(normalize(raw))).strip()
        if not line or line.startswith("#"):
            continue

        def skip(why: str, lineno: int = lineno) -> None:
            problems.append(Problem(path, lineno, f"{why}; line skipped", fatal=False))

        *head, last = line.split(" ")
        tag = DEFAULT_TAG
        if last in USER_TAGS:
            tag = last
        elif last in _OTHER_TAGS:
            skip(f"tag {last} cannot be searched (use {', '.join(USER_TAGS)})")
            continue
        else:
            head.append(last)
        word = " ".join(head)
        if not word:
            skip(f"no word before the tag {tag}")
            continue
        if not any(ch.isalnum() for ch in word):
            skip(f"{word!r} has no letters or digits")
            continue
        if len(word) > MAX_CHARS:
            skip(f"{word[:MAX_CHARS]!r}... is longer than {MAX_CHARS} characters")
            continue
        if word in entries:
            skip(f"{word!r} is already on line {first_line[word]}")
            continue
        entries[word] = (word, tag)
        first_line[word] = lineno
    return UserDictionary(path, tuple(sorted(entries.values())), tuple(problems))


@dataclass(frozen=True)
class DictionaryChange:
    """How the dictionary file differs from the words an index was analysed with."""

    added: tuple[Entry, ...]
    removed: tuple[Entry, ...]
    affected: tuple[tuple[str, str], ...] = ()
    """(id, title) of each document whose text contains an added or removed word, by id."""
    applied: bool = False
    """Whether the index now uses the file's words (no document needed re-analysis, or it was
    re-analysed); otherwise `affected` lists what `kosearch index --reanalyze` would do."""


def diff(old: Iterable[Entry], new: Iterable[Entry]) -> tuple[tuple[Entry, ...], tuple[Entry, ...]]:
    """(added, removed) between two lists of entries; a changed tag counts as both.

    >>> diff([("딥시크", "NNP"), ("갑분싸하", "VV")], [("딥시크", "NNG")])
    ((('딥시크', 'NNG'),), (('갑분싸하', 'VV'), ('딥시크', 'NNP')))
    """
    old_set, new_set = set(old), set(new)
    return tuple(sorted(new_set - old_set)), tuple(sorted(old_set - new_set))


def word_pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern that finds each word wherever Kiwi could read it: spaced words with any
    spacing (`알고리즘주권`, `알고리즘\\n주권`), any letter case. It may find a little more than
    Kiwi would, never less, so no document that needs re-analysis is missed.

    >>> bool(word_pattern(["알고리즘 주권"]).search("우리의 알고리즘주권을"))
    True
    """
    alternatives = sorted({r"\s*".join(re.escape(p) for p in w.split()) for w in words},
                          key=len, reverse=True)
    if not alternatives:
        return None
    return re.compile("|".join(alternatives), re.IGNORECASE)


def _contains(pattern: re.Pattern[str], text: str) -> bool:
    if pattern.search(text):
        return True
    # Kiwi reads folded text (ＡＩ as AI); folding every text first would cost more.
    return bool(_FULLWIDTH.search(text)) and bool(pattern.search(fold(text)))


def affected_documents(stored: Iterable[dict[str, Any]], words: Iterable[str],
                       skip: set[str] | frozenset[str] = frozenset()) -> Iterator[tuple[str, str]]:
    """(id, title) of the stored documents whose title or body contains one of `words`.

    :param stored: stored fields of documents (`reader.all_stored_fields()`).
    :param skip: ids to leave out (documents this run deletes or replaces anyway).
    """
    pattern = word_pattern(words)
    if pattern is None:
        return
    for fields in stored:
        rid = fields.get("id", "")
        if rid in skip:
            continue
        title = fields.get("title", "")
        if _contains(pattern, title) or _contains(pattern, fields.get("body", "")):
            yield rid, title


def dictionary_status(index_dir: str | Path,
                      dictionary: UserDictionary | None = None) -> DictionaryChange | None:
    """How `dictionary` (default: the user's file) differs from the words of the index at
    `index_dir`, with the documents a re-analysis would change; None when they agree.

    Reads every stored document when they differ.
    """
    from index.store import open_existing, read_dictionary_record

    dictionary = dictionary if dictionary is not None else load_dictionary()
    ix = open_existing(Path(index_dir))
    recorded = read_dictionary_record(Path(index_dir), ix.latest_generation())
    if recorded == dictionary.entries:
        return None
    added, removed = diff(recorded, dictionary.entries)
    with ix.reader() as reader:
        affected = sorted(affected_documents(reader.all_stored_fields(),
                                             {w for w, _ in added + removed}))
    return DictionaryChange(added, removed, tuple(affected))
