"""Compose one page: PageSpec → PageFrame (+ findings).

Input: IssueSpec, PageSpec, a FontBook and options. Output: PageFrame (layout.model.frame)
with every glyph, rule, box and image placed in points, and findings (overset, fallback
glyphs, low-resolution photos …). Composition never draws and never writes PDF.
PageComposer holds what every block kind shares (typesetter, styles, the page's items, areas and
findings) and the text helpers; each block kind is placed by its own module (PLACE).
"""
from __future__ import annotations

import gc
from dataclasses import dataclass, field
from pathlib import Path

from layout.compose import ad, boxes, furniture, headline, index, photo, story
from layout.compose.typeset import Context, Typesetter
from layout.model.findings import Finding
from layout.model.i18n import _
from layout.model.frame import Area, Box, Color, GlyphRun, Image, PageFrame, PdfPage, Rule
from layout.model.spec import (AdBlock, BoxBlock, HeadlineBlock, IndexBlock, IssueSpec, MastheadBlock, PageSpec,
                               PhotoBlock, Publication, RuleBlock, StoryBlock, Style)

# One placing function per block kind, each in its own module: place(page_composer, block).
PLACE = {StoryBlock: story.place, HeadlineBlock: headline.place, PhotoBlock: photo.place,
         RuleBlock: boxes.rule, BoxBlock: boxes.box, MastheadBlock: furniture.masthead, AdBlock: ad.place,
         IndexBlock: index.place}


@dataclass
class ComposeOptions:
    cache_dir: Path = Path(".cache/paiban")
    strict: bool = False
    proof: bool = False
    breaks: dict | None = None  # line breaks per paragraph kept across rebuilds (memo.RebuildMemo)
    placed: dict | None = None  # page number -> the glyph runs its last composition placed (memo.RebuildMemo)


@dataclass
class PageResult:
    frame: PageFrame
    findings: list[Finding] = field(default_factory=list)
    stats: dict = field(default_factory=dict)


class PageComposer:
    def __init__(self, issue: IssueSpec, page: PageSpec, book, options: ComposeOptions):
        self.issue = issue
        self.pub: Publication = page.publication or issue.publication  # a section template's grid and styles
        self.page = page
        self.book = book
        self.opts = options
        self.ts = Typesetter(book, self.pub.punctuation, self.pub.line_breaking == "strict", options.breaks,
                             None if options.placed is None else options.placed.get(page.number, {}))
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
            furniture.running_head(self)
        base = len(self.items)
        background: list = []       # 底纹: filled boxes, drawn under everything the blocks put on the page
        drawn: list = []            # (block, its items) in drawing order, for the cover check
        for block in self.page.blocks:
            start = len(self.items)
            PLACE[type(block)](self, block)
            if isinstance(block, BoxBlock) and block.fill is not None:
                background.extend(self.items[start:])
                del self.items[start:]
            else:
                drawn.append((block, self.items[start:]))
        self.items[base:base] = background
        self.check_covers(drawn)
        if tpl.imprint:
            furniture.imprint(self)
        if tpl.folio:
            furniture.folio(self)
        if self.page.mono:
            self.items = [_to_k(item) for item in self.items]
        self.check_colours()
        from layout.compose.ink import check_overprint_ink
        check_overprint_ink(self)
        frame = PageFrame(width=pub.trim_w, height=pub.trim_h, bleed=pub.bleed, items=self.items,
                          areas=self.areas, number=self.page.number)
        self.findings.extend(self.ts.findings)
        return PageResult(frame, self.findings, self.stats)

    def check_covers(self, drawn) -> None:
        """Anything opaque (a photo, an advertisement) drawn over the text of another block hides it: an
        error naming both blocks. (Filled boxes are backgrounds, drawn first; the loader keeps the other
        blocks apart, so this catches what spills out of its space.)"""
        texts = []  # (block, x0, y0, x1, y1) of the glyph runs drawn so far
        for block, items in drawn:
            for item in items:
                if isinstance(item, (Image, PdfPage)):
                    x0, y0, x1, y1 = item.x, item.y, item.x + item.w, item.y + item.h
                    if isinstance(item, PdfPage):   # an ad is clipped to its space
                        cx, cy, cw, ch = item.clip
                        x0, y0, x1, y1 = max(x0, cx), max(y0, cy), min(x1, cx + cw), min(y1, cy + ch)
                    hit = next((t for t in texts if t[0] is not block and t[1] < x1 and x0 < t[3]
                                and t[2] < y1 and y0 < t[4]), None)
                    if hit is not None:
                        self.findings.append(Finding(
                            "error", "covers-text",
                            _("{kind} '{over}' is drawn over the text of '{under}' ({where}) and hides it; "
                              "move one of them", kind=type(block).__name__.replace('Block', '').lower(),
                              over=block.id, under=hit[0].id, where=hit[0].where),
                            page=self.page.number, story=block.id, where=block.where,
                            data={"over": block.id, "under": hit[0].id}))
            for item in items:
                if isinstance(item, GlyphRun) and item.glyphs and not item.vertical:
                    last = item.glyphs[-1]
                    texts.append((block, item.x, item.y - item.size * 0.88,
                                  item.x + last.x + last.advance * item.size, item.y + item.size * 0.12))

    def check_colours(self):
        """Newsprint rules for coloured type and rules (print.md): once per style/size and rule kind."""
        from layout.photo.color import check_rule_color, check_text_color
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


def _to_k(item):
    """黑白版: every colour reduced to a K tint of the same lightness on the press."""
    from dataclasses import replace
    from layout.photo.color import to_k_only

    def k_only(c: Color | None) -> Color | None:
        return None if c is None else to_k_only(c)
    if isinstance(item, (GlyphRun, Rule)):
        return replace(item, color=k_only(item.color))
    if isinstance(item, Box):
        return replace(item, stroke=k_only(item.stroke), fill=k_only(item.fill))
    return item


def compose_page(issue: IssueSpec, page: PageSpec, book, options: ComposeOptions | None = None) -> PageResult:
    options = options or ComposeOptions()
    # a page makes ~200,000 small objects (clusters, lines, glyphs) that all live until the page is
    # done, and next to no reference cycles: the cyclic collector, left on, would walk them over and
    # over (≈ 15 % of composing a bench page); what cycles there are go at the next collection
    collecting = gc.isenabled()
    gc.disable()
    try:
        composer = PageComposer(issue, page, book, options)
        result = composer.compose()
    finally:
        if collecting:
            gc.enable()
    if options.placed is not None:  # only what this composition placed is kept: memory follows the page
        options.placed[page.number] = composer.ts.placed
    return result
