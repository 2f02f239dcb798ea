"""The comparison: the same page set by plain WeasyPrint CSS (no banmian composition).

Takes: a content YAML file and an output path.
Gives: a PDF of the sample's articles in a CSS grid of multi-column blocks (390 × 540 mm, 9 pt Noto
Serif CJK SC on 13.5 pt, 2 em indent, justified, column rules), fonts picked by fontconfig — the way a
user would set the page with WeasyPrint alone. Used by bench/run.py as the reference in the same run.
Run: python bench/plain_weasyprint.py CONTENT.yaml OUT.pdf
"""

from __future__ import annotations

import html
import sys
from pathlib import Path

import yaml

CSS = """
@page { size: 390mm 540mm; margin: 22mm 20mm; }
html { font-family: "Noto Serif CJK SC"; font-size: 9pt; line-height: 13.5pt; }
body { margin: 0; }
.banner { text-align: center; margin-bottom: 6mm; }
.banner h1 { font-family: "Noto Serif CJK SC"; font-weight: 900; font-size: 54pt; line-height: 64pt;
             margin: 0; color: #c00; }
.grid { display: grid; grid-template-columns: 5fr 3fr; gap: 4mm 8pt; }
article { columns: 3; column-gap: 8pt; column-rule: 0.3pt solid black; }
article.wide { columns: 5; }
article h2 { column-span: all; font-weight: 900; font-size: 26pt; line-height: 32pt; color: #c00;
             margin: 0 0 4pt; }
article p { text-indent: 2em; text-align: justify; margin: 0; }
article img { width: 100%; }
figcaption { font-family: "LXGW WenKai"; font-size: 9pt; }
"""


def page_html(content: Path) -> str:
    data = yaml.safe_load(content.read_text(encoding="utf-8"))
    banner = data.get("banner") or {}
    parts = [f"<html lang='zh-Hans'><head><meta charset='utf-8'><style>{CSS}</style></head><body>",
             f"<div class='banner'><h1>{html.escape(str(banner.get('title', '')))}</h1></div>",
             "<div class='grid'>"]
    for i, art in enumerate(data["articles"]):
        title = art["title"] if isinstance(art["title"], str) else "<br>".join(art["title"])
        parts.append(f"<article class='{'wide' if i == 0 else ''}'><h2>{html.escape(title)}</h2>")
        for image in art.get("images", []):
            src = (content.parent / image["src"]).resolve().as_uri()
            parts.append(f"<figure><img src='{src}'><figcaption>{html.escape(image.get('caption', ''))}"
                         "</figcaption></figure>")
        for para in art["body"].split("\n\n"):
            text = html.escape(para.replace("\n", "").replace("**", ""))
            parts.append(f"<p>{text}</p>")
        parts.append("</article>")
    parts.append("</div></body></html>")
    return "".join(parts)


def render(content: Path, out: Path) -> None:
    import weasyprint

    weasyprint.HTML(string=page_html(content), base_url=str(content.parent)).write_pdf(out)


if __name__ == "__main__":
    render(Path(sys.argv[1]), Path(sys.argv[2]))
