"""Page YAML → PageSpec: template, blocks on the grid (story, headline, photo, ad, box, rule, masthead).

Input: one entry of issue.yaml's pages and the Publication. Output: PageSpec with every block's rect in
points and its file:line, or an InputError; overlapping story areas are refused here.
"""
from __future__ import annotations

import unicodedata
from dataclasses import replace
from pathlib import Path

from layout.load import schema
from layout.load.yamlsafe import load_yaml, where_of
from layout.model.findings import InputError, Where
from layout.model.spec import (AdBlock, BoxBlock, HeadlineBlock, IndexBlock, IndexItem, MastheadBlock, PageSpec,
                               PhotoBlock, Publication, Rect, RuleBlock, StoryBlock, Template)
from layout.model.units import font_size, length
from layout.model.i18n import _
from layout.load.reader import MAX_WEIGHT_PT, Reader, stamp


MAX_HEADLINE_CHARS = 100  # per kicker/main/subhead: fitting time grows ~cubically (400 characters: 18 s)

MAX_REGIONS = 64                       # regions of one story's area (a page has 8 columns)
MIN_FRAME_MM = 0.5                     # the smallest block given by x/y/width/height
MIN_FRAME_PT = MIN_FRAME_MM * 72 / 25.4


class PageReader(Reader):
    def page(self, entry, number: str, pub: Publication, where: Where) -> PageSpec:
        path = self.inside(entry["file"], where_of(entry, "file"), "page file")
        if self.cache is None:
            return self.parse_page(path, entry, number, pub)
        key = (stamp(path), self.pub_stamp, self.strict, number, repr(sorted(entry.items())))
        hit = self.cache.get(path, key)
        if hit is not None:
            page, findings = hit
            self.findings.extend(findings)
            return page
        before = len(self.findings)
        page = self.parse_page(path, entry, number, pub)
        self.cache.put(path, key, page, self.findings[before:])
        return page

    def parse_page(self, path: Path, entry, number: str, pub: Publication) -> PageSpec:
        original = pub
        doc = self.page_yaml(path)
        tname = doc.get("template")
        if tname is None:
            template = Template(name="")
        elif tname in pub.templates:
            template = pub.templates[tname]
        else:
            raise InputError(_("template '{tname}' is not defined in publication.yaml", tname=tname), where_of(doc, "template"),
                             _('defined: {value}', value=', '.join(pub.templates) or 'none'))
        section = pub
        if template.grid is not None or template.styles:  # a section template with its own grid or styles
            section = replace(pub, grid=template.grid or pub.grid, styles={**pub.styles, **template.styles})
        pub = section
        blocks, ids = [], {}
        for i, raw in enumerate(doc["blocks"]):
            block = self.block(raw, pub, f"{raw['type']}-{i + 1}", where_of(doc["blocks"], i))
            if block.id in ids:
                raise InputError(_("block id '{id}' is used twice on page {number} (first at line {line})", id=block.id, number=number, line=ids[block.id].line), block.where, _('give each block its own id'))
            ids[block.id] = block.where
            blocks.append(block)
        blocks = inset_in_boxes(blocks, pub.grid)
        self.check_overlaps(blocks, number)
        return PageSpec(number=number, file=path, section=entry.get("section", ""),
                        editors=dict(entry.get("editors", {})), mono=bool(entry.get("mono", False)),
                        template=template, blocks=tuple(blocks), where=doc.where,
                        publication=section if section is not original else None)

    def page_yaml(self, path: Path):
        """The page file's validated YAML tree; kept in the LoadCache while the file is unchanged (a save
        of a copy file the page names loads the page again, but not its YAML)."""
        docs = self.cache.page_docs if self.cache is not None else None
        if docs is not None:
            now = stamp(path)
            hit = docs.get(str(path))
            if hit is not None and hit[0] == now:
                return hit[1]
        doc = load_yaml(path, self.shown(path))
        schema.validate(doc, "page")
        if docs is not None:  # the stamp taken before reading: a save during the read is a change
            docs[str(path)] = (now, doc)
        return doc

    def check_overlaps(self, blocks, number):
        """Blocks may not overlap, except a headline over its own story's area and rules/boxes.
        A sweep along x (areas sorted by their left edge, each compared only with those still open
        there): near-linear for a page's blocks, where comparing every pair took minutes for a story
        area of 39,000 (aliased) regions. Of several overlaps, the first in page order is reported."""
        solid = [b for b in blocks if isinstance(b, (HeadlineBlock, PhotoBlock, MastheadBlock, AdBlock, IndexBlock))]
        areas = [(b, r) for b in blocks if isinstance(b, StoryBlock) for r in dict.fromkeys(b.regions)] \
            + [(b, b.rect) for b in solid]
        first = None                                   # (i, j): areas[j] overlaps areas[i], i < j
        open_: list[int] = []
        for k in sorted(range(len(areas)), key=lambda k: areas[k][1].x):
            b, rb = areas[k]
            open_ = [i for i in open_ if areas[i][1].right - 0.01 > rb.x]
            for i in open_:
                a, ra = areas[i]
                if a is not b and ra.overlaps(rb):
                    pair = (min(i, k), max(i, k))
                    first = pair if first is None or pair < first else first
            open_.append(k)
        if first is not None:
            a, b = areas[first[0]][0], areas[first[1]][0]
            raise InputError(_("block '{id}' overlaps block '{id2}' on page {number}", id=b.id, id2=a.id, number=number),
                             b.where, _('move one of them: check col/span and line/depth'))

    def rect(self, raw, pub: Publication, what: str) -> Rect:
        g = pub.grid
        where = raw.where
        if "col" in raw or "line" in raw:
            col, span = self.range(raw, "col", "span")
            line, depth = self.range(raw, "line", "depth")
            if col + span - 1 > g.columns:
                raise InputError(_('{what} reaches column {col}, but the grid has {columns}', what=what, col=col + span - 1, columns=g.columns),
                                 where_of(raw, "col"), _('use columns 1–{columns}', columns=g.columns))
            if line + depth - 1 > g.lines:
                raise InputError(_('{what} reaches line {line}, but the grid has {lines}', what=what, line=line + depth - 1, lines=g.lines),
                                 where_of(raw, "line"), _('use lines 1–{lines}', lines=g.lines))
            return Rect(g.col_x(col), g.line_y(line), g.span_width(span), depth * g.pitch, col, span, line, depth)
        if all(k in raw for k in ("x", "y", "width", "height")):
            vals = [self.conv(lambda v: length(v, "mm"), raw[k], raw, k) for k in ("x", "y", "width", "height")]
            x, y, w, h = vals
            if not (w >= MIN_FRAME_PT and h >= MIN_FRAME_PT):  # also NaN; a 1e-300 pt frame hid its photo
                raise InputError(_("{what} is {w:g} × {h:g} pt: too small to print", what=what, w=w, h=h), where,
                                 _("width and height must be at least {mm:g} mm", mm=MIN_FRAME_MM))
            if x < 0 or y < 0 or x + w > g.width + 0.01 or y + h > g.height + 0.01:
                raise InputError(_('{what} lies outside the type area', what=what), where,
                                 _("x/y/width/height are measured from the type area's top-left ({width:.1f} × {height:.1f} mm)", width=g.width / 72 * 25.4, height=g.height / 72 * 25.4))
            return Rect(g.x + x, g.y + y, w, h)
        raise InputError(_('{what} has no position', what=what), where,
                         _('give col/span and line/depth (栏/行), or x/y/width/height'))

    def range(self, raw, start_key, count_key) -> tuple[int, int]:
        value = raw.get(start_key)
        if value is None:
            raise InputError(_("'{start_key}' is missing", start_key=start_key), raw.where, _('give {start_key}: and {count_key}:', start_key=start_key, count_key=count_key))
        if isinstance(value, str) and "-" in value:
            a, b = (int(p) for p in value.split("-"))
            if b < a:
                raise InputError(_("{start_key} range '{value}' runs backwards", start_key=start_key, value=value), where_of(raw, start_key),
                                 _('write it from low to high: {b}-{a}', b=b, a=a))
            if count_key in raw and raw[count_key] != b - a + 1:
                raise InputError(_("{start_key} '{value}' and {count_key} {raw} disagree", start_key=start_key, value=value, count_key=count_key, raw=raw[count_key]),
                                 where_of(raw, count_key), _('drop {count_key} or make it {b}', count_key=count_key, b=b - a + 1))
            start, count = a, b - a + 1
        else:
            start, count = int(value), int(raw.get(count_key, 1))
        if start < 1:
            raise InputError(_('{start_key} {value!r} starts at {start}; {start_key}s count from 1', start_key=start_key, value=value, start=start),
                             where_of(raw, start_key), _('use {start_key}: 1 or more', start_key=start_key))
        return start, count

    def text(self, raw, key) -> str:
        value = raw.get(key, "")
        if value is None:
            return ""
        text = str(value)
        if "\ufffd" in text:
            raise InputError(_('{key} holds U+FFFD (a character lost in an earlier conversion)', key=key), where_of(raw, key),
                             _('type the lost character again'))
        text = unicodedata.normalize("NFC", text)
        return text

    def block(self, raw, pub: Publication, default_id: str, where: Where):
        kind = raw["type"]
        bid = str(raw.get("id", default_id))
        what = f"{kind} '{bid}'"
        if kind == "story":
            if "area" in raw and len(raw["area"]) > MAX_REGIONS:
                raise InputError(_("{what} has {count:,} regions in its area (at most {limit})", what=what,
                                   count=len(raw["area"]), limit=MAX_REGIONS), where_of(raw, "area"),
                                 _("a story runs through a few column groups: join neighbouring regions, "
                                   "or split the story"))
            regions = tuple(self.rect(r, pub, what) for r in raw["area"]) if "area" in raw \
                else (self.rect(raw, pub, what),)
            contd = raw.get("continued", {})
            if "copy" in raw:
                copy = self.inside(raw["copy"], where_of(raw, "copy"), "copy file")
            elif contd:
                copy = None
            else:
                raise InputError(_("story '{bid}' has no copy", bid=bid), where,
                                 _('give copy: FILE, or continued: {page, story} for the rest of a story (转版)'))
            style = raw.get("style", "body")
            if style not in pub.styles:
                raise InputError(_("style '{style}' is not defined", style=style), where_of(raw, "style"),
                                 _('defined in publication.yaml: {styles}', styles=', '.join(pub.styles)))
            cont = raw.get("continues", {})
            doc = self.copy_doc(copy, where_of(raw, "copy")) if copy else None
            return StoryBlock(id=bid, rect=regions[0], where=where, copy=copy,
                              text=doc.text if doc else "", doc=doc, byline=self.text(raw, "byline"),
                              regions=regions, continued_page=str(contd.get("page", "")).zfill(2) if contd else "",
                              continued_story=contd.get("story", "") if contd else "",
                              style=style, continues_page=str(cont.get("page", "")).zfill(2) if cont else "",
                              continues_story=cont.get("story", "") if cont else "")
        rect = self.rect(raw, pub, what)
        if kind == "headline":
            for key in ("kicker", "main", "subhead"):
                n = len(str(raw.get(key) or ""))
                if n > MAX_HEADLINE_CHARS:
                    raise InputError(_('{key} has {n} characters; a headline line of more than {MAX_HEADLINE_CHARS} is surely copy in the wrong place', key=key, n=n, MAX_HEADLINE_CHARS=MAX_HEADLINE_CHARS), where_of(raw, key),
                                     _("shorten it, or put the text into a story's copy file"))
            return HeadlineBlock(id=bid, rect=rect, where=where, kicker=self.text(raw, "kicker"),
                                 main=self.text(raw, "main"), subhead=self.text(raw, "subhead"),
                                 story=raw.get("story", ""), align=raw.get("align", "center"),
                                 size=self.conv(font_size, raw["size"], raw, "size") if "size" in raw else 0.0,
                                 vertical=bool(raw.get("vertical", False)))
        if kind == "photo":
            path = self.inside(raw["file"], where_of(raw, "file"), "photo")
            self.check_photo(path, raw["file"], where_of(raw, "file"))
            return PhotoBlock(id=bid, rect=rect, where=where, file=path, caption=self.text(raw, "caption"),
                              credit=self.text(raw, "credit"), fit=raw.get("fit", "fill"),
                              focus=tuple(raw.get("focus", (0.5, 0.5))), story=raw.get("story", ""))
        if kind == "rule":
            return RuleBlock(id=bid, rect=rect, where=where, weight=self.weight(raw),
                             color=self.color(raw, "color", pub.palette),
                             direction=raw.get("direction", "horizontal"))
        if kind == "box":
            color = self.color(raw, "color", pub.palette)
            fill = self.color(raw, "fill", pub.palette, default=None)
            if fill is None and "tint" in raw:
                t = raw["tint"] / 100
                fill = type(color)(color.c * t, color.m * t, color.y * t, color.k * t)
            pad = raw.get("padding", 0)
            chars, lines = (pad, pad) if isinstance(pad, int) else (pad.get("chars", 0), pad.get("lines", 0))
            return BoxBlock(id=bid, rect=rect, where=where, weight=self.weight(raw), color=color, fill=fill,
                            frame=raw.get("frame", "single"), padding_chars=float(chars), padding_lines=int(lines),
                            ornament=raw.get("ornament", ""))
        if kind == "masthead":
            logo = None
            if "logo" in raw:
                logo = self.inside(raw["logo"], where_of(raw, "logo"), "logo")
                with open(logo, "rb") as fh:
                    is_pdf = b"%PDF-" in fh.read(1024)
                if not is_pdf:  # an image: the same checks as a photo's
                    self.check_photo(logo, raw["logo"], where_of(raw, "logo"))
            return MastheadBlock(id=bid, rect=rect, where=where, title=self.text(raw, "title") or pub.name, logo=logo)
        if kind == "ad":
            path = self.inside(raw["file"], where_of(raw, "file"), "advertisement")
            with open(path, "rb") as fh:
                head = fh.read(1024)
            if b"%PDF-" not in head:
                raise InputError(_("advertisement '{file}' is not a PDF file", file=raw['file']), where_of(raw, "file"),
                                 _('ask the advertiser for a PDF/X file of the ad'))
            return AdBlock(id=bid, rect=rect, where=where, file=path, advertiser=self.text(raw, "advertiser"),
                           label=self.text(raw, "label") if "label" in raw else "广告")
        if kind == "index":
            items = tuple(IndexItem(story=str(it["story"]), page=str(it.get("page", "")).zfill(2) if "page" in it else "",
                                    title=self.text(it, "title"), summary=self.text(it, "summary"),
                                    where=where_of(raw["items"], i)) for i, it in enumerate(raw["items"]))
            return IndexBlock(id=bid, rect=rect, where=where, title=self.text(raw, "title") if "title" in raw else "导读",
                              items=items)
        raise AssertionError(kind)  # schema.validate admits only the kinds above

    def weight(self, raw) -> float:
        value = self.conv(length, raw.get("weight", 0.5), raw, "weight")
        return self.bounded(value, 0, MAX_WEIGHT_PT, raw, "weight", "weight")


def inset_in_boxes(blocks: list, grid) -> list:
    """A box's padding: the blocks inside it (stories, headlines, 导读, photos) move in from any edge they
    share with it — by whole characters left and right, by whole grid lines top and bottom, so text inside
    stays on the page's baseline grid."""
    from dataclasses import replace
    boxes = [b for b in blocks if isinstance(b, BoxBlock) and (b.padding_chars or b.padding_lines)]
    if not boxes:
        return blocks

    def inset(rect: Rect, box: BoxBlock, owner) -> Rect:
        br = box.rect
        if not (br.x - 0.01 <= rect.x and rect.right <= br.right + 0.01 and br.y - 0.01 <= rect.y
                and rect.bottom <= br.bottom + 0.01):
            return rect
        px = box.padding_chars * grid.char
        left, right = max(0.0, px - (rect.x - br.x)), max(0.0, px - (br.right - rect.right))
        top = max(0, box.padding_lines - round((rect.y - br.y) / grid.pitch))
        bottom = max(0, box.padding_lines - round((br.bottom - rect.bottom) / grid.pitch))
        out = replace(rect, x=rect.x + left, w=rect.w - left - right, y=rect.y + top * grid.pitch,
                      h=rect.h - (top + bottom) * grid.pitch, line=rect.line + top if rect.line else 0,
                      depth=rect.depth - top - bottom if rect.depth else 0)
        if out.w < 2 * grid.char or out.h < grid.pitch - 0.01:
            raise InputError(_("the padding of box '{id}' leaves no room for block '{id2}'", id=box.id, id2=owner.id),
                             box.where, _('make the box larger or its padding smaller'))
        return out

    out = []
    for block in blocks:
        if isinstance(block, (StoryBlock, HeadlineBlock, IndexBlock, PhotoBlock)):
            for box in boxes:
                if isinstance(block, StoryBlock):
                    regions = tuple(inset(r, box, block) for r in block.regions)
                    block = replace(block, regions=regions, rect=regions[0])
                else:
                    block = replace(block, rect=inset(block.rect, box, block))
        out.append(block)
    return out
