"""Advertisements (广告): page 1 of the advertiser's PDF in its grid space, preflighted first.

Input: an AdBlock and the PageComposer. Output: a PdfPage item (embedded after rendering), the ad's
label (广告), its area, and findings (the ad's own preflight findings, size mismatch). An ad that fails
preflight is repaired (layout.preflight.repair) and checked again where that is safe; otherwise it is not
placed: a 广告待换 placeholder and an `ad-refused` error.
"""
from __future__ import annotations

from dataclasses import replace

from layout.model.findings import Finding, InputError
from layout.model.frame import BLACK, WHITE, Area, Box, PdfPage, Rule
from layout.model.spec import AdBlock
from layout.model.units import PT_PER_MM
from layout.model.i18n import _


# preflight findings that keep an ad off the page (a bomb copied into our page would choke the RIP too)
UNPLACEABLE = ("unreadable", "stream-too-large", "box-degenerate", "check-time-limit")
# the advertiser's file wrapper, not what is printed: only page 1's content is placed in our page, which
# carries its own identification and OutputIntent — a person should look, the press is not at risk
WRAPPER = frozenset({"pdfx-version", "pdfx-conformance", "trapped", "info-missing", "document-id-missing",
                     "xmp-missing", "xmp-mismatch", "output-intent-missing", "output-intent-multiple",
                     "output-intent-incomplete", "output-profile", "pdf-version"})


def _trim(path) -> tuple[float, float, float, float]:
    import pikepdf
    with pikepdf.open(path) as pdf:
        page = pdf.pages[0]
        box = page.obj.get("/TrimBox") or page.obj.get("/MediaBox")
        return tuple(float(v) for v in box)


def _check(pc, path, r) -> list[Finding]:
    """The ad's preflight findings, the file wrapper's errors turned into warnings."""
    from layout.preflight import PreflightSpec, preflight
    from layout.preflight.limits import AD_LIMITS
    spec = PreflightSpec(pdfx=pc.pub.pdfx, trim_mm=(r.w / PT_PER_MM, r.h / PT_PER_MM),
                         ink_limit=pc.pub.ink_limit, min_ppi=200.0, error_ppi=pc.pub.min_ppi,
                         limits=AD_LIMITS)  # page 1 only, bombs and slow files stopped
    out = []
    for f in preflight([path], spec):
        if f.code in ("checked", "trim-size"):
            continue  # the size is judged against the space in place()
        if f.code in WRAPPER and f.severity == "error":
            f = replace(f, severity="warning")
        out.append(f)
    return out


def place(pc, block: AdBlock):
    """广告: page 1 of the advertiser's PDF in its grid space, preflighted first. An ad that fails is
    repaired through Ghostscript where that is safe (and checked again), else not placed: its space shows
    广告待换 and the reason, and the page gets an error. Scaled only when the publication allows it, and
    reported when its trim size does not match the space."""
    import pikepdf
    from layout.preflight.limits import box_problem
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
    found = _check(pc, block.file, r)
    blocked = blocked or any(f.code in UNPLACEABLE for f in found)
    errors = [f for f in found if f.severity == "error"]
    path = block.file
    if blocked:     # not even worth a repair: never placed
        path = None
        placeholder(pc, block, ", ".join(sorted({f.code for f in errors})) or "unreadable")
        found = found + [None]
    elif errors:
        path, trim, found = _repair(pc, block, r, errors, found, ctx)
    for f in found:
        if f is None:
            pc.findings.append(Finding("error", "ad-not-placed", _("advertisement {name} cannot be placed "
                                       "(see the findings above)", name=name), **ctx))
            continue
        pc.findings.append(Finding(f.severity, f"ad-{f.code}", _('advertisement {name}: {message}', name=name, message=f.message),
                                   data=dict(f.data), **ctx))
    if path is None:
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
    pc.items.append(PdfPage(r.x + (r.w - w) / 2, r.y + (r.h - h) / 2, w, h, str(path), trim, scale,
                            clip=(r.x, r.y, r.w, r.h)))
    if block.label:
        ad_label(pc, block)
    pc.areas.append(Area(block.id, ((r.x, r.y), (r.right, r.y), (r.right, r.bottom), (r.x, r.bottom))))


def _repair(pc, block, r, errors, found, ctx):
    """(path to place or None, its trim, the findings to report) for an ad whose preflight found errors."""
    from layout.photo.color import DEFAULT_PROFILE
    from layout.preflight.repair import REPAIRABLE, WHAT, RepairError, repaired_copy
    name = block.file.name
    codes = sorted({f.code for f in errors})
    # anything repairable: try (RGB's ink is only known once it is separated through the press profile);
    # the second check decides
    if any(c in REPAIRABLE for c in codes):
        try:
            fixed = repaired_copy(block.file, pc.opts.cache_dir, pc.pub.profile or DEFAULT_PROFILE)
            again = _check(pc, fixed, r)
            trim = _trim(fixed)
        except (RepairError, OSError, ValueError, IndexError, TypeError) as exc:
            again, fixed, trim = None, None, None
            reason = _('the repair failed ({exc})', exc=exc)
        else:
            left = sorted({f.code for f in again if f.severity == "error"})
            reason = _('still {codes} after the repair', codes=", ".join(left))
        if again is not None and not any(f.severity == "error" for f in again):
            done = "; ".join(_(WHAT[c]) for c in codes)
            # what was wrong stays on record as notes; the repair itself is a warning (a person should look)
            notes = [replace(f, severity="info", message=_('{message} (repaired)', message=f.message)) for f in errors]
            pc.findings.append(Finding("warning", "ad-repaired",
                                       _('advertisement {name} repaired by Ghostscript and checked again: {done}; '
                                         'ask the advertiser for a corrected PDF/X-1a file', name=name, done=done),
                                       data={"repaired": codes, "file": str(fixed)}, **ctx))
            return fixed, trim, notes + [f for f in again if f.severity != "error"]
    else:
        reason = _('{codes} cannot be repaired safely', codes=", ".join(c for c in codes if c not in REPAIRABLE))
    placeholder(pc, block, ", ".join(codes))
    pc.findings.append(Finding("error", "ad-refused",
                               _('advertisement {name} is not placed (广告待换 in its space): {codes}; {reason}; '
                                 'ask the advertiser for a corrected PDF/X-1a file (or try `paiban fix-ad`)',
                                 name=name, codes=", ".join(codes), reason=reason),
                               data={"codes": codes, "reason": reason}, **ctx))
    return None, None, found


def placeholder(pc, block: AdBlock, reason: str):
    """广告待换 ("advertisement to be replaced"): a frame over the whole space, the words, the reason."""
    r = block.rect
    pc.items.append(Box(r.x, r.y, r.w, r.h, stroke=BLACK, fill=WHITE, line_width=1.0))
    pc.items.append(Rule(r.x, r.y, r.right, r.bottom, 0.3, BLACK))
    pc.items.append(Rule(r.x, r.bottom, r.right, r.y, 0.3, BLACK))
    ctx = pc.ctx(block.id, block.where)
    for text, role, share, top in (("广告待换", "headline", 0.8, 0.38), (reason, "running_head", 0.9, 0.62)):
        style = pc.style(role)
        line = pc.ts.natural_line(text, style)
        size = min(style.size, r.w * share / max(line.width, 0.01))
        style = replace(style, size=size, leading=size, tracking=0.0)
        w = line.width * size
        x, y = r.x + (r.w - w) / 2, r.y + r.h * top
        pc.items.append(Box(x - 2, y - 0.9 * size, w + 4, 1.2 * size, stroke=None, fill=WHITE))
        pc.items.extend(pc.ts.runs(line.clusters, x, y, style, ctx, size=size))
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
