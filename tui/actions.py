"""App actions on the current document: copy its id or URL, open its URL or its source file.

A mixin of `KosearchApp`, kept apart so the app module stays about searching and layout.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App

    from search.types import Document, Hit

    _Base = App[None]
else:
    _Base = object


class DocumentActions(_Base):
    """Actions that need a current document; the app says which one that is."""

    def current_document(self) -> Hit | Document | None:
        raise NotImplementedError

    def _need_document(self) -> Hit | Document | None:
        document = self.current_document()
        if document is None:
            self.notify("Select a result first", severity="warning")
        return document

    def action_copy_id(self) -> None:
        if document := self._need_document():
            self.copy_to_clipboard(document.id)
            self.notify(f"Copied {document.id}", timeout=3)

    def action_copy_url(self) -> None:
        if document := self._need_document():
            if not document.url:
                self.notify("This document has no URL", severity="warning")
                return
            self.copy_to_clipboard(document.url)
            self.notify(f"Copied {document.url}", timeout=3)

    def action_open_url(self) -> None:
        if document := self._need_document():
            if not document.url:
                self.notify("This document has no URL", severity="warning")
                return
            self.open_url(document.url)

    def action_open_source(self) -> None:
        """Open the file the document came from in $VISUAL or $EDITOR, else the system's viewer."""
        document = self._need_document()
        if document is None:
            return
        if not document.path or not Path(document.path).exists():
            self.notify("This document has no source file on this machine", severity="warning")
            return
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        if not editor:
            self.open_url(Path(document.path).resolve().as_uri())
            return
        try:
            with self.suspend():
                subprocess.run([*shlex.split(editor), document.path], check=False)
        except Exception as error:  # no terminal to hand over (tests, web), or no such editor
            self.notify(f"Could not run {editor}: {error}", severity="error")
