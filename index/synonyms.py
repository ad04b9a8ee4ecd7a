"""The user's synonyms file: pairs the corpus never glosses (나사 = NASA), and learned pairs
that are wrong, in a plain text file a person edits by hand."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from index.analysis import normalize
from index.store import read_user_file

__all__ = ["Synonyms", "SynonymsError", "load_synonyms"]


class SynonymsError(ValueError):
    """A synonyms file that cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class Synonyms:
    """What a synonyms file says: pairs to add and learned pairs to remove."""

    path: str
    add: tuple[tuple[str, str], ...] = ()
    remove: tuple[tuple[str, str], ...] = ()


def load_synonyms(path: str | Path) -> Synonyms:
    """Read a synonyms file: `name = alias1, alias2` adds, `-name = alias` removes a learned
    pair, `#` starts a comment line. Raises `SynonymsError` naming the file and line."""
    path = Path(path).expanduser()
    try:
        text = read_user_file(path, "synonyms file", SynonymsError)
    except FileNotFoundError:
        raise SynonymsError(f"{path}: no such synonyms file") from None
    add: list[tuple[str, str]] = []
    remove: list[tuple[str, str]] = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = normalize(raw).strip()
        if not line or line.startswith("#"):
            continue

        def fail(why: str, lineno: int = lineno, raw: str = raw) -> SynonymsError:
            return SynonymsError(f"{path}:{lineno}: {why}: {raw.strip()!r} "
                                 "(write `name = alias1, alias2` or `-name = alias`)")

        if "=" not in line:
            raise fail("no '=' between a name and its aliases")
        left, right = line.split("=", 1)
        removing = left.startswith("-")
        name = left[1:].strip() if removing else left.strip()
        if not name:
            raise fail("no name before '='")
        aliases = [a.strip() for a in right.split(",")]
        if not any(aliases):
            raise fail("no alias after '='")
        if not all(aliases):
            raise fail("an empty alias between commas")
        for alias in aliases:
            if alias == name:
                raise fail(f"{alias!r} is given as an alias of itself")
            (remove if removing else add).append((name, alias))
    return Synonyms(str(path), tuple(add), tuple(remove))
