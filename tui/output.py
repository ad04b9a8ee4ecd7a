"""`kosearch search`: results of the library search API as highlighted text or UTF-8 JSON."""

from __future__ import annotations

import argparse
import sys
from typing import Any

import orjson
from rich.console import Console
from rich.text import Text

from search import Results, open_index
from search.types import Span

__all__ = ["cmd_search", "highlighted", "results_json"]

MARK_STYLE = "bold black on yellow"


def highlighted(text: str, marks: tuple[Span, ...], style: str = MARK_STYLE) -> Text:
    """Rich text with the marked spans styled (marks are data; each front end renders them)."""
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
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2)


def cmd_search(args: argparse.Namespace, console: Console, err: Console) -> int:
    from tui.cli import parse_cli_date

    text = " ".join(args.query)
    with open_index(args.index) as idx:
        if args.explain:
            console.print(idx.explain(text), markup=False)
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
            err.print(f"[yellow]note:[/] {results.error}")
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
        console.print(f"[cyan]showing results for[/] {rewrite.replacement} "
                      f"[dim]({rewrite.rule}: {rewrite.original})[/]")
    if results.suggestion:
        console.print(f"[cyan]did you mean:[/] {results.suggestion}")
    for n, hit in enumerate(results.hits, first + 1):
        console.print()
        line = Text(f"{n:>3}. ", style="dim")
        line.append_text(highlighted(hit.title, hit.title_marks, "bold yellow"))
        line.stylize("bold", 5)
        console.print(line)
        meta = " · ".join(x for x in (hit.date.isoformat() if hit.date else "", hit.source,
                                      hit.id, f"score {hit.score:.2f}") if x)
        console.print(Text("     " + meta, style="dim"))
        for snippet in hit.snippets:
            body = Text("     … ")
            body.append_text(highlighted(snippet.text.strip(), _strip_shift(snippet.text,
                                                                           snippet.marks)))
            body.append(" …")
            console.print(body)


def _strip_shift(text: str, marks: tuple[Span, ...]) -> tuple[Span, ...]:
    """Marks re-based for `text.strip()`."""
    lead = len(text) - len(text.lstrip())
    size = len(text.strip())
    return tuple((max(0, s - lead), min(size, e - lead)) for s, e in marks if e - lead > 0)
