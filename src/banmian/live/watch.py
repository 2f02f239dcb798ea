"""Watch: rebuild whenever the content, its images, the layout or the fonts change.

Takes: a warm ``Session`` (see ``banmian.live.session``), a polling interval and a place to print to.
Gives: a loop that polls the mtimes of every file the build reads (no extra dependency, works on any
file system), waits for a burst of saves to settle, rebuilds in the same process (fonts, layouts and
shaping stay cached, so a rebuild costs about the render alone) and prints one line per rebuild — the
time taken and the fit changes (``rebuilt in 2.41 s — liangjiang-primary: now over by 2 lines (+26 字)``)
— or, when the rebuild fails, the errors and the note that the last good PDF stays in place.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from banmian.live.session import Outcome, Session, changed_paths

Reporter = Callable[[Outcome], None]


def describe(outcome: Outcome, session: Session) -> list[str]:
    """The lines ``watch`` prints for one rebuild."""
    changes = "; ".join(outcome.changes)
    head = f"rebuilt in {outcome.took:.2f} s" if outcome.ok else f"build failed after {outcome.took:.2f} s"
    lines = []
    if outcome.ok:
        written = ", ".join(_rel(p) for p in outcome.pdfs)
        lines.append(f"{head} — {changes or 'no fit changes'}" + (f" → {written}" if written else ""))
    else:
        lines.extend(d.render() for d in outcome.errors)
        kept = session.output
        note = f"kept {_rel(kept)}" if kept.is_file() else "no PDF written"
        proof = f"; proof {_rel(outcome.pdfs[0])}" if outcome.pdfs else ""
        lines.append(f"{head} — {changes + '; ' if changes else ''}{note}{proof}")
    return lines


def watch(session: Session, *, interval: float = 0.3, settle: float = 0.15,
          report: Reporter | None = None, stop: threading.Event | None = None,
          max_rebuilds: int | None = None) -> Outcome:
    """Build now, then after every change until ``stop`` is set (or ``max_rebuilds`` were made)."""
    stop = stop or threading.Event()
    before = session.snapshot()
    outcome = session.rebuild()
    # taken before reporting, with the stat seen before the build where known: a save made while
    # building or reporting is noticed on the next poll
    snapshot = {path: before.get(path, stat) for path, stat in session.snapshot().items()}
    if report is not None:
        report(outcome)
    while not stop.is_set() and (max_rebuilds is None or session.count < max_rebuilds):
        if stop.wait(interval):
            break
        current = session.snapshot()
        if current == snapshot:
            continue
        while not stop.wait(settle):  # let an editor finish writing (save = write + rename + …)
            later = session.snapshot()
            if later == current:
                break
            current = later
        session.invalidate(changed_paths(snapshot, current))
        outcome = session.rebuild()
        # files read during this rebuild keep the stat seen before it, so a save made while building
        # or reporting is noticed on the next poll; files the rebuild newly depends on start from now
        snapshot = {path: current.get(path, stat) for path, stat in session.snapshot().items()}
        if report is not None:
            report(outcome)
    return outcome


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
