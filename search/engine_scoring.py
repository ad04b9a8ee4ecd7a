"""BM25 over whole posting arrays, scoring as Whoosh's searcher does with `search.scoring.KoBM25`
(BM25F: per-field lengths, the title's own b, boosts multiplied), so the engine ranks exactly
as the Whoosh matchers it replaces; `tests/test_engine.py` checks it."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from search.engine_data import IndexData
from search.query import Weights

__all__ = ["BM25", "Node"]


@dataclass
class Node:
    """A query (or part of one) evaluated over every document: which match, and their scores."""

    mask: np.ndarray
    score: np.ndarray


class BM25:
    """Scores of terms (and phrase counts) for the documents that hold them."""

    def __init__(self, data: IndexData, weights: Weights) -> None:
        self.data = data
        self.weights = weights
        self.params: tuple[float, float] | None = None
        """(k1, b) of the query being run instead of the weights' (titles keep their b)."""

    def idf(self, field: str, text: str) -> float:
        df = self.data.reader.doc_frequency(field, text)
        return math.log(1.0 + (self.data.n - df + 0.5) / (df + 0.5))

    def scorable(self, field: str) -> bool:
        schema = self.data.searcher.schema
        return field in schema and bool(schema[field].scorable)

    def score(self, field: str, idf: float, tf: np.ndarray, docs: np.ndarray) -> np.ndarray:
        """BM25 of frequencies `tf` (of a term or a phrase) in `docs`, with idf `idf`."""
        w = self.weights
        k1, b = self.params or (w.k1, w.b)
        if field == "title":
            b = w.title_b
        tf = tf.astype(np.float64)
        fl = self.data.lengths(field)[docs]
        avg = self.data.average_length(field)
        return idf * (tf * (k1 + 1.0)) / (tf + k1 * ((1.0 - b) + b * fl / avg))

    def term(self, field: str, text: str, boost: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
        """The documents holding `text` in `field` and their scores."""
        ids, tfs = self.data.postings(field, text)
        if not self.scorable(field):  # an ID field: Whoosh scores its weight, as here
            return ids, boost * tfs
        if not len(ids):
            return ids, tfs
        return ids, boost * self.score(field, self.idf(field, text), tfs, ids)
