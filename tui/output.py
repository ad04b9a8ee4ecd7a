"""`kosearch search`: results of the library search API as highlighted text or UTF-8 JSON."""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any

import orjson
from rich.console import Console
from rich.text import Text

from search import Results, open_index
from search.types import Span
from tui.terminal import clean, clean_marked

__all__ = ["cmd_search", "highlighted", "results_json"]

MARK_STYLE = "bold black on yellow"


def highlighted(text: str, marks: tuple[Span, ...], style: str = MARK_STYLE) -> Text:
    """Rich text with the marked spans styled (marks are data; each front end renders them),
    made safe for a terminal (`tui.terminal.clean`), the marks kept on their words."""
    text, marks = clean_marked(text, marks)
    out = Text(text)
    for start, end in marks:
        out.stylize(style, start, end)
    return out


def results_json(results: Results) -> bytes:
    """The documented JSON form of a result page."""
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
                "snippets": [{"text": s.text, "marks": [list(m) for m in s.marks]}
                             for s in h.snippets],
            }
            for h in results.hits
        ],
    }
    if results.error:
        doc["error"] = results.error
    try:
        out = orjson.dumps(doc, option=orjson.OPT_INDENT_2)
    except orjson.JSONEncodeError:  # a lone surrogate: an undecodable byte of the query
        out = orjson.dumps(_without_surrogates(doc), option=orjson.OPT_INDENT_2)
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


def cmd_search(args: argparse.Namespace, console: Console, err: Console) -> int:
    from tui.cli import parse_cli_date

    text = " ".join(args.query)
    with open_index(args.index) as idx:
        if args.explain:
            console.print(clean(idx.explain(text)), markup=False)
            return 0
        results = idx.search(
            text,
            limit=args.limit,
            page=args.page,
            since=parse_cli_date(args.since),
            until=parse_cli_date(args.until),
            sources=args.source,
            sort=args.sort,
            forgiving=not args.exact,
        )
        if args.json:
            sys.stdout.buffer.write(results_json(results) + b"\n")
            sys.stdout.flush()
            return 0
        if results.error:
            from tui.cli import problem_line

            err.print(problem_line("note", results.error), soft_wrap=True)
        _print_results(results, console, sample=idx.is_sample)
    return 0


def _print_results(results: Results, console: Console, *, sample: bool) -> None:
    first = (results.page - 1) * results.pagelen
    header = Text(f"{results.total:,} documents", style="bold")
    if results.mode == "any":
        header.append("  (no document has every word: ranked by shared words)", style="dim")
    header.append(f"  {results.elapsed * 1000:.0f} ms", style="dim")
    if sample:
        header.append("  [sample corpus: index your own with `kosearch index PATH`]", style="dim")
    console.print(header)
    for rewrite in results.rewrites:
        console.print(Text.assemble(("showing results for", "cyan"), f" {clean(rewrite.replacement)} ",
                                    (clean(f"({rewrite.rule}: {rewrite.original})"), "dim")))
    if results.suggestion:
        console.print(Text.assemble(("did you mean:", "cyan"), f" {clean(results.suggestion)}"))
    for n, hit in enumerate(results.hits, first + 1):
        console.print()
        line = Text(f"{n:>3}. ", style="dim")
        line.append_text(highlighted(hit.title, hit.title_marks, "bold yellow"))
        line.stylize("bold", 5)
        console.print(line)
        meta = " · ".join(x for x in (hit.date.isoformat() if hit.date else "", hit.source,
                                      hit.id, f"score {hit.score:.2f}") if x)
        console.print(Text("     " + clean(meta), style="dim"))
        for snippet in hit.snippets:
            body = Text("     … ")
            text, marks = clean_marked(snippet.text, snippet.marks)
            body.append_text(highlighted(text.strip(), _strip_shift(text, marks)))
            body.append(" …")
            console.print(body)


def _strip_shift(text: str, marks: tuple[Span, ...]) -> tuple[Span, ...]:
    """Marks re-based for `text.strip()`."""
    lead = len(text) - len(text.lstrip())
    size = len(text.strip())
    return tuple((max(0, s - lead), min(size, e - lead)) for s, e in marks if e - lead > 0)
