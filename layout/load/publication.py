"""publication.yaml → Publication: trim, grid, styles, templates, colours, running head, output profile.

Input: the publication file found beside or above the issue. Output: Publication (points), or an
InputError at the offending key.
"""
from __future__ import annotations

import string
from pathlib import Path

from layout.load import schema
from layout.load.yamlsafe import load_yaml, where_of
from layout.model import paths
from layout.model.findings import InputError, Where
from layout.model.frame import BLACK
from layout.model.spec import Grid, Publication, RunningHead, Style, Template
from layout.model.units import font_size, length
from layout.model.i18n import _
from layout.load.reader import MAX_WEIGHT_PT, Reader

REQUIRED_STYLES = ("body",)
TRIM_MM = (50.0, 2000.0)  # the smallest and largest sensible page side
MAX_BLEED_MM = 20.0
RUNNING_HEAD_FIELDS = ("paper", "date", "weekday", "page", "section", "editors", "cn", "number", "serial")


class PublicationReader(Reader):
    def publication(self, path: Path) -> Publication:
        doc = load_yaml(path, self.shown(path))
        schema.validate(doc, "publication")
        styles = {}
        for name, raw in doc["styles"].items():
            styles[name] = self.style(name, raw, doc["styles"], doc.get("colors", {}))
        for req in REQUIRED_STYLES:
            if req not in styles:
                raise InputError(_("the style '{req}' is missing", req=req), where_of(doc, "styles"),
                                 _('define it under styles:'))
        trim = doc.get("trim", ["390mm", "540mm"])
        trim_w = self.conv(lambda v: length(v, "mm"), trim[0], trim, 0)
        trim_h = self.conv(lambda v: length(v, "mm"), trim[1], trim, 1)
        mm = 72 / 25.4
        for i, v in enumerate((trim_w, trim_h)):
            self.bounded(v, *TRIM_MM, trim, i, "trim", "mm", mm)
        bleed = self.conv(lambda v: length(v, "mm"), doc.get("bleed", "3mm"), doc, "bleed")
        self.bounded(bleed, 0, MAX_BLEED_MM, doc, "bleed", "bleed", "mm", mm)
        grid = self.grid(doc["grid"], styles, doc.get("margins", {}), trim_w, trim_h, doc, "grid")
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
                folio=bool(raw.get("folio", False)), **self.section(raw, doc, styles, trim_w, trim_h))
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
            ads_scale=bool(doc.get("ads_scale", False)), wechat=str(doc.get("wechat", "")),
            icp=str(doc.get("icp", "")), where=doc.where)

    def style(self, name: str, raw, container, palette, where=None) -> Style:
        size = self.conv(font_size, raw.get("size", 9.5), raw, "size")
        leading_raw = raw.get("leading", 1.4)
        if isinstance(leading_raw, (int, float)) and leading_raw <= 4:
            leading = size * float(leading_raw)   # a factor of the size
        else:
            leading = self.conv(length, leading_raw, raw, "leading")
        self.bounded(leading, 0.5 * size, 10 * size, raw if "leading" in raw else container, "leading"
                     if "leading" in raw else name, f"style '{name}': leading", "pt")
        return Style(
            name=name, font=raw.get("font", "shusong"), size=size, leading=leading,
            align=raw.get("align", "left"), tracking=float(raw.get("tracking", 0.0)),
            color=self.color(raw, "color", palette),
            bold=float(raw.get("bold", 0.0)), scale_min=float(raw.get("scale_min", 0.8)),
            hanging=bool(raw.get("hanging", False)), trim_opening=bool(raw.get("trim_opening", False)),
            needs_byline=bool(raw.get("needs_byline", False)),
            where=where or container.key_where[name])

    def grid(self, g, styles: dict, margins, trim_w: float, trim_h: float, container, key) -> Grid:
        body = styles[g.get("style", "body")] if g.get("style", "body") in styles else None
        if body is None:
            raise InputError(_("grid style '{g}' is not defined", g=g.get('style')), where_of(g, "style"),
                             _('defined styles: {styles}', styles=', '.join(styles)))
        proto = Grid(g["columns"], g["column_chars"], float(g.get("gutter_chars", 1)), g["lines"],
                     body.size, body.leading, 0.0, 0.0)
        x = self.conv(lambda v: length(v, "mm"), margins["left"], margins, "left") if "left" in margins \
            else (trim_w - proto.width) / 2
        y = self.conv(lambda v: length(v, "mm"), margins["top"], margins, "top") if "top" in margins \
            else (trim_h - proto.height) / 2
        grid = Grid(proto.columns, proto.column_chars, proto.gutter_chars, proto.lines, proto.char,
                    proto.pitch, x, y)
        if x < 0 or y < 0 or x + grid.width > trim_w + 0.01 or y + grid.height > trim_h + 0.01:
            raise InputError(
                _('the grid ({width:.1f} × {height:.1f} mm) does not fit on the {trim_w:.0f} × {trim_h:.0f} mm page', width=grid.width / 72 * 25.4, height=grid.height / 72 * 25.4, trim_w=trim_w / 72 * 25.4, trim_h=trim_h / 72 * 25.4), where_of(container, key),
                _('reduce column_chars, lines or the body size, or the margins'))
        return grid

    def section(self, raw, doc, styles: dict, trim_w: float, trim_h: float) -> dict:
        """A section template's own styles (each key over the publication's style of that name) and grid
        (each key over the publication's grid; margins centred unless the template gives them)."""
        out = {}
        if "styles" in raw:
            own = {}
            for name, over in raw["styles"].items():
                base = doc["styles"].get(name, {}) if isinstance(doc["styles"].get(name), dict) else {}
                merged = type(over)(base)
                merged.update(over)
                if hasattr(over, "key_where"):
                    merged.key_where = {**getattr(base, "key_where", {}), **over.key_where}
                    merged.where = over.where
                own[name] = self.style(name, merged, raw["styles"], doc.get("colors", {}),
                                       where=raw["styles"].key_where[name])
            out["styles"] = own
        if "grid" in raw or "styles" in raw:
            all_styles = {**styles, **out.get("styles", {})}
            g = type(raw.get("grid", doc["grid"]))(doc["grid"])
            g.update(raw.get("grid", {}))
            if hasattr(g, "key_where"):
                g.key_where = {**doc["grid"].key_where, **getattr(raw.get("grid"), "key_where", {})}
                g.where = getattr(raw.get("grid"), "where", doc["grid"].where)
            margins = raw.get("margins", doc.get("margins", {}) if "grid" not in raw else {})
            out["grid"] = self.grid(g, all_styles, margins, trim_w, trim_h, raw, "grid" if "grid" in raw else "styles")
        return out

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
            raise InputError(_('running head {key}: {exc} in {text!r}', key=key, exc=exc, text=text), where_of(raw, key),
                             _('write a literal brace as {{{{ or }}}}; fields are {fields}', fields=fields)) from None
        for _literal, name, spec, conv in parsed:
            if name is None:
                continue
            if name not in RUNNING_HEAD_FIELDS or spec or conv:
                shown = "{" + name + ("!" + conv if conv else "") + (":" + spec if spec else "") + "}"
                raise InputError(_('running head {key}: unknown field {shown}', key=key, shown=shown), where_of(raw, key),
                                 _('use only {fields}', fields=fields))

    def profile(self, pub_path: Path, rel: str, where: Where) -> Path:
        """The press ICC profile: inside publication.yaml's folder, and really an output profile."""
        root = paths.resolve(pub_path.parent, where, _("publication folder"))
        candidate = Path(rel)
        if candidate.is_absolute() or ".." in candidate.parts or \
                not paths.resolve(pub_path.parent / candidate, where, _("ICC profile")).is_relative_to(root):
            raise InputError(_("ICC profile path '{rel}' leaves the folder of publication.yaml", rel=rel), where,
                             _("copy the print shop's .icc file next to publication.yaml and name it relative to it"))
        profile = paths.regular_file(pub_path.parent / candidate, where, _("ICC profile"), shown=rel,
                                     missing_hint=_("name the print shop's .icc file relative to publication.yaml"))
        try:
            with open(profile, "rb") as fh:
                head = fh.read(128)
            size = profile.stat().st_size
        except OSError as exc:
            raise InputError(_("ICC profile '{rel}' cannot be read ({value})", rel=rel, value=exc.strerror or exc), where,
                             _("check the file's permissions")) from None
        # ICC header: size at 0, 'acsp' at 36, device class at 12, data colour space at 16
        if len(head) < 128 or head[36:40] != b"acsp" or size > 64 << 20:
            raise InputError(_("'{rel}' is not an ICC profile", rel=rel), where,
                             _('ask the print shop for their output profile (.icc) and name that file'))
        if head[16:20] not in (b"CMYK", b"GRAY"):
            raise InputError(_("ICC profile '{rel}' is for {head}, not a CMYK press", rel=rel, head=head[16:20].decode('latin-1').strip()),
                             where, _("use the print shop's CMYK output profile"))
        return profile

    def color(self, container, key, palette, default=BLACK):
        """A colour from container[key]; the default only when the key is absent (an empty or
        unquoted-# value is an error from parse_color, not silently black)."""
        if key not in container:
            return default
        from layout.photo.color import parse_color
        return parse_color(container[key], palette=palette, strict=self.strict, where=where_of(container, key),
                           findings=self.findings)

    def find_publication(self, doc) -> Path:
        if "publication" in doc:
            path = self.inside_or_parent(doc["publication"], where_of(doc, "publication"))
            return path
        for candidate in (self.folder / "publication.yaml", self.folder.parent / "publication.yaml"):
            if candidate.is_file():
                return candidate
        raise InputError(_('no publication.yaml found'), Where(self.shown(self.folder / "issue.yaml")),
                         _('put publication.yaml in the issue folder or the folder above it'))
