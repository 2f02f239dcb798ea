"""The anchor: the same page set by Typst (where ``pip install typst`` works; never a dependency of banmian).

Takes: a content YAML file and an output path (``--warm N``: compile N times in one process, after a
one-paragraph edit each time, and print the median seconds).
Gives: a PDF of the sample's articles in the broadsheet's slots (390 × 540 mm, the banner, each article
in its slot's frame, columns and photo height from layouts/broadsheet-page/layout.yaml, 9 pt Noto Serif
CJK SC on 13.5 pt, 2 em indent, justified), Typst's own line breaking and fonts (the system's Noto CJK).
Used by bench/run.py as the anchor in the same run: whole-process cold compiles, and warm recompiles in
one process (Typst's ``Compiler`` keeps its caches, so an edit recompiles incrementally).
Run: python bench/typst_page.py CONTENT.yaml OUT.pdf [--warm N]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import yaml

PREAMBLE = """
#set page(width: 390mm, height: 540mm, margin: 0mm)
#set text(font: ("Noto Serif CJK SC",), size: 9pt, lang: "zh", region: "cn")
#set par(justify: true, first-line-indent: (amount: 2em, all: true), leading: 4.5pt, spacing: 4.5pt)
"""
# The broadsheet's grid and slots (layouts/broadsheet-page/layout.yaml): columns of 13 字 of 9 pt, 8 pt
# gutters, a 13.5 pt baseline grid from 22 mm down and 20 mm in; (col, span, line, lines, photo lines).
COLUMN, GUTTER, PITCH = 117.0, 8.0, 13.5
SLOTS = ((1, 5, 16, 34, 21), (6, 3, 16, 46, 15), (1, 3, 50, 55, 17), (4, 2, 50, 55, 14), (6, 3, 62, 43, 12))


def _escape(text: str) -> str:
    return "".join("\\" + ch if ch in "\\#*_`$[]<>@=-+/~\"'" else ch for ch in text)


def _at(col: int, line: int) -> str:
    return f"dx: 20mm + {(col - 1) * (COLUMN + GUTTER)}pt, dy: 22mm + {(line - 1) * PITCH}pt"


def page_source(content: Path, edit: str = "") -> str:
    data = yaml.safe_load(content.read_text(encoding="utf-8"))
    banner = (data.get("banner") or {}).get("title", "")
    banner = " ".join(banner) if isinstance(banner, list) else banner
    big = f'text(size: 54pt, weight: 900, fill: rgb("#cc0000"))[{_escape(banner)}]'
    parts = [PREAMBLE, f"#place(top + left, {_at(1, 6)}, block(width: 350mm, height: {10 * PITCH}pt, "
             f"align(center + horizon, {big})))"]
    for i, (art, slot) in enumerate(zip(data["articles"], SLOTS, strict=False)):
        col, span, line, lines, photo = slot
        title = art["title"] if isinstance(art["title"], str) else " ".join(art["title"])
        paras = [p.replace("\n", "").replace("**", "") for p in art["body"].split("\n\n")]
        if i == 0 and edit:
            paras[0] = paras[0].replace("八十余年", edit, 1)
        body = "\n\n".join(_escape(p) for p in paras)
        images = "".join(f'#image("{(content.parent / im["src"]).resolve()}", width: 100%, '
                         f'height: {photo * PITCH}pt, fit: "cover")\n' for im in art.get("images", [])[:1])
        heading = f'#text(size: 26pt, weight: 900, fill: rgb("#cc0000"))[{_escape(title)}]'
        width = span * COLUMN + (span - 1) * GUTTER
        frame = f"block(width: {width}pt, height: {lines * PITCH}pt)"
        parts.append(f"#place(top + left, {_at(col, line)}, {frame}"
                     f"[{heading}\n{images}#columns({span}, gutter: {GUTTER}pt)[{body}]])")
    return "\n".join(parts)


def main() -> int:
    import typst

    content, out = Path(sys.argv[1]), Path(sys.argv[2])
    source = out.with_suffix(".typ")
    if "--warm" not in sys.argv:
        source.write_text(page_source(content), encoding="utf-8")
        typst.compile(str(source), output=str(out), root="/")
        return 0
    runs = int(sys.argv[sys.argv.index("--warm") + 1])
    source.write_text(page_source(content), encoding="utf-8")
    compiler = typst.Compiler(str(source), root="/")
    compiler.compile(output=str(out))
    took = []
    for i in range(runs):
        source.write_text(page_source(content, "八十多年" if i % 2 == 0 else "八十余年"), encoding="utf-8")
        t = time.perf_counter()
        compiler.compile(output=str(out))
        took.append(time.perf_counter() - t)
    print(f"{statistics.median(took):.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
