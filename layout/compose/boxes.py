"""Boxes (文框, tints, 花边) and rules (线): drawn as given, in the order of the page definition.

Input: a BoxBlock or RuleBlock. Output: Box, Rule and glyph items on the page. A box's frame style is drawn
inward from its edge (single, double, thick-thin 文武线, dotted); its 花边 sits in a band one body character
wide inside the frame; its padding was applied by the loader to the blocks inside it.
"""
from __future__ import annotations

import math

from layout.model.frame import Box, Rule
from layout.model.spec import BoxBlock, RuleBlock

# 花边: glyph ornaments repeated along the frame (characters every configured CJK face has), or a vector
# pattern drawn with small squares
ORNAMENTS = {"dots": "●", "diamonds": "◆◇", "stars": "★☆", "squares": "■□", "checker": None}
ORNAMENT_SIZE = 0.6    # of the body character
ORNAMENT_STEP = 1.25   # centre-to-centre distance, in ornament sizes (before spreading evenly)


def box(pc, block: BoxBlock):
    r = block.rect
    w = block.weight
    if block.frame == "single" or (block.frame == "none" and block.fill is not None):  # one item, as always
        stroke = block.color if w > 0 and block.frame == "single" else None
        pc.items.append(Box(r.x, r.y, r.w, r.h, stroke=stroke, fill=block.fill, line_width=w))
        if block.ornament:
            ornament(pc, block)
        return
    if block.fill is not None:
        pc.items.append(Box(r.x, r.y, r.w, r.h, stroke=None, fill=block.fill, line_width=0))
    if w > 0 and block.frame != "none":
        frame(pc, r.x, r.y, r.w, r.h, w, block)
    if block.ornament:
        ornament(pc, block)


def frame(pc, x, y, w, h, weight, block: BoxBlock):
    color = block.color
    if block.frame == "single":
        pc.items.append(Box(x, y, w, h, stroke=color, fill=None, line_width=weight))
    elif block.frame == "double":
        gap = max(1.0, 2 * weight)
        pc.items.append(Box(x, y, w, h, stroke=color, fill=None, line_width=weight))
        d = weight + gap
        pc.items.append(Box(x + d, y + d, w - 2 * d, h - 2 * d, stroke=color, fill=None, line_width=weight))
    elif block.frame == "thick-thin":  # 文武线: a heavy outer rule, a light inner one
        thick = 3 * weight
        pc.items.append(Box(x + thick / 2 - weight / 2, y + thick / 2 - weight / 2, w - thick + weight,
                            h - thick + weight, stroke=color, fill=None, line_width=thick))
        d = thick + max(1.0, weight * 2)
        pc.items.append(Box(x + d, y + d, w - 2 * d, h - 2 * d, stroke=color, fill=None, line_width=weight))
    elif block.frame == "dotted":
        dash = (weight, 2 * weight)
        for x1, y1, x2, y2 in ((x, y, x + w, y), (x + w, y, x + w, y + h), (x + w, y + h, x, y + h), (x, y + h, x, y)):
            pc.items.append(Rule(x1, y1, x2, y2, weight, color, dash))


def ornament(pc, block: BoxBlock):
    """花边 in a band one body character wide just inside the frame: the pattern repeated at an even step
    along each side, one ornament in each corner."""
    g = pc.pub.grid
    r = block.rect
    band = g.char
    size = ORNAMENT_SIZE * band
    inset = band / 2 + _frame_depth(block)          # band centre line from the box edge
    left, right, top, bottom = r.x + inset, r.right - inset, r.y + inset, r.bottom - inset
    points = _along(left, top, right, top, size) + _along(right, top, right, bottom, size)[1:] \
        + _along(right, bottom, left, bottom, size)[1:] + _along(left, bottom, left, top, size)[1:-1]
    pattern = ORNAMENTS[block.ornament]
    if pattern is None:  # checker: small squares, filled and open by turns
        for i, (cx, cy) in enumerate(points):
            s = size * 0.8
            pc.items.append(Box(cx - s / 2, cy - s / 2, s, s, stroke=block.color, fill=block.color if i % 2 == 0
                                else None, line_width=0.4))
        return
    from dataclasses import replace
    style = replace(pc.style("body"), name="ornament", font="hei", size=size, color=block.color, tracking=0.0)
    ctx = pc.ctx(block.id, block.where)
    for i, (cx, cy) in enumerate(points):
        ch = pattern[i % len(pattern)]
        base = pc.baseline(cy - size / 2, size, style)
        pc.set_line(ch, style, cx - size / 2, cx + size / 2, base, align="center", ctx=ctx)


def _frame_depth(block: BoxBlock) -> float:
    """How far the frame reaches into the box."""
    w = block.weight if block.frame != "none" else 0.0
    if block.frame == "double":
        return 2 * w + max(1.0, 2 * w)
    if block.frame == "thick-thin":
        return 4 * w + max(1.0, 2 * w)
    return w


def _along(x1, y1, x2, y2, size) -> list[tuple[float, float]]:
    """Centres from (x1, y1) to (x2, y2) inclusive, evenly spaced about ORNAMENT_STEP sizes apart."""
    length = math.hypot(x2 - x1, y2 - y1)
    n = max(1, round(length / (size * ORNAMENT_STEP)))
    return [(x1 + (x2 - x1) * i / n, y1 + (y2 - y1) * i / n) for i in range(n + 1)]


def rule(pc, block: RuleBlock):
    r = block.rect
    if block.direction == "vertical":
        x = r.x + r.w / 2
        pc.items.append(Rule(x, r.y, x, r.bottom, block.weight, block.color))
    else:
        y = r.y + r.h / 2
        pc.items.append(Rule(r.x, y, r.right, y, block.weight, block.color))
