"""banmian import: text, Markdown and Word stories → draft content YAML that loads."""

from __future__ import annotations

import difflib
import io
import re
from pathlib import Path

import pytest
import yaml

from banmian.cli.main import main
from banmian.ingest.draft import draft_yaml
from banmian.ingest.importer import assemble, join_lines, read_text, text_blocks
from banmian.source.load import load

FIXTURES = Path(__file__).parent / "fixtures"
SEED = Path("/work/shared/seed/000_6aa715517b91c0bd.txt")
SAMPLE = Path(__file__).resolve().parents[1] / "content" / "beibei-dangjian.yaml"


def norm(text: str) -> str:
    return "".join(text.replace("**", "").split())


def test_join_lines_chinese_without_spaces_latin_with() -> None:
    joined = join_lines(["党建引领，擎旗奋进。北碚区两江", "小学坚持党对教育"])
    assert joined == "党建引领，擎旗奋进。北碚区两江小学坚持党对教育"
    joined = join_lines(["目前已累计播出300余分钟，100", "余个小故事"])
    assert joined == "目前已累计播出300余分钟，100余个小故事"
    assert join_lines(["The quick brown", "fox jumps"]) == "The quick brown fox jumps"
    assert join_lines(["“2+", "1”研究机制"]) == "“2+1”研究机制"


def test_page_break_split_is_healed_but_paragraphs_stay() -> None:
    text = "第一段写到一半，\n被分页\n\n打断了。\n\n第二段。\n"
    blocks = text_blocks(text)
    assert [b.text for b in blocks] == ["第一段写到一半，被分页打断了。", "第二段。"]


def test_closing_quote_after_full_stop_ends_a_paragraph() -> None:
    blocks = text_blocks("他说：“很好。”\n\n另起一段，继续。\n")
    assert [b.text for b in blocks] == ["他说：“很好。”", "另起一段，继续。"]


def test_markdown_headings_become_titles(tmp_path: Path) -> None:
    source = tmp_path / "story.md"
    source.write_text("# 第一篇标题\n\n第一段，\n接着写。\n\n第二段。\n\n"
                      "# 第二篇\n## 副标题行\n\n正文**加粗**。\n", encoding="utf-8")
    draft = read_text(source)
    assert [a.title for a in draft.articles] == [("第一篇标题",), ("第二篇", "副标题行")]
    assert draft.articles[0].paragraphs == ("第一段，接着写。", "第二段。")
    assert draft.articles[1].paragraphs == ("正文**加粗**。",)
    target = tmp_path / "story.yaml"
    target.write_text(draft_yaml(draft), encoding="utf-8")
    doc = load(target)
    assert len(doc.articles) == 2 and doc.articles[1].paragraphs[0].spans[1].bold


def test_untrusted_text_cannot_change_the_yaml_structure(tmp_path: Path) -> None:
    source = tmp_path / "evil.md"
    source.write_text('# "title": x\n\nbody: |\n  - id: injected\n\n#  \n\n正文。\n', encoding="utf-8")
    target = tmp_path / "evil.yaml"
    target.write_text(draft_yaml(read_text(source)), encoding="utf-8")
    doc = load(target)
    assert [a.id for a in doc.articles] == ["article-1"]
    assert doc.articles[0].article.title == '"title": x'


def test_seed_excerpt_fixture(tmp_path: Path) -> None:
    """Text from a printed page: split lines healed, the headline block after the body found."""
    out = tmp_path / "content" / "excerpt.yaml"
    assert main(["import", str(FIXTURES / "seed-excerpt.txt"), "-o", str(out)]) == 0
    doc = load(out)
    assert len(doc.articles) == 1
    art = doc.articles[0].article
    assert art.title_lines == ("党建统领“双创”提质", "“蒙爱”教育行稳致远")
    assert art.byline == "北碚区朝阳幼儿园"
    assert "高扬“蒙爱风帆”，引领" in art.body  # healed across a page-break split
    assert "以“青年教师成长孵化园”“安全共同体建设”" in art.body
    assert len(doc.articles[0].paragraphs) == 7
    text = out.read_text(encoding="utf-8")
    assert "TODO" in text and '#     caption: "朝阳幼儿园的“朝阳娃过中国年”活动"' in text


def test_bodies_split_where_another_byline_is_named() -> None:
    text = ("2024年，某某小学成功入选，\n引领学校发展。\n\n第二段。\n\n"
            "在八十余年的办学历程中，北碚区朝阳幼儿园始终坚持。\n\n又一段。\n\n"
            "北碚区朝阳幼儿园\n\n标题一行\n标题二行\n\n朝阳幼儿园的活动照片说明\n")
    draft = assemble(Path("x.txt"), text_blocks(text))
    assert len(draft.articles) == 2
    first, second = draft.articles
    assert first.title == () and first.paragraphs[0].startswith("2024年")
    assert second.byline == "北碚区朝阳幼儿园" and second.title == ("标题一行", "标题二行")
    assert [im.caption for im in second.images] == ["朝阳幼儿园的活动照片说明"]


@pytest.mark.skipif(not SEED.is_file(), reason="the shared seed text is not on this machine")
def test_seed_gives_five_articles_close_to_the_hand_made_sample(tmp_path: Path) -> None:
    out = tmp_path / "seed.yaml"
    assert main(["import", str(SEED), "-o", str(out)]) == 0
    imported = [a.article.body for a in load(out).articles]
    assert len(imported) == 5
    sample = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))["articles"]
    for article in sample:
        ratios = [difflib.SequenceMatcher(None, norm(article["body"]), norm(body), autojunk=False).ratio()
                  for body in imported]
        assert max(ratios) >= 0.95, (article["id"], max(ratios))


def make_docx(path: Path) -> None:
    import docx
    from docx.shared import Inches
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (60, 40), (200, 30, 30)).save(picture, "PNG")
    picture.seek(0)
    document = docx.Document()
    document.add_paragraph("星光点点放光彩", style="Title")
    p = document.add_paragraph()
    p.add_run("强化教师党性修养。").bold = True
    p.add_run("学校党支部严格落实“三会一课”，")
    document.add_paragraph("以“满天星青年教师成长营”等形式锻造新时代教师队伍。")  # split by a page break
    document.add_paragraph().add_run().add_picture(picture, width=Inches(1))
    document.add_paragraph("金兴小学党支部团队开展活动", style="Caption")
    document.add_paragraph("第二篇稿件", style="Heading 1")
    document.add_paragraph("第二篇的正文，\n手工换行之后继续。")
    document.save(str(path))


def test_docx_import_extracts_images_and_titles(tmp_path: Path) -> None:
    source = tmp_path / "story.docx"
    make_docx(source)
    out = tmp_path / "content" / "story.yaml"
    assert main(["import", str(source), "-o", str(out)]) == 0
    assert (tmp_path / "content" / "images" / "story-1.png").is_file()
    doc = load(out)
    first, second = (a.article for a in doc.articles)
    assert first.title == "星光点点放光彩"
    assert first.body.strip() == ("**强化教师党性修养。**学校党支部严格落实“三会一课”，"
                                  "以“满天星青年教师成长营”等形式锻造新时代教师队伍。")
    assert first.images[0].src == "images/story-1.png"
    assert first.images[0].caption == "金兴小学党支部团队开展活动"
    assert second.title == "第二篇稿件"
    assert second.body.strip() == "第二篇的正文，手工换行之后继续。"


def test_import_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "a.txt"
    source.write_text("一段正文。\n", encoding="utf-8")
    out = tmp_path / "a.yaml"
    out.write_text("keep", encoding="utf-8")
    assert main(["import", str(source), "-o", str(out)]) == 1
    assert out.read_text(encoding="utf-8") == "keep"
    assert "exists already" in capsys.readouterr().err
    assert main(["import", str(source), "-o", str(out), "--force"]) == 0


def test_docx_title_subtitle_and_credit_go_to_their_keys(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """A Word story with a Title, a Subtitle and a caption ending （学校供图）: the draft has each in its
    key — not the subtitle in the body, nor the credit in the caption — and building the unedited
    draft names what is left to do and does not say print-ready."""
    import docx
    from docx.shared import Inches
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (600, 400), (200, 30, 30)).save(picture, "PNG")
    picture.seek(0)
    document = docx.Document()
    document.add_paragraph("星光点点放光彩", style="Title")
    document.add_paragraph("金兴小学党建引领教师成长", style="Subtitle")
    document.add_paragraph("学校党支部严格落实“三会一课”，以“满天星青年教师成长营”等形式锻造新时代教师队伍。")
    document.add_paragraph().add_run().add_picture(picture, width=Inches(1))
    document.add_paragraph("金兴小学党支部团队开展活动（学校供图）", style="Caption")
    source = tmp_path / "story.docx"
    document.save(str(source))
    out = tmp_path / "content" / "story.yaml"
    assert main(["import", str(source), "-o", str(out)]) == 0
    (article,) = (a.article for a in load(out).articles)
    assert article.title == "星光点点放光彩"
    assert article.subtitle == "金兴小学党建引领教师成长"
    assert "金兴小学党建引领教师成长" not in article.body
    assert (article.images[0].caption, article.images[0].credit) == ("金兴小学党支部团队开展活动", "学校供图")
    capsys.readouterr()
    main(["build", str(out), "--layout", "a4-newsletter", "-o", str(tmp_path / "draft.pdf")])
    captured = capsys.readouterr()
    assert re.search(r"story\.yaml:\d+:\d+: warning: meta\.publication is still the draft's placeholder "
                     r"'TODO'", captured.err), captured.err
    assert re.search(r"story\.yaml:\d+:\d+: warning: marked TODO: the issue date", captured.err), captured.err
    assert "; print-ready" not in captured.out
