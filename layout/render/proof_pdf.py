"""Proof renderer: PageFrame + highlight marks → one RGB proof page (bytes) for editors (校样).

Not a print file: colours are DeviceRGB (CMYK operators of the page are converted naively,
photos are converted to RGB and downsampled), there are no PDF/X keys, no output intent and no
crop marks. On top of the page only outlines and light highlights, so that every character stays
readable; labels, notes and the overset text of a story go into a wide right margin, each tied to its
mark by a leader line; a header and a legend in the margins, and a translucent 校样 watermark. Text is drawn with the project's own CID fonts (PdfFonts), so
pdftotext finds the watermark, labels and notes.

Input marks are plain data from layout.products.proof (positions in page points, y down).
"""
from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field
from typing import Callable

from layout.model.frame import Image, PageFrame
from layout.render.pdf import PageRenderer, PdfSettings, _fmt
from layout.render.pdf_fonts import PdfFonts, make_canvas

MM = 72 / 25.4

# A shaper: text → [(face, gid, text, advance_em)], following a font role's fallback chain.
Shaper = Callable[[str], list]


@dataclass(frozen=True)
class Mark:
    """One highlight: a box on the page (pt, top-left origin, y down) in an RGB colour."""
    kind: str                       # overset | missing | fallback | loose | block
    x: float
    y: float
    w: float
    h: float
    rgb: tuple[float, float, float]
    label: str = ""                 # tag at the head of its margin note ("" for none)
    note: str = ""                  # margin note ("" for none)
    text_lines: tuple[str, ...] = ()  # quoted under the note in the margin (the overset text)
    fill: float = 0.12              # fill opacity, at most MAX_FILL so the text shows through; 0 = outline only


@dataclass
class ProofSettings:
    title: str
    date: str
    shape: Shaper
    header: str = ""
    legend: tuple[tuple[str, tuple[float, float, float]], ...] = ()
    watermark: str = "校样"
    image_ppi: float = 100.0
    margin: float = 12 * MM
    note_margin: float = 75 * MM    # the right margin, for labels and notes
    note_size: float = 8.5          # pt: ~18 px high at 150 dpi
    marks: list[Mark] = field(default_factory=list)


MAX_FILL = 0.2   # a highlighter, not a cover: text under a mark stays readable
_CMYK_OP = re.compile(r"(?<![\w.])(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) ([kK])(?![\w])")


def _to_rgb(m: re.Match) -> str:
    c, mm, y, k = (float(m.group(i)) for i in range(1, 5))
    r, g, b = ((1 - c) * (1 - k), (1 - mm) * (1 - k), (1 - y) * (1 - k))
    return f"{_fmt(r)} {_fmt(g)} {_fmt(b)} {'rg' if m.group(5) == 'k' else 'RG'}"


def proof_origin(frame: PageFrame, settings: ProofSettings) -> tuple[float, float, float]:
    """Where the trimmed page's top-left sits on the proof sheet (pt from its top-left), and the sheet's width."""
    left = frame.bleed + settings.margin
    top = frame.bleed + settings.margin + 6 * MM
    return left, top, frame.width + left + frame.bleed + settings.note_margin


class ProofRenderer(PageRenderer):
    def __init__(self, frame: PageFrame, settings: ProofSettings):
        super().__init__(frame, PdfSettings(title=settings.title, date=settings.date, marks=False))
        self.p = settings
        self.left, self.top, self.media_w = proof_origin(frame, settings)
        self.media_h = frame.height + self.top + frame.bleed + settings.margin + 6 * MM
        self.overlays: list[tuple[str, float, float, float, float]] = []   # what the proof drew on top (page pt)

    def px(self, x: float) -> float:
        return self.left + x

    def py(self, y: float) -> float:
        return self.media_h - self.top - y

    # the page's own drawing, in RGB and without overprint
    def code(self, text: str):
        self.canvas._code.append(_CMYK_OP.sub(_to_rgb, text))

    def overprint(self, on: bool):
        pass

    def image(self, im: Image):
        from PIL import Image as PILImage
        from reportlab.lib.utils import ImageReader
        with PILImage.open(im.path) as src:
            src.load()
            rgb = src.convert("RGB")
        target_w = max(1, round(im.w / 72 * self.p.image_ppi))
        target_h = max(1, round(im.h / 72 * self.p.image_ppi))
        if target_w < rgb.width:
            rgb = rgb.resize((target_w, target_h), PILImage.LANCZOS)
        self.canvas.drawImage(ImageReader(rgb), self.px(im.x), self.py(im.y + im.h), im.w, im.h)

    def render(self) -> bytes:
        buf = io.BytesIO()
        c = make_canvas(buf, (self.media_w, self.media_h), pdfVersion=(1, 4), pageCompression=1)
        self.canvas = c
        self.fonts = PdfFonts(c)
        c.setTitle(self.p.title)
        c.setCreator("paiban proof")
        f = self.frame
        c.setTrimBox((self.px(0), self.py(f.height), self.px(f.width), self.py(0)))
        # pasteboard grey, page white
        self.code(f"0.85 0.85 0.85 rg 0 0 {_fmt(self.media_w)} {_fmt(self.media_h)} re f")
        self.code(f"1 1 1 rg {_fmt(self.px(0))} {_fmt(self.py(f.height))} {_fmt(f.width)} {_fmt(f.height)} re f")
        self.draw_items(f.items)
        self.watermark()
        for m in self.p.marks:
            self.mark(m)
        self.notes()
        self.margins()
        c.showPage()
        self.fonts.finish()
        c.save()
        return self.with_ads(buf.getvalue(), "1.4")

    # -- text ------------------------------------------------------------------------------
    def width(self, text: str, size: float) -> float:
        return sum(adv for _, _, _, adv in self.p.shape(text)) * size

    def text(self, text: str, x: float, y: float, size: float, rgb, pdf_space: bool = False) -> float:
        """Draw `text` with its baseline at (x, y) — page coordinates unless pdf_space; returns the width."""
        X, Y = (x, y) if pdf_space else (self.px(x), self.py(y))
        ops, pen = ["BT", f"{_fmt(rgb[0])} {_fmt(rgb[1])} {_fmt(rgb[2])} rg"], 0.0
        current = None
        for face, gid, ch, adv in self.p.shape(text):
            if face is not current:
                ops.append(f"{self.fonts.name(face, False)} {_fmt(size)} Tf")
                current = face
            ops.append(f"1 0 0 1 {_fmt(X + pen)} {_fmt(Y)} Tm <{self.fonts.code(face, gid, ch, False)}> Tj")
            pen += adv * size
        ops.append("ET")
        self.canvas._code.append("\n".join(ops))
        return pen

    def alpha(self, fill: float | None = None, stroke: float | None = None):
        if fill is not None:
            self.canvas.setFillAlpha(fill)
        if stroke is not None:
            self.canvas.setStrokeAlpha(stroke)

    # -- overlays -------------------------------------------------------------------------
    def watermark(self):
        f = self.frame
        text = self.p.watermark
        size = min(f.width, f.height) / max(len(text), 1) * 0.7
        angle = math.radians(35)
        w = self.width(text, size)
        cx, cy = self.px(f.width / 2), self.py(f.height / 2)
        cos, sin = math.cos(angle), math.sin(angle)
        # start so the rotated line is centred on the page centre
        x0 = cx - cos * w / 2 + sin * size * 0.35
        y0 = cy - sin * w / 2 - cos * size * 0.35
        self.canvas.saveState()
        self.alpha(fill=0.13)
        self.canvas._code.append(f"{_fmt(cos)} {_fmt(sin)} {_fmt(-sin)} {_fmt(cos)} {_fmt(x0)} {_fmt(y0)} cm")
        self.text(text, 0, 0, size, (0.9, 0.0, 0.0), pdf_space=True)
        self.canvas.restoreState()

    def rect(self, x, y, w, h, rgb, line=1.2, fill=0.0):
        r, g, b = (_fmt(v) for v in rgb)
        rect = f"{_fmt(self.px(x))} {_fmt(self.py(y + h))} {_fmt(w)} {_fmt(h)} re"
        if fill:
            self.canvas.saveState()
            self.alpha(fill=fill)
            self.canvas._code.append(f"{r} {g} {b} rg {rect} f")
            self.canvas.restoreState()
        if line:
            self.canvas._code.append(f"{r} {g} {b} RG {_fmt(line)} w {rect} S")

    def mark(self, m: Mark):
        """On the page only the outline and a light fill: the words of a mark go into the margin."""
        fill = min(m.fill, MAX_FILL)
        self.rect(m.x, m.y, m.w, m.h, m.rgb, line=1.2 if m.kind != "fallback" else 0.8, fill=fill)
        self.overlays.append(("fill", m.x, m.y, m.w, m.h, fill))

    def notes(self):
        """Each mark's label, note and quoted text in the right margin, level with the mark (pushed down
        so that notes never overlap), tied to the mark by a leader line."""
        size = self.p.note_size
        lead = size * 1.3
        x = self.frame.width + self.frame.bleed + 4 * MM
        limit = (self.p.note_margin - 8 * MM) / size
        y_next = -self.frame.bleed + size
        for m in sorted((m for m in self.p.marks if m.note or m.label or m.text_lines), key=lambda m: (m.y, m.x)):
            y = max(m.y + size, y_next)
            r, g, b = (_fmt(v) for v in m.rgb)
            # the leader: from the mark's right edge, level with its top line, to the note
            ly = m.y + min(m.h, size) / 2
            self.canvas._code.append(
                f"{r} {g} {b} RG 0.6 w {_fmt(self.px(m.x + m.w))} {_fmt(self.py(ly))} m "
                f"{_fmt(self.px(x - 2 * MM))} {_fmt(self.py(y - size * 0.35))} l "
                f"{_fmt(self.px(x - 0.5))} {_fmt(self.py(y - size * 0.35))} l S")
            if m.label:  # a coloured tag: white on the mark's colour
                w = self.width(m.label, size) + 4
                self.rect(x, y - size - 1, w, size + 3, m.rgb, line=0, fill=1.0)
                self.text(m.label, x + 2, y, size, (1, 1, 1))
                self.overlays.append(("text", x, y - size - 1, w, size + 3, 1.0))
                y += lead + 2
            for line in _wrap(m.note, limit, self.p.shape) if m.note else ():
                w = self.text(line, x, y, size, m.rgb)
                self.overlays.append(("text", x, y - size, w, size, 1.0))
                y += lead
            if m.text_lines:  # the words that did not fit, quoted in a pale box
                quoted = [piece for line in m.text_lines for piece in _wrap(line, limit - 1, self.p.shape)]
                box_h = len(quoted) * lead + 3
                self.rect(x, y - size, limit * size + 4, box_h, (1, 0.93, 0.93), line=0, fill=1.0)
                self.rect(x, y - size, limit * size + 4, box_h, m.rgb, line=0.6)
                y += 1
                for line in quoted:
                    w = self.text(line, x + 2, y, size, (0.35, 0, 0))
                    self.overlays.append(("text", x + 2, y - size, w, size, 1.0))
                    y += lead
                y += 3
            y_next = y + size * 0.8

    def margins(self):
        f = self.frame
        size = 9.0
        if self.p.header:
            self.text(self.p.header, 0, -f.bleed - 4 * MM, size, (0.6, 0, 0))
        x = 0.0
        y = f.height + f.bleed + 6 * MM
        for label, rgb in self.p.legend:
            self.rect(x, y - size * 0.8, size * 0.8, size * 0.8, rgb, line=0.8, fill=0.4)
            x += size * 1.2
            x += self.text(label, x, y, size, (0.2, 0.2, 0.2)) + size * 1.5


def _wrap(text: str, em_limit: float, shape: Shaper) -> list[str]:
    lines, cur, width = [], "", 0.0
    for ch in text:
        adv = sum(a for _, _, _, a in shape(ch))
        if cur and width + adv > em_limit:
            lines.append(cur)
            cur, width = "", 0.0
        cur += ch
        width += adv
    if cur:
        lines.append(cur)
    return lines


def render_proof(frame: PageFrame, settings: ProofSettings) -> bytes:
    return ProofRenderer(frame, settings).render()
