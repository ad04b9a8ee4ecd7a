"""What a built Whoosh query asks for: the terms to mark, the phrases it requires, what it
excludes, whether it asks for anything at all.

`search.query` builds query trees from text; this module only reads them, so the parser,
the relaxed tiers of `search.plan` and `ParsedQuery` all read a tree the same way.
"""

from __future__ import annotations

from collections.abc import Iterator

from whoosh import query

__all__ = ["TEXT_FIELDS", "asks_for_something", "excluded", "is_null", "leaf_terms",
           "loose_terms", "positive_leaves", "positive_terms", "required_phrases"]

TEXT_FIELDS = ("title", "body")
"""The fields of the text's morphemes: the leaves whose terms are marked in results."""


def is_null(q: query.Query) -> bool:
    """Whether `q` matches nothing (Whoosh's `NullQuery`)."""
    return q is query.NullQuery or isinstance(q, type(query.NullQuery))


def asks_for_something(q: query.Query) -> bool:
    """Whether `q` has a part that is not under a NOT (a word, a field, a date range): a
    query of exclusions alone would list every other document.

    >>> asks_for_something(query.Not(query.Term("body", "원전")))
    False
    """
    if isinstance(q, query.Not) or is_null(q):
        return False
    if isinstance(q, query.AndNot):
        return asks_for_something(q.a)
    children = list(q.children())
    return not children or any(asks_for_something(c) for c in children)


def excluded(q: query.Query) -> list[query.Query]:
    """The queries under the NOTs of `q` (`a ANDNOT b` gives b), outermost first.

    >>> excluded(query.AndNot(query.Term("body", "탄소"), query.Term("body", "원전")))
    [Term('body', '원전')]
    """
    found: list[query.Query] = []

    def walk(node: query.Query) -> None:
        if isinstance(node, query.AndNot):
            walk(node.a)
            found.append(node.b)
        elif isinstance(node, query.Not):
            found.append(node.query)
        else:
            for child in node.children():
                walk(child)
    walk(q)
    return found


def positive_leaves(q: query.Query) -> Iterator[query.Query]:
    """The title/body leaves of `q` not under a NOT, in order."""
    if isinstance(q, (query.Not, query.AndNot)):
        if isinstance(q, query.AndNot):
            yield from positive_leaves(q.a)
        return
    if isinstance(q, (query.Term, query.Phrase, query.Prefix, query.Wildcard)) and \
            q.fieldname in TEXT_FIELDS:
        yield q
    for child in q.children():
        yield from positive_leaves(child)


def leaf_terms(leaf: query.Query, *, phrases: bool) -> list[str]:
    """The terms of one leaf: a phrase's words (none unless `phrases`), a prefix or
    wildcard as its text and `*`, a term's text."""
    if isinstance(leaf, query.Phrase):
        return list(leaf.words) if phrases else []
    if isinstance(leaf, (query.Prefix, query.Wildcard)):
        return [leaf.text + "*"]
    return [leaf.text]


def positive_terms(q: query.Query) -> list[str]:
    """Terms of title/body leaves that are not under a NOT, in order, without duplicates.

    >>> positive_terms(query.AndNot(query.And([query.Phrase("body", ["탄소", "중립"]),
    ...                                        query.Prefix("title", "원자")]),
    ...                             query.Term("body", "원전")))
    ['탄소', '중립', '원자*']
    """
    return list(dict.fromkeys(t for leaf in positive_leaves(q)
                              for t in leaf_terms(leaf, phrases=True)))


def loose_terms(q: query.Query) -> list[str]:
    """Terms of positive title/body `Term`, prefix and wildcard leaves (phrases left out)."""
    return [t for leaf in positive_leaves(q) for t in leaf_terms(leaf, phrases=False)]


def required_phrases(q: query.Query) -> tuple[tuple[str, ...], ...]:
    """Positive title/body phrases that are not a mere boost: a phrase whose words are all
    required on their own too (`AndMaybe(words, phrase)` of a compound) only ranks.

    >>> required_phrases(query.AndMaybe(
    ...     query.And([query.Term("body", "탄소"), query.Term("body", "중립")]),
    ...     query.Phrase("body", ["탄소", "중립"])))
    ()
    >>> required_phrases(query.Phrase("body", ["탄소", "중립"]))
    (('탄소', '중립'),)
    """
    loose = set(loose_terms(q))
    seen: dict[tuple[str, ...], None] = {}

    def walk(node: query.Query) -> None:
        if isinstance(node, (query.Not, query.AndNot)):
            if isinstance(node, query.AndNot):
                walk(node.a)
            return
        if (isinstance(node, query.Phrase) and node.fieldname in TEXT_FIELDS
                and len(node.words) > 1 and node.slop <= 1):
            words = tuple(node.words)
            if not set(words) <= loose:
                seen.setdefault(words, None)
        for child in node.children():
            walk(child)

    walk(q)
    return tuple(seen)
