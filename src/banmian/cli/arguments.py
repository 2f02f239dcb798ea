"""Argument types: numbers on the command line checked where argparse reads them.

Takes: the text of an option (``--port 70000``, ``--dpi 0``, ``--interval nan``).
Gives: ``port``, ``dpi``, ``interval``, ``ink_limit`` — argparse ``type=`` callables that return the
number or raise ``ArgumentTypeError``, so a value out of range is a usage error (exit 2) naming the
option's range, never an exception later in the command.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

from banmian.live.preview import MAX_DPI


def _number(kind: type[int] | type[float], low: float, high: float, what: str) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not (math.isfinite(value) and low <= value <= high):
            raise argparse.ArgumentTypeError(f"{text} is out of range: {what}")
        return value
    parse.__name__ = kind.__name__  # argparse names the type in its messages
    return parse


port = _number(int, 0, 65535, "a port is 0 to 65535 (0: any free port)")
dpi = _number(int, 10, MAX_DPI, f"10 to {MAX_DPI} dpi")
interval = _number(float, 0.05, 60, "0.05 to 60 seconds")
ink_limit = _number(float, 100, 400, "100 to 400 %")
