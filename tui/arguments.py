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

__all__ = ["MAX_LIMIT", "SafeParser", "check_search", "cli_date", "index_folder", "page_number",
           "query_as_words", "result_count"]

MAX_LIMIT = 1000
"""The most results one page holds (`Index.search` gives no more)."""


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


def result_count(value: str) -> int:
    """A --limit value: a whole number of results from 1 to `MAX_LIMIT`.

    >>> result_count("25")
    25
    >>> result_count("0")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: 0 is not a number of results from 1 to 1000
    """
    number = _whole(value)
    if number is None or not 1 <= number <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"{value} is not a number of results from 1 to "
                                         f"{MAX_LIMIT}")
    return number


def page_number(value: str) -> int:
    """A --page value: a whole number from 1 (the first page).

    >>> page_number("-1")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: -1 is not a page number (the first page is 1)
    """
    number = _whole(value)
    if number is None or number < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a page number (the first page is 1)")
    return number


def _whole(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None


def cli_date(value: str) -> str:
    """A --since or --until value (`2025`, `2025-11`, `2025-11-01`, `2025.11.01`), checked here
    and passed on as written, so `--until 2025-11` means the end of November."""
    from index.readers import parse_date

    if parse_date(value) is None:
        raise argparse.ArgumentTypeError(f"cannot read the date {value!r} (try 2025-11-01)")
    return value


def check_search(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Refuse (exit 2) a `search` whose --since is after its --until: no date is in both."""
    if args.command != "search" or not (args.since and args.until):
        return
    from index.records import date_bound

    since, until = date_bound(args.since), date_bound(args.until, end=True)
    if since is not None and until is not None and since > until:
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        sub.choices["search"].error(f"--since {args.since} is after --until {args.until}: "
                                    "no date is in both")


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
    if short is not None and short.nargs != 0 and short.type in (int, result_count, page_number):
        try:  # -n5 is the option with its value; -nuclear is a word
            int(arg[2:].removeprefix("="))
        except ValueError:
            return None
        return short
    return None
