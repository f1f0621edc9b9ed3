"""Page furniture: 报眉 (running head), 报头 (masthead), imprint and folio.

Input: the PageComposer (issue, page, template, styles, grid). Output: glyph runs and rules appended to
its items, placed from the publication's grid (the running head above it, imprint and folio below).
"""
from __future__ import annotations

import datetime

from layout.model.findings import Finding, InputError
from layout.model.i18n import _
from layout.model.frame import Image, PdfPage, Rule
from layout.model.spec import MastheadBlock
from layout.model.units import PT_PER_MM

WEEKDAYS = "一二三四五六日"
# a logo is artwork, not a page: what the print specification says of whole pages does not apply to it
LOGO_IGNORED = {"checked", "trim-size", "trimbox-missing", "trim-bleed", "bleed-media", "box-nesting",
                "document-id-missing", "info-missing", "output-intent-missing", "output-intent-incomplete",
                "output-intent-multiple", "output-profile", "pdfx-conformance", "pdfx-version", "xmp-missing",
                "xmp-mismatch"}
RULE_THIN = 0.5   # pt


def date_cn(iso: str) -> tuple[str, str]:
    d = datetime.date.fromisoformat(iso)
    return f"{d.year}年{d.month}月{d.day}日", f"星期{WEEKDAYS[d.weekday()]}"


def fields(pc) -> dict:
    """The values a running head may name: {paper} {date} {weekday} {page} {section} {editors} …"""
    date, weekday = date_cn(pc.issue.date)
    ed = pc.page.editors
    editors = "　".join(f"{label}：{ed[k]}" for k, label in
                       (("responsible", "责任编辑"), ("art", "美术编辑"), ("proof", "校对")) if ed.get(k))
    return {"paper": pc.pub.name, "date": date, "weekday": weekday, "page": pc.page.number,
            "section": pc.page.section, "editors": editors, "cn": pc.pub.cn,
            "number": pc.issue.number, "serial": pc.issue.serial}


def running_head(pc):  # 报眉
    rh = pc.page.template.running_head
    g = pc.pub.grid
    style = pc.style(rh.style)
    values = fields(pc)
    rule_y = g.y - 2.5 * PT_PER_MM
    baseline = rule_y - 2.0 * PT_PER_MM
    for text, align in ((rh.left, "left"), (rh.center, "center"), (rh.right, "right")):
        if text:
            pc.set_line(text.format(**values), style, g.x, g.x + g.width, baseline, align=align)
    if rh.rule:
        pc.items.append(Rule(g.x, rule_y, g.x + g.width, rule_y, rh.rule))


def imprint(pc):
    g = pc.pub.grid
    style = pc.style("imprint")
    rule_y = g.y + g.height + 2.0 * PT_PER_MM
    pc.items.append(Rule(g.x, rule_y, g.x + g.width, rule_y, RULE_THIN))
    text = "　　".join(pc.pub.imprint)
    pc.set_line(text, style, g.x, g.x + g.width, rule_y + 2.0 * PT_PER_MM + style.size * 0.88,
                align="center")


def folio(pc):
    """The page number below the type area, on the outer side (even pages left, odd right)."""
    g = pc.pub.grid
    style = pc.style("folio")
    baseline = g.y + g.height + 2.0 * PT_PER_MM + 2 * style.size
    align = "left" if int(pc.page.number) % 2 == 0 else "right"
    pc.set_line(f"第{pc.page.number}版", style, g.x, g.x + g.width, baseline, align=align)


def masthead(pc, block: MastheadBlock):  # 报头
    r = block.rect
    g = pc.pub.grid
    title = pc.style("masthead", "headline")
    info = pc.style("masthead_info", "running_head")
    # the title (or the logo) fills the left five-eighths of the block, centred in its height
    title_w = r.w * 0.62
    vector_logo_on_mono = block.logo is not None and pc.page.mono and _is_pdf(block.logo)
    if vector_logo_on_mono:  # its colours are the artwork's own: a 黑白版 gets the title in type instead
        pc.findings.append(Finding("info", "logo-mono", _('logo {name} is not placed on a black-and-white page (its colours cannot be reduced to K); the title is set in type', name=block.logo.name),
                                   page=pc.page.number, story=block.id, where=block.where))
    if block.logo and not vector_logo_on_mono:
        logo(pc, block, r.x, r.y + g.pitch, title_w, r.h - 2 * g.pitch)
    else:
        size = min(title.size, r.h * 0.72, title_w / max(len(block.title), 1))
        base = r.y + (r.h - size) / 2 + 0.88 * size
        pc.set_line(block.title, title, r.x, r.x + title_w, base, align="center", size=size,
                    ctx=pc.ctx(block.id, block.where))
    v = fields(pc)
    lines = [pc.pub.publisher and f"{pc.pub.publisher}主办",
             f"国内统一刊号：{pc.pub.cn}",
             f"{v['date']}　{v['weekday']}",
             f"第{v['number']}期（总第{v['serial']}期）",
             f"今日{len(pc.issue.pages)}版"]
    lines = [s for s in lines if s]
    left = r.x + title_w + g.gutter
    pc.items.append(Rule(left - g.gutter / 2, r.y + g.pitch, left - g.gutter / 2, r.bottom - g.pitch,
                         RULE_THIN))
    top = r.y + (r.h - len(lines) * info.leading) / 2
    for i, text in enumerate(lines):
        pc.set_line(text, info, left + g.gutter, r.right, pc.baseline(top + i * info.leading, info.leading, info),
                    align="left", ctx=pc.ctx(block.id, block.where))
    pc.items.append(Rule(r.x, r.bottom - g.pitch / 2, r.right, r.bottom - g.pitch / 2, 2.0))
    pc.items.append(Rule(r.x, r.bottom - g.pitch / 2 + 3.0, r.right, r.bottom - g.pitch / 2 + 3.0, RULE_THIN))


def logo(pc, block: MastheadBlock, x: float, y: float, w: float, h: float):
    """报头 artwork, as large as fits the space and centred in it: a vector PDF is embedded like an
    advertisement (and preflighted like one: CMYK, fonts, ink), an image goes through the photo pipeline."""
    ctx = dict(page=pc.page.number, story=block.id, where=block.where)
    name = block.logo.name
    if not _is_pdf(block.logo):
        from layout.photo.prepare import prepare_photo
        from layout.compose.photo import profile
        prepared = prepare_photo(block.logo, w, h, fit="fit", focus=(0.5, 0.5), profile=profile(pc),
                                 gray=pc.page.mono, ink_limit=pc.pub.ink_limit, floor_ppi=pc.pub.min_ppi,
                                 cache_dir=pc.opts.cache_dir, strict=pc.opts.strict)
        px, py, pw, ph = prepared.placed
        pc.items.append(Image(x + px, y + py, pw, ph, str(prepared.path), prepared.pixel_w, prepared.pixel_h,
                              ppi=prepared.ppi))
        for f in prepared.findings:
            pc.findings.append(Finding(f.severity, f"logo-{f.code}", _('logo {name}: {message}', name=name, message=f.message), data=f.data, **ctx))
        return
    import pikepdf
    try:
        with pikepdf.open(block.logo) as pdf:
            box = pdf.pages[0].obj.get("/TrimBox") or pdf.pages[0].obj.get("/MediaBox")
            trim = tuple(float(v) for v in box)
    except (pikepdf.PdfError, IndexError, ValueError, TypeError) as exc:
        raise InputError(_("logo '{name}' cannot be read ({exc})", name=name, exc=exc), block.where, _('export the logo again as PDF')) from None
    tw, th = trim[2] - trim[0], trim[3] - trim[1]
    for severity, code, message, data in logo_preflight(pc, block.logo, (tw, th)):
        pc.findings.append(Finding(severity, f"logo-{code}", _('logo {name}: {message}', name=name, message=message), data=data, **ctx))
    scale = min(w / tw, h / th)
    pw, ph = tw * scale, th * scale
    pc.items.append(PdfPage(x + (w - pw) / 2, y + (h - ph) / 2, pw, ph, str(block.logo), trim, scale,
                            clip=(x, y, w, h)))


def _is_pdf(path) -> bool:
    with open(path, "rb") as fh:
        return b"%PDF-" in fh.read(1024)


def logo_preflight(pc, path, size: tuple[float, float]) -> list:
    """The logo's preflight findings (severity, code, message, data), kept in the cache folder by the file's
    content and the print specification: the same logo is checked once (Ghostscript's ink check costs ~1 s),
    not on every build of every front page."""
    import hashlib
    from pathlib import Path
    from layout.model.cachefile import read_entry, write_entry
    from layout.model.i18n import language
    data = Path(path).read_bytes()
    # the messages are kept as text: the language they are in is part of the key
    key = hashlib.sha256(data + repr((pc.pub.pdfx, pc.pub.ink_limit, pc.pub.min_ppi, language())).encode()).hexdigest()[:32]
    memo = Path(pc.opts.cache_dir) / "logo-preflight" / f"{key}.json"
    kept = read_entry(memo)
    if isinstance(kept, list):
        return [tuple(f) for f in kept]
    from layout.preflight import PreflightSpec, preflight
    spec = PreflightSpec(pdfx=pc.pub.pdfx, trim_mm=(size[0] / PT_PER_MM, size[1] / PT_PER_MM),
                         ink_limit=pc.pub.ink_limit, min_ppi=200.0, error_ppi=pc.pub.min_ppi)
    found = [(f.severity, f.code, f.message, dict(f.data)) for f in preflight([path], spec)
             if f.code not in LOGO_IGNORED]
    write_entry(memo, found)
    return found
