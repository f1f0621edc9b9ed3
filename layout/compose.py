"""Compose one page: PageSpec → PageFrame (+ findings).

Input: IssueSpec, PageSpec, a FontBook and options. Output: PageFrame (layout.frame)
with every glyph, rule, box and image placed in points, and findings (overset, fallback
glyphs, low-resolution photos …). Composition never draws and never writes PDF.
"""
from __future__ import annotations

import datetime
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from .findings import Finding, InputError
from .frame import BLACK, WHITE, Area, Box, Color, GlyphRun, Image, PageFrame, PdfPage, Rule
from .spec import (AdBlock, BoxBlock, HeadlineBlock, IssueSpec, MastheadBlock, PageSpec, PhotoBlock, Publication,
                   RuleBlock, StoryBlock, Style)
from .story import StoryComposer
from .typeset import Context, Typesetter
from .units import PT_PER_MM

WEEKDAYS = "一二三四五六日"
RULE_THIN = 0.5   # pt


@dataclass
class ComposeOptions:
    cache_dir: Path = Path(".cache/paiban")
    strict: bool = False
    proof: bool = False
    breaks: dict | None = None  # line breaks per paragraph kept across rebuilds (memo.RebuildMemo)


@dataclass
class PageResult:
    frame: PageFrame
    findings: list[Finding] = field(default_factory=list)
    stats: dict = field(default_factory=dict)


def date_cn(iso: str) -> tuple[str, str]:
    d = datetime.date.fromisoformat(iso)
    return f"{d.year}年{d.month}月{d.day}日", f"星期{WEEKDAYS[d.weekday()]}"


class PageComposer:
    def __init__(self, issue: IssueSpec, page: PageSpec, book, options: ComposeOptions):
        self.issue = issue
        self.pub: Publication = issue.publication
        self.page = page
        self.book = book
        self.opts = options
        self.ts = Typesetter(book, self.pub.punctuation, self.pub.line_breaking == "strict", options.breaks)
        self.items: list = []
        self.areas: list[Area] = []
        self.findings: list[Finding] = []
        self.stats = {"lines": 0, "push_in": 0, "push_out": 0, "loose": 0, "gaps": []}

    def style(self, name: str, fallback: str = "body") -> Style:
        styles = self.pub.styles
        return styles.get(name) or styles[fallback]

    def compose(self) -> PageResult:
        pub = self.pub
        tpl = self.page.template
        if tpl.running_head:
            self.running_head()
        place = {StoryBlock: self.story, HeadlineBlock: self.headline, PhotoBlock: self.photo,
                 RuleBlock: self.rule, BoxBlock: self.box, MastheadBlock: self.masthead, AdBlock: self.ad}
        for block in self.page.blocks:
            place[type(block)](block)
        if tpl.imprint:
            self.imprint()
        if tpl.folio:
            self.folio()
        if self.page.mono:
            self.items = [_to_k(item) for item in self.items]
        self.check_colours()
        frame = PageFrame(width=pub.trim_w, height=pub.trim_h, bleed=pub.bleed, items=self.items,
                          areas=self.areas, number=self.page.number)
        self.findings.extend(self.ts.findings)
        return PageResult(frame, self.findings, self.stats)

    def check_colours(self):
        """Newsprint rules for coloured type and rules (print.md): once per style/size and rule kind."""
        from .color import check_rule_color, check_text_color
        seen = set()
        for item in self.items:
            if isinstance(item, GlyphRun):
                key = ("text", item.role, round(item.size, 2), item.color)
                if key not in seen:
                    seen.add(key)
                    style = self.pub.styles.get(item.role)
                    self.findings.extend(check_text_color(item.color, item.size, bold=item.bold_stroke > 0,
                                                          page=self.page.number,
                                                          where=style.where if style else self.page.where))
            elif isinstance(item, Rule):  # (crop marks are added after composition)
                key = ("rule", round(item.width, 2), item.color)
                if key not in seen:
                    seen.add(key)
                    self.findings.extend(check_rule_color(item.color, item.width, page=self.page.number,
                                                          where=self.page.where))

    # -- text helpers -----------------------------------------------------------------------
    def baseline(self, top: float, pitch: float, style: Style, size: float | None = None) -> float:
        """Baseline that centres the ideographic em box in a line slot of `pitch`."""
        size = size or style.size
        bottom, top_em = self.book.face(style.font).em_box
        return top + (pitch - size) / 2 + top_em * size

    def set_line(self, text: str, style: Style, left: float, right: float, baseline: float,
                 align: str | None = None, size: float | None = None, ctx: Context | None = None,
                 tracking: float | None = None) -> float:
        """One line of text at natural width, aligned between left and right; returns its width (pt)."""
        size = size or style.size
        tracking = style.tracking if tracking is None else tracking
        line = self.ts.natural_line(text, style)
        n = len(line.clusters)
        width = (line.width + tracking * max(n - 1, 0)) * size
        align = align or style.align
        x = left
        if align == "center":
            x = left + (right - left - width) / 2
        elif align == "right":
            x = right - width
        self.items.extend(self.ts.runs(line.clusters, x, baseline, style, ctx or self.ctx(), size=size,
                                       tracking=tracking))
        return width

    def ctx(self, story: str = "", where=None) -> Context:
        return Context(page=self.page.number, story=story, where=where or self.page.where)

    def fields(self) -> dict:
        date, weekday = date_cn(self.issue.date)
        ed = self.page.editors
        editors = "　".join(f"{label}：{ed[k]}" for k, label in
                           (("responsible", "责任编辑"), ("art", "美术编辑"), ("proof", "校对")) if ed.get(k))
        return {"paper": self.pub.name, "date": date, "weekday": weekday, "page": self.page.number,
                "section": self.page.section, "editors": editors, "cn": self.pub.cn,
                "number": self.issue.number, "serial": self.issue.serial}

    # -- page furniture -----------------------------------------------------------------------
    def running_head(self):  # 报眉
        rh = self.page.template.running_head
        g = self.pub.grid
        style = self.style(rh.style)
        values = self.fields()
        rule_y = g.y - 2.5 * PT_PER_MM
        baseline = rule_y - 2.0 * PT_PER_MM
        for text, align in ((rh.left, "left"), (rh.center, "center"), (rh.right, "right")):
            if text:
                self.set_line(text.format(**values), style, g.x, g.x + g.width, baseline, align=align)
        if rh.rule:
            self.items.append(Rule(g.x, rule_y, g.x + g.width, rule_y, rh.rule))

    def imprint(self):
        g = self.pub.grid
        style = self.style("imprint")
        rule_y = g.y + g.height + 2.0 * PT_PER_MM
        self.items.append(Rule(g.x, rule_y, g.x + g.width, rule_y, RULE_THIN))
        text = "　　".join(self.pub.imprint)
        self.set_line(text, style, g.x, g.x + g.width, rule_y + 2.0 * PT_PER_MM + style.size * 0.88,
                      align="center")

    def folio(self):
        """The page number below the type area, on the outer side (even pages left, odd right)."""
        g = self.pub.grid
        style = self.style("folio")
        baseline = g.y + g.height + 2.0 * PT_PER_MM + 2 * style.size
        align = "left" if int(self.page.number) % 2 == 0 else "right"
        self.set_line(f"第{self.page.number}版", style, g.x, g.x + g.width, baseline, align=align)

    def masthead(self, block: MastheadBlock):  # 报头
        r = block.rect
        g = self.pub.grid
        title = self.style("masthead", "headline")
        info = self.style("masthead_info", "running_head")
        # the title fills the left five-eighths of the block, centred in its height
        title_w = r.w * 0.62
        size = min(title.size, r.h * 0.72, title_w / max(len(block.title), 1))
        base = r.y + (r.h - size) / 2 + 0.88 * size
        self.set_line(block.title, title, r.x, r.x + title_w, base, align="center", size=size,
                      ctx=self.ctx(block.id, block.where))
        v = self.fields()
        lines = [self.pub.publisher and f"{self.pub.publisher}主办",
                 f"国内统一刊号：{self.pub.cn}",
                 f"{v['date']}　{v['weekday']}",
                 f"第{v['number']}期（总第{v['serial']}期）",
                 f"今日{len(self.issue.pages)}版"]
        lines = [s for s in lines if s]
        left = r.x + title_w + g.gutter
        self.items.append(Rule(left - g.gutter / 2, r.y + g.pitch, left - g.gutter / 2, r.bottom - g.pitch,
                               RULE_THIN))
        top = r.y + (r.h - len(lines) * info.leading) / 2
        for i, text in enumerate(lines):
            self.set_line(text, info, left + g.gutter, r.right, self.baseline(top + i * info.leading, info.leading, info),
                          align="left", ctx=self.ctx(block.id, block.where))
        self.items.append(Rule(r.x, r.bottom - g.pitch / 2, r.right, r.bottom - g.pitch / 2, 2.0))
        self.items.append(Rule(r.x, r.bottom - g.pitch / 2 + 3.0, r.right, r.bottom - g.pitch / 2 + 3.0, RULE_THIN))

    # -- advertisements -------------------------------------------------------------------------
    def ad(self, block: AdBlock):
        """广告: page 1 of the advertiser's PDF in its grid space, preflighted first; scaled only when
        the publication allows it, and reported when its trim size does not match the space."""
        import pikepdf
        from .preflight import PreflightSpec, preflight
        r = block.rect
        ctx = dict(page=self.page.number, story=block.id, where=block.where)
        name = block.file.name
        try:
            with pikepdf.open(block.file) as pdf:
                page = pdf.pages[0]
                box = page.obj.get("/TrimBox") or page.obj.get("/MediaBox")
                trim = tuple(float(v) for v in box)
        except (pikepdf.PdfError, IndexError, ValueError, TypeError) as exc:
            raise InputError(f"advertisement '{name}' cannot be read ({exc})", block.where,
                             "ask the advertiser for the file again (PDF/X-1a)")
        spec = PreflightSpec(pdfx=self.pub.pdfx, trim_mm=(r.w / PT_PER_MM, r.h / PT_PER_MM),
                             ink_limit=self.pub.ink_limit, min_ppi=200.0, error_ppi=self.pub.min_ppi)
        for f in preflight([block.file], spec):
            if f.code in ("checked", "trim-size"):
                continue  # the size is judged against the space below
            self.findings.append(Finding(f.severity, f"ad-{f.code}", f"advertisement {name}: {f.message}",
                                         data=dict(f.data), **ctx))
        tw, th = trim[2] - trim[0], trim[3] - trim[1]
        tol = 0.5 * PT_PER_MM
        scale = 1.0
        if abs(tw - r.w) > tol or abs(th - r.h) > tol:
            fits = tw <= r.w + tol and th <= r.h + tol
            if self.pub.ads_scale:
                scale = min(r.w / tw, r.h / th)
            sev = "warning" if fits or self.pub.ads_scale else "error"
            self.findings.append(Finding(
                sev, "ad-size-mismatch",
                f"advertisement {name} is {tw / PT_PER_MM:.1f} × {th / PT_PER_MM:.1f} mm, its space "
                f"{r.w / PT_PER_MM:.1f} × {r.h / PT_PER_MM:.1f} mm"
                + (f"; scaled to {scale:.1%}" if scale != 1.0 else
                   "; placed unscaled and centred" + ("" if fits else ", cut off at the space's edges")),
                data={"ad_mm": [round(tw / PT_PER_MM, 1), round(th / PT_PER_MM, 1)],
                      "space_mm": [round(r.w / PT_PER_MM, 1), round(r.h / PT_PER_MM, 1)], "scale": scale},
                **ctx))
        w, h = tw * scale, th * scale
        self.items.append(PdfPage(r.x + (r.w - w) / 2, r.y + (r.h - h) / 2, w, h, str(block.file), trim, scale,
                                  clip=(r.x, r.y, r.w, r.h)))
        if block.label:
            self.ad_label(block)
        self.areas.append(Area(block.id, ((r.x, r.y), (r.right, r.y), (r.right, r.bottom), (r.x, r.bottom))))

    def ad_label(self, block: AdBlock):
        """广告法 Art. 14: an advertisement in the press must be clearly marked as one: a small tag
        in the top-right corner of its space, black on white."""
        style = replace(self.style("running_head"), size=6.5, leading=6.5, tracking=0.0)
        line = self.ts.natural_line(block.label, style)
        pad = 1.0 * PT_PER_MM
        w, h = line.width * style.size + 2 * pad, style.size + 2 * pad
        x, y = block.rect.right - w, block.rect.y
        self.items.append(Box(x, y, w, h, stroke=BLACK, fill=WHITE, line_width=0.3))
        self.items.extend(self.ts.runs(line.clusters, x + pad, y + pad + 0.88 * style.size, style,
                                       self.ctx(block.id, block.where)))

    def box(self, block: BoxBlock):
        r = block.rect
        self.items.append(Box(r.x, r.y, r.w, r.h, stroke=block.color if block.weight > 0 else None,
                              fill=block.fill, line_width=block.weight))

    def rule(self, block: RuleBlock):
        r = block.rect
        if block.direction == "vertical":
            x = r.x + r.w / 2
            self.items.append(Rule(x, r.y, x, r.bottom, block.weight, block.color))
        else:
            y = r.y + r.h / 2
            self.items.append(Rule(r.x, y, r.right, y, block.weight, block.color))

    # -- headlines ----------------------------------------------------------------------------
    def headline(self, block: HeadlineBlock):
        r = block.rect
        ctx = self.ctx(block.story or block.id, block.where)
        main = self.style("headline")
        if block.size:
            main = replace(main, size=block.size, leading=main.leading * block.size / main.size)
        parts = [(block.kicker, self.style("kicker"), 2), (block.main, main, 3),
                 (block.subhead, self.style("subhead"), 2)]
        if block.vertical:
            self.vertical_headline(block, parts, ctx)
            return
        lines = []  # (text, style, size, leading, tracking)
        for text, style, max_lines in parts:
            if text:
                lines.extend(self.headline_lines(text, style, r.w, max_lines, block, ctx))
        total = sum(line[3] for line in lines)
        top = r.y + max(0.0, (r.h - total) / 2)
        if total > r.h + 0.01:
            self.findings.append(Finding("warning", "headline-overset",
                                         f"the headline group needs {total / self.pub.grid.pitch:.1f} lines, "
                                         f"the block has {r.h / self.pub.grid.pitch:.0f}",
                                         page=self.page.number, story=ctx.story, where=block.where))
        for text, style, size, lead, tracking in lines:
            self.set_line(text, style, r.x, r.right, self.baseline(top, lead, style, size), align=block.align,
                          size=size, ctx=ctx, tracking=tracking)
            top += lead

    def headline_lines(self, text: str, style: Style, width: float, max_lines: int, block, ctx) -> list[tuple]:
        """Balanced lines at the style's size; tighter tracking, then a smaller size (to scale_min) if needed."""
        from .text.headline import fit_headline
        text = text.replace("\\n", "\n")
        fit = fit_headline(text, width / style.size, self.ts.advance(style.font), max_lines=max_lines,
                           min_scale=style.scale_min)
        if not fit.fits:
            self.findings.append(Finding("warning", "headline-too-wide",
                                         f"'{text}' does not fit {max_lines} line(s) of {width / PT_PER_MM:.0f} mm "
                                         f"even at {style.scale_min:.0%} size", page=self.page.number,
                                         story=ctx.story, where=block.where))
        size = style.size * fit.scale
        lead = style.leading * fit.scale
        return [(text[a:b].strip().replace("\n", ""), style, size, lead, style.tracking + fit.tracking)
                for a, b in fit.lines]

    def vertical_headline(self, block: HeadlineBlock, parts, ctx):
        """竖排: kicker in the rightmost column, then the main lines, right to left, from the block's top."""
        from .vertical import set_column
        r = block.rect
        x = r.right
        for text, style, _ in parts:
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
                    self.findings.append(Finding("warning", "headline-overset",
                                                 "the vertical headline needs more columns than the block is wide",
                                                 page=self.page.number, story=ctx.story, where=block.where))
                    return
                items, used = set_column(piece.strip(), style, size, x + size / 2, r.y, self.ts, ctx)
                if used > r.h + 0.01:
                    self.findings.append(Finding("warning", "headline-overset",
                                                 f"'{piece}' is {used / PT_PER_MM:.0f} mm tall, the block "
                                                 f"{r.h / PT_PER_MM:.0f} mm", page=self.page.number,
                                                 story=ctx.story, where=block.where))
                self.items.extend(items)

    # -- photos -------------------------------------------------------------------------------
    def photo(self, block: PhotoBlock):
        from .images import prepare_photo
        r = block.rect
        g = self.pub.grid
        cap_style = self.style("caption")
        ctx = self.ctx(block.story or block.id, block.where)
        # the credit follows the caption after a full-width space (调研组观看……展板　张三摄)
        caption = "　".join(t for t in (block.caption, block.credit) if t)
        cap_lines = []
        if caption:
            result = self.ts.break_text(caption, r.w / cap_style.size, cap_style, indent=0.0)
            cap_lines = list(result.lines)
        cap_h = len(cap_lines) * cap_style.leading
        cap_grid = -(-cap_h // g.pitch) * g.pitch if cap_lines else 0.0  # whole grid lines
        gap = 0.0 if not cap_lines else max(0.0, cap_grid - cap_h)
        frame_h = r.h - cap_grid
        if frame_h <= g.pitch:
            self.findings.append(Finding("error", "photo-too-small", "the caption leaves no room for the photo",
                                         page=self.page.number, story=ctx.story, where=block.where))
            return
        t0 = time.perf_counter()
        try:
            prepared = prepare_photo(block.file, r.w, frame_h, fit=block.fit, focus=block.focus,
                                     profile=self.profile(), gray=self.page.mono, ink_limit=self.pub.ink_limit,
                                     floor_ppi=self.pub.min_ppi, cache_dir=self.opts.cache_dir,
                                     strict=self.opts.strict)
        except InputError as e:  # a picture that only fails when decoded: point at the block naming it
            if e.where.file:
                raise
            raise InputError(e.message, block.where, e.hint) from None
        self.stats["images_s"] = self.stats.get("images_s", 0.0) + time.perf_counter() - t0  # build timings
        px, py, pw, ph = prepared.placed
        self.items.append(Image(r.x + px, r.y + py, pw, ph, str(prepared.path), prepared.pixel_w,
                                prepared.pixel_h, ppi=prepared.ppi))
        for f in prepared.findings:
            self.findings.append(Finding(f.severity, f.code, f.message, page=self.page.number, story=ctx.story,
                                         where=block.where, data=f.data))
        top = r.y + frame_h + gap / 2
        for line in cap_lines:
            base = self.baseline(top, cap_style.leading, cap_style)
            x = r.x
            if len(cap_lines) == 1:  # a one-line caption is centred under the photo
                x = r.x + (r.w - line.width * cap_style.size) / 2
            self.items.extend(self.ts.runs(line.clusters, x, base, cap_style, ctx))
            top += cap_style.leading

    def profile(self) -> Path:
        if self.pub.profile:
            return self.pub.profile
        from .color import DEFAULT_PROFILE
        return DEFAULT_PROFILE

    # -- stories ------------------------------------------------------------------------------
    def story(self, block: StoryBlock):
        StoryComposer(self).story(block)

def _to_k(item):
    """黑白版: every colour reduced to a K tint of the same lightness on the press."""
    from dataclasses import replace
    from .color import to_k_only

    def k_only(c: Color | None) -> Color | None:
        return None if c is None else to_k_only(c)
    if isinstance(item, (GlyphRun, Rule)):
        return replace(item, color=k_only(item.color))
    if isinstance(item, Box):
        return replace(item, stroke=k_only(item.stroke), fill=k_only(item.fill))
    return item


def compose_page(issue: IssueSpec, page: PageSpec, book, options: ComposeOptions | None = None) -> PageResult:
    return PageComposer(issue, page, book, options or ComposeOptions()).compose()
