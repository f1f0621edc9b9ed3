"""Boxes (文框, tints) and rules (线): drawn as given, in the order of the page definition.

Input: a BoxBlock or RuleBlock. Output: a Box or Rule item on the page.
"""
from __future__ import annotations

from layout.model.frame import Box, Rule
from layout.model.spec import BoxBlock, RuleBlock


def box(pc, block: BoxBlock):
    r = block.rect
    pc.items.append(Box(r.x, r.y, r.w, r.h, stroke=block.color if block.weight > 0 else None,
                        fill=block.fill, line_width=block.weight))


def rule(pc, block: RuleBlock):
    r = block.rect
    if block.direction == "vertical":
        x = r.x + r.w / 2
        pc.items.append(Rule(x, r.y, x, r.bottom, block.weight, block.color))
    else:
        y = r.y + r.h / 2
        pc.items.append(Rule(r.x, y, r.right, y, block.weight, block.color))
