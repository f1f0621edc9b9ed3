"""Copy hygiene: what normalisation must not guess at, found for the editor (校对's marks on page 04).

`suspicious(text) -> [Suspect(offset, length, what)]` (escape codes, control characters, HTML tags/entities,
an ASCII full stop after Chinese, ASCII brackets beside Chinese, a paragraph starting with a closing
mark or a stop — 避头尾 no composer can keep there), offsets into the copy as written (the file), so
the report can say file:line:column. Nothing here changes the copy: unambiguous cases are already
normalised by normalize.py; these are the ambiguous ones, printed as they are and reported.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from layout.text import classes as C


@dataclass(frozen=True)
class Suspect:
    offset: int
    length: int
    what: str


def _han(ch: str) -> bool:
    return bool(ch) and C.kind_of(ch) in C.HAN_SIDE_KINDS


# a terminal colour/escape sequence, as the raw ESC byte or in caret notation (^[[32m, copied from a terminal)
_ESCAPE = re.compile(r"(?:\x1b|\^\[)\[[0-9;?]*[A-Za-z]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# HTML left in pasted copy (the copy's own markup, * spans and the like, is the loader's: layout/load/markup.py)
_MARKUP = re.compile(r"</?[A-Za-z][A-Za-z0-9]*\s*/?>|&(?:nbsp|amp|lt|gt|quot|#\d+);")

_STOP_OR_BRACKET = re.compile(r"[.()\[\]]")


def suspicious(text: str) -> list[Suspect]:
    out: list[Suspect] = []
    taken: set[int] = set()

    def add(m_start: int, m_len: int, what: str) -> None:
        if m_start in taken:
            return
        taken.update(range(m_start, m_start + m_len))
        out.append(Suspect(m_start, m_len, what))

    for m in _ESCAPE.finditer(text):
        add(m.start(), m.end() - m.start(), f"terminal escape code {m.group()!r}")
    for m in _CONTROL.finditer(text):
        add(m.start(), 1, f"control character U+{ord(m.group()):04X}")
    for m in _MARKUP.finditer(text):
        add(m.start(), m.end() - m.start(), f"stray markup {m.group().strip()!r}")
    for m in re.finditer(r"^[ \u3000\t]*([" + re.escape(C.CLOSING + C.STOPS) + "])", text, re.MULTILINE):
        add(m.start(1), 1, f"paragraph starts with {m.group(1)} (a mark that closes or follows something)")
    for m in _STOP_OR_BRACKET.finditer(text):   # (only these two cases below look at a character)
        i, ch = m.start(), m.group()
        if i in taken:
            continue
        prev = text[i - 1] if i else ""
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if ch == "." and _han(prev) and (_han(nxt) or nxt in "\n" or not nxt):
            add(i, 1, "ASCII full stop after Chinese (。?)")
        elif ch in "()[]" and (_han(prev) or _han(nxt)):
            add(i, 1, f"ASCII bracket {ch!r} beside Chinese")
    out.sort(key=lambda s: s.offset)
    return out


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of an offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
