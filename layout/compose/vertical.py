"""Vertical headlines (竖排): characters top to bottom, columns right to left.

Input: headline text, a Style and the block's rectangle. Output: GlyphRun items with
vertical=True (one per column and face; drawn through an Identity-V font) and, for 2–3 digit
numbers, a horizontal run centred in one cell (纵中横, typesetting.md §8). Punctuation takes
the font's vertical forms (OpenType vert/vrt2); the glyphs keep their source text, so text
extraction returns the original characters. ：；？！ stay upright (the font's vert leaves them).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from layout.model.frame import Glyph, GlyphRun
from layout.model.spec import Style

# 「」『』 are the quotes of vertical text (clreq §3.1.2): curly quotes are mapped to them.
VERTICAL_QUOTES = str.maketrans({"“": "「", "”": "」", "‘": "『", "’": "』"})
TATECHUYOKO = re.compile(r"(?<![0-9A-Za-z])[0-9]{2,3}(?![0-9A-Za-z])")  # 纵中横: 2–3 digit numbers


@dataclass(frozen=True)
class Cell:
    text: str        # one character, or a 2–3 digit number set across
    across: bool     # True: 纵中横


def cells(text: str) -> list[Cell]:
    """Split a vertical line into cells: one per character, digits of a short number together."""
    out, i = [], 0
    for m in TATECHUYOKO.finditer(text):
        out.extend(Cell(ch, False) for ch in text[i:m.start()] if not ch.isspace())
        out.append(Cell(m.group(), True))
        i = m.end()
    out.extend(Cell(ch, False) for ch in text[i:] if not ch.isspace())
    return out


def set_column(text: str, style: Style, size: float, x_center: float, top: float, ts, ctx) -> tuple[list, float]:
    """One vertical column; returns its items and its length in pt."""
    items: list = []
    glyphs: list[Glyph] = []
    face_run = None
    pos = 0.0

    def flush():
        nonlocal glyphs, face_run
        if glyphs:
            items.append(GlyphRun(x=x_center, y=top, face=face_run, size=size, glyphs=tuple(glyphs),
                                  color=style.color, vertical=True, bold_stroke=style.bold * size,
                                  role=style.name))
        glyphs, face_run = [], None

    for cell in cells(text):
        if cell.across:  # 纵中横: a horizontal run centred in the cell
            flush()
            line = ts.natural_line(cell.text, style)
            width = line.width * size
            scale = min(1.0, 1.0 / max(line.width, 1e-6))  # never wider than one em
            run_size = size * scale
            x = x_center - width * scale / 2
            baseline = top + pos + (size - run_size) / 2 + 0.88 * run_size
            items.extend(ts.runs(line.clusters, x, baseline, style, ctx, size=run_size))
            pos += size
            continue
        ch = cell.text
        drawn = ch.translate(VERTICAL_QUOTES)
        face, gid, _ = ts.glyph_for(style.font, drawn)
        ts.note_missing(style.font, drawn, ctx, face)
        if face_run is not None and face is not face_run:
            flush()
        face_run = face
        vgid = face.vert(gid)
        # the source character, not the quote substituted for it, goes to ToUnicode
        glyphs.append(Glyph(gid=vgid, x=pos, text=ch, advance=face.vadvance(vgid)))
        pos += face.vadvance(vgid) * size
    flush()
    return items, pos
