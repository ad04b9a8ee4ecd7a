"""The library search API: `open_index(...).search(...)`, without any user interface.

Names load on first use (PEP 562), so `import search.notices` or `search.types` costs no
Whoosh and no Kiwi; `open_index` and `Index` bring the engine in.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from index.store import IndexError_ as IndexOpenError
    from index.store import default_index_dir
    from search.api import Index, open_index
    from search.types import (
        Aliases,
        Document,
        Facet,
        Hit,
        IndexStats,
        MatchMode,
        QueryKind,
        QueryReading,
        Results,
        Rewrite,
        Snippet,
        SortOrder,
        Span,
    )

__all__ = [
    "Aliases",
    "Document",
    "Facet",
    "Hit",
    "Index",
    "IndexOpenError",
    "IndexStats",
    "MatchMode",
    "QueryKind",
    "QueryReading",
    "Results",
    "Rewrite",
    "Snippet",
    "SortOrder",
    "Span",
    "default_index_dir",
    "open_index",
]

_HOME = {
    "Index": ("search.api", "Index"),
    "open_index": ("search.api", "open_index"),
    "default_index_dir": ("index.store", "default_index_dir"),
    # Raised by `open_index` and `Index.refresh`: the index package's own class, so code that
    # catches `index.IndexError_` catches it too.
    "IndexOpenError": ("index.store", "IndexError_"),
    **{name: ("search.types", name) for name in (
        "Aliases", "Document", "Facet", "Hit", "IndexStats", "MatchMode", "QueryKind",
        "QueryReading", "Results", "Rewrite", "Snippet", "SortOrder", "Span")},
}


def __getattr__(name: str) -> Any:
    """Load a public name from the module that defines it, at its first use."""
    try:
        module, attribute = _HOME[name]
    except KeyError:
        raise AttributeError(f"module 'search' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
