"""kosearch's front ends: the `kosearch` command (tui.cli) and the Textual app (tui.app).

Importing this package imports no Textual: the command line stays fast for `index` and `search`.
"""

__all__: list[str] = []
