"""Embed layout.fonts Faces in a reportlab PDF as Type0/CID fonts, subset at save time.

Input: a reportlab Canvas, then (face, gid, text) triples as the renderer draws. Output: PDF font
objects in the page /Font resources: one Type0 font per face and direction (Identity-H, Identity-V),
over one CIDFont per face — CIDFontType0 + FontFile3/CIDFontType0C for CFF (outlines kept as CFF),
CIDFontType2 + FontFile2 + CIDToGIDMap for TrueType — with W/W2 from the font's metrics, a real
FontDescriptor and a ToUnicode CMap. Constructs stay within PDF 1.3 (PDF/X-1a).

Usage (the renderer writes its own content operators):
    canvas = make_canvas(path, (w, h))              # no Helvetica in the resources
    fonts = PdfFonts(canvas)
    canvas._code.append(f"BT {fonts.name(face)} 9 Tf 1 0 0 1 72 700 Tm <{fonts.code(face, gid, '字')}> Tj ET")
    fonts.finish(); canvas.save()
"""
from __future__ import annotations

import hashlib
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream, PDFString
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfgen.canvas import Canvas

from layout.fonts.face import Face
from layout.fonts.subset import FontSubset, subset_face

RESOURCE_PREFIX = "PB"  # reportlab names its own fonts F1, F2 …; ours can never collide


class KeptFlate:
    """reportlab's Flate filter, remembering the result for contents that recur — the press profile
    on every page, a font subset, its ToUnicode CMap and CIDToGIDMap when a rebuilt page embeds them
    again (fonts/subset.py keeps the subsets): zlib gives the same bytes for the same input, and
    hashing costs a fiftieth of compressing (170 kB: 0.1 ms against 5–10 ms; 10 kB of CMap: 10 µs
    against 0.3 ms)."""
    pdfname = "FlateDecode"
    KEEP = 64            # results kept (the least recently used goes first)
    SMALL = 1024         # below this, compressing is as cheap as remembering

    def __init__(self):
        self.kept: dict[bytes, bytes] = {}

    def encode(self, content) -> bytes:
        if isinstance(content, str):
            content = content.encode("utf8")
        if len(content) < self.SMALL:
            return zlib.compress(content)
        key = hashlib.sha256(content).digest()
        out = self.kept.pop(key, None)
        if out is None:
            out = zlib.compress(content)  # as reportlab's PDFZCompress (default level): the same bytes
            if len(self.kept) >= self.KEEP:
                del self.kept[next(iter(self.kept))]
        self.kept[key] = out  # last: the most recently used
        return out


KEPT_FLATE = KeptFlate()


class _NoInitialFontCanvas(Canvas):
    """A Canvas whose page preamble selects no font. reportlab's own preamble writes
    `BT /F1 12 Tf 14.4 TL ET` and so puts an unembedded Helvetica into every page's resources,
    which fails PDF/X-1a (every font embedded). This is reportlab 4/5's _make_preamble minus that
    text object; tests/test_fonts_pdf.py fails if a reportlab update brings Helvetica back."""

    def _make_preamble(self):
        P = []
        if self.bottomup:
            P.append("1 0 0 1 0 0 cm")
        else:
            P.append("1 0 0 -1 0 %s cm" % fp_str(self._pagesize[1]))
        C = self._code
        n = len(C)
        if self._fillColorObj != (0, 0, 0):
            self.setFillColor(self._fillColorObj)
        if self._strokeColorObj != (0, 0, 0):
            self.setStrokeColor(self._strokeColorObj)
        P.append(" ".join(C[n:]))
        del C[n:]
        self._preamble = " ".join(P)


def make_canvas(target, pagesize: tuple[float, float], invariant: bool = True, **kwargs) -> Canvas:
    """A reportlab Canvas for PdfFonts: no base font in the resources, deterministic output
    (invariant: fixed dates and /ID) and PDF 1.3 header unless kwargs say otherwise."""
    kwargs.setdefault("pdfVersion", (1, 3))
    return _NoInitialFontCanvas(target, pagesize=pagesize, invariant=1 if invariant else 0, **kwargs)


def bold_operators(stroke_pt: float) -> str:
    """Artificial bold (GlyphRun.bold_stroke): fill and stroke the glyph outlines (text render
    mode 2) with a round-joined stroke of stroke_pt. The renderer sets the stroke colour to the
    fill colour and ends the run with `0 Tr`. Allowed inside BT…ET."""
    if stroke_pt <= 0:
        return "0 Tr"
    return f"2 Tr {stroke_pt:.3f} w 1 j"


@dataclass
class _FaceUse:
    face: Face
    glyphs: dict[int, tuple[int, str]] = field(default_factory=dict)  # code -> (gid, text)
    names: dict[bool, str] = field(default_factory=dict)              # vertical? -> resource name


def _num(v: float) -> float | int:
    r = round(v, 3)
    return int(r) if r == int(r) else r


def _hex16(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


_HEX: dict[str, dict[int, tuple[int, str]]] = {}  # face key → gid → (code, its 4 hex digits)
_CMAPS: dict[tuple, bytes] = {}   # the code → text pairs of a CMap → the CMap (a rebuilt page's fonts)


def to_unicode_cmap(codes: dict[int, str]) -> bytes:
    """A ToUnicode CMap mapping 2-byte codes to their source text (several chars allowed)."""
    pairs = tuple((c, t) for c, t in sorted(codes.items()) if t)
    made = _CMAPS.get(pairs)
    if made is None:
        if len(_CMAPS) >= 64:
            _CMAPS.clear()
        made = _CMAPS[pairs] = _cmap(pairs)
    return made


def _cmap(pairs) -> bytes:
    out = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
           "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
           "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
           "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange"]
    for i in range(0, len(pairs), 100):  # at most 100 entries per block
        chunk = pairs[i:i + 100]
        out.append(f"{len(chunk)} beginbfchar")
        out += [f"<{c:04X}> <{_hex16(t)}>" for c, t in chunk]
        out.append("endbfchar")
    out += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return ("\n".join(out) + "\n").encode("ascii")


def _runs(codes: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for c in codes:
        if runs and runs[-1][-1] == c - 1:
            runs[-1].append(c)
        else:
            runs.append([c])
    return runs


def widths_array(widths: dict[int, float]) -> tuple[int | float, list]:
    """(DW, W) with W = [c [w …] …] for the codes whose width is not DW (1000-unit glyph space)."""
    dw = Counter(widths.values()).most_common(1)[0][0] if widths else 1000
    w: list = []
    for run in _runs(sorted(c for c, v in widths.items() if v != dw)):
        w += [run[0], PDFArray([widths[c] for c in run])]
    return dw, w


def vertical_array(metrics: dict[int, tuple]) -> tuple[list, list]:
    """(DW2, W2): metrics code -> (w1y, vx, vy, w0/2); entries only where the default rule
    (v = (w0/2, DW2[0]), w1 = DW2[1]) would be wrong."""
    dvy, dw1 = Counter((m[2], m[0]) for m in metrics.values()).most_common(1)[0][0] if metrics else (880, -1000)
    w2: list = []
    odd = sorted(c for c, (w1, vx, vy, half) in metrics.items() if (vy, w1) != (dvy, dw1) or vx != half)
    for run in _runs(odd):
        vals = []
        for c in run:
            vals += list(metrics[c][:3])
        w2 += [run[0], PDFArray(vals)]
    return [dvy, dw1], w2


class PdfFonts:
    def __init__(self, canvas: Canvas):
        self.canvas = canvas
        self.doc = canvas._doc
        self._uses: dict[str, _FaceUse] = {}  # face key -> use, in first-use order
        self._count = 0
        self._finished = False
        self._hooked = False
        self.subset_seconds = 0.0  # time in subset_face (build reports: the fonts/subset stage)

    def _use(self, face: Face) -> _FaceUse:
        if self._finished:
            raise RuntimeError("PdfFonts.finish() already ran: no more glyphs can be added")
        use = self._uses.get(face.key)
        if use is None:
            use = self._uses[face.key] = _FaceUse(face)
        if not self._hooked:  # reportlab calls addObjects of delayed fonts at save time
            self.doc.delayedFonts.append(self)
            self._hooked = True
        return use

    def name(self, face: Face, vertical: bool = False) -> str:
        """The font resource name ("/PB1") to use with Tf; registered on first use."""
        use = self._use(face)
        if vertical not in use.names:
            self._count += 1
            use.names[vertical] = f"{RESOURCE_PREFIX}{self._count}"
        return "/" + use.names[vertical]

    def code(self, face: Face, gid: int, text: str, vertical: bool = False) -> str:
        """Four hex digits to write inside <…> for gid; remembers text for ToUnicode (the first
        text recorded for a glyph wins)."""
        return self.codes(face, ((gid, text),), vertical)[0]

    def codes(self, face: Face, glyphs, vertical: bool = False) -> list[str]:
        """code() for each (gid, text) of a run, the face's use looked up once (a page has ~100,000 glyphs)."""
        use = self._use(face)
        if vertical not in use.names:
            self.name(face, vertical)
        seen, cid = use.glyphs, face.cid
        out = []
        for gid, text in glyphs:
            code = cid(gid)
            if code not in seen or (not seen[code][1] and text):
                seen[code] = (gid, text)
            out.append(f"{code:04X}")
        return out

    def glyph_codes(self, face: Face, glyphs, vertical: bool = False) -> list[str]:
        """codes() of a run's Glyphs (.gid, .text), each gid's code formatted once per process."""
        use = self._use(face)
        if vertical not in use.names:
            self.name(face, vertical)
        seen = use.glyphs
        hexes = _HEX.get(face.key)
        if hexes is None:
            hexes = _HEX[face.key] = {}
        out = []
        append = out.append
        for g in glyphs:
            gid = g.gid
            hit = hexes.get(gid)
            if hit is None:
                code = face.cid(gid)
                hit = hexes[gid] = (code, f"{code:04X}")
            code = hit[0]
            if code not in seen or (not seen[code][1] and g.text):
                seen[code] = (gid, g.text)
            append(hit[1])
        return out

    def register(self, face: Face, glyphs, cids, vertical: bool = False) -> None:
        """What codes() records for a run's Glyphs, given the CIDs it returned then (a run drawn again)."""
        use = self._use(face)
        if vertical not in use.names:
            self.name(face, vertical)
        seen = use.glyphs
        for g, code in zip(glyphs, cids):
            if code not in seen or (not seen[code][1] and g.text):
                seen[code] = (g.gid, g.text)

    def addObjects(self, doc) -> None:  # reportlab's delayed-font hook
        self.finish()

    def finish(self) -> None:
        """Subset each face to its glyphs and create the PDF objects. Call before canvas.save()
        (save calls it too); idempotent."""
        if self._finished:
            return
        self._finished = True
        fonts = self.doc.idToObject["BasicFonts"].dict
        for use in self._uses.values():
            cid_font = self._cid_font(use)
            for vertical, rname in sorted(use.names.items()):
                fonts[rname] = self.doc.Reference(self._type0(use, cid_font, vertical), rname)

    # --- objects ---------------------------------------------------------------------------------
    def _stream(self, content: bytes, **entries) -> PDFStream:
        s = PDFStream(PDFDictionary(entries), content, filters=[KEPT_FLATE])
        return s

    def _cid_font(self, use: _FaceUse):
        face = use.face
        gids = {gid for gid, _ in use.glyphs.values()}
        t0 = time.perf_counter()
        sub: FontSubset = subset_face(face, gids)
        self.subset_seconds += time.perf_counter() - t0
        base = f"{sub.tag}+{face.postscript_name}"
        info = face.info
        if sub.kind == "cff":
            file_key = "FontFile3"
            font_file = self._stream(sub.data, Subtype=PDFName("CIDFontType0C"))
        else:
            file_key = "FontFile2"
            font_file = self._stream(sub.data, Length1=len(sub.data))
        flags = 4 | (1 if info.fixed_pitch else 0) | (2 if info.serif else 0) | (64 if info.italic_angle else 0)
        descriptor = PDFDictionary({
            "Type": PDFName("FontDescriptor"), "FontName": PDFName(base), "Flags": flags,
            "FontBBox": PDFArray([round(v * 1000) for v in info.bbox]),
            "ItalicAngle": _num(info.italic_angle), "Ascent": round(info.ascent * 1000),
            "Descent": round(info.descent * 1000), "CapHeight": round(info.cap_height * 1000),
            "StemV": info.stem_v,
            file_key: self.doc.Reference(font_file, f"fontFile:{base}"),
        })
        widths = {c: _num(face.advance(g) * 1000) for c, (g, _) in use.glyphs.items()}
        dw, w = widths_array(widths)
        reg, order, supp = info.ros
        cid = PDFDictionary({
            "Type": PDFName("Font"),
            "Subtype": PDFName("CIDFontType0" if sub.kind == "cff" else "CIDFontType2"),
            "BaseFont": PDFName(base),
            "CIDSystemInfo": PDFDictionary({"Registry": PDFString(reg), "Ordering": PDFString(order),
                                            "Supplement": supp}),
            "FontDescriptor": self.doc.Reference(descriptor, f"fontDescriptor:{base}"),
            "DW": dw,
        })
        if w:
            cid["W"] = PDFArray(w)
        if True in use.names:  # used vertically: vertical metrics for Identity-V
            metrics = {}
            for c, (g, _) in use.glyphs.items():
                vx, vy = face.vorigin(g)
                metrics[c] = (_num(-face.vadvance(g) * 1000), _num(vx * 1000), _num(vy * 1000),
                              _num(face.advance(g) * 500))
            dw2, w2 = vertical_array(metrics)
            cid["DW2"] = PDFArray(dw2)
            if w2:
                cid["W2"] = PDFArray(w2)
        if sub.cid_to_gid is not None:
            top = max(sub.cid_to_gid)
            table = bytearray(2 * (top + 1))
            for c, g in sub.cid_to_gid.items():
                table[2 * c:2 * c + 2] = g.to_bytes(2, "big")
            cid["CIDToGIDMap"] = self.doc.Reference(self._stream(bytes(table)), f"cidToGid:{base}")
        tounicode = self._stream(to_unicode_cmap({c: t for c, (_, t) in use.glyphs.items()}))
        return {"dict": cid, "base": base,
                "ref": self.doc.Reference(cid, f"cidFont:{base}"),
                "tounicode": self.doc.Reference(tounicode, f"toUnicode:{base}")}

    def _type0(self, use: _FaceUse, cid_font: dict, vertical: bool) -> PDFDictionary:
        return PDFDictionary({
            "Type": PDFName("Font"), "Subtype": PDFName("Type0"),
            "BaseFont": PDFName(cid_font["base"]),
            "Encoding": PDFName("Identity-V" if vertical else "Identity-H"),
            "DescendantFonts": PDFArray([cid_font["ref"]]),
            "ToUnicode": cid_font["tounicode"],
        })
