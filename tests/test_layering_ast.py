"""Every import statement of the packages, wherever it stands (module level, inside a function,
under TYPE_CHECKING), read from the source and checked against a table of allowed edges.

The subprocess tests in test_layering.py see what an import *loads*; this one sees what the code
*could* load on some path, such as an import made inside a rarely called function.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("index", "search", "tui")

ALLOWED: dict[str, frozenset[str]] = {
    # The library's bottom layer: analysis, reading files, the Whoosh index.
    "index": frozenset({"index", "whoosh", "kiwipiepy", "numpy", "orjson",
                        "pypdfium2", "olefile"}),
    # The search API: the index below it, never a user interface.
    "search": frozenset({"search", "index", "whoosh", "numpy", "orjson"}),
    # The front ends: the library, Textual and rich.
    "tui": frozenset({"tui", "search", "index", "textual", "rich", "orjson", "numpy"}),
}
"""Which top-level packages each package may import (the standard library is always allowed)."""


def _resolve(node: ast.ImportFrom, module: str) -> str:
    """The absolute module an import statement names (relative imports resolved)."""
    if node.level == 0:
        return node.module or ""
    base = module.split(".")[: -node.level]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(path: Path, module: str) -> list[tuple[int, str]]:
    """(line, top-level package) of every import statement in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.lineno, _resolve(node, module).split(".")[0]))
    return sorted(found)


def _modules(package: str) -> list[tuple[Path, str]]:
    out = []
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1] + ("__init__",)
        out.append((path, ".".join(parts)))
    return out


@pytest.mark.parametrize("package", PACKAGES)
def test_every_import_follows_the_layering(package: str) -> None:
    stdlib = sys.stdlib_module_names | {"__future__"}
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {target}"
        for path, module in _modules(package)
        for line, target in imports_of(path, module)
        if target not in stdlib and target not in ALLOWED[package]
    ]
    assert wrong == []


def test_an_import_inside_a_function_is_seen(tmp_path: Path) -> None:
    """The check reads nested imports and relative ones: the case a module-level scan misses."""
    source = tmp_path / "indexer.py"
    source.write_text(
        "import os\n"
        "def run():\n"
        "    if True:\n"
        "        from search.query import parse\n"
        "    from ..tui import app\n",
        encoding="utf-8",
    )
    assert imports_of(source, "index.sub.indexer") == [(1, "os"), (4, "search"), (5, "index")]
    assert imports_of(source, "index.indexer") == [(1, "os"), (4, "search"), (5, "tui")]
