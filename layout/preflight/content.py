"""Content-stream analysis: what the page actually paints.

Tracks the graphics state (CTM through q/Q/cm and form XObjects, fill and
stroke colour, overprint from ExtGState, text font/size/matrix/render mode) to
find each image's effective resolution at its placed size, small text set in
rich black or several inks, black text that knocks out, and RGB set directly
by operators (rg/RG, cs /DeviceRGB)."""
from __future__ import annotations
from layout.model.i18n import _

import math
from dataclasses import dataclass, field, replace

import pikepdf

from layout.preflight.base import (DEVICE_CMYK, DEVICE_GRAY, DEVICE_RGB, IDENTITY, ColourSpace,
                             PreflightSpec, Sink, mat_mul, resolve_cs, to_matrix)
from layout.preflight.document import X1A_FORBIDDEN_FILTERS, X4_FORBIDDEN_FILTERS
from layout.preflight.pages import iter_resources, report_cs

MAX_FORM_DEPTH = 12
SHOW_OPS = {"Tj", "TJ", "'", '"'}
INK_EPS = 0.005          # 0.5 % tint: below this an ink is "not used"


@dataclass(frozen=True)
class GState:
    ctm: tuple = IDENTITY
    fill_cs: ColourSpace = DEVICE_GRAY
    fill: tuple = (0.0,)
    stroke_cs: ColourSpace = DEVICE_GRAY
    stroke: tuple = (0.0,)
    op_fill: bool = False
    op_stroke: bool = False
    opm: int = 0
    font: object = None
    font_size: float = 0.0
    render_mode: int = 0


def _with(g: GState, **changes) -> GState:
    """dataclasses.replace without its per-call field checks: a page of text changes the state
    ~10 000 times, and replace() was a third of the walk."""
    new = object.__new__(GState)
    new.__dict__.update(g.__dict__)
    new.__dict__.update(changes)
    return new


@dataclass
class Placement:
    name: str
    width_px: int
    height_px: int
    ppi: float
    line_art: bool
    size_mm: tuple


@dataclass
class Walker:
    page: int
    spec: PreflightSpec
    sink: Sink
    placements: dict = field(default_factory=dict)   # image key → worst Placement
    _forms: list = field(default_factory=list)        # objgens on the Do stack (cycle guard)
    _inline_count: int = 0                            # inline images have no object number
    _memo: dict = field(default_factory=dict)         # per content run: resource name → what it sets
    _seen_text: dict = field(default_factory=dict)    # text state judged → the sink keys it produced
    _font_scale: dict = field(default_factory=dict)   # id(font) → (font, Type3 FontMatrix scale or 1)
    _last_text: tuple = (None, None, ())              # (gstate, text matrix, keys) of the last show

    # -- driving --------------------------------------------------------------------

    def run(self, content, resources, gstate: GState) -> None:
        try:
            ops = pikepdf.parse_content_stream(content)
        except pikepdf.PdfError as exc:
            self.sink.add("error", "content-unreadable", _('content stream cannot be parsed: {exc}', exc=exc),
                          page=self.page, subject=str(exc)[:80])
            return
        stack: list[GState] = []
        g = gstate
        tm = IDENTITY
        outer_memo, self._memo = self._memo, {}   # resource names are local to this stream's resources
        try:
            self._run_ops(ops, resources, g, stack, tm)
        finally:
            self._memo = outer_memo
        self._flush_images()

    def _run_ops(self, ops, resources, g: GState, stack: list, tm: tuple) -> None:
        for instr in ops:
            if isinstance(instr, pikepdf.ContentStreamInlineImage):
                self._inline_image(instr.iimage, resources, g)
                continue
            op = str(instr.operator)
            args = instr.operands
            if op == "q":
                stack.append(g)
            elif op == "Q":
                g = stack.pop() if stack else g
            elif op == "BT":
                tm = IDENTITY
            elif op == "Tm":
                tm = to_matrix(args) or tm
            elif op in SHOW_OPS:
                self._text(g, tm)
            elif op == "Do" and args:
                self._do(str(args[0]), resources, g)
            else:
                g = self._state_op(op, args, resources, g)

    # -- graphics state -------------------------------------------------------------------

    def _state_op(self, op: str, args, resources, g: GState) -> GState:
        """Operators that change the graphics state; returns the new state."""
        try:
            if op == "cm":
                m = to_matrix(args)
                return _with(g, ctm=mat_mul(m, g.ctm)) if m else g
            if op in ("g", "G", "k", "K", "rg", "RG"):
                return self._device_colour(op, args, g)
            if op in ("cs", "CS") and args:
                cs = resolve_cs(args[0], resources)
                if isinstance(args[0], pikepdf.Name) and str(args[0]) in ("/DeviceRGB",):
                    report_cs(cs, f"colour operator {op}", self.page, self.spec, self.sink)
                if op == "cs":
                    return _with(g, fill_cs=cs, fill=cs.initial())
                return _with(g, stroke_cs=cs, stroke=cs.initial())
            if op in ("sc", "scn", "SC", "SCN"):
                comps = tuple(float(a) for a in args if _is_number(a))   # scn may end in a pattern name
                return _with(g, fill=comps) if op in ("sc", "scn") else _with(g, stroke=comps)
            if op == "gs" and args:
                return self._ext_gstate(args[0], resources, g)
            if op == "Tf" and len(args) >= 2:
                key = ("/Font", str(args[0]))
                if key not in self._memo:
                    self._memo[key] = _lookup(resources, "/Font", args[0])
                return _with(g, font=self._memo[key], font_size=float(args[1]))
            if op == "Tr" and args:
                return _with(g, render_mode=int(args[0]))
        except (TypeError, ValueError):
            pass                      # malformed operands: qpdf/pikepdf already warned
        return g

    def _device_colour(self, op, args, g: GState) -> GState:
        comps = tuple(float(a) for a in args)
        cs = {"g": DEVICE_GRAY, "G": DEVICE_GRAY, "k": DEVICE_CMYK, "K": DEVICE_CMYK,
              "rg": DEVICE_RGB, "RG": DEVICE_RGB}[op]
        if cs is DEVICE_RGB:
            report_cs(cs, f"colour operator {op}", self.page, self.spec, self.sink)
        if op.islower():
            return _with(g, fill_cs=cs, fill=comps)
        return _with(g, stroke_cs=cs, stroke=comps)

    def _ext_gstate(self, name, resources, g: GState) -> GState:
        key = ("/ExtGState", str(name))
        sets = self._memo.get(key)
        if sets is None:
            gs = _lookup(resources, "/ExtGState", name)
            sets = {}
            if isinstance(gs, pikepdf.Dictionary):
                if "/OP" in gs:
                    sets["op_stroke"] = sets["op_fill"] = bool(gs.OP)
                if "/op" in gs:   # /op defaults to /OP when absent (PDF 32000 table 58)
                    sets["op_fill"] = bool(gs.op)
                if "/OPM" in gs:
                    sets["opm"] = int(gs.OPM)
            self._memo[key] = sets
        return _with(g, **sets) if sets else g

    # -- images -------------------------------------------------------------------------

    def _do(self, name: str, resources, g: GState) -> None:
        xobj = _lookup(resources, "/XObject", name)
        if not isinstance(xobj, pikepdf.Stream):
            return
        subtype = xobj.get("/Subtype")
        if subtype == "/Image":
            key = xobj.objgen if xobj.is_indirect else name
            self._place(key, name, xobj, g.ctm)
        elif subtype == "/Form":
            self._form(xobj, resources, g)

    def _form(self, form, resources, g: GState) -> None:
        key = form.objgen
        if key in self._forms or len(self._forms) >= MAX_FORM_DEPTH:
            return
        m = to_matrix(form.get("/Matrix", [1, 0, 0, 1, 0, 0])) or IDENTITY
        self._forms.append(key)
        try:
            self.run(form, form.get("/Resources", resources), _with(g, ctm=mat_mul(m, g.ctm)))
        finally:
            self._forms.pop()

    def _inline_image(self, iimage, resources, g: GState) -> None:
        d = iimage.obj
        if not d.get("/ImageMask", False):
            cs = resolve_cs(d.get("/ColorSpace"), resources)
            report_cs(cs, "inline image", self.page, self.spec, self.sink)
        forbidden = X1A_FORBIDDEN_FILTERS if self.spec.is_x1a else X4_FORBIDDEN_FILTERS
        filters = d.get("/Filter")
        names = [str(f) for f in filters] if isinstance(filters, pikepdf.Array) else [str(filters)]
        for f in names:
            if f in forbidden:
                self.sink.add("error", "forbidden-filter", _('inline image uses {f}', f=f[1:]),
                              page=self.page, subject=f"inline {f}", filter=f[1:])
        self._inline_count += 1
        self._place(("inline", self._inline_count), f"inline image {self._inline_count}", d, g.ctm)

    def _place(self, key, name: str, img, ctm: tuple) -> None:
        try:
            w, h = int(img.get("/Width", 0)), int(img.get("/Height", 0))
        except (TypeError, ValueError):
            return
        wpt, hpt = math.hypot(ctm[0], ctm[1]), math.hypot(ctm[2], ctm[3])
        if not (w and h and wpt > 1e-6 and hpt > 1e-6):
            return
        ppi = min(w * 72.0 / wpt, h * 72.0 / hpt)
        line_art = bool(img.get("/ImageMask", False)) or int(img.get("/BitsPerComponent", 8)) == 1
        placed = Placement(name, w, h, ppi, line_art, (round(wpt * 25.4 / 72, 1), round(hpt * 25.4 / 72, 1)))
        old = self.placements.get(key)
        if old is None or ppi < old.ppi:
            self.placements[key] = placed

    def _flush_images(self) -> None:
        if self._forms:
            return                    # only the page-level run reports
        for p in self.placements.values():
            self._report_ppi(p)
        self.placements.clear()

    def _report_ppi(self, p: Placement) -> None:
        s = self.spec
        if p.line_art:
            severity = "warning" if p.ppi < s.min_line_art_ppi else None
            need = s.min_line_art_ppi
        else:
            severity = "error" if p.ppi < s.error_ppi else ("warning" if p.ppi < s.min_ppi else None)
            need = s.min_ppi
        if severity:
            kind = _("line-art image") if p.line_art else _("image")
            self.sink.add(severity, "low-ppi",
                          _("{kind} {name} is {ppi:.0f} ppi at its placed size ({w:g} × {h:g} mm); needs {need:g} ppi",
                            kind=kind, name=p.name, ppi=p.ppi, w=p.size_mm[0], h=p.size_mm[1], need=need),
                          page=self.page, subject=p.name, ppi=round(p.ppi, 1),
                          pixels=[p.width_px, p.height_px], placed_mm=list(p.size_mm),
                          line_art=p.line_art)

    # -- text -------------------------------------------------------------------------------

    def _text(self, g: GState, tm: tuple) -> None:
        last_g, last_tm, keys = self._last_text
        if g is last_g and (tm is last_tm or tm[:4] == last_tm[:4]):
            # the same graphics state and text scale as the show before (runs sharing a text object):
            # the same judgement, counted again
            for key in keys:
                self.sink.again(key)
            return
        keys = self._judge_text(g, tm)
        self._last_text = (g, tm, keys)

    def _judge_text(self, g: GState, tm: tuple) -> tuple:
        mode = g.render_mode
        if mode in (3, 7):
            return ()                 # invisible or clip-only: no ink
        size = self._text_size(g, tm)
        state = (mode, round(size, 2), g.fill_cs, g.fill, g.op_fill, g.stroke_cs, g.stroke, g.op_stroke, g.opm)
        keys = self._seen_text.get(state)
        if keys is not None:          # judged already: count the same findings again, skip the work
            for key in keys:
                self.sink.again(key)
            return keys
        keys = []
        if mode in (0, 2, 4, 6):
            keys += self._text_colour(g.fill_cs, g.fill, g.op_fill, g.opm, size, "fill")
        if mode in (1, 2, 5, 6):
            keys += self._text_colour(g.stroke_cs, g.stroke, g.op_stroke, g.opm, size, "stroke")
        keys = self._seen_text[state] = tuple(keys)
        return keys

    def _text_size(self, g: GState, tm: tuple) -> float:
        """_text_size with each font's Type3 check made once per walk (a pikepdf lookup per show)."""
        font = g.font
        hit = self._font_scale.get(id(font))
        if hit is None or hit[0] is not font:
            hit = self._font_scale[id(font)] = (font, _type3_scale(font))
        m = mat_mul(tm, g.ctm)
        return abs(g.font_size) * (math.hypot(m[2], m[3]) * hit[1])

    def _text_colour(self, cs, comps, overprint, opm, size, how) -> list:
        """The sink keys of the findings this text colour gives."""
        inks = process_inks(cs, comps)
        if inks is None:
            return []
        c, m, y, k = inks
        cmy_used = sum(1 for v in (c, m, y) if v > INK_EPS)
        pct = "/".join(f"{v * 100:.0f}" for v in inks)
        min_pt = self.spec.min_text_black_pt
        if size < min_pt and k > INK_EPS and cmy_used:
            return [self.sink.add("error", "rich-black-text",
                                  _('{size:.1f} pt text in rich black (CMYK {pct}); use 100 % K below {min_pt:g} pt', size=size, pct=pct, min_pt=min_pt),
                                  page=self.page, subject=pct, cmyk=[round(v * 100, 1) for v in inks],
                                  size_pt=round(size, 2), paint=how)]
        if size < min_pt and cmy_used >= 2:
            return [self.sink.add("warning", "multi-ink-text",
                                  _('{size:.1f} pt text in {cmy_used} inks (CMYK {pct}) will blur with misregister on newsprint; below {min_pt:g} pt use one ink', size=size, cmy_used=cmy_used, pct=pct, min_pt=min_pt),
                                  page=self.page, subject=pct, cmyk=[round(v * 100, 1) for v in inks],
                                  size_pt=round(size, 2), paint=how)]
        if not cmy_used and k >= 1.0 - INK_EPS and not _overprints(cs, overprint, opm):
            return [self.sink.add("warning", "black-text-knockout",
                                  _('100 % K text knocks out; set overprint (ExtGState op true, OPM 1)'),
                                  page=self.page, subject=f"{cs.family} {how}", colour_space=cs.family,
                                  paint=how)]
        return []


def _overprints(cs: ColourSpace, overprint: bool, opm: int) -> bool:
    # DeviceCMYK 0/0/0/100 with OPM 0 paints the zero C/M/Y too, i.e. still knocks out
    if cs.family == "DeviceCMYK":
        return overprint and opm == 1
    return overprint


def process_inks(cs: ColourSpace, comps: tuple) -> tuple | None:
    """(c, m, y, k) fractions the colour puts on the plates, or None when it is
    not process colour (RGB, spots, patterns are reported elsewhere)."""
    try:
        if cs.family == "DeviceCMYK" and len(comps) >= 4:
            return tuple(float(v) for v in comps[:4])
        if cs.family == "DeviceGray" and comps:
            return (0.0, 0.0, 0.0, 1.0 - float(comps[0]))
        if cs.family in ("Separation", "DeviceN") and len(comps) == len(cs.colorants):
            inks = dict(zip(cs.colorants, comps))
            if set(inks) <= {"Cyan", "Magenta", "Yellow", "Black"}:
                return tuple(float(inks.get(n, 0.0)) for n in ("Cyan", "Magenta", "Yellow", "Black"))
    except (TypeError, ValueError):
        pass
    return None


def _text_size(g: GState, tm: tuple) -> float:
    """Rendered text size in pt: font size scaled by the text matrix and CTM
    (length of the glyph-space vertical), Type3 FontMatrix included."""
    m = mat_mul(tm, g.ctm)
    return abs(g.font_size) * (math.hypot(m[2], m[3]) * _type3_scale(g.font))


def _type3_scale(font) -> float:
    """A Type3 font's FontMatrix scale against the usual 1/1000 (1.0 for other fonts)."""
    if isinstance(font, pikepdf.Dictionary) and font.get("/Subtype") == "/Type3":
        fm = to_matrix(font.get("/FontMatrix", [0.001, 0, 0, 0.001, 0, 0]))
        if fm:
            return math.hypot(fm[2], fm[3]) / 0.001
    return 1.0


def _is_number(a) -> bool:
    if isinstance(a, pikepdf.Name):
        return False
    try:
        float(a)
        return True
    except (TypeError, ValueError):
        return False


def _lookup(resources, category, name):
    try:
        table = resources.get(category) if resources is not None else None
        return table.get(str(name)) if table is not None else None
    except (AttributeError, ValueError, pikepdf.PdfError):
        return None


def walk_page(page: pikepdf.Page, pno: int, spec: PreflightSpec, sink: Sink) -> None:
    walker = Walker(pno, spec, sink)
    resources = page.obj.get("/Resources")
    walker.run(page.obj, resources, GState())
    # what paints outside the page's own stream and its forms: tiling patterns' cells and Type3 glyph
    # procedures are content streams too (RGB set there prints as well)
    for category, name, obj, owner in iter_resources(resources, set()):
        if not isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            continue
        if category == "/Pattern" and obj.get("/PatternType") == 1 and isinstance(obj, pikepdf.Stream):
            walker.run(obj, obj.get("/Resources", owner), GState())
        elif category == "/Font" and obj.get("/Subtype") == "/Type3":
            procs = obj.get("/CharProcs")
            for _, proc in (procs.items() if isinstance(procs, pikepdf.Dictionary) else ()):
                if isinstance(proc, pikepdf.Stream):
                    walker.run(proc, obj.get("/Resources", owner), GState())
