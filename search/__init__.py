"""The library search API: `open_index(...).search(...)`, without any user interface."""

from index.store import default_index_dir
from search.api import Index, open_index
from search.types import Document, Facet, Hit, IndexStats, Results, Rewrite, Snippet

__all__ = [
    "Document",
    "Facet",
    "Hit",
    "Index",
    "IndexStats",
    "Results",
    "Rewrite",
    "Snippet",
    "default_index_dir",
    "open_index",
]
