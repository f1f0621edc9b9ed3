"""Synthetic test fonts (fontTools.fontBuilder) with hand-known metrics, for the font-layer tests.

PaibanTest (1000 units/em):
- ideographs 一中国字文 and 〓: advance 1000, vertical advance 1000
- punctuation ，。、“”「」: advance 1000; vert forms for ，。“” (glyph names *.vert); `halt` makes ，
  and 。 500 wide, “ 500 wide shifted left by 500
- Latin: space 250, A 600, i 250, m 800, W 900, 0 500 (proportional)
- TrueType flavour: BASE ideo -120 (em box -0.12..0.88); CFF flavour (name-keyed CFF): no BASE,
  OS/2 typo 900/-100 (em box -0.10..0.90)
PaibanRare: 𪚥 U+2A6A5 and 〓 only, 1000 units, TrueType, OS/2 typo 850/-150 (em box -0.15..0.85).
"""
from __future__ import annotations

from pathlib import Path

from fontTools.feaLib.builder import addOpenTypeFeaturesFromString
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib.ttCollection import TTCollection

IDEOGRAPHS = "一中国字文〓"
PUNCT = {"，": "uniFF0C", "。": "uni3002", "、": "uni3001", "“": "uni201C", "”": "uni201D",
         "「": "uni300C", "」": "uni300D"}
LATIN = {" ": ("space", 250), "A": ("A", 600), "i": ("i", 250), "m": ("m", 800), "W": ("W", 900),
         "0": ("zero", 500)}
VERT = ("uniFF0C", "uni3002", "uni201C", "uni201D")
ADV = {"A": 0.6, "i": 0.25, "m": 0.8, "W": 0.9, "0": 0.5, " ": 0.25}  # for tests: em


def _rects(name: str, adv: int, k: int) -> list[tuple[int, int, int, int]]:
    """Distinct, simple outlines: a frame with a bar for ideographs, a dot for punctuation."""
    if name == "space":
        return []
    if name.startswith("uni4") or name.startswith("uni5") or name.startswith("uni6") or name == "uni3013":
        y = 100 + 90 * (k % 7)
        return [(60, -60, 940, -20), (60, 780, 940, 820), (60, -60, 100, 820), (900, -60, 940, 820),
                (100, y, 900, y + 60)]
    if name.endswith(".vert"):
        return [(600, 600, 800, 800)]   # top right of the cell: a vertical form
    if name.startswith("uni"):
        return [(100, -50, 300, 150)]   # bottom left: a horizontal comma/period
    return [(40, 0, adv - 40, 700)]     # Latin: a bar as wide as the advance


def _draw(pen, rects):
    for x0, y0, x1, y1 in rects:
        pen.moveTo((x0, y0)); pen.lineTo((x0, y1)); pen.lineTo((x1, y1)); pen.lineTo((x1, y0))
        pen.closePath()


def _glyph_table(chars_extra: dict[str, str] | None = None):
    order = [".notdef"]
    cmap, adv = {}, {".notdef": 500}
    for ch in IDEOGRAPHS:
        n = f"uni{ord(ch):04X}"
        order.append(n); cmap[ord(ch)] = n; adv[n] = 1000
    for ch, n in PUNCT.items():
        order.append(n); cmap[ord(ch)] = n; adv[n] = 1000
    for ch, (n, a) in LATIN.items():
        order.append(n); cmap[ord(ch)] = n; adv[n] = a
    for n in VERT:
        order.append(n + ".vert"); adv[n + ".vert"] = 1000
    return order, cmap, adv


FEATURES = """
languagesystem DFLT dflt;
languagesystem hani dflt;
feature vert {
  sub uniFF0C by uniFF0C.vert; sub uni3002 by uni3002.vert;
  sub uni201C by uni201C.vert; sub uni201D by uni201D.vert;
} vert;
feature halt {
  pos uniFF0C <0 0 -500 0>; pos uni3002 <0 0 -500 0>; pos uni201C <-500 0 -500 0>;
} halt;
"""
BASE = """
table BASE {
  HorizAxis.BaseTagList ideo romn;
  HorizAxis.BaseScriptList hani ideo -120 0, latn romn -120 0;
} BASE;
"""


def _build(family: str, cff: bool, order, cmap, adv, base: bool, typo=(880, -120), weight=400,
           features: bool = True) -> FontBuilder:
    fb = FontBuilder(1000, isTTF=not cff)
    fb.setupGlyphOrder(order)
    fb.setupCharacterMap(cmap)
    ps = family.replace(" ", "") + "-Regular"
    bounds = {}
    if cff:
        charstrings = {}
        for k, n in enumerate(order):
            pen = T2CharStringPen(adv[n], None)
            rects = _rects(n, adv[n], k) if n != ".notdef" else [(50, 0, 450, 700)]
            _draw(pen, rects)
            charstrings[n] = pen.getCharString()
            bounds[n] = rects
        fb.setupCFF(ps, {"FullName": f"{family} Regular", "FamilyName": family}, charstrings, {})
    else:
        glyphs = {}
        for k, n in enumerate(order):
            pen = TTGlyphPen(None)
            rects = _rects(n, adv[n], k) if n != ".notdef" else [(50, 0, 450, 700)]
            _draw(pen, rects)
            glyphs[n] = pen.glyph()
            bounds[n] = rects
        fb.setupGlyf(glyphs)
    lsb = {n: (min(r[0] for r in bounds[n]) if bounds[n] else 0) for n in order}
    fb.setupHorizontalMetrics({n: (adv[n], lsb[n]) for n in order})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    tsb = {n: (880 - max(r[3] for r in bounds[n]) if bounds[n] else 0) for n in order}
    fb.setupVerticalMetrics({n: (1000, tsb[n]) for n in order})
    fb.setupVerticalHeader(ascent=500, descent=-500)
    if cff:
        fb.setupVerticalOrigins({}, 880)
    fb.setupNameTable({"familyName": family, "styleName": "Regular", "psName": ps,
                       "fullName": f"{family} Regular"})
    fb.setupOS2(sTypoAscender=typo[0], sTypoDescender=typo[1], sTypoLineGap=0, usWinAscent=900,
                usWinDescent=200, sCapHeight=700, sxHeight=500, usWeightClass=weight)
    fb.setupPost()
    fea = (FEATURES if features else "languagesystem DFLT dflt;\n") + (BASE if base else "")
    addOpenTypeFeaturesFromString(fb.font, fea)
    return fb


def make_test_font(path: Path, cff: bool = False, family: str | None = None) -> Path:
    """PaibanTest as TrueType (BASE em box) or name-keyed CFF (OS/2 typo em box 900/-100)."""
    order, cmap, adv = _glyph_table()
    family = family or ("PaibanTest CFF" if cff else "PaibanTest")
    fb = _build(family, cff, order, cmap, adv, base=not cff, typo=(900, -100) if cff else (880, -120))
    fb.save(str(path))
    return Path(path)


def make_rare_font(path: Path) -> Path:
    order = [".notdef", "u2A6A5", "uni3013"]
    cmap = {0x2A6A5: "u2A6A5", 0x3013: "uni3013"}
    adv = {n: 1000 for n in order}
    adv[".notdef"] = 500
    fb = _build("PaibanRare", False, order, cmap, adv, base=False, typo=(850, -150), features=False)
    fb.save(str(path))
    return Path(path)


def make_test_collection(path: Path, tmp: Path) -> Path:
    """A .ttc with two faces, 'PaibanTest JP' (index 0) and 'PaibanTest SC' (index 1)."""
    from fontTools.ttLib import TTFont
    fonts = []
    for fam in ("PaibanTest JP", "PaibanTest SC"):
        p = make_test_font(tmp / f"{fam.replace(' ', '')}.ttf", family=fam)
        fonts.append(TTFont(str(p)))
    tc = TTCollection()
    tc.fonts = fonts
    tc.save(str(path))
    return Path(path)


TEST_YAML = """
faces:
  test: {file: PaibanTest.ttf}
  test-cff: {file: PaibanTestCFF.otf}
  rare: {file: PaibanRare.ttf}
fallback: [rare]
roles:
  body: {face: test}
  head: {face: test-cff, fallback: [test]}
  latin-role: {face: test, latin: test-cff}
"""


def make_test_project(root: Path, yaml_text: str = TEST_YAML) -> Path:
    """root/fonts/{fonts.yaml, PaibanTest.ttf, PaibanTestCFF.otf, PaibanRare.ttf}; returns the yaml path."""
    fonts = root / "fonts"
    fonts.mkdir(parents=True, exist_ok=True)
    make_test_font(fonts / "PaibanTest.ttf")
    make_test_font(fonts / "PaibanTestCFF.otf", cff=True)
    make_rare_font(fonts / "PaibanRare.ttf")
    (fonts / "fonts.yaml").write_text(yaml_text, encoding="utf-8")
    return fonts / "fonts.yaml"
