"""A font-less advance function: round figures for estimates, proofs and tests.

Real composition passes the font's advances; this stands in where no font is
loaded (copy fitting estimates, unit tests). Values are binary fractions so
sums are exact.
"""
from __future__ import annotations

from layout.text import classes as C

_LATIN = {C.LATIN: 0.5, C.DIGIT: 0.5, C.LPUNCT: 0.25, C.SPACE: 0.25}


def nominal_advance(text: str) -> float:
    """1 em for ideographs and full-width marks; ½ em Latin letters and digits,
    ¼ em spaces and Latin punctuation, ½ em for – and ·."""
    ch = text[0]
    if ch in "\u2013\u00b7":
        return 0.5
    return _LATIN.get(C.kind_of(ch), 1.0)
