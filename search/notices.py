"""What happened to a query, said once for every front end: notices built from a `Results`.

The terminal UI, the command line and `--json` each render these (as styled text, plain lines
or fields) instead of each deciding on its own when "no document has every word" is true.
Notices are data: a kind and text parts with a role, never markup.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from search.types import Results, Rewrite

__all__ = ["Notice", "NoticeKind", "Part", "counted", "corrected_query", "notices", "quoted",
           "shown_suggestion"]

NoticeKind = Literal["failure", "note", "corrected", "also", "compounds", "partial", "ranked",
                     "nothing", "suggestion"]
"""`failure`: the search itself failed; `note`: the query's syntax was read as plain words (or
the synonyms file has a problem); `corrected`: corrections replaced words; `also`: aliases
were searched too; `compounds`: compounds of the query's nouns found documents of their own
(대통령실 for 대통령); `partial`: keywords of which no document holds every one, even corrected;
`ranked`: a question or pasted passage, ranked by shared words; `nothing`: no document
matches; `suggestion`: a "did you mean" query that differs from what was searched."""

Role = Literal["text", "term", "detail"]
"""`text`: the sentence; `term`: words from the query or the index (shown emphasised);
`detail`: the why, in parentheses (shown dimmed)."""
Part = tuple[Role, str]

PARTIAL = "No document has every word: ranked by how many of them each holds."
NO_WORDS = ("the analyzer reads no word to search for in it (particles, endings, adverbs and "
            "the like are not indexed).")
SHOWN_COMPOUNDS = 4
"""Compounds of one noun named in a notice; the others are counted."""
RANKED = "Ranked by the words each document shares with the query (some may hold only some of them)."




@dataclass(frozen=True)
class Notice:
    """One thing to tell the user about a search."""

    kind: NoticeKind
    parts: tuple[Part, ...]

    @property
    def text(self) -> str:
        """The notice as one plain line.

        >>> Notice("also", (("text", "Also searched "), ("term", "Nvidia"))).text
        'Also searched Nvidia'
        """
        return "".join(text for _, text in self.parts)


def counted(n: int, noun: str, plural: str = "") -> str:
    """`n` with its noun, singular for exactly one.

    >>> counted(1, "document"), counted(1234, "match", "matches"), counted(0, "document")
    ('1 document', '1,234 matches', '0 documents')
    """
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


SHOWN_QUERY = 80
"""Characters of a query a notice repeats; a longer one (a pasted page) is cut."""


def quoted(query: str) -> str:
    """The query as a notice repeats it: whitespace collapsed, cut after `SHOWN_QUERY`
    characters.

    >>> quoted("반도체  수출"), quoted("가" * 100) == "가" * 80 + "… (100 characters)"
    ('반도체 수출', True)
    """
    text = " ".join(query.split())
    return text if len(text) <= SHOWN_QUERY else f"{text[:SHOWN_QUERY]}… ({len(text):,} characters)"


def corrected_query(query: str, rewrites: Sequence[Rewrite]) -> str:
    """The query with its corrections (not its aliases) applied, spaces collapsed.

    >>> corrected_query("반도채  수출", [Rewrite("typo", "반도채", "반도체")])
    '반도체 수출'
    """
    out = " ".join(query.split())
    for r in rewrites:
        if r.rule not in ("alias", "compound"):
            out = out.replace(r.original, r.replacement, 1)
    return out


def shown_suggestion(results: Results) -> str | None:
    """The "did you mean" worth showing: None when it repeats the query or a correction
    already searched (a correction is said once).

    >>> shown_suggestion(Results("엔비디야", (), 0, suggestion="엔비디아",
    ...                          rewrites=(Rewrite("typo", "엔비디야", "엔비디아"),)))
    >>> shown_suggestion(Results("반도채 수츨", (), 0, suggestion="반도체 수출",
    ...                          rewrites=(Rewrite("typo", "반도채", "반도체"),)))
    '반도체 수출'
    """
    if not results.suggestion:
        return None
    words = " ".join(results.suggestion.split())
    if words in (corrected_query(results.query, results.rewrites), " ".join(results.query.split())):
        return None
    return results.suggestion


def notices(results: Results) -> tuple[Notice, ...]:
    """What to say about `results`, in the order to say it.

    >>> [n.text for n in notices(Results("엔비디야", (), 2, rewrites=(
    ...     Rewrite("typo", "엔비디야", "엔비디아"), Rewrite("alias", "엔비디아", "Nvidia"))))]
    ['Showing results for 엔비디아 (typo: 엔비디야 → 엔비디아)', 'Also searched Nvidia (for 엔비디아)']
    >>> [n.kind for n in notices(Results("인공지능 zzqxjv", (), 3, mode="any"))]
    ['partial']
    >>> [n.kind for n in notices(Results("무엇이 바뀌나?", (), 3, mode="any", kind="question"))]
    ['ranked']
    """
    out: list[Notice] = []
    if results.failure:
        out.append(Notice("failure", (("text", "The search failed: "),
                                      ("detail", results.failure))))
        return tuple(out)
    if results.error:
        out.append(Notice("note", (("detail", results.error),)))
    corrections = [r for r in results.rewrites if r.rule not in ("alias", "compound")]
    if corrections:
        why = ", ".join(f"{r.rule}: {r.original} → {r.replacement}" for r in corrections)
        out.append(Notice("corrected", (
            ("text", "Showing results for "),
            ("term", corrected_query(results.query, corrections)),
            ("detail", f" ({why})"))))
    aliases = [r for r in results.rewrites if r.rule == "alias"]
    if aliases:
        names = dict.fromkeys(r.original for r in aliases)  # a name may have several aliases
        out.append(Notice("also", (
            ("text", "Also searched "),
            ("term", ", ".join(dict.fromkeys(r.replacement for r in aliases))),
            ("detail", f" (for {', '.join(names)})"))))
    nouns: dict[str, list[str]] = {}
    for r in results.rewrites:
        if r.rule == "compound":
            nouns.setdefault(r.original, []).append(r.replacement)
    for noun, wholes in nouns.items():
        shown = ", ".join(wholes[:SHOWN_COMPOUNDS])
        more = len(wholes) - SHOWN_COMPOUNDS
        out.append(Notice("compounds", (
            ("text", "Also searched "), ("term", shown + (f" and {more:,} more" if more > 0 else "")),
            ("detail", f" (compounds of {noun}, after the documents that name it)"))))
    if results.total == 0:
        if results.mode == "none":
            out.append(_no_words(results.query))
        elif results.unfiltered:
            out.append(Notice("nothing", (
                ("text", f"{counted(results.unfiltered, 'document')} "
                         f"{'matches' if results.unfiltered == 1 else 'match'} "),
                ("term", quoted(results.query)),
                ("text", ", but the date or source filters exclude "
                         f"{'it' if results.unfiltered == 1 else 'them'}."))))
        else:
            out.append(Notice("nothing", (("text", "No document matches "),
                                          ("term", quoted(results.query)), ("text", "."))))
    elif results.mode == "any":
        keywords = results.kind == "keywords"
        out.append(Notice("partial" if keywords else "ranked",
                          (("text", PARTIAL if keywords else RANKED),)))
    suggestion = shown_suggestion(results)
    if suggestion:
        out.append(Notice("suggestion", (("text", "Did you mean "), ("term", suggestion),
                                         ("text", "" if suggestion.endswith("?") else "?"))))
    return tuple(out)


_EXCLUDED = re.compile(r"(?:^|\s)-\S|\bNOT\b")
_WORD = re.compile(r"(?:^|(?<=\s))(?!-|NOT\b|AND\b|OR\b)[^\s()]+")


def _no_words(query: str) -> Notice:
    """Why a query searched for nothing: it only excludes words, it is blank, or the
    analyzer read every piece of it as grammar.

    >>> [_no_words(q).text for q in ("-대통령", "", "마")]  # doctest: +NORMALIZE_WHITESPACE
    ['The query only excludes words: add a word to search for.',
     'The query has no words to search for.',
     'Nothing to search for in 마: the analyzer reads no word to search for in it (particles,
      endings, adverbs and the like are not indexed).']
    """
    if not query.strip():
        return Notice("nothing", (("text", "The query has no words to search for."),))
    if _EXCLUDED.search(query) and not _WORD.search(_without_excluded(query)):
        return Notice("nothing", (("text", "The query only excludes words: add a word to "
                                           "search for."),))
    return Notice("nothing", (("text", "Nothing to search for in "), ("term", quoted(query)),
                              ("text", ": " + NO_WORDS)))


def _without_excluded(query: str) -> str:
    """`query` less its `-word`s and the word after each NOT.

    >>> _without_excluded("-대통령 NOT 총리 OR")
    '  OR'
    """
    return re.sub(r"(?:^|(?<=\s))-\S+|\bNOT\s+\S+", "", query)
