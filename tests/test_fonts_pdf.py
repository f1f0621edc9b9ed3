"""PdfFonts embedding with the synthetic fonts, checked with poppler and qpdf."""
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from reportlab.pdfgen.canvas import Canvas

sys.path.insert(0, str(Path(__file__).parent))
from fontutil import make_test_project  # noqa: E402

from layout.fonts import FontBook, FontCache  # noqa: E402
from layout.fonts.subset import subset_tag  # noqa: E402
from layout.render.pdf_fonts import (PdfFonts, bold_operators, make_canvas, to_unicode_cmap,  # noqa: E402
                                     vertical_array, widths_array)

needs_poppler = pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils not installed")


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    y = make_test_project(tmp_path_factory.mktemp("proj"))
    return FontBook.load(y, system_fonts=False, cache=FontCache(None), env={})


def draw(path, runs, canvas=None):
    """runs: (face, text, vertical, x, y) — one Tj per run, glyphs by nominal (or vert) gid."""
    c = canvas or make_canvas(str(path), (300, 200))
    fonts = PdfFonts(c)
    for face, text, vertical, x, y in runs:
        codes = "".join(fonts.code(face, face.vert(face.glyph(ch)) if vertical else face.glyph(ch), ch, vertical)
                        for ch in text)
        c._code.append(f"BT {fonts.name(face, vertical)} 20 Tf 1 0 0 1 {x} {y} Tm <{codes}> Tj ET")
    fonts.finish()
    c.save()
    return fonts


def pdffonts(path):
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:]]


def pdftotext(path):
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout


@needs_poppler
def test_truetype_and_cff_embed_as_type0(book, tmp_path):
    pdf = tmp_path / "a.pdf"
    draw(pdf, [(book.face("body"), "中国字A", False, 20, 150), (book.face("head"), "文字mi", False, 20, 100)])
    rows = pdffonts(pdf)
    assert len(rows) == 2
    by_name = {r[0].split("+")[1]: r for r in rows}
    tt, cff = by_name["PaibanTest-Regular"], by_name["PaibanTestCFF-Regular"]
    assert tt[1:6] == ["CID", "TrueType", "Identity-H", "yes", "yes"] and tt[6] == "yes"
    assert cff[1:7] == ["CID", "Type", "0C", "Identity-H", "yes", "yes"] and cff[7] == "yes"
    assert all(len(r[0].split("+")[0]) == 6 for r in rows)
    assert pdftotext(pdf).split() == ["中国字A", "文字mi"]
    assert "No syntax or stream encoding errors" in subprocess.run(
        ["qpdf", "--check", str(pdf)], capture_output=True, text=True).stdout
    with pikepdf.open(pdf) as p:
        assert p.pdf_version == "1.3"
        fonts = p.pages[0].Resources.Font
        kinds = {}
        for name in fonts.keys():
            f = fonts[name]
            d = f.DescendantFonts[0]
            kinds[str(d.Subtype)] = d
            fd = d.FontDescriptor
            assert f.Subtype == "/Type0" and f.Encoding == "/Identity-H"
            assert {"/Ascent", "/Descent", "/CapHeight", "/StemV", "/FontBBox", "/Flags", "/ItalicAngle"} <= set(fd.keys())
            assert int(fd.Ascent) == 880 and int(fd.Descent) == -120 and int(fd.CapHeight) == 700
            assert int(fd.Flags) & 4
        assert "/FontFile2" in kinds["/CIDFontType2"].FontDescriptor and "/CIDToGIDMap" in kinds["/CIDFontType2"]
        ff3 = kinds["/CIDFontType0"].FontDescriptor.FontFile3
        assert ff3.Subtype == "/CIDFontType0C" and ff3.read_bytes()[:1] == b"\x01"  # a bare CFF table
        # W: ideographs are the default width, Latin gets its own widths
        tt_font = kinds["/CIDFontType2"]
        assert int(tt_font.DW) == 1000
        a = book.face("body").glyph("A")
        w = list(tt_font.W)
        assert w[w.index(a) + 1][0] == 600


@needs_poppler
def test_only_our_fonts_in_resources(book, tmp_path):
    plain = tmp_path / "plain.pdf"
    draw(plain, [(book.face("body"), "中", False, 20, 150)], canvas=Canvas(str(plain), pagesize=(300, 200)))
    assert "Helvetica" in " ".join(" ".join(r) for r in pdffonts(plain))  # reportlab's trap is real
    ours = tmp_path / "ours.pdf"
    draw(ours, [(book.face("body"), "中", False, 20, 150)])
    assert [r[0].split("+")[1] for r in pdffonts(ours)] == ["PaibanTest-Regular"]


@needs_poppler
def test_vertical_uses_identity_v_and_extracts_originals(book, tmp_path):
    pdf = tmp_path / "v.pdf"
    face = book.face("body")
    draw(pdf, [(face, "中，。“字”", True, 200, 180)])
    rows = pdffonts(pdf)
    assert [r[3] for r in rows] == ["Identity-V"]
    # poppler may put spaces between vertically set glyphs; the characters must be the originals
    assert "".join(pdftotext(pdf).split()) == "中，。“字”"
    with pikepdf.open(pdf) as p:
        d = p.pages[0].Resources.Font[list(p.pages[0].Resources.Font.keys())[0]].DescendantFonts[0]
        assert [float(v) for v in d.DW2] == [880, -1000]


def test_horizontal_and_vertical_share_one_embedded_font(book, tmp_path):
    pdf = tmp_path / "hv.pdf"
    face = book.face("body")
    draw(pdf, [(face, "中，", False, 20, 150), (face, "中，", True, 200, 180)])
    with pikepdf.open(pdf) as p:
        fonts = p.pages[0].Resources.Font
        encs = sorted(str(fonts[k].Encoding) for k in fonts.keys())
        assert encs == ["/Identity-H", "/Identity-V"]
        d1, d2 = (fonts[k].DescendantFonts[0] for k in fonts.keys())
        assert d1.objgen == d2.objgen


def test_deterministic_bytes(book, tmp_path):
    runs = [(book.face("body"), "中国", False, 20, 150), (book.face("head"), "文A", False, 20, 100)]
    draw(tmp_path / "1.pdf", runs)
    draw(tmp_path / "2.pdf", runs)
    assert (tmp_path / "1.pdf").read_bytes() == (tmp_path / "2.pdf").read_bytes()


def test_subset_tag_depends_on_glyph_set_only():
    assert subset_tag("F", [3, 1, 2]) == subset_tag("F", [1, 2, 3, 3])
    assert subset_tag("F", [1, 2]) != subset_tag("F", [1, 2, 3]) != subset_tag("G", [1, 2, 3])
    assert len(subset_tag("F", [1])) == 6 and subset_tag("F", [1]).isupper()


def test_code_is_gid_and_first_text_wins(book, tmp_path):
    c = make_canvas(str(tmp_path / "x.pdf"), (100, 100))
    fonts = PdfFonts(c)
    face = book.face("body")
    g = face.glyph("中")
    assert fonts.code(face, g, "中") == f"{g:04X}"
    fonts.code(face, g, "X")
    assert fonts._uses[face.key].glyphs[g] == (g, "中")
    assert fonts.name(face) == fonts.name(face) == "/PB1" and fonts.name(face, True) == "/PB2"
    fonts.finish()
    fonts.finish()  # idempotent
    with pytest.raises(RuntimeError):
        fonts.code(face, g, "中")


def test_to_unicode_cmap_multichar_and_astral():
    cm = to_unicode_cmap({0x10: "中", 0x11: "fi", 0x12: "𪚥", 0x13: ""}).decode()
    assert "<0010> <4E2D>" in cm and "<0011> <00660069>" in cm and "<0012> <D869DEA5>" in cm
    assert "<0013>" not in cm and "3 beginbfchar" in cm
    many = to_unicode_cmap({i: "中" for i in range(250)}).decode()
    assert many.count("beginbfchar") == 3 and "50 beginbfchar" in many


def test_widths_arrays():
    dw, w = widths_array({1: 1000, 2: 1000, 5: 600, 6: 250, 9: 1000})
    assert dw == 1000
    assert w[0] == 5 and w[1].sequence == [600, 250] and len(w) == 2
    dw2, w2 = vertical_array({1: (-1000, 500, 880, 500), 2: (-1000, 500, 880, 500), 3: (-500, 250, 880, 250)})
    assert dw2 == [880, -1000] and w2[0] == 3 and w2[1].sequence == [-500, 250, 880]


def test_bold_operators():
    assert bold_operators(0.3) == "2 Tr 0.300 w 1 j"
    assert bold_operators(0) == "0 Tr"


def test_a_glyph_set_subset_again_is_the_one_made_before(book):
    """paiban watch rebuilds a page whose glyph set mostly did not change: the face keeps its last
    few subsets (same face + same glyphs → the same bytes), and a new glyph set is subset anew."""
    from layout.fonts import subset as subsetting
    face = book.face("body")
    gids = [face.glyph(ch) for ch in "中国文"]
    first = subsetting.subset_face(face, gids)
    assert subsetting.subset_face(face, list(reversed(gids)) + [0]) is first  # order and .notdef do not matter
    other = subsetting.subset_face(face, gids[:2])
    assert other is not first and other.data != first.data
    for n in range(subsetting.KEPT_SUBSETS):  # only the last few are kept: bounded memory
        subsetting.subset_face(face, gids[:1] + [n + 100])
    assert len(face.subsets) == subsetting.KEPT_SUBSETS
    again = subsetting.subset_face(face, gids)
    assert again is not first and again == first  # made again, with the same bytes


def test_runs_sharing_a_text_object_each_show_in_their_own_state(book):
    """The renderer lets glyph runs that follow one another share one `q [overprint] BT … ET Q`, writing
    Tf and k only when they change: every text-showing operator must still be drawn in exactly its
    run's state — font and size, fill colour, overprint (black text: op, OP, OPM 1; colour: none),
    render mode (artificial bold 2, else 0) — and in the frame's order, a rule drawn between runs."""
    from layout.model.frame import BLACK, Color, Glyph, GlyphRun, PageFrame, Rule
    from layout.photo.color import DEFAULT_PROFILE
    from layout.render.pdf import PdfSettings, render_pdf
    body, head = book.face("body"), book.face("head")
    red = Color(0, 1, 1, 0)

    def run(face, text, y, size=10.0, color=BLACK, vertical=False, **kw):
        glyphs = tuple(Glyph(face.vert(face.glyph(ch)) if vertical else face.glyph(ch), i * size, ch, 1.0)
                       for i, ch in enumerate(text))
        return GlyphRun(20, y, face, size, glyphs, color, vertical=vertical, **kw)
    runs = [run(body, "中国", 20), run(body, "字文", 40), run(body, "一一", 60, size=12),
            run(head, "中文", 80), run(body, "国字", 100, color=red), run(body, "文文", 120, color=red),
            run(body, "中字", 140, bold_stroke=0.3), run(body, "国国", 160),
            run(body, "中国", 180, color=red, overprint=True), run(body, "字中", 200, vertical=True),
            run(body, "文一", 240, color=Color(0, 0, 0, 0.5))]
    items = runs[:3] + [Rule(10, 70, 200, 70)] + runs[3:]
    frame = PageFrame(300, 300, 0, items, [], "01")
    data = render_pdf(frame, PdfSettings(title="t", date="2022-01-14", profile=DEFAULT_PROFILE.read_bytes(),
                                         marks=False))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        gstates = {str(k): dict(v.items()) for k, v in page.obj.Resources.ExtGState.items()}
        fonts = {str(k): str(v.BaseFont).split("+")[-1] for k, v in page.obj.Resources.Font.items()}
        shows, stroked, stack = [], 0, []
        g = {"font": None, "fill": None, "ext": {}, "tr": 0}
        for instr in pikepdf.parse_content_stream(page.obj):
            op, args = str(instr.operator), instr.operands
            if op == "q":
                stack.append({**g, "ext": dict(g["ext"])})
            elif op == "Q":
                g = stack.pop()
            elif op == "gs":
                g["ext"].update(gstates[str(args[0])])
            elif op == "Tf":
                g["font"] = (fonts[str(args[0])], float(args[1]))
            elif op == "k":
                g["fill"] = tuple(float(v) for v in args)
            elif op == "Tr":
                g["tr"] = int(args[0])
            elif op == "S":
                stroked = len(shows)
            elif op in ("TJ", "Tj"):
                shows.append({**g, "ext": dict(g["ext"])})
    assert stroked == 3                         # the rule is drawn after the third run, as in the frame
    expect = []
    for r in runs:
        over = r.overprint if r.overprint is not None else r.color.is_black
        one = {"font": (r.face.info.postscript_name if hasattr(r.face, "info") else None, r.size),
               "fill": (r.color.c, r.color.m, r.color.y, r.color.k),
               "over": over, "tr": 2 if r.bold_stroke else 0}
        expect += [one] * (len(r.glyphs) if r.vertical else 1)
    assert len(shows) == len(expect) == 12
    for got, want in zip(shows, expect):
        assert got["fill"] == want["fill"] and got["tr"] == want["tr"] and got["font"][1] == want["font"][1]
        ext = got["ext"]
        overprints = ext.get("/op") is True and ext.get("/OP") is True and int(ext.get("/OPM", 0)) == 1
        assert overprints == want["over"]
        assert not want["over"] or not any(v is False for k, v in ext.items() if k in ("/op", "/OP"))
    # the head face's run is set in its own font, the others in the body face's
    names = [s["font"][0] for s in shows]
    assert len({names[0], names[3]}) == 2 and names.count(names[3]) == 1
