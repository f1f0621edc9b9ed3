"""Load an issue folder: YAML (publication, issue, pages) + copy files → IssueSpec.

Input: the issue folder path. Output: IssueSpec (frozen dataclasses, points).
Every problem raises InputError naming file:line and what to do.
"""
from __future__ import annotations

import datetime
import re
import math
import string
import unicodedata
from pathlib import Path

from . import schema
from .findings import Finding, InputError, Where
from .frame import BLACK
from .spec import (AdBlock, BoxBlock, Grid, HeadlineBlock, IssueSpec, MastheadBlock, PageSpec, PhotoBlock,
                   Publication, Rect, RuleBlock, RunningHead, StoryBlock, Style, Template)
from .units import UnitError, font_size, length
from .yamlsafe import decode_utf8, load_yaml, where_of

REQUIRED_STYLES = ("body",)
MAX_PAGES = 200           # checked first, before the publication or any page file is read
MAX_COPY_CHARS = 100_000  # a story longer than this is surely a wrong file
# what the per-character check in copy_text can object to (U+FFFD, control characters but tab and line
# ends); the slow check runs only when one of these is in the text at all
_SUSPECT = re.compile("[\ufffd\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
MAX_COPY_BYTES = 4 * MAX_COPY_CHARS + 3   # checked before reading (UTF-8 is at most 4 bytes a character)
MAX_PHOTO_BYTES = 200 << 20               # a 200 MB photo is a mistake (or an attack), not a news picture
TRIM_MM = (50.0, 2000.0)  # the smallest and largest sensible page side
MAX_BLEED_MM = 20.0
MAX_WEIGHT_PT = 30.0      # rules and box frames
MAX_HEADLINE_CHARS = 100  # per kicker/main/subhead: fitting time grows ~cubically (400 characters: 18 s)
RUNNING_HEAD_FIELDS = ("paper", "date", "weekday", "page", "section", "editors", "cn", "number", "serial")
UNITS_HINT = "see docs/definitions.md (Units) for lengths and type sizes"


def _stamp(path: Path) -> tuple:
    st = path.stat()
    return (str(path), st.st_mtime_ns, st.st_size)


class LoadCache:
    """Pages loaded before, for `paiban watch`: a page is parsed again only when its YAML, the
    issue's entry for it, the publication, or a file it names (copy, photo, ad) has changed."""

    def __init__(self):
        self.pages: dict = {}   # page file → (key, PageSpec, findings, stamps of the files it names)

    def get(self, path: Path, key: tuple):
        hit = self.pages.get(str(path))
        if hit is None or hit[0] != key:
            return None
        try:
            if any(_stamp(Path(dep[0])) != dep for dep in hit[3]):
                return None
        except OSError:
            return None
        return hit[1], hit[2]

    def put(self, path: Path, key: tuple, page: PageSpec, findings: list) -> None:
        deps = [_stamp(Path(f)) for b in page.blocks
                for f in (getattr(b, "copy", None), getattr(b, "file", None)) if f]
        self.pages[str(path)] = (key, page, list(findings), deps)


class Loader:
    def __init__(self, folder: Path, strict: bool = False, cache: LoadCache | None = None):
        self.folder = Path(folder)
        self.strict = strict
        self.findings: list[Finding] = []
        self.cache = cache
        self.pub_stamp: tuple = ()

    # -- helpers -------------------------------------------------------------------
    def shown(self, path: Path) -> str:
        """Paths in messages relative to the current directory when possible."""
        try:
            return str(path.resolve().relative_to(Path.cwd().resolve()))
        except ValueError:
            return str(path)

    def inside(self, rel: str, where: Where, what: str) -> Path:
        """Resolve a file named in a definition; refuse anything outside the issue folder."""
        root = self.folder.resolve()
        candidate = Path(rel)
        if candidate.is_absolute() or ".." in candidate.parts:
            raise InputError(f"{what} path '{rel}' leaves the issue folder", where,
                             "put the file inside the issue folder and name it relative to it")
        full = (self.folder / candidate)
        resolved = full.resolve()
        if not resolved.is_relative_to(root):
            raise InputError(f"{what} '{rel}' points outside the issue folder (symbolic link?)", where,
                             "copy the file into the issue folder")
        if not resolved.is_file():
            if resolved.exists():  # a folder, a FIFO, a device: reading it would fail or never end
                raise InputError(f"{what} '{rel}' is not a regular file", where, "name the file itself")
            raise InputError(f"{what} '{rel}' not found", where,
                             f"expected it at {self.shown(full)}; check the name or add the file")
        return resolved

    def conv(self, fn, value, container, key):
        try:
            return fn(value)
        except UnitError as exc:
            raise InputError(f"{key}: {exc}", where_of(container, key), UNITS_HINT) from None

    def bounded(self, value: float, lo: float, hi: float, container, key, what: str, unit: str = "pt",
                scale: float = 1.0) -> float:
        """value (pt) within lo..hi (in `unit`, `scale` pt each), else InputError at container[key]."""
        if not (math.isfinite(value) and lo * scale <= value <= hi * scale):
            raise InputError(f"{what} {value / scale:g} {unit} is out of range ({lo:g}–{hi:g} {unit})",
                             where_of(container, key), UNITS_HINT)
        return value

    # -- publication ---------------------------------------------------------------
    def publication(self, path: Path) -> Publication:
        doc = load_yaml(path, self.shown(path))
        schema.validate(doc, "publication")
        styles = {}
        for name, raw in doc["styles"].items():
            size = self.conv(font_size, raw.get("size", 9.5), raw, "size")
            leading_raw = raw.get("leading", 1.4)
            if isinstance(leading_raw, (int, float)) and leading_raw <= 4:
                leading = size * float(leading_raw)   # a factor of the size
            else:
                leading = self.conv(length, leading_raw, raw, "leading")
            self.bounded(leading, 0.5 * size, 10 * size, raw if "leading" in raw else doc["styles"], "leading"
                         if "leading" in raw else name, f"style '{name}': leading", "pt")
            styles[name] = Style(
                name=name, font=raw.get("font", "shusong"), size=size, leading=leading,
                align=raw.get("align", "left"), tracking=float(raw.get("tracking", 0.0)),
                color=self.color(raw, "color", doc.get("colors", {})),
                bold=float(raw.get("bold", 0.0)), scale_min=float(raw.get("scale_min", 0.8)),
                hanging=bool(raw.get("hanging", False)), trim_opening=bool(raw.get("trim_opening", False)),
                needs_byline=bool(raw.get("needs_byline", False)),
                where=doc["styles"].key_where[name])
        for req in REQUIRED_STYLES:
            if req not in styles:
                raise InputError(f"the style '{req}' is missing", where_of(doc, "styles"),
                                 "define it under styles:")
        trim = doc.get("trim", ["390mm", "540mm"])
        trim_w = self.conv(lambda v: length(v, "mm"), trim[0], trim, 0)
        trim_h = self.conv(lambda v: length(v, "mm"), trim[1], trim, 1)
        mm = 72 / 25.4
        for i, v in enumerate((trim_w, trim_h)):
            self.bounded(v, *TRIM_MM, trim, i, "trim", "mm", mm)
        bleed = self.conv(lambda v: length(v, "mm"), doc.get("bleed", "3mm"), doc, "bleed")
        self.bounded(bleed, 0, MAX_BLEED_MM, doc, "bleed", "bleed", "mm", mm)
        g = doc["grid"]
        body = styles[g.get("style", "body")] if g.get("style", "body") in styles else None
        if body is None:
            raise InputError(f"grid style '{g.get('style')}' is not defined", where_of(g, "style"),
                             f"defined styles: {', '.join(styles)}")
        proto = Grid(g["columns"], g["column_chars"], float(g.get("gutter_chars", 1)), g["lines"],
                     body.size, body.leading, 0.0, 0.0)
        margins = doc.get("margins", {})
        x = self.conv(lambda v: length(v, "mm"), margins["left"], margins, "left") if "left" in margins \
            else (trim_w - proto.width) / 2
        y = self.conv(lambda v: length(v, "mm"), margins["top"], margins, "top") if "top" in margins \
            else (trim_h - proto.height) / 2
        grid = Grid(proto.columns, proto.column_chars, proto.gutter_chars, proto.lines, proto.char,
                    proto.pitch, x, y)
        if x < 0 or y < 0 or x + grid.width > trim_w + 0.01 or y + grid.height > trim_h + 0.01:
            raise InputError(
                f"the grid ({grid.width / 72 * 25.4:.1f} × {grid.height / 72 * 25.4:.1f} mm) does not fit "
                f"on the {trim_w / 72 * 25.4:.0f} × {trim_h / 72 * 25.4:.0f} mm page", where_of(doc, "grid"),
                "reduce column_chars, lines or the body size, or the margins")
        templates = {}
        for name, raw in doc.get("templates", {}).items():
            rh = raw.get("running_head")
            if rh is not None:
                for key in ("left", "center", "right"):
                    self.check_fields(rh, key)
                self.bounded(float(rh.get("rule", 0.75)), 0, MAX_WEIGHT_PT, rh, "rule", "running head rule")
            templates[name] = Template(
                name=name,
                running_head=RunningHead(rh.get("left", ""), rh.get("center", ""), rh.get("right", ""),
                                         rh.get("style", "running_head"), float(rh.get("rule", 0.75)))
                if rh is not None else None,
                column_rules=bool(raw.get("column_rules", False)), imprint=bool(raw.get("imprint", False)),
                folio=bool(raw.get("folio", False)))
        profile = None
        if "profile" in doc:
            profile = self.profile(path, doc["profile"], where_of(doc, "profile"))
        return Publication(
            name=doc["name"], code=doc["code"], cn=doc.get("cn", ""), publisher=doc.get("publisher", ""),
            imprint=tuple(doc.get("imprint", [])), trim_w=trim_w, trim_h=trim_h, bleed=bleed, grid=grid,
            styles=styles, templates=templates, punctuation=doc.get("punctuation", "quanjiao"),
            line_breaking=doc.get("line_breaking", "basic"),
            pdfx=doc.get("pdfx", "PDF/X-1a:2001"), ink_limit=float(doc.get("ink_limit", 240)),
            min_ppi=float(doc.get("min_ppi", 150)), profile=profile,
            palette=dict(doc.get("colors", {})), marks=bool(doc.get("marks", True)),
            ads_scale=bool(doc.get("ads_scale", False)), where=doc.where)

    def check_fields(self, raw, key) -> None:
        """A running-head text: only {field} names from RUNNING_HEAD_FIELDS — no format specs, conversions,
        attributes or indexes (str.format would crash on them, or pad a line to gigabytes)."""
        text = raw.get(key, "")
        if not text:
            return
        fields = ", ".join("{" + f + "}" for f in RUNNING_HEAD_FIELDS)
        try:
            parsed = list(string.Formatter().parse(text))
        except ValueError as exc:
            raise InputError(f"running head {key}: {exc} in {text!r}", where_of(raw, key),
                             f"write a literal brace as {{{{ or }}}}; fields are {fields}") from None
        for _, name, spec, conv in parsed:
            if name is None:
                continue
            if name not in RUNNING_HEAD_FIELDS or spec or conv:
                shown = "{" + name + ("!" + conv if conv else "") + (":" + spec if spec else "") + "}"
                raise InputError(f"running head {key}: unknown field {shown}", where_of(raw, key),
                                 f"use only {fields}")

    def profile(self, pub_path: Path, rel: str, where: Where) -> Path:
        """The press ICC profile: inside publication.yaml's folder, and really an output profile."""
        root = pub_path.parent.resolve()
        candidate = Path(rel)
        if candidate.is_absolute() or ".." in candidate.parts or \
                not (pub_path.parent / candidate).resolve().is_relative_to(root):
            raise InputError(f"ICC profile path '{rel}' leaves the folder of publication.yaml", where,
                             "copy the print shop's .icc file next to publication.yaml and name it relative to it")
        profile = (pub_path.parent / candidate).resolve()
        if not profile.is_file():
            raise InputError(f"ICC profile '{rel}' not found", where,
                             "name the print shop's .icc file relative to publication.yaml")
        try:
            with open(profile, "rb") as fh:
                head = fh.read(128)
            size = profile.stat().st_size
        except OSError as exc:
            raise InputError(f"ICC profile '{rel}' cannot be read ({exc.strerror or exc})", where,
                             "check the file's permissions") from None
        # ICC header: size at 0, 'acsp' at 36, device class at 12, data colour space at 16
        if len(head) < 128 or head[36:40] != b"acsp" or size > 64 << 20:
            raise InputError(f"'{rel}' is not an ICC profile", where,
                             "ask the print shop for their output profile (.icc) and name that file")
        if head[16:20] not in (b"CMYK", b"GRAY"):
            raise InputError(f"ICC profile '{rel}' is for {head[16:20].decode('latin-1').strip()}, not a CMYK press",
                             where, "use the print shop's CMYK output profile")
        return profile

    def color(self, container, key, palette, default=BLACK):
        """A colour from container[key]; the default only when the key is absent (an empty or
        unquoted-# value is an error from parse_color, not silently black)."""
        if key not in container:
            return default
        from .color import parse_color
        return parse_color(container[key], palette=palette, strict=self.strict, where=where_of(container, key),
                           findings=self.findings)

    # -- issue -----------------------------------------------------------------------
    def find_publication(self, doc) -> Path:
        if "publication" in doc:
            path = self.inside_or_parent(doc["publication"], where_of(doc, "publication"))
            return path
        for candidate in (self.folder / "publication.yaml", self.folder.parent / "publication.yaml"):
            if candidate.is_file():
                return candidate
        raise InputError("no publication.yaml found", Where(self.shown(self.folder / "issue.yaml")),
                         "put publication.yaml in the issue folder or the folder above it")

    def inside_or_parent(self, rel: str, where: Where) -> Path:
        path = (self.folder / rel).resolve()
        if not path.is_relative_to(self.folder.resolve().parent) or not path.is_file():
            raise InputError(f"publication file '{rel}' not found in the issue folder or the one above", where,
                             "use publication.yaml in the issue folder or its parent")
        return path

    def issue(self) -> IssueSpec:
        if not self.folder.is_dir():
            raise InputError(f"issue folder '{self.folder}' not found", Where(str(self.folder)),
                             "give the folder that holds issue.yaml, e.g. issues/2022-01-14")
        issue_path = self.folder / "issue.yaml"
        doc = load_yaml(issue_path, self.shown(issue_path))
        if isinstance(doc.get("pages"), list) and len(doc["pages"]) > MAX_PAGES:  # before any other work
            raise InputError(f"{len(doc['pages'])} pages: more than {MAX_PAGES} in one issue",
                             where_of(doc, "pages"), "split the issue or check the list")
        schema.validate(doc, "issue")
        try:
            date = datetime.date.fromisoformat(str(doc["date"]))
        except ValueError:
            raise InputError(f"date {doc['date']!r} is not a date like 2022-01-14", where_of(doc, "date"),
                             "write the date as YYYY-MM-DD") from None
        pub_path = self.find_publication(doc)
        pub = self.publication(pub_path)
        self.pub_stamp = _stamp(pub_path)
        pages, seen = [], {}
        for i, raw in enumerate(doc["pages"]):
            where = where_of(doc["pages"], i)
            number = raw["page"].zfill(2)
            if number in seen:
                raise InputError(f"page {number} is listed twice (first at line {seen[number].line})", where,
                                 "give each page its own number")
            seen[number] = where
            pages.append(self.page(raw, number, pub, where))
        return IssueSpec(folder=self.folder, date=date.isoformat(), number=int(doc.get("number", 1)),
                         serial=int(doc.get("serial", doc.get("number", 1))), publication=pub,
                         pages=tuple(pages), findings=tuple(self.findings))

    # -- pages -------------------------------------------------------------------------
    def page(self, entry, number: str, pub: Publication, where: Where) -> PageSpec:
        path = self.inside(entry["file"], where_of(entry, "file"), "page file")
        if self.cache is None:
            return self.parse_page(path, entry, number, pub)
        key = (_stamp(path), self.pub_stamp, self.strict, number, repr(sorted(entry.items())))
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

    def check_photo(self, path: Path, rel: str, where: Where) -> None:
        """Cheap checks before any composition: the header says JPEG/PNG/TIFF of a sane size, the file
        is complete. Pixels are decoded later (layout.images), which catches what is left."""
        import warnings
        from PIL import Image, UnidentifiedImageError
        from .photofiles import FORMATS, sniff
        try:
            size = path.stat().st_size
            if size > MAX_PHOTO_BYTES:
                raise InputError(f"photo '{rel}' is {size / (1 << 20):.0f} MB, more than "
                                 f"{MAX_PHOTO_BYTES >> 20} MB", where, "save it as a JPEG of news size")
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"photo '{rel}' cannot be read ({exc.strerror or exc})", where,
                             "check the file's permissions") from None
        if not data:
            raise InputError(f"photo '{rel}' is empty (0 bytes)", where,
                             "the copy or download was interrupted: fetch the picture again")
        import io
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(io.BytesIO(data), formats=FORMATS) as im:  # the header only
                    width, height, fmt = im.width, im.height, im.format
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise InputError(f"photo '{rel}' is too large to open safely ({exc})", where,
                             "a damaged or malicious file (decompression bomb), or a huge scan: "
                             "resize it to at most a few thousand pixels a side") from None
        except UnidentifiedImageError:
            raise InputError(f"photo '{rel}' is not a JPEG, PNG or TIFF image{sniff(data)}", where,
                             "open it in an image editor and save it as JPEG or TIFF") from None
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise InputError(f"photo '{rel}' is damaged ({exc})", where,
                             "copy or download it again, or re-save it in an image editor") from None
        if width * height > Image.MAX_IMAGE_PIXELS or width < 1 or height < 1:
            raise InputError(f"photo '{rel}' is {width} × {height} px: too large to open safely", where,
                             "a damaged or malicious file (decompression bomb), or a huge scan: "
                             "resize it to at most a few thousand pixels a side")
        truncated = (fmt == "JPEG" and data.rfind(b"\xff\xd9") < data.rfind(b"\xff\xda")) or \
                    (fmt == "PNG" and data.rfind(b"IEND") < 0)
        if truncated:
            raise InputError(f"photo '{rel}' is truncated: the file ends before the picture does", where,
                             "the copy or download was interrupted: fetch the picture again")

    def copy_text(self, path: Path) -> str:
        """Copy files: UTF-8 plain text, one paragraph per line (a BOM is dropped)."""
        shown = self.shown(path)
        try:
            size = path.stat().st_size
            if size > MAX_COPY_BYTES:
                raise InputError(f"the copy file is {size / (1 << 20):.1f} MB, more than a story can be "
                                 f"({MAX_COPY_CHARS:,} characters)", Where(shown),
                                 "check that this is the right file")
            raw = path.read_bytes()
        except OSError as exc:
            raise InputError(f"the copy file cannot be read ({exc.strerror or exc})", Where(shown),
                             "check the file's permissions") from None
        text = decode_utf8(raw, path, shown, "the copy file is not UTF-8", "save the copy as UTF-8")
        for lineno, line in enumerate(text.splitlines() if _SUSPECT.search(text) else (), 1):
            for col, ch in enumerate(line, 1):
                if ch == "\ufffd":
                    raise InputError("the copy holds U+FFFD (a character lost in an earlier conversion)",
                                     Where(shown, lineno, col), "get the original copy again and re-save as UTF-8")
                if unicodedata.category(ch) == "Cc" and ch != "\t":
                    raise InputError(f"the copy holds a control character U+{ord(ch):04X}", Where(shown, lineno, col),
                                     "remove it (it is invisible in most editors)")
        if len(text) > MAX_COPY_CHARS:
            raise InputError(f"the copy has {len(text):,} characters, more than a page can hold "
                             f"({MAX_COPY_CHARS:,})", Where(shown), "check that this is the right file")
        text = unicodedata.normalize("NFC", text)
        return text


def load_issue(folder: Path, strict: bool = False, cache: LoadCache | None = None) -> IssueSpec:
    return Loader(folder, strict, cache).issue()
