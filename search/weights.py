"""How much each view of a text counts in a score: the tuning a query is parsed and ranked
with (`search.query` reads words with it, `search.engine` scores with it, `search.tuning`
loads it from a file)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["WEIGHTS", "Weights"]


@dataclass(frozen=True)
class Weights:
    """How much each view of the text counts in a score."""

    title: float = 1.6
    body: float = 1.0
    words: float = 0.7
    phrase: float = 0.8
    any_df_cut: float = 0.25
    """In long queries, terms found in more than this share of documents are dropped."""
    any_terms: int = 48
    """In long queries only the most specific terms take part: the rest barely move scores."""
    any_title_terms: int = 16
    """...and only the most specific of those are also looked up in titles."""
    k1: float = 0.9
    b: float = 0.75
    title_b: float = 0.5
    passage_words: float = 4.0
    """A pasted passage (long text, not a question) repeats its source's wording: whole words
    count for more than in questions, which paraphrase."""
    passage_k1: float = 2.0
    passage_b: float = 0.9
    proximity: float = 2.0
    """Ranked queries: weight of the best window's specificity (sum of idf of the distinct
    query terms within `proximity_width` positions), added for the best `proximity_docs`."""
    proximity_width: float = 16
    proximity_docs: float = 30


WEIGHTS = Weights()
