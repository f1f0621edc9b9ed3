"""Photos with captions: the picture prepared for the press, the caption (and credit) below it.

Input: a PhotoBlock and the PageComposer. Output: an Image item (the prepared CMYK/gray JPEG placed in
the frame), the caption's glyph runs on whole grid lines, and the photo's findings (resolution …).
"""
from __future__ import annotations

import time
from pathlib import Path

from layout.model.findings import Finding, InputError
from layout.model.frame import Image
from layout.model.spec import PhotoBlock
from layout.model.i18n import _


def place(pc, block: PhotoBlock):
    from layout.photo.prepare import prepare_photo
    r = block.rect
    g = pc.pub.grid
    cap_style = pc.style("caption")
    ctx = pc.ctx(block.story or block.id, block.where)
    # the credit follows the caption after a full-width space (调研组观看……展板　张三摄)
    caption = "　".join(t for t in (block.caption, block.credit) if t)
    cap_lines = []
    if caption:
        result = pc.ts.break_text(caption, r.w / cap_style.size, cap_style, indent=0.0)
        cap_lines = list(result.lines)
    cap_h = len(cap_lines) * cap_style.leading
    cap_grid = -(-cap_h // g.pitch) * g.pitch if cap_lines else 0.0  # whole grid lines
    gap = 0.0 if not cap_lines else max(0.0, cap_grid - cap_h)
    frame_h = r.h - cap_grid
    if frame_h <= g.pitch:
        pc.findings.append(Finding("error", "photo-too-small", _('the caption leaves no room for the photo'),
                                   page=pc.page.number, story=ctx.story, where=block.where))
        return
    t0 = time.perf_counter()
    try:
        prepared = prepare_photo(block.file, r.w, frame_h, fit=block.fit, focus=block.focus,
                                 profile=profile(pc), gray=pc.page.mono, ink_limit=pc.pub.ink_limit,
                                 floor_ppi=pc.pub.min_ppi, cache_dir=pc.opts.cache_dir,
                                 strict=pc.opts.strict)
    except InputError as e:  # a picture that only fails when decoded: point at the block naming it
        if e.where.file:
            raise
        raise InputError(e.message, block.where, e.hint) from None
    pc.stats["images_s"] = pc.stats.get("images_s", 0.0) + time.perf_counter() - t0  # build timings
    px, py, pw, ph = prepared.placed
    pc.items.append(Image(r.x + px, r.y + py, pw, ph, str(prepared.path), prepared.pixel_w,
                          prepared.pixel_h, ppi=prepared.ppi))
    for f in prepared.findings:
        pc.findings.append(Finding(f.severity, f.code, f.message, page=pc.page.number, story=ctx.story,
                                   where=block.where, data=f.data))
    top = r.y + frame_h + gap / 2
    for line in cap_lines:
        base = pc.baseline(top, cap_style.leading, cap_style)
        x = r.x
        if len(cap_lines) == 1:  # a one-line caption is centred under the photo
            x = r.x + (r.w - line.width * cap_style.size) / 2
        pc.items.extend(pc.ts.runs(line.clusters, x, base, cap_style, ctx))
        top += cap_style.leading


def profile(pc) -> Path:
    if pc.pub.profile:
        return pc.pub.profile
    from layout.photo.color import DEFAULT_PROFILE
    return DEFAULT_PROFILE
