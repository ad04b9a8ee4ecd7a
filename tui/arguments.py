"""Reading the `kosearch` command line: what argparse does not do for a search engine's users.

A query is text, so `search` takes words that start with `-`; --index is checked before any
command runs; argparse's own messages quote what was typed, so they are made terminal-safe.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tui.terminal import clean

__all__ = ["SafeParser", "index_folder", "parse_cli_date", "query_as_words"]


class SafeParser(argparse.ArgumentParser):
    """argparse with its messages (which quote what was typed) made safe for a terminal."""

    def _print_message(self, message: str, file: Any = None) -> None:
        super()._print_message(clean(message) if message else message, file)


def index_folder(value: str) -> Path:
    """An --index value: an absolute path (`.` has no name to put a new index beside) that is
    not an existing file."""
    path = Path(value).expanduser().absolute()
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"{value} is a file, not an index folder")
    return path


def query_as_words(parser: argparse.ArgumentParser, argv: Sequence[str]) -> list[str]:
    """`argv` with every word of a `search` query placed after `--`, options before it.

    A query is text and `-word` its own syntax (exclude a word), so an argument of `search`
    that starts with `-` but is no option of it (`-메모리`, `-5`, `-`) is a query word, in
    the order given. Options keep working as argparse reads them (`--limit 5`,
    `--limit=5`, `-n5`, `--lim 5`); after `--` everything is a query word.

    >>> from tui.cli import build_parser
    >>> query_as_words(build_parser(), ["search", "기사", "-메모리", "-n", "3"])
    ['search', '-n=3', '--', '기사', '-메모리']
    """
    argv = list(argv)
    if not argv or argv[0] != "search":
        return argv
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    search = sub.choices["search"]
    options, words = [], []
    i = 1
    while i < len(argv):
        arg = argv[i]
        i += 1
        if arg == "--":
            words += argv[i:]
            break
        action = _option_of(search, arg)
        if action is None:
            words.append(arg)
        elif action.nargs == 0 or "=" in arg or not arg.startswith("--") and len(arg) > 2:
            options.append(arg)  # a flag, or an option with its value attached
        elif i < len(argv):
            options.append(f"{arg}={argv[i]}")  # so a value may start with "-"
            i += 1
        else:
            options.append(arg)  # argparse says the value is missing
    return ["search", *options, *(["--", *words] if words else [])]


def _option_of(parser: argparse.ArgumentParser, arg: str) -> argparse.Action | None:
    """The option of `parser` that `arg` names, as argparse would read it, or None."""
    if not arg.startswith("-") or arg == "-":
        return None
    known = parser._option_string_actions
    if arg.startswith("--"):
        name = arg.split("=", 1)[0]
        if name in known:
            return known[name]
        matches = {known[o] for o in known if o.startswith("--") and o.startswith(name)}
        if len(matches) > 1:  # let argparse say it is ambiguous
            return next(iter(matches))
        return matches.pop() if matches else None
    if arg in known:
        return known[arg]
    short = known.get(arg[:2])
    if short is not None and short.nargs != 0 and short.type is int:
        try:  # -n5 is the option with its value; -nuclear is a word
            int(arg[2:].removeprefix("="))
        except ValueError:
            return None
        return short
    return None


def parse_cli_date(value: str | None) -> str | None:
    """A date given on the command line (`2025`, `2025-11`, `2025-11-01`, `2025.11.01`),
    checked here and passed on as written, so `--until 2025-11` means the end of November."""
    if not value:
        return None
    from index.readers import parse_date

    if parse_date(value) is None:
        raise SystemExit(f"kosearch: cannot read the date {value!r} (try 2025-11-01)")
    return value
