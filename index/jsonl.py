"""JSON Lines files (`.jsonl`, `.jsonl.gz`, `.ndjson`), read a line at a time.

An export of hundreds of thousands of articles is usually one such file, so it is streamed
(gzip too) and each line is decoded on its own: UTF-8, else CP949, else the line is named and
skipped; a NUL byte costs its line only, and a file that is binary is reported once.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from pathlib import Path
from typing import IO, cast

import orjson

from index.records import Problem, Record, rare_syllables, to_records

__all__ = ["read_jsonl"]

# -- JSON Lines -----------------------------------------------------------------------------

_HEAD = 8192
# C0 control bytes that text never holds: all but tab, LF, VT, FF, CR and ESC. They are single
# bytes in UTF-8 and CP949 alike (never part of a multibyte character), so raw bytes can be tested.
_CONTROL = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20)])


def _looks_binary(head: bytes) -> bool:
    """Whether the first 8 KB of a JSON Lines file are binary data rather than text with a few
    bad lines: control bytes (NUL and the like) in more than half of its lines (two at least),
    or in more than 1/16 of its bytes (64 at least, for data without line breaks).

    >>> _looks_binary(b'{"id": 1}\\n{"id": "\\x00"}\\n{"id": 3}\\n'), _looks_binary(bytes(100))
    (False, True)
    """
    controls = len(head) - len(head.translate(None, _CONTROL))
    if not controls:
        return False
    if controls >= 64 and controls * 16 > len(head):
        return True
    lines = [line for line in head.split(b"\n") if line.strip()]
    bad = sum(len(line.translate(None, _CONTROL)) < len(line) for line in lines)
    return bad >= 2 and bad * 2 > len(lines)


def read_jsonl(path: Path, p: str) -> Iterator[Record | Problem]:
    """The records of a JSON Lines file (gzipped or not) read a line at a time, so a file of
    any size needs the memory of one line. Each line is decoded on its own: UTF-8 (a BOM is
    dropped), else CP949/EUC-KR (with one note for the file), else it is skipped and named.
    A file starting with a UTF-16 BOM is UTF-16 throughout."""
    gz = path.name.lower().endswith(".gz")
    try:
        stream = gzip.open(path, "rb") if gz else path.open("rb")
    except OSError as e:
        yield Problem(p, None, f"cannot read file: {e.strerror or e}")
        return
    blank = True
    cp949 = 0  # lines decoded as CP949
    first_cp949 = 0
    utf8 = False  # a line holds non-ASCII UTF-8, so the file is not CP949 throughout
    n = kept = 0
    with stream:
        try:
            head = stream.peek(_HEAD)[:_HEAD]
            if head.startswith((b"\xff\xfe", b"\xfe\xff")):
                yield from _utf16_jsonl(cast(IO[bytes], stream), p)
                return
            if _looks_binary(head):
                yield Problem(p, None, "binary file (not text), skipped")
                return
            for n, raw in enumerate(stream, 1):
                if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                try:
                    line = raw.decode("utf-8")
                    utf8 = utf8 or not line.isascii()
                except UnicodeDecodeError as e:
                    decoded = _not_utf8(raw, e, p, n)
                    if isinstance(decoded, Problem):
                        yield decoded
                        blank = False
                        continue
                    line = decoded
                    cp949 += 1
                    first_cp949 = first_cp949 or n
                if not line.strip():
                    continue
                blank = False
                for item in _jsonl_line(line.rstrip("\r\n"), p, n):
                    kept += isinstance(item, Record)
                    yield item
        except (OSError, EOFError) as e:
            yield Problem(p, None, _broken(e, gz, n, kept))
            blank = False
    if cp949 and not utf8:
        yield Problem(p, None, "decoded as CP949/EUC-KR", fatal=False)
    elif cp949:
        later = cp949 - 1
        more = f" (and {later} later line{'s' * (later > 1)})" if later else ""
        yield Problem(p, first_cp949, f"not UTF-8 like the rest of the file: decoded as "
                                      f"CP949/EUC-KR{more}", fatal=False)
    if blank:
        yield Problem(p, None, "empty file, skipped")


def _broken(error: OSError | EOFError, gz: bool, lines: int, kept: int) -> str:
    """What a file that broke off while it was read says: why, and what of it was kept (the
    whole lines read before the break; a line cut by it is never read).

    >>> _broken(EOFError("cut"), True, 3, 2)
    'broken gzip file (cut) after line 3: the 2 records before the break kept, the rest skipped'
    >>> _broken(EOFError("cut"), True, 0, 0)
    'broken gzip file (cut) before its first line ended: file skipped'
    """
    what = f"broken gzip file ({error})" if gz else f"cannot read file ({error})"
    if not lines:
        return f"{what} before its first line ended: file skipped"
    records = f"the {kept} records" if kept != 1 else "the 1 record"
    return f"{what} after line {lines}: {records} before the break kept, the rest skipped"


def _not_utf8(raw: bytes, error: UnicodeDecodeError, path: str, n: int) -> str | Problem:
    """A line that is not UTF-8, decoded as CP949/EUC-KR, or why it cannot be read."""
    if error.end == len(raw) and error.reason == "unexpected end of data":
        # The last line of a file cut short inside a character: CP949 could read the
        # stranded lead bytes as some other character, so it is not tried.
        return Problem(path, n, "file ends in the middle of a character (cut short?), "
                                "line skipped")
    try:
        text = raw.decode("cp949")
    except UnicodeDecodeError:
        return Problem(path, n, "not UTF-8 or CP949/EUC-KR text, line skipped")
    if rare_syllables(text):
        return Problem(path, n, "not UTF-8, and as CP949 it reads as rare syllables: another "
                                "encoding (Shift-JIS, GBK?), line skipped")
    return text


def _utf16_jsonl(stream: IO[bytes], p: str) -> Iterator[Record | Problem]:
    """The records of a UTF-16 JSON Lines file (it starts with a byte order mark), streamed."""
    # Lines end at "\n" only: U+2028 and friends are legal inside JSON strings.
    text = io.TextIOWrapper(stream, encoding="utf-16", newline="\n")
    blank = True
    n = 0
    try:
        for n, line in enumerate(text, 1):
            if line.strip():
                blank = False
                yield from _jsonl_line(line.rstrip("\r\n"), p, n)
    except UnicodeDecodeError as e:
        # Decoded a chunk at a time: the break is somewhere after the last line read.
        yield Problem(p, None, f"broken UTF-16 text after line {n} ({e.reason}), "
                               "rest of file skipped")
        blank = False
    finally:
        text.detach()  # the caller closes the file
    if blank:
        yield Problem(p, None, "empty file, skipped")


def _jsonl_line(line: str, path: str, n: int) -> Iterator[Record | Problem]:
    try:
        obj = orjson.loads(line)
    except orjson.JSONDecodeError as e:
        if "\x00" in line:
            yield Problem(path, n, "NUL byte in the line (binary data?), line skipped")
        else:
            yield Problem(path, n, f"broken JSON ({e.msg} at column {e.colno}), line skipped")
        return
    if not isinstance(obj, dict):
        yield Problem(path, n, f"expected a JSON object, found {type(obj).__name__}, skipped")
        return
    yield from to_records(obj, path, n, f"{path}#{n}")
