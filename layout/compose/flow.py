"""Flow: a story's lines poured through its regions' columns on the body line grid.

Input: broken lines (layout.text.breaker.Line, measure = one column) and the story's
regions (spec.Rect, reading order). Output: PlacedLine records (column slot + grid line)
and what did not fit (overset), as data.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from layout.model.spec import Grid, Rect


@dataclass(frozen=True)
class Slot:
    """One text column of a region: left edge, top, width and how many grid lines it holds."""
    x: float      # pt
    y: float      # pt, top of its first line
    width: float  # pt
    lines: int
    region: int   # index of the region it belongs to


@dataclass(frozen=True)
class Placed:
    line: object   # breaker Line, or a marker line from the composer
    slot: int      # index into the slots
    row: int       # 0-based line within the slot


@dataclass
class FlowResult:
    placed: list[Placed]
    overset: list  # lines that did not fit
    slots: list[Slot]
    empty_lines: int  # grid lines left empty at the story's end (空行)
    widows: list = None  # (slot index, line) of a paragraph's last line left alone at a column top (孤行)


def slots_for(regions: tuple[Rect, ...], grid: Grid) -> list[Slot]:
    out = []
    for ri, r in enumerate(regions):
        if r.span and abs(r.w - grid.span_width(r.span)) > 0.01:
            # inset by a box's padding: the same number of columns, each of whole characters, centred
            col = (r.w - (r.span - 1) * grid.gutter) / r.span
            width = math.floor(col / grid.char + 1e-6) * grid.char
            for c in range(r.span):
                out.append(Slot(r.x + c * (col + grid.gutter) + (col - width) / 2, r.y, width, r.depth, ri))
        elif r.span:
            for c in range(r.span):
                out.append(Slot(grid.col_x(r.col + c), r.y, grid.column_width, r.depth, ri))
        else:  # placed in mm: one column, as many whole lines as fit
            out.append(Slot(r.x, r.y, r.w, int(r.h // grid.pitch + 1e-6), ri))
    return out


def pour(lines: list, slots: list[Slot], balance: bool = True) -> FlowResult:
    """Fill slots in order; balance the last region's columns when the story ends early."""
    capacity = sum(s.lines for s in slots)
    fitted, overset = lines[:capacity], lines[capacity:]
    placed: list[Placed] = []
    counts = [0] * len(slots)
    remaining = len(fitted)
    for si, slot in enumerate(slots):
        take = min(slot.lines, remaining)
        counts[si] = take
        remaining -= take
    if balance and not overset and fitted:
        counts = _balanced(counts, slots)
    counts, widows = _avoid_widows(counts, slots, fitted)
    idx = 0
    for si, n in enumerate(counts):
        for row in range(n):
            placed.append(Placed(fitted[idx], si, row))
            idx += 1
    empty = capacity - len(fitted)
    return FlowResult(placed, overset, slots, empty, widows)


def _is_widow(line) -> bool:
    """A paragraph's last line that is not also its first (a one-line paragraph is no widow)."""
    return bool(getattr(line, "last", False)) and not getattr(line, "first", True)


def _avoid_widows(counts: list[int], slots: list[Slot], lines: list) -> tuple[list[int], list]:
    """孤行: when a column would start with a paragraph's last line, move the line before it down
    too, if the next column has a free line and the previous one keeps at least two lines.
    Returns the new counts and the widows that could not be avoided."""
    counts = list(counts)
    widows = []
    start = 0
    for si in range(len(slots) - 1):
        start += counts[si]
        nxt = si + 1
        if not counts[nxt] or start >= len(lines) or not _is_widow(lines[start]):
            continue
        if counts[si] > 2 and counts[nxt] < slots[nxt].lines and not getattr(lines[start - 1], "last", True):
            counts[si] -= 1
            counts[nxt] += 1
            start -= 1
        else:
            widows.append((nxt, lines[start]))
    return counts, widows


def _balanced(counts: list[int], slots: list[Slot]) -> list[int]:
    """Spread the lines of the last used region evenly over its columns (左右平衡)."""
    used = [i for i, n in enumerate(counts) if n]
    if not used:
        return counts
    region = slots[used[-1]].region
    members = [i for i, s in enumerate(slots) if s.region == region]
    total = sum(counts[i] for i in members)
    if total == sum(slots[i].lines for i in members):
        return counts  # full: nothing to balance
    per = -(-total // len(members))  # ceil
    out = list(counts)
    left = total
    for i in members:
        take = min(per, slots[i].lines, left)
        out[i] = take
        left -= take
    if left:  # uneven capacities: fall back to filling in order
        return counts
    return out


def _rows(entry) -> int:
    return getattr(entry, "rows", 1)


def _fill(lines: list, slots: list[Slot], limits: list[int]) -> tuple[list[Placed], int]:
    """Entries in order into the slots, each on whole grid lines; an entry that does not fit the rest of
    a column starts the next, and one that keeps with the next (a 小标题) never ends a column.
    Returns what was placed and how many entries that is."""
    placed: list[Placed] = []
    si, row, i, n = 0, 0, 0, len(lines)
    while i < n and si < len(slots):
        h = _rows(lines[i])
        lim = min(limits[si], slots[si].lines)
        keep_next = getattr(lines[i], "keep", False) and i + 1 < n and row > 0
        if row + h > lim or (keep_next and row + h + _rows(lines[i + 1]) > lim):
            si, row = si + 1, 0
            continue
        placed.append(Placed(lines[i], si, row))
        row += h
        i += 1
    return placed, i


def pour_tall(lines: list, slots: list[Slot], balance: bool = True) -> FlowResult:
    """pour() for copy with entries taller than one grid line (小标题, 引语, tables): the same filling in
    reading order and balancing of the last region's columns, by grid lines."""
    capacity = sum(s.lines for s in slots)
    limits = [s.lines for s in slots]
    placed, n = _fill(lines, slots, limits)
    if balance and n == len(lines) and placed:
        region = slots[placed[-1].slot].region
        members = [i for i, s in enumerate(slots) if s.region == region]
        used = sum(_rows(p.line) for p in placed if p.slot in members)
        for target in range(-(-used // len(members)), max(slots[i].lines for i in members)):
            trial = [target if i in members else lim for i, lim in enumerate(limits)]
            got, m = _fill(lines, slots, trial)
            if m == len(lines):
                placed = got
                break
    filled = sum(_rows(p.line) for p in placed)
    return FlowResult(placed, lines[n:], slots, capacity - filled, [])


def fitting(lines: list, slots: list[Slot], reserve: int = 0) -> int:
    """How many entries fit the slots with `reserve` grid lines kept free at the end (转版 line)."""
    if reserve and slots:
        slots = slots[:-1] + [Slot(slots[-1].x, slots[-1].y, slots[-1].width,
                                   max(slots[-1].lines - reserve, 0), slots[-1].region)]
    return _fill(lines, slots, [s.lines for s in slots])[1]
