"""The PDF post-pass, checked on real builds: registration is a colour space banmian chose, never a
colour value; the marks it draws sit where a press expects them, on single pages, plates and spreads."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pikepdf
import pytest

from banmian.check.preflight import preflight
from banmian.cli.main import main
from banmian.core.diagnostics import BuildError
from banmian.core.units import MM
from banmian.pipeline import BuildOptions, build
from banmian.source.project import builtin_layouts

from .conftest import SAMPLE
from .pdfcheck import fills

REGISTRATION = "/Separation//All//DeviceCMYK"


def _rules_in_rich_black(tmp_path: Path) -> Path:
    """The broadsheet layout with its rules in a layout colour of 100/100/100/100."""
    folder = tmp_path / "layouts"
    shutil.copytree(builtin_layouts() / "broadsheet-page", folder / "broadsheet-page")
    spec = folder / "broadsheet-page" / "layout.yaml"
    text = spec.read_text(encoding="utf-8")
    assert "  frame: 0.6\n  color: black\n" in text and "colors:" in text
    text = text.replace("  frame: 0.6\n  color: black\n", "  frame: 0.6\n  color: rich\n")
    text = text.replace("colors:", "colors:\n  rich: [100, 100, 100, 100]", 1)
    spec.write_text(text, encoding="utf-8")
    return folder


def test_a_layout_colour_of_100_100_100_100_stays_process_cmyk(tmp_path: Path, world: object,
                                                               content_copy: Path) -> None:
    rich = dataclasses.replace(world, layouts=_rules_in_rich_black(tmp_path))  # type: ignore[type-var]
    out = tmp_path / "rich.pdf"
    with pytest.raises(BuildError) as caught:
        build(content_copy, BuildOptions(output=out, proof=True), rich)
    # the preflight sees 400 % of ink, as it should: the rules were not turned into registration
    assert any("fill colour 1 1 1 1 has 400 % total ink" in d.message for d in caught.value.diagnostics)
    with pikepdf.open(out.with_suffix(".proof.pdf")) as pdf:
        painted = fills(pdf.pages[0])
    rules = [f for f in painted if f[1] == (1, 1, 1, 1)]
    assert rules and {space for space, _, _ in rules} == {"/DeviceCMYK"}
    # registration is still what banmian drew in it: the marks and the slug line, all outside the bleed
    marks = preflight(out.with_suffix(".proof.pdf")).pages[0].marks
    assert len(marks) == 20
    text = [op for space, _, op in painted if space == REGISTRATION and op in ("Tj", "TJ")]
    assert text, "the slug line is in registration"


@pytest.fixture(scope="module")
def spread(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    out = tmp_path_factory.mktemp("spread") / "t.pdf"
    assert main(["build", "-q", str(SAMPLE), "--layout", "tabloid-spread", "-o", str(out)]) == 0
    stem = out.with_suffix("")
    return tuple(stem.with_name(f"{stem.name}-{part}.pdf") for part in ("p1", "p2", "spread"))  # type: ignore[return-value]


def test_spread_proof_marks_the_fold_and_plates_do_not(spread: tuple[Path, Path, Path]) -> None:
    one, two, whole = (preflight(path).pages[0] for path in spread)
    assert len(one.marks) == len(two.marks) == 20  # 8 crop marks, 4 targets of a circle and a cross
    assert len(whole.marks) == 22  # and the fold, above and below the page
    with pikepdf.open(spread[2]) as pdf:
        trim = [float(v) for v in pdf.pages[0].TrimBox]
    fold = trim[0] + (trim[2] - trim[0]) / 2
    # 14 pt long on the fold (the targets' crosses above and below the middle are 16 pt)
    folds = [m for m in whole.marks if abs((m[0] + m[2]) / 2 - fold) < 0.01 and abs(m[3] - m[1] - 14) < 0.01]
    assert len(folds) == 2
    assert {m[1] > trim[3] for m in folds} == {True, False}  # one above the page, one below
    for _, y0, _, y1 in folds:
        assert y0 >= trim[3] + 3 * MM or y1 <= trim[1] - 3 * MM  # outside the bleed


def test_plates_are_finished_like_single_pages(spread: tuple[Path, Path, Path]) -> None:
    for path in spread:
        with pikepdf.open(path) as pdf:
            page = pdf.pages[0]
            media, trim, bleed = (page.MediaBox, page.TrimBox, page.BleedBox)
            assert float(trim[0]) - float(media[0]) == pytest.approx(15 * MM, abs=0.01)  # bleed 3 + slug 12
            assert float(trim[0]) - float(bleed[0]) == pytest.approx(3 * MM, abs=0.01)
            [intent] = pdf.Root.OutputIntents
            assert str(intent.OutputConditionIdentifier) == "CGATS TR 002"
            with pdf.open_metadata() as meta:
                assert meta["xmpMM:RenditionClass"] == "default"
                assert meta["xmpMM:DocumentID"].startswith("xmp.did:")
    ids = set()
    for path in spread:
        with pikepdf.open(path) as pdf, pdf.open_metadata() as meta:
            ids.add(meta["xmpMM:DocumentID"])
    assert len(ids) == 3  # each file its own identity
