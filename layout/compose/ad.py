"""Advertisements (广告): page 1 of the advertiser's PDF in its grid space, preflighted first.

Input: an AdBlock and the PageComposer. Output: a PdfPage item (embedded after rendering), the ad's
label (广告), its area, and findings (the ad's own preflight findings, size mismatch).
"""
from __future__ import annotations

from dataclasses import replace

from layout.model.findings import Finding, InputError
from layout.model.frame import BLACK, WHITE, Area, Box, PdfPage
from layout.model.spec import AdBlock
from layout.model.units import PT_PER_MM
from layout.model.i18n import _


# preflight findings that keep an ad off the page (a bomb copied into our page would choke the RIP too)
UNPLACEABLE = ("unreadable", "stream-too-large", "box-degenerate", "check-time-limit")


def place(pc, block: AdBlock):
    """广告: page 1 of the advertiser's PDF in its grid space, preflighted first; scaled only when
    the publication allows it, and reported when its trim size does not match the space."""
    import pikepdf
    from layout.preflight import PreflightSpec, preflight
    from layout.preflight.limits import AD_LIMITS, box_problem
    r = block.rect
    ctx = dict(page=pc.page.number, story=block.id, where=block.where)
    name = block.file.name
    trim, blocked = None, False
    try:
        with pikepdf.open(block.file) as pdf:
            # encrypted or a page 1 without area: reported by the preflight below, never placed
            box = pdf.pages[0].obj.get("/TrimBox") or pdf.pages[0].obj.get("/MediaBox")
            trim = tuple(float(v) for v in box)
            blocked = pdf.is_encrypted or len(trim) != 4 or box_problem(trim) is not None
    except pikepdf.PasswordError:
        blocked = True
    except (pikepdf.PdfError, IndexError, ValueError, TypeError) as exc:
        raise InputError(_("advertisement '{name}' cannot be read ({exc})", name=name, exc=exc), block.where,
                         _('ask the advertiser for the file again (PDF/X-1a)'))
    spec = PreflightSpec(pdfx=pc.pub.pdfx, trim_mm=(r.w / PT_PER_MM, r.h / PT_PER_MM),
                         ink_limit=pc.pub.ink_limit, min_ppi=200.0, error_ppi=pc.pub.min_ppi,
                         limits=AD_LIMITS)  # page 1 only, bombs and slow files stopped
    for f in preflight([block.file], spec):
        if f.code in ("checked", "trim-size"):
            continue  # the size is judged against the space below
        blocked = blocked or f.code in UNPLACEABLE
        pc.findings.append(Finding(f.severity, f"ad-{f.code}", _('advertisement {name}: {message}', name=name, message=f.message),
                                   data=dict(f.data), **ctx))
    if blocked:
        pc.findings.append(Finding("error", "ad-not-placed", _("advertisement {name} cannot be placed "
                                   "(see the findings above)", name=name), **ctx))
        return
    tw, th = trim[2] - trim[0], trim[3] - trim[1]
    tol = 0.5 * PT_PER_MM
    scale = 1.0
    if abs(tw - r.w) > tol or abs(th - r.h) > tol:
        fits = tw <= r.w + tol and th <= r.h + tol
        if pc.pub.ads_scale:
            scale = min(r.w / tw, r.h / th)
        sev = "warning" if fits or pc.pub.ads_scale else "error"
        pc.findings.append(Finding(
                                   sev, "ad-size-mismatch",
                                   f"advertisement {name} is {tw / PT_PER_MM:.1f} × {th / PT_PER_MM:.1f} mm, its space "
                                   f"{r.w / PT_PER_MM:.1f} × {r.h / PT_PER_MM:.1f} mm"
                                   + (f"; scaled to {scale:.1%}" if scale != 1.0 else
                                      "; placed unscaled and centred" + ("" if fits else ", cut off at the space's edges")),
                                   data={"ad_mm": [round(tw / PT_PER_MM, 1), round(th / PT_PER_MM, 1)],
                                         "space_mm": [round(r.w / PT_PER_MM, 1), round(r.h / PT_PER_MM, 1)], "scale": scale},
                                   **ctx))
    w, h = tw * scale, th * scale
    pc.items.append(PdfPage(r.x + (r.w - w) / 2, r.y + (r.h - h) / 2, w, h, str(block.file), trim, scale,
                            clip=(r.x, r.y, r.w, r.h)))
    if block.label:
        ad_label(pc, block)
    pc.areas.append(Area(block.id, ((r.x, r.y), (r.right, r.y), (r.right, r.bottom), (r.x, r.bottom))))


def ad_label(pc, block: AdBlock):
    """广告法 Art. 14: an advertisement in the press must be clearly marked as one: a small tag
    in the top-right corner of its space, black on white."""
    style = replace(pc.style("running_head"), size=6.5, leading=6.5, tracking=0.0)
    line = pc.ts.natural_line(block.label, style)
    pad = 1.0 * PT_PER_MM
    w, h = line.width * style.size + 2 * pad, style.size + 2 * pad
    x, y = block.rect.right - w, block.rect.y
    pc.items.append(Box(x, y, w, h, stroke=BLACK, fill=WHITE, line_width=0.3))
    pc.items.extend(pc.ts.runs(line.clusters, x + pad, y + pad + 0.88 * style.size, style,
                               pc.ctx(block.id, block.where)))
