"""Export: a rendered WeasyPrint document → a print-ready PDF file, written atomically.

Takes: the WeasyPrint document, the ``RenderInput`` geometry (sheet size, trim offset, bleed) and the
document metadata.
Gives: PDF bytes with MediaBox = the whole sheet (trim + bleed + slug), BleedBox and TrimBox exact,
deterministic identifiers and dates. With a ``Press`` (the layout's print condition): PDF/X-4 with the
press profile as output intent (OutputConditionIdentifier of the condition), the stand-in registration
colour of the marks (``device-cmyk(1 1 1 1)``, filled or stroked) rewritten as a true ``/Separation /All``
colour in the page content, and the XMP DocumentID derived from ``ident`` instead of a random UUID.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from banmian.core.units import MM
from banmian.graphics.press import Press

PDF_X = "pdf/x-4"  # PDF/X-1a is impossible here: the CJK fonts are embedded as OpenType (PDF 1.6)
REGISTRATION_NAME = "BMRegistration"
_REGISTRATION = re.compile(rb"/DeviceCMYK (cs|CS)\n1 1 1 1 (scn|SCN)\b")
_UUID = re.compile(rb"xmp\.did:[0-9a-f-]{36}")


def pdf_bytes(document: Any, *, offset: float, bleed_mm: float, variant: str | None = None,
              output_intent: Any = None, press: Press | None = None, ident: bytes = b"") -> bytes:
    """Write ``document`` to bytes with exact page boxes (PDF/X-4 when ``press.pdf_x``)."""
    bleed = bleed_mm * MM
    if press is not None and press.pdf_x and variant is None:
        variant = PDF_X

    def finisher(_doc: Any, pdf: Any) -> None:
        import pydyf

        if press is not None:
            _registration(pdf)
            _output_intent(pdf, press)
            _document_id(pdf, ident)

        kids = pdf.pages["Kids"]
        for number in kids[0::3]:
            page = pdf.objects[number]
            x0, y0, x1, y1 = (float(v) for v in page["MediaBox"])
            trim = [x0 + offset, y0 + offset, x1 - offset, y1 - offset]
            page["TrimBox"] = pydyf.Array([round(v, 3) for v in trim])
            page["BleedBox"] = pydyf.Array([round(v, 3) for v in (trim[0] - bleed, trim[1] - bleed,
                                                                  trim[2] + bleed, trim[3] + bleed)])
    # not full_fonts: WeasyPrint's ToUnicode maps miss glyphs without its subsetting pass (measured: the
    # slug line's digits extracted as (cid:98)…), even though banmian's fonts are subsets already.
    options: dict[str, Any] = {"pdf_identifier": True, "custom_metadata": True}
    if variant:
        options["pdf_variant"] = variant
    if output_intent is not None:
        options["output_intent"] = output_intent
    data: bytes = document.write_pdf(finisher=finisher, **options)
    return data


def _deref(pdf: Any, ref: Any) -> Any:
    """The pydyf object behind a reference such as ``b"12 0 R"`` (or the object itself)."""
    if isinstance(ref, (bytes, str)):
        text = ref.decode() if isinstance(ref, bytes) else ref
        return pdf.objects[int(text.split()[0])]
    return ref


def _registration(pdf: Any) -> None:
    """Marks drawn in the stand-in ``1 1 1 1`` CMYK become ``/Separation /All`` (registration)."""
    import pydyf

    kids = pdf.pages["Kids"]
    for number in kids[0::3]:
        page = pdf.objects[number]
        stream = _deref(pdf, page["Contents"])
        content = b"\n".join(item if isinstance(item, bytes) else str(item).encode()
                             for item in stream.stream)
        new, count = _REGISTRATION.subn(
            lambda m: f"/{REGISTRATION_NAME} {m[1].decode()}\n1 {m[2].decode()}".encode(), content)
        if not count:
            continue
        stream.stream = [new]
        spaces = _deref(pdf, _deref(pdf, page["Resources"])["ColorSpace"])
        spaces[REGISTRATION_NAME] = pydyf.Array([
            "/Separation", "/All", "/DeviceCMYK",
            pydyf.Dictionary({"FunctionType": 2, "Domain": pydyf.Array([0, 1]),
                              "C0": pydyf.Array([0, 0, 0, 0]), "C1": pydyf.Array([1, 1, 1, 1]),
                              "N": 1})])


def _output_intent(pdf: Any, press: Press) -> None:
    import pydyf

    intents = pdf.catalog.get("OutputIntents")
    if not intents:
        return
    identifier, condition = press.condition
    for intent in intents:
        intent["OutputConditionIdentifier"] = pydyf.String(identifier)
        intent["OutputCondition"] = pydyf.String(condition)
        intent["Info"] = pydyf.String(press.description)
        if identifier != "Custom":
            intent["RegistryName"] = pydyf.String("http://www.color.org")


def _document_id(pdf: Any, ident: bytes) -> None:
    """Replace WeasyPrint's random XMP DocumentID with one derived from the content."""
    ref = pdf.catalog.get("Metadata")
    if ref is None:
        return
    stream = _deref(pdf, ref)
    digest = hashlib.sha256(ident).hexdigest()
    did = f"xmp.did:{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"
    items = [item if isinstance(item, bytes) else str(item).encode() for item in stream.stream]
    # a print master, not a proof: RenditionClass "default" (WeasyPrint writes "proof:pdf")
    stream.stream = [_UUID.sub(did.encode(), item).replace(b">proof:pdf<", b">default<") for item in items]
