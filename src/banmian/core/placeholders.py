"""The marks a draft leaves where the editor must act, shared by the importer that writes them and the
loader that warns while they stand.

Takes: nothing.
Gives: ``TODO`` (the word in a value or a ``# TODO`` comment), ``PLACEHOLDER_TITLE`` (待拟标题, a headline
the source did not have) and ``placeholder_in(text)``: which of them a text still holds.
"""

from __future__ import annotations

import re

TODO = "TODO"
PLACEHOLDER_TITLE = "待拟标题"
TODO_COMMENT = re.compile(r"(?:^|\s)#\s*TODO\b:?\s*(.*)$")  # a YAML comment starting with TODO


def placeholder_in(text: str) -> str | None:
    """The placeholder ``text`` still holds (``TODO`` or 待拟标题), or ``None``."""
    if re.search(rf"\b{TODO}\b", text):
        return TODO
    if PLACEHOLDER_TITLE in text:
        return PLACEHOLDER_TITLE
    return None
