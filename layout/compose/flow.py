"""Flow: a story's lines poured through its regions' columns on the body line grid.

Input: broken lines (layout.text.breaker.Line, measure = one column) and the story's
regions (spec.Rect, reading order). Output: PlacedLine records (column slot + grid line)
and what did not fit (overset), as data.
"""
from __future__ import annotations

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
        if r.span:
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
