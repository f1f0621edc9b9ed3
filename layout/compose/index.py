"""导读 (type: index): pointers to stories on other pages, each with its 版次, balanced across the block's columns.

Input: an IndexBlock whose entries the loader resolved (page number and title). Output: the heading, a rule
under it and the entries' glyph runs on the body grid; an `index-overset` error when they do not fit.
"""
from __future__ import annotations

import math

from layout.compose.copyparts import derived
from layout.compose.flow import slots_for
from layout.model.findings import Finding
from layout.model.i18n import _
from layout.model.frame import Rule
from layout.model.spec import IndexBlock

HEAD_RULE = 0.75  # pt, under the heading


def place(pc, block: IndexBlock):
    g = pc.pub.grid
    body = pc.style("body")
    title_style = derived(pc, "index", body, font="hei", align="left")
    head_style = derived(pc, "index_head", body, font="hei", size=body.size * 1.5, leading=body.size * 1.5 * 1.3,
                         align="center")
    ctx = pc.ctx(block.id, block.where)
    r = block.rect
    head_rows = 0
    if block.title:
        head_rows = math.ceil(head_style.leading / g.pitch + 0.5 - 1e-6)
        top = r.y + (head_rows * g.pitch - head_style.leading) / 2
        pc.set_line(block.title, head_style, r.x, r.right, pc.baseline(top, head_style.leading, head_style),
                    align="center", ctx=ctx)
        rule_y = r.y + head_rows * g.pitch - g.pitch * 0.25
        pc.items.append(Rule(r.x, rule_y, r.right, rule_y, HEAD_RULE))
    area = _below(r, head_rows, g)
    slots = slots_for((area,), g) if area.depth > 0 else []
    width = min((s.width for s in slots), default=g.column_width)
    entries = [_entry(pc, item, title_style, body, width) for item in block.items]
    columns = _balance([len(e) for e in entries], [s.lines for s in slots])
    if columns is None:
        need = sum(len(e) for e in entries) + len(entries) - 1
        pc.findings.append(Finding("error", "index-overset",
                                   _('the 导读 entries need about {need} grid lines, the block has {have} below its heading; give it more lines or columns, or shorten the summaries', need=need, have=sum(s.lines for s in slots)),
                                   page=pc.page.number, story=block.id, where=block.where,
                                   data={"lines": need}))
        return
    for slot, members in zip(slots, columns):
        row = 0
        for k in members:
            for kind, line, style, ref in entries[k]:
                top = slot.y + row * g.pitch
                base = pc.baseline(top, g.pitch, style)
                if line is not None:
                    pc.items.extend(pc.ts.runs(line.clusters, slot.x, base, style, ctx))
                if ref:
                    pc.set_line(ref, title_style, slot.x, slot.x + slot.width, pc.baseline(top, g.pitch, title_style),
                                align="right", ctx=ctx)
                row += 1
            row += 1  # a blank grid line between entries


def _below(r, rows: int, g):
    from dataclasses import replace
    return replace(r, y=r.y + rows * g.pitch, h=r.h - rows * g.pitch, line=r.line + rows if r.line else 0,
                   depth=max(r.depth - rows, 0) if r.depth else 0)


def _entry(pc, item, title_style, body, width: float) -> list[tuple]:
    """The entry's grid lines: (kind, broken line or None, style, page reference to set right-aligned)."""
    ref = f"第{item.page}版"
    ref_w = pc.ts.natural_line(ref, title_style).width * title_style.size
    rows = []
    rows += [("title", line, title_style, "") for line in _title_lines(pc, item.title, title_style, width)]
    if item.summary:
        summary = pc.ts.break_text(item.summary, width / body.size, body, indent=0.0)
        rows += [("summary", line, body, "") for line in summary.lines]
    kind, line, style, _ref = rows[-1]
    if line.width * style.size + ref_w + style.size <= width:
        rows[-1] = (kind, line, style, ref)   # the 版次 at the right of the entry's last line
    else:
        rows.append(("ref", None, title_style, ref))
    return rows


def _title_lines(pc, title: str, style, width: float) -> list:
    """A title is a headline: broken at the editor's line breaks (joined by a 全角 space) and between words,
    lines balanced, at its own size (no shrinking in a 导读). The body breaker fills each line and would
    split a word (重|庆); it stays the fallback for a title that no word-break fits."""
    from layout.text.headline import fit_headline
    filled = pc.ts.break_text(title, width / style.size, style, indent=0.0, justify=False).lines
    fit = fit_headline(title, width / style.size, pc.ts.advance(style.font), max_lines=len(filled) + 1,
                       min_tracking=0.0, min_scale=1.0)
    if not fit.fits:
        return list(filled)
    return [pc.ts.natural_line(title[a:b].strip(), style) for a, b in fit.lines]


def _balance(heights: list[int], capacities: list[int]) -> list[list[int]] | None:
    """Entries (whole, in order) into the columns, the longest column as short as it can be (左右平衡):
    each entry takes its lines and a blank line before the next one in its column."""
    if not capacities:
        return None if heights else []
    total = sum(heights) + max(len(heights) - 1, 0)
    for limit in range(max(-(-total // len(capacities)) - 1, 1), max(capacities) + 1):
        columns, col, used = [[] for _ in capacities], 0, 0
        for k, h in enumerate(heights):
            need = h + (1 if columns[col] else 0)
            while col < len(capacities) and used + need > min(limit, capacities[col]):
                col, used = col + 1, 0
                need = h
            if col == len(capacities):
                break
            columns[col].append(k)
            used += need
        else:
            return columns
    return None
