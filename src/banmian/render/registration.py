"""Registration colour in HTML: a colour no layout colour can be mistaken for.

Takes: nothing.
Gives: ``PROFILE`` — a one-channel ICC profile described ``banmian registration``, served to WeasyPrint
as ``banmian:icc/registration``; ``CSS`` — the ``@color-profile --registration`` rule naming it and
``COLOUR`` — ``color(--registration 1)``, the CSS colour of whatever prints on every plate (the slug
line). WeasyPrint draws that colour in its own ``/ICCBased`` colour space; the export post-pass
(``banmian.export.postpass``) finds the space by this profile's description and makes it
``/Separation /All``. A layout colour, even ``device-cmyk(1 1 1 1)``, stays DeviceCMYK.

Why a profile written here: no library at hand writes a gray ICC profile (Pillow's ImageCms creates only
sRGB, Lab and XYZ ones); a gray display profile is a 128-byte header and four tags (ICC.1:2001-04).
"""

from __future__ import annotations

import io
import struct

DESCRIPTION = "banmian registration"
URL = "banmian:icc/registration"
COLOUR = "color(--registration 1)"
CSS = f'@color-profile --registration {{ src: url("{URL}"); components: tint; }}'
_D50 = (0.9642, 1.0, 0.8249)  # the profile connection space's illuminant


def _fixed(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))  # s15Fixed16Number


def _gray_profile(description: str) -> bytes:
    text = description.encode("ascii") + b"\0"
    tags = [
        (b"desc", b"desc" + bytes(4) + struct.pack(">I", len(text)) + text + bytes(8 + 3 + 67)),
        (b"wtpt", b"XYZ " + bytes(4) + b"".join(_fixed(v) for v in _D50)),
        (b"kTRC", b"curv" + bytes(4) + struct.pack(">I", 0)),  # no entries: the identity curve
        (b"cprt", b"text" + bytes(4) + b"No copyright, use freely\0"),
    ]
    start = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for signature, data in tags:
        table += signature + struct.pack(">II", start + len(body), len(data))
        body += data + bytes(-len(data) % 4)
    header = (struct.pack(">I", start + len(body)) + bytes(4) + struct.pack(">I", 0x02100000)
              + b"mntrGRAYXYZ " + bytes(12) + b"acsp" + bytes(28) + b"".join(_fixed(v) for v in _D50)
              + bytes(48))
    return header + struct.pack(">I", len(tags)) + table + body


PROFILE = _gray_profile(DESCRIPTION)


def is_registration(profile: bytes) -> bool:
    """Whether an embedded ICC profile is ``PROFILE`` (WeasyPrint rewrites it, so: by its description)."""
    from PIL import ImageCms

    try:
        return bool(ImageCms.ImageCmsProfile(io.BytesIO(profile)).profile.profile_description == DESCRIPTION)
    except (OSError, ImageCms.PyCMSError):
        return False
