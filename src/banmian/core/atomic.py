"""Atomic writes: bytes → a file that is either the old one or the complete new one.

Takes: a path and bytes.
Gives: ``write_atomic`` — the bytes at the path through a temporary file in the same folder and a
rename, so a failed or interrupted build never leaves a partial file behind and the previous file stays
until the new one is complete; ``sweep_stale`` removes the temporary files of killed builds (the next
write calls it). A temporary name stays within ``MAX_NAME_BYTES``: a target name too long to carry the
temporary suffix is cut and given a digest of itself.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import tempfile
from pathlib import Path

MAX_NAME_BYTES = 255  # a file name on the file systems banmian runs on (ext4, xfs, btrfs, tmpfs, APFS)
_SUFFIX_BYTES = 24  # ".<pid: up to 7 digits>.<8 random characters>.tmp" and the leading "."


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and an atomic rename.

    The temporary file is ``.<name>.<pid>.<random>.tmp``: builds running at once never share one, and
    the next build removes those a killed build (SIGKILL: no chance to clean up) left behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sweep_stale(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{temp_stem(path.name)}.{os.getpid()}.", suffix=".tmp",
                               dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def temp_stem(name: str) -> str:
    """What a temporary file's name says of its target: the name, or, when the name and the temporary
    suffix would pass ``MAX_NAME_BYTES``, its start and a digest of the whole name."""
    raw = name.encode("utf-8", "surrogateescape")
    room = MAX_NAME_BYTES - _SUFFIX_BYTES
    if len(raw) <= room:
        return name
    digest = hashlib.sha256(raw).hexdigest()[:12]
    return raw[: room - len(digest) - 1].decode("utf-8", "ignore") + "~" + digest


def sweep_stale(path: Path) -> list[Path]:
    """Remove the temporary files of ``path`` whose writing process is gone; return them."""
    removed = []
    stem = temp_stem(path.name)
    for tmp in path.parent.glob(f".{glob.escape(stem)}.*.tmp"):
        pid = tmp.name[len(stem) + 2:].split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            with contextlib.suppress(OSError):
                tmp.unlink()
                removed.append(tmp)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
