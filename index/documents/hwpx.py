"""Text of HWPX (OWPML) documents: a zip of XML parts, read section by section as a stream.

Only `<hp:t>` text is body text, so field instructions (`Clickhere:set:...` parameters) and
picture descriptions (`<hp:shapeComment>`) never are. Table cells are read row by row; headers,
footers, foot- and endnotes and text boxes once, where they are anchored; hidden comments not.
The zip is checked against bombs before anything is inflated. XML goes through expat as a
stream with the guards defusedxml sets (a DTD, entity declarations or external entities are
refused, so nothing expands), without defusedxml's pure-Python parser: about three times faster here.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import IO, Any, NoReturn, Protocol
from xml.parsers import expat

from index.documents.common import Document, Unreadable, clean
from index.readers import parse_date

__all__ = ["MAX_ENTRIES", "MAX_RATIO", "MAX_UNCOMPRESSED", "check_zip", "read_hwpx"]

MAX_ENTRIES = 10_000
MAX_UNCOMPRESSED = 256 * 1024 * 1024  # all parts together, inflated
MAX_RATIO = 200  # inflated / compressed, for parts over a megabyte inflated

_SECTION = re.compile(r"Contents/section(\d+)\.xml", re.I)
_INLINE = {"tab": " ", "lineBreak": "\n", "fwSpace": " ", "nbSpace": " ", "hyphen": "-"}
_SKIP = frozenset({"hiddenComment", "shapeComment", "parameters"})
_MATTERS = frozenset({*_SKIP, *_INLINE, "t", "p", "tc", "tr", "footNote", "endNote"})
_CHUNK = 1 << 16


def _local(tag: str) -> str:
    return tag[tag.find(":") + 1:]


def check_zip(archive: zipfile.ZipFile) -> None:
    """Refuse a zip whose entries would inflate beyond what a document needs (a zip bomb)."""
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise Unreadable(f"the zip holds {len(infos)} entries (more than {MAX_ENTRIES}): "
                         "not a document, or a zip bomb")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > 1 << 20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise Unreadable(f"{info.filename} would inflate {info.file_size // max(info.compress_size, 1)}"
                             " times: a zip bomb?")
    if total > MAX_UNCOMPRESSED:
        raise Unreadable(f"its parts inflate to {total // (1 << 20)} MB (more than "
                         f"{MAX_UNCOMPRESSED >> 20} MB): a zip bomb?")


class _Readable(Protocol):
    def read(self, n: int = -1, /) -> bytes: ...


class _Capped:
    """A part's stream that stops at the size its zip entry declared (entries can lie)."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        self.stream, self.left = stream, limit

    def read(self, n: int = -1) -> bytes:
        data = self.stream.read(n if n >= 0 else self.left + 1)
        self.left -= len(data)
        if self.left < 0:
            raise Unreadable("a part inflates beyond its declared size: damaged or a zip bomb")
        return data


class _Section:
    """Paragraphs of one section in reading order, cells of a table row joined on one line,
    foot- and endnotes after the paragraph that cites them (so they do not split a sentence)."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        # open containers, innermost last: ["p", parts, notes] / ["tc", parts] / ["tr", cells]
        # / ["note", paragraphs]
        self.open: list[list[Any]] = []
        self.skip = 0
        self.in_t = 0
        self.names: dict[str, str] = {}

    def deliver(self, text: str, below: int) -> None:
        for item in reversed(self.open[:below]):
            if item[0] in ("tc", "note"):
                item[1].append(text)
                return
            if item[0] == "tr":
                break
        self.lines.append(text)

    def flush_paragraph(self) -> None:
        """Emit what an open paragraph holds so far, before a table or text box inside it."""
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == "note":
                return
            if self.open[i][0] == "p":
                text = "".join(self.open[i][1])
                if text.strip():
                    self.deliver(text, i)
                self.open[i][1] = []
                return

    def learn(self, tag: str) -> str:
        """The local name of a tag that matters here, "" for the many that do not (runs, cell
        sizes, line segments...). Expat calls back for every element, so the handlers look a
        tag up in `names` and come here only the first time they see it."""
        name = _local(tag)
        name = name if name in _MATTERS else ""
        if len(self.names) < 4096:  # bounded: a hostile part can invent any number of tags
            self.names[tag] = name
        return name

    def start(self, tag: str, _attrs: object) -> None:
        name = self.names.get(tag)
        if name is None:
            name = self.learn(tag)
        if not name:
            return
        if name in _SKIP:
            self.skip += 1
        elif self.skip:
            return
        elif name == "t":
            self.in_t += 1
        elif name in _INLINE:
            if self.in_t:
                self._innermost_p().append(_INLINE[name])
        elif name in ("footNote", "endNote"):
            self.open.append(["note", []])
        else:  # p, tc, tr
            self.flush_paragraph()
            self.open.append([name, [], []] if name == "p" else [name, []])

    def data(self, text: str) -> None:
        if self.in_t and not self.skip:
            self._innermost_p().append(text)

    def end(self, tag: str) -> None:
        name = self.names.get(tag)
        if name is None:
            name = self.learn(tag)
        if not name:
            return
        if name in _SKIP:
            self.skip -= 1
            return
        if self.skip:
            return
        if name == "t":
            self.in_t -= 1
            return
        if name in ("footNote", "endNote"):
            name = "note"
        if not (self.open and self.open[-1][0] == name):
            return
        item = self.open.pop()
        parts = item[1]
        if name == "note":
            for other in reversed(self.open):
                if other[0] == "p":
                    other[2].extend(parts)
                    return
            self.lines.extend(parts)
            return
        if name == "p":
            text = "".join(parts)
        elif name == "tc":
            text = " ".join(" ".join(parts).split())
        else:
            text = " | ".join(parts)
        if text.strip():
            if name == "tc" and self.open and self.open[-1][0] == "tr":
                self.open[-1][1].append(text)
            else:
                self.deliver(text, len(self.open))
        if name == "p":
            for note in item[2]:
                self.deliver(note, len(self.open))

    def _innermost_p(self) -> list[str]:
        for item in reversed(self.open):
            if item[0] == "p":
                return item[1]
        return []


def _refuse(*_args: object) -> NoReturn:
    raise Unreadable("its XML declares a DTD or entities: refused (they can expand without bound)")


def _parse(stream: _Readable, start: Any, end: Any, data: Any, *, attributes: bool = True) -> None:
    """Feed a part to expat a chunk at a time, with DTDs and entities refused. Without
    `attributes`, `start` is given them as a list, which expat builds faster than a dict."""
    parser = expat.ParserCreate()
    parser.ordered_attributes = not attributes
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    parser.buffer_text = True
    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.CharacterDataHandler = data
    while chunk := stream.read(_CHUNK):
        parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _read_section(stream: _Readable, lines: list[str]) -> None:
    section = _Section(lines)
    _parse(stream, section.start, section.end, section.data, attributes=False)


def _metadata(archive: zipfile.ZipFile) -> tuple[str, str, str]:
    """Title, creator and created date from Contents/content.hpf, where set."""
    try:
        info = archive.getinfo("Contents/content.hpf")
    except KeyError:
        return "", "", ""
    found: dict[str, list[str]] = {}
    current: list[str | None] = [None]

    def start(tag: str, attrs: dict[str, str]) -> None:
        name = _local(tag)
        key = "title" if name == "title" else attrs.get("name") if name == "meta" else None
        current[0] = key if key in ("title", "creator", "CreatedDate") else None
        if current[0]:
            found[current[0]] = []

    def end(_tag: str) -> None:
        current[0] = None

    def data(text: str) -> None:
        if current[0]:
            found[current[0]].append(text)

    with archive.open(info) as stream:
        _parse(_Capped(stream, info.file_size), start, end, data)

    def value(key: str) -> str:
        return " ".join("".join(found.get(key, [])).split())

    return value("title"), value("creator"), value("CreatedDate")


def read_hwpx(path: Path) -> Document:
    """The text and metadata of an HWPX file; `Unreadable` says why there are none."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as e:
        raise Unreadable(f"not a readable zip ({e}): the file is damaged or truncated") from None
    with archive:
        check_zip(archive)
        names = {info.filename: info for info in archive.infolist()}
        sections = sorted((int(m[1]), name) for name in names if (m := _SECTION.fullmatch(name)))
        if not sections:
            raise Unreadable("no Contents/sectionN.xml part: not an HWPX document")
        lines: list[str] = []
        name = ""
        try:
            for _, name in sections:
                info = names[name]
                with archive.open(info) as stream:
                    _read_section(_Capped(stream, info.file_size), lines)
            name = "Contents/content.hpf"
            title, creator, created = _metadata(archive)
            notes: tuple[str, ...] = ()
        except expat.ExpatError as e:
            broken = f"broken XML in {name} at line {e.lineno} ({expat.errors.messages[e.code]})"
            if not name.endswith(".hpf"):
                raise Unreadable(broken) from None
            # the metadata is no reason to lose the body: it is indexed without them
            title = creator = created = ""
            notes = (f"{broken}: its title, author and date are not read",)
        except (zipfile.BadZipFile, EOFError, OSError) as e:
            raise Unreadable(f"{name} cannot be inflated ({e}): the file is damaged") from None
    return Document(body=clean("\n".join(lines)), title=title, date=parse_date(created),
                    source=creator, notes=notes)
