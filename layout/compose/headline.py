"""Headline groups: 引题 (kicker), 主题 (main), 副题 (subhead), horizontal or vertical (竖排).

Input: a HeadlineBlock and the PageComposer. Output: glyph runs, balanced lines centred in the block's
height; findings when the group does not fit (headline-too-wide, headline-overset).
"""
from __future__ import annotations

import math
from dataclasses import replace

from layout.model.findings import Finding
from layout.model.spec import HeadlineBlock, Style
from layout.model.units import PT_PER_MM
from layout.model.i18n import _


def place(pc, block: HeadlineBlock):
    r = block.rect
    ctx = pc.ctx(block.story or block.id, block.where)
    main = pc.style("headline")
    if block.size:
        main = replace(main, size=block.size, leading=main.leading * block.size / main.size)
    parts = [(block.kicker, pc.style("kicker"), 2), (block.main, main, 3),
             (block.subhead, pc.style("subhead"), 2)]
    if block.vertical:
        vertical_headline(pc, block, parts, ctx)
        return
    # the group must fit the block's height: the main headline takes fewer lines (shrinking within its
    # scale_min to fit them) before the group is reported overset; the first attempt stands if none fits
    mark = len(pc.findings)
    attempts = []
    for main_lines in range(3, 0, -1):
        lines = []  # (text, style, size, leading, tracking)
        for text, style, max_lines in parts:
            if text:
                k = main_lines if style is main else max_lines
                lines.extend(headline_lines(pc, text, style, r.w, k, block, ctx))
        total = sum(line[3] for line in lines)
        found = pc.findings[mark:]
        del pc.findings[mark:]
        fits = total <= r.h + 0.01 and not any(f.code == "headline-too-wide" for f in found)
        attempts.append((lines, total, found))
        if fits:
            break
    lines, total, found = attempts[-1] if fits else attempts[0]
    pc.findings.extend(found)
    top = r.y + max(0.0, (r.h - total) / 2)
    if total > r.h + 0.01:
        pitch = pc.pub.grid.pitch   # "needs" rounded up: 10.04 lines in a 10-line block is 10.1, not 10.0
        pc.findings.append(Finding("error", "headline-overset",
                                   _('the headline group needs {total:.1f} lines, the block has {h:.0f}',
                                     total=math.ceil(total / pitch * 10 - 1e-9) / 10, h=r.h / pitch),
                                   page=pc.page.number, story=ctx.story, where=block.where))
    for text, style, size, lead, tracking in lines:
        pc.set_line(text, style, r.x, r.right, pc.baseline(top, lead, style, size), align=block.align,
                    size=size, ctx=ctx, tracking=tracking)
        top += lead


def headline_lines(pc, text: str, style: Style, width: float, max_lines: int, block, ctx) -> list[tuple]:
    """Balanced lines at the style's size; tighter tracking, then a smaller size (to scale_min) if needed."""
    from layout.text.headline import fit_headline
    text = text.replace("\\n", "\n")
    fit = fit_headline(text, width / style.size, pc.ts.advance(style.font), max_lines=max_lines,
                       min_scale=style.scale_min)
    if not fit.fits:
        pc.findings.append(Finding("error", "headline-too-wide",
                                   _("'{text}' does not fit {max_lines} line(s) of {width:.0f} mm even at {scale_min:.0%} size", text=text, max_lines=max_lines, width=width / PT_PER_MM, scale_min=style.scale_min), page=pc.page.number,
                                   story=ctx.story, where=block.where))
    size = style.size * fit.scale
    lead = style.leading * fit.scale
    return [(text[a:b].strip().replace("\n", ""), style, size, lead, style.tracking + fit.tracking)
            for a, b in fit.lines]


def vertical_headline(pc, block: HeadlineBlock, parts, ctx):
    """竖排: kicker in the rightmost column, then the main lines, right to left, from the block's top."""
    from layout.compose.vertical import set_column
    r = block.rect
    x = r.right
    for text, style, _size in parts:
        if not text:
            continue
        for piece in text.replace("\\n", "\n").split("\n"):
            size = style.size
            length = len(piece.strip()) * size
            if length > r.h:  # shrink to the block's height, down to scale_min
                size = max(style.size * style.scale_min, r.h / max(len(piece.strip()), 1))
            x -= size * 0.5 if x < r.right else 0.0
            x -= size
            if x < r.x - 0.01:
                pc.findings.append(Finding("error", "headline-overset",
                                           _('the vertical headline needs more columns than the block is wide'),
                                           page=pc.page.number, story=ctx.story, where=block.where))
                return
            items, used = set_column(piece.strip(), style, size, x + size / 2, r.y, pc.ts, ctx)
            if used > r.h + 0.01:
                pc.findings.append(Finding("error", "headline-overset",
                                           _("'{piece}' is {used:.0f} mm tall, the block {h:.0f} mm", piece=piece, used=used / PT_PER_MM, h=r.h / PT_PER_MM), page=pc.page.number,
                                           story=ctx.story, where=block.where))
            pc.items.extend(items)
