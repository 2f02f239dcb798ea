"""Composition: Chinese body lines, headlines and (in ``page``) whole pages.

Takes: text with styles, measures in pt, type specifications.
Gives: positioned lines (``compose_paragraph``, ``compose_headline``) and the data types they use.
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
