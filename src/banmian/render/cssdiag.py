"""The layout's stylesheet checked before it is used: every rule takes effect or is refused at its line.

Takes: a layout and the text of its stylesheet (``layout.css``).
Gives: ``css_diagnostics`` and, when the page is rendered (WeasyPrint is not imported for a frame taken
from the cache), ``weasyprint_diagnostics`` — errors at ``layout.css:LINE:COL``, in file order, for
- a ``{`` never closed (a missing ``}`` makes CSS read every later rule as part of the open one, so all
  of them are dropped without a word) and a ``}`` without its ``{``;
- whatever WeasyPrint ignores: unknown properties (``colr``), invalid values, unknown at-rules, parse
  errors — WeasyPrint's own messages, caught from its documented ``weasyprint`` logger while it parses
  the stylesheet alone (so its line numbers are the file's);
- selectors WeasyPrint cannot match (``cssselect2``, WeasyPrint's selector engine);
- a declaration that would set the size, face or spacing of composed text (``.s-caption { font-size:
  14pt }``, ``figcaption { line-height: … }``): banmian sets and measures every composed line from
  layout.yaml and draws it itself, so such CSS could only make the page disagree with the fit; the
  message names the layout.yaml key to use instead.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cssselect2
import tinycss2
import tinycss2.ast

from banmian.core.diagnostics import Diagnostic, Location, error
from banmian.render.weasy import weasyprint

DOC = "docs/layouts.md"
# text properties → the key of a layout.yaml style that sets them (``{}``: the style's name)
TEXT_KEYS = {
    "font": "styles.{}.font and .size", "font-size": "styles.{}.size", "line-height": "styles.{}.leading",
    "font-family": "styles.{}.font (a font role of fonts.yaml)",
    "font-weight": "styles.{}.font (a bold face's role)",
    "font-style": "styles.{}.font", "font-stretch": "styles.{}.font", "font-variant": "styles.{}.font",
    "font-feature-settings": "styles.{}.font", "letter-spacing": "styles.{}.tracking",
    "word-spacing": "styles.{}.tracking", "text-align": "styles.{}.align", "text-indent": "styles.{}.indent",
    "text-justify": "styles.{}.align", "color": "styles.{}.color", "white-space": "styles.{}",
}
# elements of the base template that hold composed lines, and the style that sets them
CONTAINERS = {"figcaption": "caption", ".headline": "title", ".banner": "banner-title",
              ".header-strip": "header-title", ".folio": "folio", ".body": "body", ".sidebar": "sidebar",
              "aside": "sidebar", ".ln": "<style>"}
STYLE_CLASS = re.compile(r"\.s-([A-Za-z0-9_-]+)")
AT = re.compile(r"\s+(?:at|the whole \S+ rule was ignored at)\s+\d+:\d+\.?|\s*at \d+:\d+\.?")


def css_diagnostics(path: Path, text: str) -> list[Diagnostic]:
    """The problems of the stylesheet ``text`` (read from ``path``) found without WeasyPrint, in file
    order: braces, selectors, composed text."""
    diags = _brace_errors(path, text)
    rules = list(_style_rules(tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)))
    diags += [d for rule in rules for d in _selector_errors(path, rule)]
    diags += [d for rule in rules for d in _composed_text_errors(path, rule)]
    return _in_order(diags)


def _in_order(diags: list[Diagnostic]) -> list[Diagnostic]:
    unique = {(d.location.line, d.location.column, d.message): d for d in diags}
    return sorted(unique.values(), key=lambda d: (d.location.line or 0, d.location.column or 0))


def _brace_errors(path: Path, text: str) -> list[Diagnostic]:
    """Braces out of balance, found on the text without its comments and strings."""
    opened: list[tuple[int, int, str]] = []  # line, column, what precedes the ``{``
    diags = []
    for line, column, char, before in _braces(text):
        if char == "{":
            opened.append((line, column, before))
        elif opened:
            opened.pop()
        else:
            diags.append(error("a '}' without its '{'", Location(path, line, column), code="css",
                               hint="remove it, or add the rule's opening '{'"))
    for line, column, before in opened:
        diags.append(error(f"the '{{' of {before or 'this rule'} is never closed: every rule after it is "
                           "read as part of it and ignored", Location(path, line, column), code="css",
                           hint="add the missing '}' where this rule ends"))
    return diags


def _braces(text: str) -> Iterator[tuple[int, int, str, str]]:
    """Each ``{`` and ``}`` outside comments and strings: line, column (1-based), the brace, and for a
    ``{`` the selector or at-rule before it."""
    plain = re.sub(r"/\*.*?(\*/|$)|\"(?:\\.|[^\"\\\n])*\"?|'(?:\\.|[^'\\\n])*'?",
                   lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.DOTALL)
    line, start, last = 1, 0, 0
    for i, char in enumerate(plain):
        if char == "\n":
            line, start = line + 1, i + 1
        elif char in "{}":
            before = " ".join(plain[last:i].split())[-40:]
            yield line, i - start + 1, char, f"'{before}'" if char == "{" and before else ""
            last = i + 1
        elif char == ";":
            last = i + 1


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def weasyprint_diagnostics(path: Path, text: str) -> list[Diagnostic]:
    """What WeasyPrint says while it parses the stylesheet alone (nothing fetched: imports and fonts are
    checked when the page is rendered), in file order."""
    def refuse(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        raise ValueError(f"{url}: not fetched while checking")

    logger = logging.getLogger("weasyprint")
    collect = _Collect()
    logger.addHandler(collect)
    try:
        # relative URLs resolve in the layout's folder (the render fetches them, confined there)
        weasyprint().CSS(string=text, base_url=path.parent.resolve().as_uri() + "/", url_fetcher=refuse)
    finally:
        logger.removeHandler(collect)
    diags = []
    for record in collect.records:
        message = record.getMessage()
        if message.startswith(("Failed to load", "Invalid or unsupported selector")):
            continue  # imports: checked when rendered; selectors: located by _selector_errors
        args = record.args if isinstance(record.args, tuple) else ()
        pairs = [(a, b) for a, b in itertools.pairwise(args) if type(a) is int and type(b) is int]
        where = Location(path, *pairs[-1]) if pairs else Location(path)  # its "at LINE:COL"
        diags.append(error(f"WeasyPrint ignores this: {AT.sub('', message).rstrip('.')}", where, code="css",
                           hint=f"fix or remove the declaration; see {DOC} (stylesheet)"))
    return _in_order(diags)


def _style_rules(nodes: list[Any]) -> Iterator[tinycss2.ast.QualifiedRule]:
    """The style rules of a stylesheet, those inside ``@media`` and ``@supports`` included."""
    for node in nodes:
        if isinstance(node, tinycss2.ast.QualifiedRule):
            yield node
        elif isinstance(node, tinycss2.ast.AtRule) and node.lower_at_keyword in ("media", "supports") \
                and node.content is not None:
            yield from _style_rules(tinycss2.parse_rule_list(node.content, skip_comments=True,
                                                             skip_whitespace=True))


def _selector_errors(path: Path, rule: tinycss2.ast.QualifiedRule) -> list[Diagnostic]:
    try:
        cssselect2.compile_selector_list(rule.prelude)
    except cssselect2.SelectorError as exc:
        selector = tinycss2.serialize(rule.prelude).strip()
        return [error(f"WeasyPrint cannot use the selector '{selector[:60]}': {exc}",
                      Location(path, rule.source_line, rule.source_column), code="css",
                      hint="a selector as CSS 3 writes it, e.g. .sidebar-box or figure img")]
    return []


def _composed_text_errors(path: Path, rule: tinycss2.ast.QualifiedRule) -> list[Diagnostic]:
    selector = " ".join(tinycss2.serialize(rule.prelude).split())
    styles = _composed_styles(selector)
    if not styles:
        return []
    diags = []
    for decl in tinycss2.parse_declaration_list(rule.content, skip_comments=True, skip_whitespace=True):
        if not isinstance(decl, tinycss2.ast.Declaration) or decl.lower_name not in TEXT_KEYS:
            continue
        keys = " or ".join(TEXT_KEYS[decl.lower_name].format(s) for s in styles)
        value = " ".join(tinycss2.serialize(decl.value).split())
        diags.append(error(f"'{selector} {{ {decl.name}: {value} }}' would change composed text: banmian "
                           "sets and measures it from layout.yaml and draws it itself",
                           Location(path, decl.source_line, decl.source_column), code="css",
                           hint=f"set {keys} in layout.yaml instead (the fit follows it); see {DOC}"))
    return diags


def _composed_styles(selector: str) -> list[str]:
    """The type styles whose composed lines ``selector`` would reach (``<style>``: any)."""
    styles = STYLE_CLASS.findall(selector)
    for part, style in CONTAINERS.items():
        if re.search(rf"(?<![\w-]){re.escape(part)}(?![\w-])", selector):
            styles.append(style)
    return list(dict.fromkeys(styles))
