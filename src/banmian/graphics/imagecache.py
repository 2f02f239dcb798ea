"""A disk cache of prepared photos, so that a cold build does not decode, crop, resample and separate
every photo again.

Takes: the cache folder (``<project>/.cache/images``, ignored by git), a photo file, its placed size, the
editor's framing (crop, focus, fit) and the press (profile, intent, ink limit, paper colour).
Gives: the ``PreparedImage`` banmian.graphics.photos would make — read from the cache when an entry for the
same photo bytes (and so the same EXIF orientation), size, framing, press and ``graphics.VERSION`` exists,
else made and stored. Entries are written
atomically; an unreadable entry is ignored and rebuilt. The bytes are those graphics makes, so the PDF
is the same with or without the cache.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

from banmian.core.atomic import write_atomic
from banmian.core.diagnostics import Location
from banmian.graphics.framing import AS_IS, Framing
from banmian.graphics.photos import VERSION, PreparedImage, prepare_image
from banmian.graphics.press import Press


def _key(path: Path, width_pt: float, height_pt: float, press: Press | None, framing: Framing) -> str:
    h = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    condition = (press.name, press.intent, press.ink_limit, press.paper,
                 hashlib.sha256(press.data).hexdigest()) if press is not None else None
    h.update(json.dumps([VERSION, round(width_pt, 3), round(height_pt, 3), condition,
                         asdict(framing)]).encode())
    return h.hexdigest()[:32]


def cached_image(cache: Path | None, key: str, path: Path, width_pt: float, height_pt: float,
                 location: Location | None = None, press: Press | None = None,
                 framing: Framing = AS_IS) -> PreparedImage:
    if cache is None:
        return prepare_image(key, path, width_pt, height_pt, location, press, framing)
    try:
        digest = _key(path, width_pt, height_pt, press, framing)
    except OSError:  # graphics reports the unreadable file with its location
        return prepare_image(key, path, width_pt, height_pt, location, press, framing)
    data_path, meta_path = cache / f"{digest}.jpg", cache / f"{digest}.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        return PreparedImage(key, data_path.read_bytes(), meta["mime"], tuple(meta["pixels"]),
                             meta["ppi"], meta["ink"], meta["mode"], tuple(meta["crop"]), meta["how"],
                             tuple(meta["notes"]))
    except (OSError, ValueError, KeyError, TypeError):
        pass
    image = prepare_image(key, path, width_pt, height_pt, location, press, framing)
    try:
        write_atomic(data_path, image.data)
        meta = {k: v for k, v in asdict(image).items() if k not in ("key", "data")}
        write_atomic(meta_path, json.dumps(meta).encode())
    except OSError:
        pass  # a read-only project still builds, without the cache
    return image
