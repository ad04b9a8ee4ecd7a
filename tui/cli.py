"""The `kosearch` command: a thin layer of argument parsing and rich output over the library.

Every command calls the same `index` and `search` functions that the terminal UI and users'
scripts call; Textual is imported only when the UI is opened.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from tui.arguments import (
    SafeParser,
    check_search,
    cli_date,
    index_folder,
    page_number,
    query_as_words,
    result_count,
)
from tui.terminal import clean, problem_line

# rich.progress and rich.table are imported by the commands that draw them: `kosearch` with no
# command opens the terminal UI, whose first screen waits for every import made here.

if TYPE_CHECKING:
    from index.dictionary import DictionaryChange

__all__ = ["main", "build_parser"]

EPILOG = """\
The index lives in the user's data directory unless --index or KOSEARCH_INDEX says otherwise.
With no index of your own, `kosearch` opens a built-in sample corpus of Korean policy articles.
"""


def _index_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--index", metavar="DIR", type=index_folder, default=None,
                   help="index folder (default: $KOSEARCH_INDEX or the user data directory)")


def _dictionary_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dictionary", metavar="FILE", type=Path, default=None,
                   help="user dictionary, lines `word [TAG]` (default: $KOSEARCH_DICTIONARY "
                        "or dictionary.txt in the user data directory)")


class Output(Console):
    """A rich console whose reader may stop reading: a closed pipe (`| head -1`) ends the
    command quietly in `main` rather than rich's silent exit status 1."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError


def _stdout_to_devnull() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush of what the closed pipe did
    not take neither fails nor prints a traceback."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (a test's capture)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


def build_parser() -> argparse.ArgumentParser:
    parser = SafeParser(
        prog="kosearch",
        description="Korean full-text search for policy articles. With no command, opens the "
                    "terminal UI.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("index", help="index files and folders (incremental)",
                       description="Index .jsonl, .jsonl.gz, .json, .csv, .txt, .md and .html "
                                   "files and .hwp, .hwpx and .pdf documents, recursively. "
                                   "Reruns add new and changed records, remove those of deleted "
                                   "files, and skip the rest. A changed "
                                   "user dictionary is reported with the documents it concerns.")
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                   help="files and folders (optional with --reanalyze or --rebuild)")
    _index_arg(p)
    _dictionary_arg(p)
    p.add_argument("--rebuild", action="store_true",
                   help="analyse again every file the index holds, and the PATHs given; "
                        "searches see the old index until the new one is complete")
    p.add_argument("--reanalyze", action="store_true",
                   help="apply a changed user dictionary: analyse again the indexed documents "
                        "that contain an added or removed word")
    p.add_argument("--quiet", "-q", action="store_true", help="print only problems and the summary")

    p = sub.add_parser("search", help="search the index and print highlighted results",
                       description="Search with Whoosh's query language: words, \"phrases\", "
                                   "AND/OR/NOT, -word, title:/body:/source: fields, date:2025, "
                                   "date:[2024-01 TO 2024-06], prefix*, (groups).")
    p.add_argument("query", nargs="+",
                   help="the query (several words are joined by spaces; a word such as -메모리 "
                        "that is no option here is a query word, as is every word after --)")
    _index_arg(p)
    p.add_argument("--limit", "-n", type=result_count, default=10, metavar="N",
                   help="number of results per page, 1 to 1000 (default 10)")
    p.add_argument("--page", type=page_number, default=1, metavar="N",
                   help="page of results, from 1 (default 1); a page past the last is said "
                        "on stderr")
    p.add_argument("--json", action="store_true",
                   help="write UTF-8 JSON instead of text: query, total, suggestion, hits, "
                        "mode, rewrites, aliases, sources, months (see README)")
    p.add_argument("--since", metavar="DATE", type=cli_date,
                   help="only documents dated on or after DATE (2025, 2025-11, 2025-11-01)")
    p.add_argument("--until", metavar="DATE", type=cli_date,
                   help="only documents dated on or before DATE (a year or month: its end); "
                        "not before --since")
    p.add_argument("--source", action="append", metavar="NAME",
                   help="only documents from this source (repeatable)")
    p.add_argument("--sort", choices=("relevance", "date"), default="relevance",
                   help="order of results (default relevance)")
    p.add_argument("--explain", action="store_true",
                   help="print how the query is read instead of the results: its terms, the "
                        "Whoosh query, and the aliases and corrections it also searches for")
    p.add_argument("--exact", action="store_true",
                   help="turn off forgiving rewrites (aliases, typos, keyboard layout, 초성)")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour the matches (auto: when the output is a terminal and NO_COLOR "
                        "is unset); without colour, matches are written «like this». Output "
                        "that is not a terminal is never wrapped")

    p = sub.add_parser("aliases", help="names learned from glosses such as 엔비디아(Nvidia)",
                       description="List the alias pairs learned from glosses in the indexed "
                                   "articles, with the documents that taught them; with TERM, "
                                   "the other names of TERM. Add or remove pairs in "
                                   "synonyms.txt in the user data directory (lines `name = a, b`, "
                                   "`-name = a`).")
    p.add_argument("term", nargs="?", help="a name to look up")
    p.add_argument("--json", action="store_true",
                   help="write UTF-8 JSON: an array of {term, alias, documents} (term: the "
                        "Korean side); with TERM, {term, aliases, documents}")
    _index_arg(p)

    p = sub.add_parser("stats", help="documents, sources, date span, size and format of the "
                                     "index, and whether the user dictionary changed")
    _index_arg(p)
    _dictionary_arg(p)

    p = sub.add_parser("tui", help="open the terminal UI (the default command)")
    _index_arg(p)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(query_as_words(parser, sys.argv[1:] if argv is None else argv))
    if args.command == "index" and not args.paths and not (args.reanalyze or args.rebuild):
        parser.error("index: give files or folders to index (PATH is optional only with "
                     "--reanalyze or --rebuild)")
    check_search(parser, args)
    console = Output(highlight=False)
    err = Output(stderr=True, highlight=False)
    try:
        if args.command == "index":
            return _cmd_index(args, console, err)
        if args.command == "search":
            from tui.output import cmd_search

            return cmd_search(args, console, err)
        if args.command == "stats":
            return _cmd_stats(args, console, err)
        if args.command == "aliases":
            from tui.output import cmd_aliases

            return cmd_aliases(args, console, err)
        return _cmd_tui(args, err)
    except KeyboardInterrupt:
        after = ": the index is as it was before this run" if args.command == "index" else ""
        err.print(Text.assemble(("interrupted", "yellow"), after))
        return 130
    except BrokenPipeError:  # the reader has all it wanted (ripgrep's and git's view): no error
        _stdout_to_devnull()
        return 0
    except _user_errors() as e:
        err.print(problem_line("error", str(e)), soft_wrap=True)
        return 2
    except OSError as e:  # an index folder that cannot be made or read (a file, no permission)
        where = f"{e.filename}: " if e.filename else ""
        err.print(problem_line("error", f"{where}{e.strerror or e}"), soft_wrap=True)
        return 2


def _user_errors() -> tuple[type[BaseException], ...]:
    from index.store import IndexError_

    return (IndexError_,)


def _cmd_index(args: argparse.Namespace, console: Console, err: Console) -> int:
    from index.dictionary import load_dictionary
    from index.indexer import index_paths
    from index.store import default_index_dir

    index_dir = args.index or default_index_dir()
    quiet = args.quiet or not console.is_terminal
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from tui.output import print_rows

    progress = Progress(
        TextColumn("[bold]analysing"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=err,
        disable=quiet,
        transient=True,
    )
    task = progress.add_task("analysing", total=None, rate="")

    started = time.monotonic()
    last_line = started

    def on_progress(done: int, total: int) -> None:
        nonlocal last_line
        elapsed = progress.tasks[task].elapsed or 0.0
        rate = f"{done / elapsed:,.0f} docs/s" if elapsed > 0.5 and done else ""
        progress.update(task, completed=done, total=total, rate=rate)
        now = time.monotonic()
        if quiet and not args.quiet and (now - last_line >= PROGRESS_EVERY or done == total):
            # Output to a log rather than a terminal: a plain line now and then.
            last_line = now
            per_s = done / (now - started) if now > started else 0.0
            err.print(f"analysed {done:,} of {total:,} documents ({per_s:,.1f}/s, "
                      f"{now - started:,.0f} s)", highlight=False, markup=False)

    def on_problem(problem: object) -> None:
        fatal = getattr(problem, "fatal", True)
        progress.console.print(problem_line("error" if fatal else "note", str(problem)),
                               highlight=False, soft_wrap=True)

    dictionary = load_dictionary(args.dictionary)
    with progress:
        report = index_paths(args.paths, index_dir, rebuild=args.rebuild,
                             reanalyze=args.reanalyze, dictionary=dictionary,
                             on_progress=on_progress, on_problem=on_problem)
    rows: list[tuple[str | Text, Text]] = []
    names = ["added", "updated", "removed", "unchanged", "failed"]
    if report.reanalyzed:
        names.insert(3, "reanalyzed")
    for name in names:
        value = getattr(report, name)
        style = "red" if name == "failed" and value else ""
        rows.append((name, Text(f"{value:,}", style=style)))
    if report.reused:
        rows.append((Text("reused", style="dim"),
                     Text(f"{report.reused:,} analyses of titles and bodies met again in this "
                          "run", style="dim")))
    console.print(Text.assemble((clean(str(index_dir)), "bold"), f" ({report.seconds:.1f} s)"),
                  soft_wrap=True)
    print_rows(console, rows)
    if report.dictionary is not None:
        for line in _dictionary_lines(report.dictionary, dictionary.path, args):
            console.print(line, soft_wrap=True)
    return 0 if report.ok else 1


PROGRESS_EVERY = 60.0
"""Seconds between progress lines when the output is not a terminal (a log)."""
SHOWN = 5
"""Documents named when a dictionary change concerns more."""


def _dictionary_lines(change: DictionaryChange, path: str,
                      args: argparse.Namespace) -> list[Text]:
    """What a user dictionary change means for the index, in a few lines."""
    words = []
    if change.added:
        words.append(f"{len(change.added)} added ({_entries(change.added)})")
    if change.removed:
        words.append(f"{len(change.removed)} removed ({_entries(change.removed)})")
    lines = [Text.assemble(("dictionary", "bold"), clean(f" {path}: {', '.join(words)}"))]
    n = len(change.affected)
    named = clean(", ".join(f"{rid} ({title[:40] or '-'})"
                            for rid, title in change.affected[:SHOWN]))
    more = f" and {n - SHOWN:,} more" if n > SHOWN else ""
    docs = f"{n:,} document{'' if n == 1 else 's'}"
    if change.applied:
        lines.append(Text(f"  applied; {docs} analysed again{': ' + named if n else ''}{more}"
                          if n else "  applied: no indexed document contains these words"))
        return lines
    command = "kosearch index --reanalyze"
    if args.index:
        command += f" --index {args.index}"
    if args.dictionary:
        command += f" --dictionary {args.dictionary}"
    if n:
        lines.append(Text(f"  {docs} need{'s' if n == 1 else ''} re-analysis: {named}{more}"))
    lines.append(Text.assemble("  ", ("not applied yet", "yellow"), f": run `{clean(command)}`"))
    return lines


def _entries(entries: Sequence[tuple[str, str]]) -> str:
    shown = ", ".join(w if t == "NNP" else f"{w} {t}" for w, t in entries[:SHOWN])
    return shown + (" ..." if len(entries) > SHOWN else "")


def _cmd_stats(args: argparse.Namespace, console: Console, err: Console) -> int:
    from index.analysis import ANALYZER_VERSION
    from index.dictionary import dictionary_status, load_dictionary
    from index.store import read_dictionary_record
    from search import open_index
    from tui.output import print_rows

    dictionary = load_dictionary(args.dictionary)
    with open_index(args.index) as idx:
        s = idx.stats()
    recorded = read_dictionary_record(Path(s.path))
    change = dictionary_status(s.path, dictionary)
    span = f"{s.first_date or '-'} .. {s.last_date or '-'}"
    sources = ", ".join(f"{f.value or '(none)'} {f.count:,}" for f in s.sources[:12])
    more = len(s.sources) - 12
    rows = [("index", s.path), ("documents", f"{s.documents:,}"), ("dates", span),
            ("size", f"{s.size_bytes / 1e6:,.1f} MB"),
            ("format", f"{s.format_version} ({s.created_by}), analyzer {s.analyzer_version}"),
            ("sources", sources + (f", and {more} more" if more > 0 else "")),
            *s.extra.items(),
            ("dictionary", f"{len(recorded):,} words" if recorded else "none")]
    print_rows(console, [(clean(k), clean(v)) for k, v in rows])
    for problem in dictionary.problems:
        err.print(problem_line("note", str(problem)), soft_wrap=True)
    if s.analyzer_version < ANALYZER_VERSION:
        err.print(problem_line("note", f"this index was created with analyzer "
                                       f"{s.analyzer_version}; this kosearch analyses with "
                                       f"{ANALYZER_VERSION} (see README). Its searches work; "
                                       "rebuilding it brings the newer analysis to every "
                                       f"document: `kosearch index PATH... --index {s.path} "
                                       "--rebuild`"), soft_wrap=True)
    if change is not None:
        for line in _dictionary_lines(change, dictionary.path, args):
            console.print(line, soft_wrap=True)
    return 0


def _cmd_tui(args: argparse.Namespace, err: Console) -> int:
    if not sys.stdout.isatty() and not os.environ.get("KOSEARCH_FORCE_TUI"):
        err.print("kosearch: the terminal UI needs a terminal; try `kosearch --help`", markup=False)
        return 2
    # Importing Textual and building the first screen make ~100k objects that all live for the
    # session; automatic collections walking them as they are made cost ~25 ms (6%) of the
    # start-up. The app turns collection back on after its first frame (`_first_frame`).
    gc.disable()
    try:
        from tui.app import make_app

        make_app(getattr(args, "index", None)).run()
    finally:
        gc.enable()
    return 0


if __name__ == "__main__":
    sys.exit(main())
