"""Ink where black text overprints (part of layout.compose.page): the build's own ink check.

Black text overprints (it is not knocked out of what lies under it, so misregister shows no white
halo): under overprint mode 1 a 100 % K glyph replaces the K of the tint or photo below and adds to its
C, M and Y. Total ink there = C + M + Y of what is below + the text's K — e.g. 100 % K text on a
60/60/60/0 tint (180 %) reaches 280 %; on a 20/20/20/60 tint (120 %) it reaches 160 % (the tint's K is
replaced, not added). Photos are separated within the limit, tints are checked as colours, but the sum
is only known here: reported with the place and the figure when it passes the publication's ink limit.
"""
from __future__ import annotations

from layout.model.findings import Finding
from layout.model.i18n import _
from layout.model.frame import Box, GlyphRun, Image
from layout.model.units import PT_PER_MM


def _run_box(run: GlyphRun):
    last = run.glyphs[-1]
    return (run.x, run.y - 0.88 * run.size, run.x + last.x + last.advance * run.size * run.scale,
            run.y + 0.12 * run.size)


def _overlap(a, b):
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    x1, y1 = min(a[2], b[2]), min(a[3], b[3])
    return (x0, y0, x1, y1) if x0 < x1 and y0 < y1 else None


def _photo_cmy(image: Image, area) -> float:
    """Largest C+M+Y (percent) of the prepared photo's pixels under `area` (page pt)."""
    import numpy as np
    from PIL import Image as PILImage
    l, t, r, b = image.crop
    with PILImage.open(image.path) as im:
        if im.mode != "CMYK":
            return 0.0
        sx = im.width * (r - l) / image.w
        sy = im.height * (b - t) / image.h
        x0 = int(im.width * l + (area[0] - image.x) * sx)
        y0 = int(im.height * t + (area[1] - image.y) * sy)
        x1 = int(im.width * l + (area[2] - image.x) * sx) + 1
        y1 = int(im.height * t + (area[3] - image.y) * sy) + 1
        a = np.asarray(im.crop((max(x0, 0), max(y0, 0), min(x1, im.width), min(y1, im.height))), dtype=np.uint16)
    if a.size == 0:
        return 0.0
    return float((a[..., 0] + a[..., 1] + a[..., 2]).max()) * 100.0 / 255.0


def check_overprint_ink(pc) -> None:
    """One `overprint-ink` error per tint or photo where overprinting black text passes the ink limit."""
    limit = pc.pub.ink_limit
    below = []                                   # (item, bbox) of what text may overprint, in drawing order
    worst: dict[int, tuple] = {}                 # id(item under) → (percent, area, run, item)
    for item in pc.items:
        if isinstance(item, Box) and item.fill is not None:
            below.append((item, (item.x, item.y, item.x + item.w, item.y + item.h)))
        elif isinstance(item, Image):
            below.append((item, (item.x, item.y, item.x + item.w, item.y + item.h)))
        elif isinstance(item, GlyphRun) and item.glyphs and not item.vertical:
            over = item.overprint if item.overprint is not None else item.color.is_black
            if not over or item.color.k <= 0:
                continue
            box = _run_box(item)
            under = None
            for thing, bbox in below:            # the last one drawn under the text is what it meets
                area = _overlap(box, bbox)
                if area is not None:
                    under = (thing, area)
            if under is None:
                continue
            thing, area = under
            if isinstance(thing, Box):
                cmy = 100.0 * (thing.fill.c + thing.fill.m + thing.fill.y)
            else:
                cmy = _photo_cmy(thing, area)
            total = cmy + 100.0 * item.color.k
            if total > limit + 0.5 and total > worst.get(id(thing), (0,))[0]:
                worst[id(thing)] = (total, area, item, thing)
    for total, area, run, thing in sorted(worst.values(), key=lambda w: (w[1][1], w[1][0])):
        what = "photo" if isinstance(thing, Image) else "tint"
        x_mm, y_mm = area[0] / PT_PER_MM, area[1] / PT_PER_MM
        data = {"percent": round(total, 1), "limit": limit, "x_mm": round(x_mm, 1), "y_mm": round(y_mm, 1),
                "under": what, "text_k": round(100 * run.color.k, 1), "role": run.role}
        if isinstance(thing, Box):
            f = thing.fill
            data["tint"] = [round(100 * v, 1) for v in (f.c, f.m, f.y, f.k)]
        pc.findings.append(Finding(
            "error", "overprint-ink",
            (_("black {role} text overprinting a photo reaches {total:.0f} % ink at {x:.0f}, {y:.0f} mm from the "
               "trim's top-left (limit {limit:g} %: C+M+Y below + the text's K); lighten the photo under the text",
               role=run.role, total=total, x=x_mm, y=y_mm, limit=limit) if what == "photo" else
             _("black {role} text overprinting a tint reaches {total:.0f} % ink at {x:.0f}, {y:.0f} mm from the "
               "trim's top-left (limit {limit:g} %: C+M+Y below + the text's K); lighten the tint or take it "
               "away under the text", role=run.role, total=total, x=x_mm, y=y_mm, limit=limit)),
            page=pc.page.number, where=pc.page.where, data=data))
