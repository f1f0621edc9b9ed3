"""Page YAML → PageSpec: template, blocks on the grid (story, headline, photo, ad, box, rule, masthead).

Input: one entry of issue.yaml's pages and the Publication. Output: PageSpec with every block's rect in
points and its file:line, or an InputError; overlapping story areas are refused here.
"""
from __future__ import annotations

import unicodedata
from pathlib import Path

from layout.load import schema
from layout.load.yamlsafe import load_yaml, where_of
from layout.model.findings import InputError, Where
from layout.model.spec import (AdBlock, BoxBlock, HeadlineBlock, MastheadBlock, PageSpec, PhotoBlock,
                               Publication, Rect, RuleBlock, StoryBlock, Template)
from layout.model.units import font_size, length
from layout.load.reader import MAX_WEIGHT_PT, Reader, stamp


MAX_HEADLINE_CHARS = 100  # per kicker/main/subhead: fitting time grows ~cubically (400 characters: 18 s)


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
        doc = load_yaml(path, self.shown(path))
        schema.validate(doc, "page")
        tname = doc.get("template")
        if tname is None:
            template = Template(name="")
        elif tname in pub.templates:
            template = pub.templates[tname]
        else:
            raise InputError(f"template '{tname}' is not defined in publication.yaml", where_of(doc, "template"),
                             f"defined: {', '.join(pub.templates) or 'none'}")
        blocks, ids = [], {}
        for i, raw in enumerate(doc["blocks"]):
            block = self.block(raw, pub, f"{raw['type']}-{i + 1}", where_of(doc["blocks"], i))
            if block.id in ids:
                raise InputError(f"block id '{block.id}' is used twice on page {number} "
                                 f"(first at line {ids[block.id].line})", block.where, "give each block its own id")
            ids[block.id] = block.where
            blocks.append(block)
        self.check_overlaps(blocks, number)
        return PageSpec(number=number, file=path, section=entry.get("section", ""),
                        editors=dict(entry.get("editors", {})), mono=bool(entry.get("mono", False)),
                        template=template, blocks=tuple(blocks), where=doc.where)

    def check_overlaps(self, blocks, number):
        """Blocks may not overlap, except a headline over its own story's area and rules/boxes."""
        solid = [b for b in blocks if isinstance(b, (HeadlineBlock, PhotoBlock, MastheadBlock, AdBlock))]
        areas = [(b, r) for b in blocks if isinstance(b, StoryBlock) for r in b.regions] + [(b, b.rect) for b in solid]
        for i, (a, ra) in enumerate(areas):
            for b, rb in areas[i + 1:]:
                if a is not b and ra.overlaps(rb):
                    raise InputError(f"block '{b.id}' overlaps block '{a.id}' on page {number}", b.where,
                                     "move one of them: check col/span and line/depth")

    def rect(self, raw, pub: Publication, what: str) -> Rect:
        g = pub.grid
        where = raw.where
        if "col" in raw or "line" in raw:
            col, span = self.range(raw, "col", "span")
            line, depth = self.range(raw, "line", "depth")
            if col + span - 1 > g.columns:
                raise InputError(f"{what} reaches column {col + span - 1}, but the grid has {g.columns}",
                                 where_of(raw, "col"), f"use columns 1–{g.columns}")
            if line + depth - 1 > g.lines:
                raise InputError(f"{what} reaches line {line + depth - 1}, but the grid has {g.lines}",
                                 where_of(raw, "line"), f"use lines 1–{g.lines}")
            return Rect(g.col_x(col), g.line_y(line), g.span_width(span), depth * g.pitch, col, span, line, depth)
        if all(k in raw for k in ("x", "y", "width", "height")):
            vals = [self.conv(lambda v: length(v, "mm"), raw[k], raw, k) for k in ("x", "y", "width", "height")]
            x, y, w, h = vals
            if w <= 0 or h <= 0:
                raise InputError(f"{what} has a zero or negative size", where, "width and height must be positive")
            if x < 0 or y < 0 or x + w > g.width + 0.01 or y + h > g.height + 0.01:
                raise InputError(f"{what} lies outside the type area", where,
                                 f"x/y/width/height are measured from the type area's top-left "
                                 f"({g.width / 72 * 25.4:.1f} × {g.height / 72 * 25.4:.1f} mm)")
            return Rect(g.x + x, g.y + y, w, h)
        raise InputError(f"{what} has no position", where,
                         "give col/span and line/depth (栏/行), or x/y/width/height")

    def range(self, raw, start_key, count_key) -> tuple[int, int]:
        value = raw.get(start_key)
        if value is None:
            raise InputError(f"'{start_key}' is missing", raw.where, f"give {start_key}: and {count_key}:")
        if isinstance(value, str) and "-" in value:
            a, b = (int(p) for p in value.split("-"))
            if b < a:
                raise InputError(f"{start_key} range '{value}' runs backwards", where_of(raw, start_key),
                                 f"write it from low to high: {b}-{a}")
            if count_key in raw and raw[count_key] != b - a + 1:
                raise InputError(f"{start_key} '{value}' and {count_key} {raw[count_key]} disagree",
                                 where_of(raw, count_key), f"drop {count_key} or make it {b - a + 1}")
            start, count = a, b - a + 1
        else:
            start, count = int(value), int(raw.get(count_key, 1))
        if start < 1:
            raise InputError(f"{start_key} {value!r} starts at {start}; {start_key}s count from 1",
                             where_of(raw, start_key), f"use {start_key}: 1 or more")
        return start, count

    def text(self, raw, key) -> str:
        value = raw.get(key, "")
        if value is None:
            return ""
        text = str(value)
        if "\ufffd" in text:
            raise InputError(f"{key} holds U+FFFD (a character lost in an earlier conversion)", where_of(raw, key),
                             "type the lost character again")
        text = unicodedata.normalize("NFC", text)
        return text

    def block(self, raw, pub: Publication, default_id: str, where: Where):
        kind = raw["type"]
        bid = str(raw.get("id", default_id))
        what = f"{kind} '{bid}'"
        if kind == "story":
            regions = tuple(self.rect(r, pub, what) for r in raw["area"]) if "area" in raw \
                else (self.rect(raw, pub, what),)
            contd = raw.get("continued", {})
            if "copy" in raw:
                copy = self.inside(raw["copy"], where_of(raw, "copy"), "copy file")
            elif contd:
                copy = None
            else:
                raise InputError(f"story '{bid}' has no copy", where,
                                 "give copy: FILE, or continued: {page, story} for the rest of a story (转版)")
            style = raw.get("style", "body")
            if style not in pub.styles:
                raise InputError(f"style '{style}' is not defined", where_of(raw, "style"),
                                 f"defined in publication.yaml: {', '.join(pub.styles)}")
            cont = raw.get("continues", {})
            return StoryBlock(id=bid, rect=regions[0], where=where, copy=copy,
                              text=self.copy_text(copy) if copy else "", byline=self.text(raw, "byline"),
                              regions=regions, continued_page=str(contd.get("page", "")).zfill(2) if contd else "",
                              continued_story=contd.get("story", "") if contd else "",
                              style=style, continues_page=str(cont.get("page", "")).zfill(2) if cont else "",
                              continues_story=cont.get("story", "") if cont else "")
        rect = self.rect(raw, pub, what)
        if kind == "headline":
            for key in ("kicker", "main", "subhead"):
                n = len(str(raw.get(key) or ""))
                if n > MAX_HEADLINE_CHARS:
                    raise InputError(f"{key} has {n} characters; a headline line of more than {MAX_HEADLINE_CHARS} "
                                     "is surely copy in the wrong place", where_of(raw, key),
                                     "shorten it, or put the text into a story's copy file")
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
            return BoxBlock(id=bid, rect=rect, where=where, weight=self.weight(raw),
                            color=self.color(raw, "color", pub.palette),
                            fill=self.color(raw, "fill", pub.palette, default=None))
        if kind == "masthead":
            return MastheadBlock(id=bid, rect=rect, where=where, title=self.text(raw, "title") or pub.name)
        if kind == "ad":
            path = self.inside(raw["file"], where_of(raw, "file"), "advertisement")
            with open(path, "rb") as fh:
                head = fh.read(1024)
            if b"%PDF-" not in head:
                raise InputError(f"advertisement '{raw['file']}' is not a PDF file", where_of(raw, "file"),
                                 "ask the advertiser for a PDF/X file of the ad")
            return AdBlock(id=bid, rect=rect, where=where, file=path, advertiser=self.text(raw, "advertiser"),
                           label=self.text(raw, "label") if "label" in raw else "广告")
        raise AssertionError(kind)  # schema.validate admits only the kinds above

    def weight(self, raw) -> float:
        value = self.conv(length, raw.get("weight", 0.5), raw, "weight")
        return self.bounded(value, 0, MAX_WEIGHT_PT, raw, "weight", "weight")
