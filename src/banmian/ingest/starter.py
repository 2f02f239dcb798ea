"""New: a commented starter content file that builds as it is.

Takes: a name (becomes ``content/<name>.yaml``) and a layout.
Gives: the file, written only when it does not exist yet — every key of the content schema
(``banmian.source.model``) shown with a comment, one short article that fits, optional keys commented out.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from banmian.core.diagnostics import BuildError, error

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")

STARTER = """\
# {name}: content for one newspaper page. Build it with:  banmian build content/{name}.yaml
# Look at it live while you edit:  banmian serve content/{name}.yaml
# Every key is described, with examples, in docs/content.md.

meta:
  publication: 北碚教育          # the paper's name, printed in the page header
  section: 专版                  # the page's section (optional)
  issue: 第1期                   # optional
  date: {date}              # the issue date (YYYY-MM-DD); also the PDF's date
  page: 1                        # page number, 1–999
  editor: ""                     # the responsible editor (optional; goes into the PDF metadata)

layout: {layout}          # a folder under layouts/

# banner:                        # optional: the page-wide headline above the articles
#   kicker: 引题
#   title: 通栏主标题            # or a list of lines
#   subtitle: 副题

articles:                        # placed in the layout's slots in this order (or name a slot)
  - id: first-story              # letters, digits, '-' and '_'; unique in this file
    # slot: lead                 # optional: the layout slot to place it in (banmian fit lists them)
    # school: 北碚区某某小学      # optional: the school, used in the PDF's keywords
    # kicker: 引题                # optional: a line above the title
    title: 一篇短稿               # the headline; a list of strings for forced line breaks
    # subtitle: 副题              # optional
    byline: 本报记者              # optional
    body: |
      正文每段之间空一行。段首不必空格，排版时自动缩进两字。**加粗**用两个星号括起来。

      这是第二段。文字多于版面能容纳时，banmian build 会报告超出多少行、多少字；
      banmian fit 列出每篇稿件的容量和需要。
    # images:                    # optional, up to 8: photos next to this file (JPEG, PNG, HEIC…)
    #   - src: images/photo.jpg
    #     caption: 图片说明
    #     credit: 学校供图
    # sidebar:                   # optional: a boxed sidebar — either body or items
    #   title: 数说
    #   items:
    #     - 第一条
    #     - 第二条
    # qr:                        # optional: a QR code to the full text (where the slot has a qr area)
    #   url: https://example.org/story
    #   label: 扫码阅读全文
    # editorial: true            # optional: the title was written by the editors
"""


def starter_text(name: str, layout: str = "broadsheet-page", date: dt.date | None = None) -> str:
    return STARTER.format(name=name, layout=layout, date=(date or dt.date.today()).isoformat())


def new_content(name: str, folder: Path, layout: str = "broadsheet-page",
                date: dt.date | None = None) -> Path:
    """Write ``folder/<name>.yaml``; refuse a bad name or an existing file."""
    if not NAME.match(name):
        raise BuildError([error(f"bad name {name!r}", hint="letters, digits, '-' and '_', e.g. issue-387",
                                code="usage")])
    if not NAME.match(layout):
        raise BuildError([error(f"bad layout name {layout!r}", code="usage")])
    target = folder / f"{name}.yaml"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with target.open("x", encoding="utf-8") as handle:
            handle.write(starter_text(name, layout, date))
    except FileExistsError:
        raise BuildError([error(f"{target} exists already; not overwritten",
                                hint="choose another name or delete the file", code="exists")]) from None
    return target
