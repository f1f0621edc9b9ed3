"""PDF renderer: PageFrame → one print-ready PDF/X page (bytes).

Input: a composed PageFrame and a PdfSettings. Output: the PDF file's bytes.
This package is the only place that imports reportlab. It draws what the composer
placed — it never breaks lines or measures text. Glyphs are drawn by glyph id through
layout.render.pdf_fonts (CID-keyed Type0 fonts), colours are CMYK or gray only, black
text and thin black rules overprint, and the file carries the PDF/X identification,
OutputIntent and page boxes.
"""
from __future__ import annotations

import datetime
import hashlib
import io
import os
from dataclasses import dataclass

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream, PDFString

from layout.model.frame import Box, Circle, Color, GlyphRun, Image, PageFrame, PdfPage, Rule
from layout.render.pdf_fonts import KEPT_FLATE, PdfFonts, bold_operators, make_canvas
from layout.render.pdf_images import binary_streams

MARKS_MARGIN = 12 * 72 / 25.4   # pt of paper outside the bleed for crop/registration marks and the slug
THIN_RULE = 1.0                 # pt: black rules up to this weight overprint


@dataclass(frozen=True)
class PdfSettings:
    title: str
    date: str                    # ISO date of the issue: the file's dates come from it, not the clock
    pdfx: str = "PDF/X-1a:2001"  # or "PDF/X-4"
    profile: bytes = b""         # press ICC profile, embedded as the OutputIntent
    condition: str = "CGATS TR 002"
    condition_info: str = "Coldset newsprint (CGATS TR 002)"
    registry: str = "http://www.color.org"
    marks: bool = True
    author: str = ""
    creator: str = "paiban"


def _when(iso: str) -> datetime.datetime:
    """The issue date at 00:00 China time; SOURCE_DATE_EPOCH overrides it (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc)
    d = datetime.date.fromisoformat(iso)
    return datetime.datetime(d.year, d.month, d.day, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


def xmp_date(iso: str) -> str:
    return _when(iso).isoformat()


def pdf_date(iso: str) -> str:
    t = _when(iso)
    off = t.utcoffset()
    hours = int(off.total_seconds() // 3600)
    return t.strftime("D:%Y%m%d%H%M%S") + f"{'+' if hours >= 0 else '-'}{abs(hours):02d}'00'"


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def xmp_packet(s: "PdfSettings", doc_id: str) -> bytes:
    """XMP metadata for PDF/X-4: the same title, dates, Trapped and PDF/X version as the Info dictionary."""
    date = xmp_date(s.date)
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{_xml(s.title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{_xml(s.author or s.creator)}</rdf:li></rdf:Seq></dc:creator>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
   <xmp:MetadataDate>{date}</xmp:MetadataDate>
   <xmp:CreatorTool>{_xml(s.creator)}</xmp:CreatorTool>
   <pdf:Producer>paiban with ReportLab</pdf:Producer>
   <pdf:Trapped>False</pdf:Trapped>
   <xmpMM:DocumentID>uuid:{doc_id}</xmpMM:DocumentID>
   <xmpMM:InstanceID>uuid:{doc_id}</xmpMM:InstanceID>
   <xmpMM:VersionID>1</xmpMM:VersionID>
   <xmpMM:RenditionClass>default</xmpMM:RenditionClass>
   <pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>""".encode("utf-8")


class _PdfxInfo(pdfdoc.PDFInfo):
    """Document Info with PDF/X identification and dates from the issue."""

    def __init__(self, s: PdfSettings):
        super().__init__()
        self.s = s

    def format(self, document):
        s = self.s
        date = pdf_date(s.date)
        d = {"Title": PDFString(s.title), "Author": PDFString(s.author or s.creator),
             "Creator": PDFString(s.creator), "Producer": PDFString("paiban with ReportLab"),
             "CreationDate": PDFString(date), "ModDate": PDFString(date), "Trapped": PDFName("False")}
        if s.pdfx == "PDF/X-4":
            d["GTS_PDFXVersion"] = PDFString("PDF/X-4")
        else:
            d["GTS_PDFXVersion"] = PDFString("PDF/X-1:2001")
            d["GTS_PDFXConformance"] = PDFString("PDF/X-1a:2001")
        return PDFDictionary(d).format(document)


def _fmt(v: float) -> str:
    s = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


# Always DeviceCMYK (never DeviceGray): overprint mode 1 leaves the zero inks of a K-only
# colour untouched only in DeviceCMYK, so black text really overprints.
def _fill(c: Color) -> str:
    return f"{_fmt(c.c)} {_fmt(c.m)} {_fmt(c.y)} {_fmt(c.k)} k"


def _stroke(c: Color) -> str:
    return f"{_fmt(c.c)} {_fmt(c.m)} {_fmt(c.y)} {_fmt(c.k)} K"


class PageRenderer:
    def __init__(self, frame: PageFrame, settings: PdfSettings, drawn: dict | None = None):
        self.frame = frame
        self.s = settings
        # the text operators of each GlyphRun drawn when this page was rendered last (paiban watch):
        # id(run) -> (run, placement, its Tm and show operators, CIDs). Composition hands the same GlyphRun
        # objects to unchanged lines, so only the edited lines are written again. Kept: this render's.
        self.drawn_before = drawn
        self.drawn: dict | None = {} if drawn is not None else None
        self.off = frame.bleed + (MARKS_MARGIN if settings.marks else 0.0)
        self._overprint_ops: list[str] | None = None
        # the text object open now (glyph runs written one after another share it): its overprint
        # state, font (name, size) and fill colour; None when no text object is open
        self._text: list | None = None
        self._tj_fmt: dict[float, str] = {}  # TJ adjustment → its text
        self.media_w = frame.width + 2 * self.off
        self.media_h = frame.height + 2 * self.off

    # page coordinates (top-left origin, y down) → PDF user space
    def px(self, x: float) -> float:
        return self.off + x

    def py(self, y: float) -> float:
        return self.off + self.frame.height - y

    def render(self) -> bytes:
        with binary_streams():  # page content and font streams: Flate only, no ASCII85
            return self._render()

    def _render(self) -> bytes:
        buf = io.BytesIO()
        version = (1, 6) if self.s.pdfx == "PDF/X-4" else (1, 3)
        # make_canvas keeps reportlab's default Helvetica out of the resources; invariant → fixed IDs
        c = make_canvas(buf, (self.media_w, self.media_h), pdfVersion=version, pageCompression=1)
        self.canvas = c
        fonts = self.fonts = PdfFonts(c)
        c._doc.info = _PdfxInfo(self.s)
        self.output_intent(c)
        if self.s.pdfx == "PDF/X-4":
            self.metadata(c)
        f = self.frame
        c.setTrimBox((self.off, self.off, self.off + f.width, self.off + f.height))
        b = f.bleed
        c.setBleedBox((self.off - b, self.off - b, self.off + f.width + b, self.off + f.height + b))
        self.draw_items(f.items)
        self.end_text()
        c.showPage()
        fonts.finish()
        c.save()
        if self.drawn is not None:
            self.drawn_before.clear()
            self.drawn_before.update(self.drawn)
        return self.with_ads(id_from_content(buf.getvalue()), "1.6" if self.s.pdfx == "PDF/X-4" else "1.3")

    def draw_items(self, items) -> None:
        """Draw every frame item, each by the method for its kind."""
        self.ads = []
        draw = {GlyphRun: self.glyph_run, Rule: self.rule, Box: self.box, Image: self.image,
                Circle: self.circle, PdfPage: self.pdf_page}
        for item in items:
            kind = type(item)
            if kind is not GlyphRun:
                self.end_text()
            draw[kind](item)

    def with_ads(self, data: bytes, version: str) -> bytes:
        """Attach the advertisements' pages the content refers to (see pdf_page)."""
        if not self.ads:
            return data
        from layout.render.pdf_ads import attach_ads
        return attach_ads(data, self.ads, version)

    def output_intent(self, c):
        s = self.s
        doc = c._doc
        profile = PDFStream(PDFDictionary({"N": 4}), s.profile, filters=[KEPT_FLATE])  # the same on every page
        intent = PDFDictionary({
            "Type": PDFName("OutputIntent"), "S": PDFName("GTS_PDFX"),
            "OutputConditionIdentifier": PDFString(s.condition), "OutputCondition": PDFString(s.condition_info),
            "RegistryName": PDFString(s.registry), "Info": PDFString(s.condition_info),
            "DestOutputProfile": doc.Reference(profile)})
        cat = doc.Catalog
        cat.OutputIntents = PDFArray([intent])
        cat.__NoDefault__ = list(pdfdoc.PDFCatalog.__NoDefault__) + ["OutputIntents"]

    def metadata(self, c):
        """PDF/X-4 wants XMP metadata (uncompressed, so preflight tools can read it)."""
        import uuid
        doc_id = uuid.uuid5(uuid.NAMESPACE_URL, f"paiban:{self.s.title}:{self.s.date}")
        stream = PDFStream(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
                           xmp_packet(self.s, str(doc_id)), filters=[])
        c._doc.Catalog.Metadata = stream

    def overprint(self, on: bool):
        """Set overprint for what follows, inside canvas.saveState()/restoreState() — reportlab
        tracks ExtGState values and must see the save/restore to re-emit them after Q."""
        if on:
            self.canvas.setFillOverprint(True)
            self.canvas.setStrokeOverprint(True)
            self.canvas.setOverprintMask(True)

    def code(self, text: str):
        self.canvas._code.append(text)

    # -- items --------------------------------------------------------------------------------
    def overprint_ops(self) -> list[str]:
        """The operators that turn overprint on, as `overprint(True)` writes them; registered with
        reportlab once per page (its ExtGState resources) and then written directly — a page has
        thousands of glyph runs, and reportlab's state stack costs more than the text."""
        if self._overprint_ops is None:
            code = self.canvas._code
            mark = len(code)
            self.canvas.saveState()
            self.overprint(True)
            self._overprint_ops = code[mark + 1:]
            self.canvas.restoreState()
            del code[mark:]  # nothing drawn: only the resources stay registered
        return self._overprint_ops

    def glyph_run(self, run: GlyphRun):
        """A glyph run's text operators. Runs that follow one another share one `q [overprint] BT … ET Q`
        while their overprint state is the same; Tf and k are written only when the font or the
        colour changes, and each run places itself with an absolute Tm — what prints is what one text
        object per run printed, with a quarter of the operators for the preflight and the preview to
        read. A run with artificial bold (stroke, Tr) gets a text object of its own."""
        fonts = self.fonts
        over = run.overprint if run.overprint is not None else run.color.is_black
        name = fonts.name(run.face, run.vertical)
        bold = run.bold_stroke > 0
        text = self._text
        if text is None or text[0] != over or bold or text[3]:
            self.end_text()
            self.code("\n".join(["q", *(self.overprint_ops() if over else ()), "BT"]))
            text = self._text = [over, None, None, bold]
        ops = []
        font = (name, run.size)
        if text[1] != font:
            ops.append(f"{name} {_fmt(run.size)} Tf")
            text[1] = font
        if text[2] != run.color:
            ops.append(_fill(run.color))
            text[2] = run.color
        if bold:
            ops += [_stroke(run.color), bold_operators(run.bold_stroke)]
        if self.drawn is None:
            body = self._run_body(run, fonts.glyph_codes(run.face, run.glyphs, run.vertical))
        else:
            placement = (self.off, self.frame.height)
            hit = self.drawn_before.get(id(run))
            if hit is not None and hit[0] is run and hit[1] == placement:
                body, cids = hit[2], hit[3]
                fonts.register(run.face, run.glyphs, cids, run.vertical)  # the subset and ToUnicode still need them
            else:
                codes = fonts.glyph_codes(run.face, run.glyphs, run.vertical)
                body, cids = self._run_body(run, codes), tuple(int(c, 16) for c in codes)
            self.drawn[id(run)] = (run, placement, body, cids)
        ops.append(body)
        self.code("\n".join(ops))

    def end_text(self) -> None:
        """Close the open text object, if any (before anything else is drawn, and at the page's end)."""
        if self._text is not None:
            self.code("ET\nQ")
            self._text = None

    def _run_body(self, run: GlyphRun, codes: list[str]) -> str:
        """A glyph run's positions and codes (after its Tf and colour)."""
        ops = []
        if run.vertical:
            for g, code in zip(run.glyphs, codes):
                ops.append(f"1 0 0 1 {_fmt(self.px(run.x))} {_fmt(self.py(run.y + g.x))} Tm <{code}> Tj")
        else:
            ops.append(f"1 0 0 1 {_fmt(self.px(run.x))} {_fmt(self.py(run.y))} Tm")
            parts = []
            append = parts.append
            pen = 0.0  # pt, where the PDF's pen is after the last glyph (from the W advances)
            size = run.size
            fmt = self._tj_fmt  # a justified line repeats one adjustment: each value formatted once
            for g, code in zip(run.glyphs, codes):
                x = g.x
                gap = x - pen
                if gap > 1e-4 or gap < -1e-4:
                    v = -gap * 1000 / size
                    f = fmt.get(v)
                    if f is None:
                        f = fmt[v] = _fmt(v)
                    append(f)
                append(f"<{code}>")
                pen = x + g.advance * size
            ops.append("[" + " ".join(parts) + "] TJ")
        return "\n".join(ops)

    def rule(self, r: Rule):
        self.canvas.saveState()
        self.overprint(r.color.is_black and r.width <= THIN_RULE)
        dash = f"[{' '.join(_fmt(d) for d in r.dash)}] 0 d " if r.dash else ""
        self.code(f"{_stroke(r.color)} {_fmt(r.width)} w 0 J {dash}{_fmt(self.px(r.x1))} {_fmt(self.py(r.y1))} m "
                  f"{_fmt(self.px(r.x2))} {_fmt(self.py(r.y2))} l S")
        self.canvas.restoreState()

    def box(self, b: Box):
        self.canvas.saveState()
        rect = f"{_fmt(self.px(b.x))} {_fmt(self.py(b.y + b.h))} {_fmt(b.w)} {_fmt(b.h)} re"
        if b.fill is not None and b.stroke is not None:
            self.code(f"{_fill(b.fill)} {_stroke(b.stroke)} {_fmt(b.line_width)} w {rect} B")
        elif b.fill is not None:
            self.code(f"{_fill(b.fill)} {rect} f")
        elif b.stroke is not None:
            self.overprint(b.stroke.is_black and b.line_width <= THIN_RULE)
            self.code(f"{_stroke(b.stroke)} {_fmt(b.line_width)} w {rect} S")
        self.canvas.restoreState()

    def circle(self, ci: Circle):
        self.canvas.saveState()
        self.canvas.setLineWidth(ci.width)
        self.code(_stroke(ci.color))
        self.canvas.circle(self.px(ci.x), self.py(ci.y), ci.r, stroke=1, fill=0)
        self.canvas.restoreState()

    def pdf_page(self, p: PdfPage):
        """An advertisement: clip to its grid space, place its trim box; the form XObject itself is
        attached after saving (layout.render.pdf_ads)."""
        from layout.render.pdf_ads import AdForm
        name = f"PBAd{len(self.ads) + 1}"
        self.ads.append(AdForm(name, p.path, p.trim))
        cx, cy, cw, ch = p.clip
        tx = self.px(p.x) - p.trim[0] * p.scale
        ty = self.py(p.y + p.h) - p.trim[1] * p.scale
        self.canvas.saveState()
        self.code(f"{_fmt(self.px(cx))} {_fmt(self.py(cy + ch))} {_fmt(cw)} {_fmt(ch)} re W n "
                  f"{_fmt(p.scale)} 0 0 {_fmt(p.scale)} {_fmt(tx)} {_fmt(ty)} cm /{name} Do")
        self.canvas.restoreState()

    def image(self, im: Image):
        from layout.render.pdf_images import draw_image
        draw_image(self.canvas, im, self.px(im.x), self.py(im.y + im.h), im.w, im.h)


def render_pdf(frame: PageFrame, settings: PdfSettings, stats: dict | None = None, drawn: dict | None = None) -> bytes:
    """The page's PDF bytes; with `stats`, adds subset_s (seconds spent subsetting fonts) to it.
    `drawn`: the operators of this page's glyph runs from its last render, updated (paiban watch)."""
    renderer = PageRenderer(frame, settings, drawn)
    data = renderer.render()
    if stats is not None:
        stats["subset_s"] = stats.get("subset_s", 0.0) + renderer.fonts.subset_seconds
    return data


def id_from_content(data: bytes) -> bytes:
    """The trailer /ID from the file's content: reportlab's invariant mode writes one constant /ID for
    every file (same input, same bytes — but every page then had the same ID). Both halves become the
    first 128 bits of the SHA-256 of the file as written, in place (same length: the xref stays right)."""
    start = data.rfind(b"trailer")
    at = data.find(b"/ID", start)
    if start < 0 or at < 0:
        return data
    open_ = data.find(b"[<", at)
    close = data.find(b">]", open_)
    ids = data[open_ + 2:close].split(b"><")
    if open_ < 0 or close < 0 or len(ids) != 2 or any(len(i) != 32 for i in ids):
        return data
    digest = hashlib.sha256(data).hexdigest()[:32].encode()
    return data[:open_ + 2] + digest + b"><" + digest + data[close:]


def content_id(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]
