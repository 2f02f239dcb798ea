"""The post-pass: the PDF WeasyPrint wrote → the print master, edited with pikepdf's public API only.

Takes: the PDF bytes, the ``Sheet`` (where the trim and bleed lie on every page's sheet, and the print
marks in its slug), the ``Press`` (the layout's print condition) and ``ident`` (a digest of everything the
render was made of).
Gives: PDF bytes where every page has an exact TrimBox and BleedBox; the crop marks, registration
targets and fold marks drawn by banmian in ``/Separation /All``; the registration colour WeasyPrint drew
(the slug line: an ``/ICCBased`` space on ``banmian.render.registration.PROFILE``) made that same
``/Separation /All``, found by its profile, never by a colour value; the output intent naming the press
condition (OutputConditionIdentifier, OutputCondition, Info, RegistryName); the file identifier and the
XMP DocumentID derived from ``ident``, RenditionClass ``default``; saved deterministically, so the same
input gives the same bytes.

Each step is one function over the open ``pikepdf.Pdf``; other stages hand in their own (``steps``: the
glyph runs of ``banmian.export.glyphs``, the pie wedges of ``banmian.export.overlay``).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import pikepdf

from banmian.export.marks import PrintMarks, marks_content
from banmian.graphics.press import Press
from banmian.render.registration import is_registration

MARKS_SPACE = "BMRegistration"  # the registration colour space's name inside the marks form
MARKS_FORM = "BMMarks"  # the marks form's name in the page resources


@dataclass(frozen=True)
class Sheet:
    """Where the trim lies on each page's sheet (pt): ``offset`` in from every edge of the MediaBox,
    the bleed ``bleed`` beyond the trim, and the marks in the slug (trim space)."""

    offset: float
    bleed: float
    marks: PrintMarks


# One more edit of the open PDF (banmian's glyph runs, pie wedges over the pages), given the document's
# registration colour space (``[/Separation /All …]``) for what must print on every plate.
Step = Callable[[pikepdf.Pdf, pikepdf.Object], None]


def finish_pdf(data: bytes, sheet: Sheet, press: Press, ident: bytes, steps: Sequence[Step] = ()) -> bytes:
    """The print master made of WeasyPrint's ``data`` (see the module's docstring); ``steps`` draw over
    the pages before the marks."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        registration = registration_space(pdf)
        set_boxes(pdf, sheet)
        make_registration(pdf, registration)
        for step in steps:
            step(pdf, registration)
        draw_marks(pdf, sheet, registration)
        name_output_intent(pdf, press)
        identify(pdf, ident)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue()


def registration_space(pdf: pikepdf.Pdf) -> pikepdf.Object:
    """``[/Separation /All /DeviceCMYK tint→(t t t t)]``: the colour that prints on every plate."""
    tint = pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0], C1=[1, 1, 1, 1], N=1)
    return pdf.make_indirect(pikepdf.Array([pikepdf.Name.Separation, pikepdf.Name.All,
                                            pikepdf.Name.DeviceCMYK, tint]))


def set_boxes(pdf: pikepdf.Pdf, sheet: Sheet) -> None:
    """TrimBox ``offset`` in from the MediaBox on every side, BleedBox ``bleed`` beyond it."""
    for page in pdf.pages:
        x0, y0, x1, y1 = (float(v) for v in page.mediabox)
        trim = (x0 + sheet.offset, y0 + sheet.offset, x1 - sheet.offset, y1 - sheet.offset)
        bleed = (trim[0] - sheet.bleed, trim[1] - sheet.bleed, trim[2] + sheet.bleed, trim[3] + sheet.bleed)
        page.trimbox = pikepdf.Array([round(v, 3) for v in trim])
        page.bleedbox = pikepdf.Array([round(v, 3) for v in bleed])


def make_registration(pdf: pikepdf.Pdf, registration: pikepdf.Object) -> None:
    """Every colour space resource on the registration profile becomes ``registration``: what was drawn
    in ``color(--registration 1)`` now prints on every plate (the content streams stay as written)."""
    for spaces in _colour_space_dicts(pdf):
        for name, space in list(spaces.items()):
            if (isinstance(space, pikepdf.Array) and len(space) == 2 and space[0] == pikepdf.Name.ICCBased
                    and space[1].get("/N") == 1 and is_registration(space[1].read_bytes())):
                spaces[name] = registration


def _colour_space_dicts(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """Each ``/ColorSpace`` resource dictionary of the pages and of the forms they draw, once."""
    seen: set[tuple[int, int]] = set()
    todo = [page.obj.get("/Resources") for page in pdf.pages]
    while todo:
        resources = todo.pop()
        if not isinstance(resources, pikepdf.Dictionary):
            continue
        spaces = resources.get("/ColorSpace")
        if isinstance(spaces, pikepdf.Dictionary) and spaces.objgen not in seen:
            if spaces.is_indirect:
                seen.add(spaces.objgen)
            yield spaces
        for xobject in (resources.get("/XObject") or {}).values():
            if xobject.get("/Subtype") == pikepdf.Name.Form and xobject.objgen not in seen:
                seen.add(xobject.objgen)
                todo.append(xobject.get("/Resources"))


def draw_marks(pdf: pikepdf.Pdf, sheet: Sheet, registration: pikepdf.Object) -> None:
    """The print marks over each page: one form XObject in the registration colour (pages of one size
    share it), drawn after the page's own content."""
    marks = sheet.marks
    if not (marks.crops or marks.targets or marks.folds):
        return
    forms: dict[tuple[float, ...], pikepdf.Stream] = {}
    for page in pdf.pages:
        box = tuple(float(v) for v in page.mediabox)
        if box not in forms:
            content = marks_content(marks, sheet.offset, box[3] - box[1], MARKS_SPACE)
            spaces = pikepdf.Dictionary({"/" + MARKS_SPACE: registration})
            forms[box] = pdf.make_stream(content, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form,
                                         BBox=list(box), Resources=pikepdf.Dictionary(ColorSpace=spaces))
        overlay(page, forms[box], MARKS_FORM)


def overlay(page: pikepdf.Page, form: pikepdf.Object, name: str) -> None:
    """Draw ``form`` (in the page's own coordinates) over everything on ``page``, under a fixed resource
    ``name`` (pikepdf's ``add_overlay`` picks a random one, and the bytes would change every build)."""
    page.add_resource(form, pikepdf.Name.XObject, pikepdf.Name("/" + name))
    page.contents_add(b"q\n", prepend=True)  # the page's graphics state ends where it began
    page.contents_add(f"\nQ\nq /{name} Do Q\n".encode())  # the page's stream may end without a newline
def name_output_intent(pdf: pikepdf.Pdf, press: Press) -> None:
    """The output intent names the press condition (WeasyPrint names the profile's description)."""
    identifier, condition = press.condition
    for intent in pdf.Root.get("/OutputIntents", []):
        intent.OutputConditionIdentifier = pikepdf.String(identifier)
        intent.OutputCondition = pikepdf.String(condition)
        intent.Info = pikepdf.String(press.description)
        if identifier != "Custom":
            intent.RegistryName = pikepdf.String("http://www.color.org")


def identify(pdf: pikepdf.Pdf, ident: bytes) -> None:
    """The file's permanent identifier (the first of /ID; the save derives the second from the bytes)
    and the XMP DocumentID, both from ``ident`` (WeasyPrint's are random); RenditionClass ``default``:
    a print master, not a proof. A PDF without XMP (not PDF/X) is given none."""
    digest = hashlib.sha256(ident).hexdigest()
    pdf.trailer.ID = pikepdf.Array([pikepdf.String(bytes.fromhex(digest[:32]))] * 2)
    if "/Metadata" not in pdf.Root:
        return
    did = f"xmp.did:{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["xmpMM:DocumentID"] = did
        meta["xmpMM:RenditionClass"] = "default"
