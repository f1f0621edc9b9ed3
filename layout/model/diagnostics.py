"""Compiler-like diagnostics: the offending line of a YAML or copy file with a caret under the column.

    paiban: error: issues/2022-01-14/04.yaml:12:5: unknown key 'colr' in blocks[2]
       12 |     colr: 3
          |     ^
      hint: did you mean 'col'?

Colour (red errors, yellow warnings, a cyan hint) only on a terminal, never when NO_COLOR is set
(https://no-color.org) or TERM is dumb. Wide (CJK) characters take two cells, so the caret stays under
its character; a long line of copy is cut to a window around the column.
"""
from __future__ import annotations

import os
import unicodedata

from layout.model.findings import Where
from layout.model.i18n import _

WINDOW = 72          # cells of a source line shown at most
MAX_READ = 4 << 20   # a file larger than this is not read for an excerpt
COLOURS = {"error": "1;31", "warning": "1;33", "info": "1;36", "hint": "36", "caret": "1;32", "gutter": "34"}


def use_colour(stream) -> bool:
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def paint(text: str, what: str, colour: bool) -> str:
    return f"\033[{COLOURS[what]}m{text}\033[0m" if colour and text else text


def cells(text: str) -> int:
    """Terminal cells: East Asian wide and full-width characters take two, combining marks none."""
    n = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        n += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return n


def source_line(path: str, line: int) -> str | None:
    """Line `line` (1-based) of a UTF-8 text file, or None when it cannot be read as such."""
    try:
        if os.path.getsize(path) > MAX_READ:
            return None
        with open(path, encoding="utf-8-sig", newline="") as f:
            for i, text in enumerate(f, 1):
                if i == line:
                    return text.rstrip("\r\n")
    except (OSError, ValueError):
        return None
    return None


def excerpt(where: Where, colour: bool = False, indent: str = "") -> str:
    """The source line of `where` with a caret under its column ("" when there is no line to show)."""
    if not where.file or where.line <= 0:
        return ""
    text = source_line(where.file, where.line)
    if text is None:
        return ""
    text = text.replace("\t", " ")
    text = "".join(ch if ch.isprintable() or ch == " " else "\ufffd" for ch in text)
    col = min(max(where.column, 0), len(text) + 1)   # 1-based; 0 = the whole line
    start, end, left, right = 0, len(text), "", ""
    if cells(text) > WINDOW:  # a paragraph of copy: a window around the column
        focus = max(col - 1, 0)
        start = max(0, focus - 20)
        end = start
        while end < len(text) and cells(text[start:end + 1]) <= WINDOW - 2:
            end += 1
        left, right = ("…" if start else ""), ("…" if end < len(text) else "")
    shown = left + text[start:end] + right
    number = str(where.line)
    gutter = paint(f"{number} |", "gutter", colour)
    blank = paint(" " * len(number) + " |", "gutter", colour)
    out = [f"{indent}{gutter} {shown}"]
    if col:
        pad = cells(left) + cells(text[start:col - 1])
        under = text[col - 1:col] if col - 1 < len(text) else " "
        caret = "^" * max(1, cells(under))
        out.append(f"{indent}{blank} {' ' * pad}{paint(caret, 'caret', colour)}")
    return "\n".join(out)


def format_error(prog: str, message: str, where: Where, hint: str, colour: bool, label: str = "error") -> str:
    """`prog: error: file:line:col: message`, the excerpt, and the hint — one diagnostic."""
    loc = str(where)
    head = f"{prog}: {paint(_(label) + ':', 'error', colour)} {loc + ': ' if loc else ''}{message}"
    lines = [head]
    source = excerpt(where, colour, indent="  ")
    if source:
        lines.append(source)
    if hint:
        lines.append(f"  {paint(_('hint:'), 'hint', colour)} {hint}")
    return "\n".join(lines)
