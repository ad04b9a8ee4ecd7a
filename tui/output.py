"""What `kosearch search` and `kosearch aliases` print: highlighted text for people, UTF-8
JSON for scripts, and plain text with marked matches for pipes (the conventions of ripgrep and
git: no hard wrap, colour only on a terminal or when asked for)."""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any, Literal

import orjson
from rich.console import Console
from rich.text import Text

from search import Index, Results, open_index, tuning
from search.notices import Notice, counted, notices
from search.types import Rewrite, Span
from tui.render import flat
from tui.terminal import clean, clean_marked, problem_line

__all__ = ["aliases_json", "cmd_aliases", "cmd_search", "highlighted", "output_console",
           "print_rows", "results_json", "with_markers"]

MARK_STYLE = "bold black on yellow"
MARK_OPEN, MARK_CLOSE = "«", "»"
"""Around each match when the output has no colour (a pipe, `--color=never`, NO_COLOR):
`grep -o '«[^»]*»'` lists the matched words."""

ColorChoice = Literal["auto", "always", "never"]
CLOCK: Callable[[], float] = time.perf_counter
"""What the start-up is timed with (tests replace it)."""


def wants_colour(choice: ColorChoice, *, tty: bool, environ: dict[str, str] | None = None) -> bool:
    """Whether to colour the output: `always`, `never`, or (`auto`) when it goes to a terminal
    (or FORCE_COLOR is set) and NO_COLOR is unset or empty.

    >>> wants_colour("auto", tty=True, environ={"NO_COLOR": "1"})
    False
    >>> wants_colour("auto", tty=False, environ={}), wants_colour("always", tty=False, environ={})
    (False, True)
    """
    if choice != "auto":
        return choice == "always"
    env = os.environ if environ is None else environ
    return (tty or bool(env.get("FORCE_COLOR"))) and not env.get("NO_COLOR")


def stdout_is_terminal() -> bool:
    """Whether stdout is a terminal (not a pipe or a file)."""
    return sys.stdout.isatty()


def output_console(choice: ColorChoice = "auto") -> Console:
    """A console for stdout: ANSI styles only when `wants_colour`; lines wrapped to the terminal
    when stdout is one, never hard-wrapped otherwise (a pipe, a file)."""
    tty = stdout_is_terminal()
    colour = wants_colour(choice, tty=tty)
    # `auto` trusts the terminal's description (TERM=dumb: no colour, so marks are written
    # «like this»); `always` means colour, the 8 standard ones the marks use.
    system: Literal["auto", "standard"] | None = None
    if colour:
        system = "auto" if tty and choice == "auto" else "standard"
    from tui.cli import Output

    return Output(highlight=False, force_terminal=colour, color_system=system,
                  no_color=not colour, soft_wrap=not tty)


def print_rows(console: Console, rows: Sequence[Sequence[str | Text]],
               header: Sequence[str] | None = None) -> None:
    """A table of cleaned text (a `Text` cell keeps its style): drawn by rich on a terminal
    (fitted to its width); elsewhere (a pipe, a file) one line per row, columns two spaces
    apart, never padded at the end, cut or wrapped, so `grep` and `cut` see whole values.

    >>> from io import StringIO
    >>> out = StringIO()
    >>> print_rows(Console(file=out), [("documents", "44"), ("dates", "2024 .. 2026")])
    >>> out.getvalue()
    'documents  44\\ndates      2024 .. 2026\\n'
    """
    if console.is_terminal:
        from rich.table import Table

        table = Table(*header, box=None) if header else Table.grid(padding=(0, 2))
        for row in rows:
            table.add_row(*(Text(cell) if isinstance(cell, str) else cell for cell in row))
        console.print(table)
        return
    from rich.cells import cell_len

    lines = [[str(cell) for cell in row] for row in ([header, *rows] if header else rows)]
    widths = [max(cell_len(line[i]) for line in lines if i < len(line))
              for i in range(max((len(line) for line in lines), default=0))]
    for line in lines:
        cells = [cell + " " * (widths[i] - cell_len(cell)) for i, cell in enumerate(line)]
        console.print(Text("  ".join(cells).rstrip()), soft_wrap=True, crop=False)


def with_markers(text: str, marks: Sequence[Span]) -> Text:
    """`text` with each marked span between `MARK_OPEN` and `MARK_CLOSE`, for output without
    colour; `text` and marks as `clean_marked` returns them.

    >>> str(with_markers("엔비디아가 설계", [(0, 4)]))
    '«엔비디아»가 설계'
    """
    out, pos = [], 0
    for start, end in marks:
        start = max(start, pos)
        if start < end:
            out += [text[pos:start], MARK_OPEN, text[start:end], MARK_CLOSE]
            pos = end
    out.append(text[pos:])
    return Text("".join(out))


def highlighted(text: str, marks: tuple[Span, ...], style: str = MARK_STYLE, *,
                colour: bool = True) -> Text:
    """Rich text with the marked spans styled (marks are data; each front end renders them),
    or between markers without colour, made safe for a terminal (`tui.terminal.clean`), the
    marks kept on their words."""
    text, marks = clean_marked(text, marks)
    if not colour:
        return with_markers(text, marks)
    out = Text(text)
    for start, end in marks:
        out.stylize(style, start, end)
    return out


_ROLE_STYLE = {"text": "", "term": "bold", "detail": "dim"}


def notice_text(notice: Notice) -> Text:
    """One notice as a line: its terms bold, its details dim, a ranking note in italics; every
    part cleaned, none read as markup.

    >>> notice_text(Notice("also", (("text", "Also searched "), ("term", "Nvidia")))).plain
    'Also searched Nvidia'
    """
    out = Text(style="italic" if notice.kind in ("partial", "ranked") else "")
    for role, part in notice.parts:
        out.append(flat(clean(part)), style=_ROLE_STYLE[role])
    return out


def results_json(results: Results) -> bytes:
    """The documented JSON form of a result page: `query`, `total`, `suggestion`, `hits`, then
    what happened to the query (`mode`, `rewrites`, `aliases`) and the facets over every match
    (`sources`, `months`); `error` and `failure` when set."""
    doc: dict[str, Any] = {
        "query": results.query,
        "total": results.total,
        "suggestion": results.suggestion,
        "hits": [
            {
                "id": h.id,
                "title": h.title,
                "score": round(h.score, 4),
                "date": h.date.isoformat() if h.date else None,
                "source": h.source,
                "url": h.url,
                "snippets": [{"text": s.text, "marks": [list(m) for m in s.marks],
                              **({"page": s.page} if s.page else {})}
                             for s in h.snippets],
            }
            for h in results.hits
        ],
        "mode": results.mode,
        "rewrites": [{"rule": r.rule, "original": r.original, "replacement": r.replacement}
                     for r in results.rewrites],
        "aliases": [{"original": r.original, "alias": r.replacement}
                    for r in results.rewrites if r.rule == "alias"],
        "sources": [{"source": f.value, "count": f.count} for f in results.sources],
        "months": [{"month": f.value, "count": f.count} for f in results.months],
    }
    if results.error:
        doc["error"] = results.error
    if results.failure:
        doc["failure"] = results.failure
    if results.unfiltered:  # nothing under the filters, this many without them
        doc["unfiltered"] = results.unfiltered
    return json_bytes(doc)


def aliases_json(pairs: Sequence[tuple[str, str, Sequence[str]]]) -> bytes:
    """The alias pairs (Korean side, other name, documents that taught it) as a JSON array of
    `{"term", "alias", "documents"}` objects."""
    return json_bytes([{"term": term, "alias": alias, "documents": list(docs)}
                       for term, alias, docs in pairs])


def json_bytes(value: Any) -> bytes:
    """`value` as indented UTF-8 JSON, exact, with nothing a terminal would obey left raw."""
    try:
        out = orjson.dumps(value, option=orjson.OPT_INDENT_2)
    except orjson.JSONEncodeError:  # a lone surrogate: an undecodable byte of the query
        out = orjson.dumps(_without_surrogates(value), option=orjson.OPT_INDENT_2)
    return _UNSHOWN.sub(_escaped, out)


_SURROGATE = re.compile("[\ud800-\udfff]")
_UNSHOWN = re.compile(
    rb"\x7f|\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8e\x8f\xa8-\xae]|\xe2\x81[\xa6-\xa9]"
)
"""UTF-8 of DEL, C1 controls, line separators and bidi controls: JSON allows them raw in a
string, but `--json` read on a terminal would obey them. Only strings hold non-ASCII bytes."""


def _escaped(match: re.Match[bytes]) -> bytes:
    return b"\\u%04x" % ord(match.group().decode())


def _without_surrogates(value: Any) -> Any:
    """`value` (JSON data) with every lone surrogate replaced by U+FFFD."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {key: _without_surrogates(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_surrogates(item) for item in value]
    return value


def _write(data: bytes) -> None:
    sys.stdout.buffer.write(data + b"\n")
    sys.stdout.flush()


def cmd_search(args: argparse.Namespace, console: Console, err: Console) -> int:
    text = " ".join(args.query)
    filters = {"since": args.since, "until": args.until, "sources": args.source}
    console = output_console(args.color)
    with open_index(args.index) as idx:
        if args.explain:
            _warm_up(idx)
            for line in explain_lines(idx, text, forgiving=not args.exact, **filters):
                console.print(line, markup=False)
            return 0
        results, startup, loaded = _search_timed(idx, text, args, filters)
        if args.json:
            _write(results_json(results))
        else:
            if results.error:
                err.print(problem_line("note", results.error), soft_wrap=True)
            print_results(results, console, sample=idx.is_sample, startup=startup,
                          loaded=loaded)
        past = past_the_last_page(results)
        if past:
            err.print(problem_line("note", past), soft_wrap=True)
        if results.failure:
            err.print(problem_line("error", results.failure), soft_wrap=True)
            return 1
    return 0


def past_the_last_page(results: Results) -> str | None:
    """What to say when the page asked for is past the last one that has results, else None.

    >>> from search.types import Results
    >>> past_the_last_page(Results(query="q", hits=(), total=126, mode="all", page=999))
    'page 999 is past the last page: 126 documents make 13 pages of 10'
    >>> past_the_last_page(Results(query="q", hits=(), total=1, mode="all", page=2))
    'page 2 is past the last page: 1 document makes 1 page of 10'
    """
    if results.hits or not results.total or results.page <= 1:
        return None
    pages = -(-results.total // results.pagelen)
    verb = "makes" if results.total == 1 else "make"
    return (f"page {results.page:,} is past the last page: "
            f"{counted(results.total, 'document')} {verb} {counted(pages, 'page')} of "
            f"{results.pagelen:,}")


def analyzer_loaded(idx: Index) -> bool:
    """Whether the index's Korean analyzer (Kiwi) is loaded in this process."""
    return tuning.model_loaded(idx)


def _search_timed(idx: Index, text: str, args: argparse.Namespace,
                  filters: dict[str, Any]) -> tuple[Results, float, str]:
    """The search, the seconds spent loading before it or inside it (said apart from the
    search's own time) and what they loaded.

    An index without a lexicon loads the model and the vocabulary first (`_warm_up`). One
    with a lexicon loads the model only for a word the lexicon does not know, inside the
    search: the query is read first to time that load alone, and if only a rewrite of the
    query (a joined form, a correction) needed the model, the search runs again with it
    loaded. JSON output has no times, so none of this is done for it.
    """
    def search() -> Results:
        return idx.search(text, limit=args.limit, page=args.page, sort=args.sort,
                          forgiving=not args.exact, **filters)

    if not idx.ready:
        startup = _warm_up(idx)
        return search(), startup, STARTUP_LOADS
    if args.json or analyzer_loaded(idx):
        return search(), 0.0, STARTUP_LOADS
    startup = _read_query(idx, text)
    if startup:
        return search(), startup, "the Korean model"
    results = search()
    if analyzer_loaded(idx):
        again = search()
        return again, max(0.0, results.elapsed - again.elapsed), "the Korean model"
    return results, 0.0, STARTUP_LOADS


def _read_query(idx: Index, text: str) -> float:
    """Read the query before searching it: the seconds that took when it loaded the Korean
    model (a word the index's lexicon does not know), else 0.0. The analysis is cached, so
    the search does not do it again."""
    started = CLOCK()
    idx.parse(text)
    return CLOCK() - started if analyzer_loaded(idx) else 0.0


def _warm_up(idx: Index) -> float:
    """Load the Korean model and the vocabulary before the search, so the search's own time
    is what it reports; returns the seconds that took (0.0 when they were loaded)."""
    if idx.ready:
        return 0.0
    started = CLOCK()
    tuning.warm_up(idx)
    return CLOCK() - started


def explain_lines(idx: Index, text: str, *, forgiving: bool, **filters: Any) -> list[str]:
    """How a query is read (`Index.explain`), then what it also searches for: the aliases and
    corrections the search applies (asked of the search itself, so they are the ones a search
    with the same filters uses) and the query they make."""
    lines = clean(idx.explain(text)).split("\n")
    if not forgiving:
        return [*lines, "also:   nothing (--exact)"]
    found = idx.search(text, limit=1, snippet_count=0, **filters).rewrites
    if not found:
        return [*lines, "also:   nothing (no alias or correction applies)"]
    from search.forgiving import apply_rewrites

    lines += [clean(f"also:   {_reading(r)}") for r in found[:1]]
    lines += [clean(f"        {_reading(r)}") for r in found[1:]]
    # Compounds are searched in a tier of their own, not written into the query.
    wider = idx.explain(apply_rewrites(
        text, [r for r in found if r.rule != "compound"])).split("\n")
    return lines + ["searched as:"] + [clean(f"  {line}") for line in wider]


def _reading(rewrite: Rewrite) -> str:
    if rewrite.rule == "alias":
        return f"{rewrite.replacement} (alias of {rewrite.original})"
    if rewrite.rule == "compound":
        return f"{rewrite.replacement} (compound of {rewrite.original})"
    return f"{rewrite.replacement} ({rewrite.rule}: {rewrite.original} → {rewrite.replacement})"


STARTUP_LOADS = "the Korean model and the vocabulary"
"""What `tuning.warm_up` loads, as the header says it."""


def print_results(results: Results, console: Console, *, sample: bool,
                  startup: float = 0.0, loaded: str = STARTUP_LOADS) -> None:
    """The text form of a result page: a header, what happened to the query (the library's
    `search.notices`, as the terminal UI says it), then each hit.

    :param startup: seconds spent loading the model before the search, said apart from it.
    :param loaded: what those seconds loaded.
    """
    colour = console.is_terminal and console.color_system is not None and not console.no_color
    first = (results.page - 1) * results.pagelen
    header = Text(counted(results.total, "document"), style="bold")
    header.append(f" in {results.elapsed * 1000:,.0f} ms", style="dim")
    if startup:
        header.append(f" (start-up {startup * 1000:,.0f} ms: {loaded})", style="dim")
    if sample:
        header.append("  [sample corpus: index your own with `kosearch index PATH`]", style="dim")
    console.print(header)
    for notice in notices(results):
        if notice.kind not in ("note", "failure"):  # those go to stderr, for scripts too
            console.print(notice_text(notice))
    for n, hit in enumerate(results.hits, first + 1):
        console.print()
        title, marks = clean_marked(hit.title, hit.title_marks)
        title_text = highlighted(flat(title), marks, "yellow", colour=colour)
        title_text.stylize("bold")
        console.print(Text.assemble((f"{n:>3}. ", "dim"), title_text))
        meta = " · ".join(x for x in (hit.date.isoformat() if hit.date else "", hit.source,
                                      hit.id, f"score {hit.score:.2f}") if x)
        console.print(Text("     " + flat(clean(meta)), style="dim"))
        for snippet in hit.snippets:
            body = Text(f"     p. {snippet.page} … " if snippet.page else "     … ")
            text, marks = clean_marked(snippet.text, snippet.marks)
            text = flat(text)
            body.append_text(highlighted(text.strip(), _strip_shift(text, marks), colour=colour))
            body.append(" …")
            console.print(body)


def _strip_shift(text: str, marks: tuple[Span, ...]) -> tuple[Span, ...]:
    """Marks re-based for `text.strip()`."""
    lead = len(text) - len(text.lstrip())
    size = len(text.strip())
    return tuple((max(0, s - lead), min(size, e - lead)) for s, e in marks if e - lead > 0)


def cmd_aliases(args: argparse.Namespace, console: Console, err: Console) -> int:
    """`kosearch aliases [TERM] [--json]`."""
    with open_index(args.index) as idx:
        table = idx.aliases
        if idx.synonyms_error:
            err.print(problem_line("note", idx.synonyms_error), soft_wrap=True)
        if args.term:
            names = sorted(table.lookup(args.term))
            evidence = table.evidence(args.term) if names else []
            if args.json:
                _write(json_bytes({"term": args.term, "aliases": names, "documents": evidence}))
                return 0 if names else 1
            if not names:
                console.print(Text(clean(f"no aliases known for {args.term!r}")))
                return 1
            console.print(Text.assemble((clean(args.term), "bold"),
                                        clean(f" = {', '.join(names)}")))
            if evidence:
                console.print(Text(clean(f"learned from {', '.join(evidence[:20])}"
                                         f"{' ...' if len(evidence) > 20 else ''}"), style="dim"))
            return 0
        pairs = table.pairs()
        if args.json:
            _write(aliases_json(pairs))
            return 0
        print_rows(console, [(clean(name), clean(alias),
                              clean(", ".join(docs[:5]) + (" ..." if len(docs) > 5 else "")))
                             for name, alias, docs in pairs], ("name", "alias", "documents"))
        console.print(Text(counted(len(table), "pair"), style="dim"))
    return 0
