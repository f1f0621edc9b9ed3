"""Structured copy in a story (part of layout.compose.story): 小标题, 引语, tables, section breaks, emphasis.

Input: a story's CopyDoc (layout.model.copy) and its normalised text. Output: Pieces to break, the tall
entries (Tall) the flow places on whole grid lines, and their glyph runs and rules when placed.
Emphasis spans are measured with the body face when lines are broken (the breaker knows one face a
paragraph) and drawn in their own face at the same positions: ideographs are 1 em in every face, so
only Latin letters inside a span may sit a little tighter or looser than their own face would set them.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from itertools import accumulate

from layout.model.copy import BOLD, BREAK, CROSSHEAD, KAI, PARA, QUOTE, TABLE
from layout.model.frame import Rule
from layout.model.spec import Style
from layout.text.normalize import normalize_copy

QUOTE_RULE = 0.5     # pt, rules above and below a pull quote
TABLE_OUTER = 0.75   # pt, a table's top and bottom rules
TABLE_INNER = 0.3    # pt, rules between rows and columns
BREAK_MARK = "＊　＊　＊"  # a section break: a line of asterisms, centred


@dataclass(frozen=True)
class Piece:
    """One paragraph ready to break: its normalised text, emphasis spans (offsets into text) and kind."""
    text: str
    indented: bool = True
    kind: str = PARA
    spans: tuple = ()        # (start, end, emphasis)
    rows: tuple = ()         # TABLE: rows of cells, each (text, spans)
    header: bool = False

    def rest(self, start: int) -> "Piece":
        """What is left of this paragraph from character `start` (转版 carries it over)."""
        spans = tuple((max(a - start, 0), b - start, e) for a, b, e in self.spans if b > start)
        return replace(self, text=self.text[start:], indented=self.indented and start == 0, spans=spans)


@dataclass(frozen=True)
class Tall:
    """An entry of the flow taking `rows` whole grid lines (a crosshead, a quote, a table, a break)."""
    kind: str
    rows: int
    lines: tuple = ()        # broken lines (crosshead, quote) or per-row cell lines (table)
    keep: bool = False       # keep with the next entry in the same column
    style: Style | None = None
    extra: tuple = ()        # TABLE: column widths (pt) and row heights (grid lines)
    piece: int = -1

    @property
    def last(self) -> bool:  # never a widow
        return True

    @property
    def first(self) -> bool:
        return True


def rows_of(entry) -> int:
    return getattr(entry, "rows", 1)


def _mapping(text: str, changes) -> list[int]:
    """For each offset of the original text (and its end), the offset in the normalised text."""
    sizes = [1] * len(text)
    for ch in changes:
        sizes[ch.offset] = len(ch.after)
    return [0] + list(accumulate(sizes))


def _clip(text: str, a: int, b: int, spans, at) -> tuple[str, tuple]:
    """text[a:b] stripped of outer blanks, with the spans inside it rebased (spans' offsets via `at`)."""
    part = text[a:b]
    lead = len(part) - len(part.lstrip())
    body = part.strip()
    lo = a + lead
    out = []
    for s, e, kind in spans:
        s2, e2 = max(at(s) - lo, 0), min(at(e) - lo, len(body))
        if e2 > s2:
            out.append((s2, e2, kind))
    return body, tuple(out)


def _cell(cell) -> tuple[str, tuple]:
    text, changes = normalize_copy(cell.text)
    pos = _mapping(cell.text, changes)
    return _clip(text, 0, len(text), [(s.start, s.end, s.emphasis) for s in cell.spans], pos.__getitem__)


def pieces_of(doc, text: str, changes) -> list[Piece]:
    """The pieces of structured copy, from the normalised whole text (normalize_copy(doc.text))."""
    pos = _mapping(doc.text, changes)
    out = []
    for p in doc.paragraphs:
        if p.kind == TABLE:
            out.append(Piece("", False, TABLE, rows=tuple(tuple(_cell(c) for c in row) for row in p.rows),
                             header=p.header))
        elif p.kind == BREAK:
            out.append(Piece(BREAK_MARK, False, BREAK))
        else:
            body, spans = _clip(text, pos[p.start], pos[p.end], [(s.start, s.end, s.emphasis) for s in p.spans],
                                pos.__getitem__)
            if body:
                out.append(Piece(body, p.kind == PARA, p.kind, spans))
    return out


def span_style(pc, base: Style, emphasis: str) -> Style:
    """**bold** in the `strong` style (default: 黑体 at the body's size), *…* in `emphasis` (default: 楷体)."""
    if emphasis == BOLD:
        return derived(pc, "strong", base, font="hei")
    return derived(pc, "emphasis", base, font="kai")


def derived(pc, name: str, base: Style, **changes) -> Style:
    """The publication's style `name`, or `base` changed as given when the publication does not define it."""
    return pc.pub.styles.get(name) or replace(base, name=name, **changes)


def tall_entries(sc, piece: Piece, index: int, body: Style, width: float) -> list:
    """A crosshead, quote, table or break as one Tall entry (whole grid lines); `width` is the column (pt)."""
    pc = sc.p
    pitch = pc.pub.grid.pitch
    if piece.kind == CROSSHEAD:
        style = derived(pc, "crosshead", body, font="hei", align="center")
        result = pc.ts.break_text(piece.text, width / style.size, style, indent=0.0, justify=False)
        sc.report_breaks(result)
        n = len(result.lines)
        # half a grid line of air above and below, rounded up to whole lines: the text stays on the grid
        return [Tall(CROSSHEAD, math.ceil(n * style.leading / pitch + 0.5 - 1e-6), result.lines, True, style,
                     piece=index)]
    if piece.kind == QUOTE:
        style = derived(pc, "quote", body, font="kai", size=body.size * 1.2, leading=body.leading * 1.2,
                        align="left")
        # whole characters of the quote's size, at least one body em in from either side, centred
        chars = max(math.floor((width - 2 * pc.pub.grid.char) / style.size + 1e-6), 1)
        result = pc.ts.break_text(piece.text, chars, style, indent=0.0)
        sc.report_breaks(result)
        n = len(result.lines)
        return [Tall(QUOTE, math.ceil(n * style.leading / pitch + 1.0 - 1e-6), result.lines, False, style,
                     extra=((width - chars * style.size) / 2,), piece=index)]
    if piece.kind == TABLE:
        return [table_entry(sc, piece, index, body, width)]
    if piece.kind == BREAK:
        return [Tall(BREAK, 1, (), False, body, piece=index)]
    raise AssertionError(piece.kind)


def table_entry(sc, piece: Piece, index: int, body: Style, width: float) -> Tall:
    """Column widths from the cells' natural widths (never below two characters), each row as many grid
    lines as its tallest cell takes."""
    pc = sc.p
    style = derived(pc, "table", body, align="left")
    head = derived(pc, "strong", style, font="hei")
    ncols = max(len(r) for r in piece.rows)
    pad = 0.5 * style.size                     # each side of a cell
    natural = [2.0 * style.size] * ncols
    for row in piece.rows:
        for c, (text, _spans) in enumerate(row):
            natural[c] = max(natural[c], pc.ts.natural_line(text, style).width * style.size + 2 * pad)
    total = sum(natural)
    widths = [w * width / total for w in natural]    # shrink or stretch to the column
    cell_lines, heights = [], []
    for r, row in enumerate(piece.rows):
        st = head if piece.header and r == 0 else style
        per = []
        for c, (text, spans) in enumerate(row):
            result = pc.ts.break_text(text, (widths[c] - 2 * pad) / st.size, st, indent=0.0, justify=False) \
                if text else None
            if result:
                sc.report_breaks(result)
            per.append((result.lines if result else (), spans))
        cell_lines.append(tuple(per))
        heights.append(max(1, max(math.ceil(len(ls) * st.leading / pc.pub.grid.pitch - 1e-6) for ls, _spans in per)))
    return Tall(TABLE, sum(heights), tuple(cell_lines), False, style, (tuple(widths), tuple(heights)), piece=index)


def draw_tall(sc, entry: Tall, x: float, top: float, width: float, ctx, piece: Piece) -> None:
    pc = sc.p
    pitch = pc.pub.grid.pitch
    height = entry.rows * pitch
    style = entry.style
    if entry.kind == CROSSHEAD:
        y = top + (height - len(entry.lines) * style.leading) / 2
        for line in entry.lines:
            lx = _aligned(x, width, line.width * style.size, style.align)
            draw_line(pc, line, lx, pc.baseline(y, style.leading, style), style, piece.spans, ctx)
            y += style.leading
    elif entry.kind == QUOTE:
        pc.items.append(Rule(x, top + pitch * 0.25, x + width, top + pitch * 0.25, QUOTE_RULE))
        pc.items.append(Rule(x, top + height - pitch * 0.25, x + width, top + height - pitch * 0.25, QUOTE_RULE))
        y = top + (height - len(entry.lines) * style.leading) / 2
        for line in entry.lines:
            draw_line(pc, line, x + entry.extra[0], pc.baseline(y, style.leading, style), style, piece.spans, ctx)
            y += style.leading
    elif entry.kind == BREAK:
        pc.set_line(BREAK_MARK, style, x, x + width, pc.baseline(top, pitch, style), align="center", ctx=ctx)
    elif entry.kind == TABLE:
        draw_table(sc, entry, x, top, width, ctx, piece)


def draw_table(sc, entry: Tall, x: float, top: float, width: float, ctx, piece: Piece) -> None:
    pc = sc.p
    pitch = pc.pub.grid.pitch
    widths, heights = entry.extra
    style = entry.style
    head = derived(pc, "strong", style, font="hei")
    pad = 0.5 * style.size
    y = top
    pc.items.append(Rule(x, y, x + width, y, TABLE_OUTER))
    for r, cells in enumerate(entry.lines):
        st = head if piece.header and r == 0 else style
        h = heights[r] * pitch
        cx = x
        for c, (lines, spans) in enumerate(cells):
            ly = y + (h - len(lines) * st.leading) / 2
            for line in lines:
                draw_line(pc, line, cx + pad, pc.baseline(ly, st.leading, st), st, spans, ctx)
                ly += st.leading
            cx += widths[c]
            if c < len(cells) - 1:
                pc.items.append(Rule(cx, y, cx, y + h, TABLE_INNER))
        y += h
        last = r == len(entry.lines) - 1
        weight = TABLE_OUTER if last else (0.5 if piece.header and r == 0 else TABLE_INNER)
        pc.items.append(Rule(x, y, x + width, y, weight))


def _aligned(x: float, width: float, w: float, align: str) -> float:
    if align == "center":
        return x + (width - w) / 2
    if align == "right":
        return x + width - w
    return x


def draw_line(pc, line, x: float, base: float, style: Style, spans, ctx) -> None:
    """One broken line, each emphasis span's clusters drawn in its own style at the positions they were
    broken at."""
    if not spans:
        pc.items.extend(pc.ts.runs(line.clusters, x, base, style, ctx))
        return
    off = line.start
    groups, cur, cur_kind = [], [], None
    for cl in line.clusters:
        kind = next((e for a, b, e in spans if a <= off < b), "") if cl.text else cur_kind
        if kind != cur_kind and cur:
            groups.append((cur_kind, cur))
            cur = []
        cur_kind = kind
        cur.append(cl)
        off += len(cl.text)
    if cur:
        groups.append((cur_kind, cur))
    for kind, clusters in groups:
        st = span_style(pc, style, kind) if kind in (BOLD, KAI) else style
        if st is not style:
            st = replace(st, size=style.size)  # a span keeps its paragraph's size
        pc.items.extend(pc.ts.runs(tuple(clusters), x, base, st, ctx))
