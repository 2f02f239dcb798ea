"""Compose: text and layout → positioned lines, frames and whole pages (``PageModel``).

Takes: ``Document``, ``Layout`` and ``FontSet`` from ``source``.
Gives: justified lines by the clreq rules (``kinsoku``, ``shaping``, ``linebreak``, ``headline``) and
vertical headline columns (``vertical``); the
page model of module pages, spreads and flowing bulletins (``boxes``, ``setter``, ``bands``, ``page``,
``jump``, ``spread``, ``flow`` with its page make-up ``flowstory`` and ``makeup``, ``folio``); chart and
code geometry laid out with the text (``charts``, ``codes``); capacity, overset and bounded auto-fit in
lines and 字 (``fit``); the composed lines checked against their frames and fonts (``printcheck``).
"""

from banmian.compose.headline import HeadlineTooLongError, compose_headline, natural_width
from banmian.compose.linebreak import Glyph, Line, Span, TypeSpec, compose_paragraph

__all__ = [
    "Glyph",
    "HeadlineTooLongError",
    "Line",
    "Span",
    "TypeSpec",
    "compose_headline",
    "compose_paragraph",
    "natural_width",
]
