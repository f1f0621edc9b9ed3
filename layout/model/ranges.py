"""Numbers given on the command line: finite and within a range a newspaper can use.

Each function makes an argparse `type=`: a bad value (nan, inf, -1, 70000, a word) is refused by the
parser with one message naming the option and the range (exit 2), before any work is done.
"""
from __future__ import annotations

import argparse
import math


def number(lo: float, hi: float, kind=float, unit: str = ""):
    """A `kind` (int or float) in lo..hi."""
    shown = f"{lo:g}–{hi:g}{' ' + unit if unit else ''}"

    def parse(text: str):
        try:
            value = kind(text)
        except (TypeError, ValueError):
            raise argparse.ArgumentTypeError(f"{text!r} is not {'a whole number' if kind is int else 'a number'} "
                                             f"(expected {shown})") from None
        if not (math.isfinite(value) and lo <= value <= hi):
            raise argparse.ArgumentTypeError(f"{text} is out of range (expected {shown})")
        return value
    parse.__name__ = kind.__name__  # argparse names the type in its messages
    return parse


def size_mm(lo: float = 10.0, hi: float = 2000.0):
    """WxH in mm, e.g. 390x540: two finite numbers in lo..hi."""
    one = number(lo, hi, float, "mm")

    def parse(text: str) -> tuple[float, float]:
        parts = text.lower().replace("×", "x").split("x")
        if len(parts) != 2:
            raise argparse.ArgumentTypeError(f"{text!r} is not like 390x540 (width x height in mm)")
        return one(parts[0].strip()), one(parts[1].strip())
    parse.__name__ = "size"
    return parse
