"""Advertisements: page 1 of a supplied PDF placed in a grid space, preflighted, kept PDF/X."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from conftest import ROOT
from layout.photo.color import DEFAULT_PROFILE
from layout.fonts import FontBook
from layout.model.frame import Box, Color, Glyph, GlyphRun, PageFrame
from layout.render.pdf import PdfSettings, render_pdf
from layout.model.units import PT_PER_MM

W, H = 25 * 9.5, 30 * 14.0   # two columns × 30 grid lines of the sample grid


def make_ad(path: Path, w: float = W, h: float = H, rgb: bool = False) -> Path:
    """An advertiser's PDF/X-1a page made with our own renderer: a tint box and the words 示例广告."""
    book = FontBook.load(ROOT / "fonts" / "fonts.yaml")
    face = book.face("hei")
    glyphs = tuple(Glyph(face.glyph(ch), i * 24.0, ch, face.advance(face.glyph(ch))) for i, ch in enumerate("示例广告"))
    frame = PageFrame(w, h, 3 * PT_PER_MM, [Box(0, 0, w, h, stroke=None, fill=Color(0, 0.2, 0.6, 0)),
                                            GlyphRun(20, 60, face, 24, glyphs)])
    data = render_pdf(frame, PdfSettings(title="ad", date="2022-01-14", profile=DEFAULT_PROFILE.read_bytes(),
                                         marks=False))
    path.write_bytes(data)
    if rgb:  # an advertiser's mistake: the tint in RGB
        with pikepdf.open(path, allow_overwriting_input=True) as pdf:
            page = pdf.pages[0].obj
            content = page.Contents.read_bytes()
            assert b"0 0.2 0.6 0 k" in content
            page.Contents.write(content.replace(b"0 0.2 0.6 0 k", b"0.9 0.8 0.5 rg"))   # a pale yellow
            pdf.save(path)
    return path


def paiban(*args):
    return subprocess.run([sys.executable, "-m", "layout", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def with_ad(sample_copy: Path, ad_block: str) -> Path:
    page = sample_copy / "04.yaml"
    text = page.read_text(encoding="utf-8")
    text = text.replace("    copy: story3.txt\n    col: 1-4\n", "    copy: story3.txt\n    col: 1-2\n")
    page.write_text(text.rstrip("\n") + "\n" + ad_block, encoding="utf-8")
    # story3 keeps half its space: its first two paragraphs fit there (an overset story is an error)
    copy = sample_copy / "story3.txt"
    copy.write_text("\n".join(copy.read_text(encoding="utf-8").splitlines()[:2]) + "\n", encoding="utf-8")
    return page


AD = """  - type: ad
    id: ad1
    file: ad.pdf
    advertiser: 示例公司
    col: 3-4
    line: 69-98
"""


def test_ad_placed_as_form_xobject(sample_copy, tmp_path):
    make_ad(sample_copy / "ad.pdf")
    with_ad(sample_copy, AD)
    out = tmp_path / "o"
    proc = paiban("build", sample_copy, "--out", out, "--page", "04")
    assert proc.returncode == 0, proc.stderr
    assert "ad-" not in proc.stdout  # a clean, right-sized ad: no findings
    pdf = out / "2022-01-14" / "CQZXB-20220114-04.pdf"
    with pikepdf.open(pdf) as doc:
        assert doc.pdf_version == "1.3"
        xobj = doc.pages[0].obj.Resources.XObject["/PBAd1"]
        assert xobj.Subtype == "/Form"
        assert [round(float(v), 2) for v in xobj.BBox][2:] == [round(3 * PT_PER_MM + W, 2), round(3 * PT_PER_MM + H, 2)]
        content = doc.pages[0].obj.Contents.read_bytes().decode("latin-1")
        assert "/PBAd1 Do" in content
        assert str(doc.trailer.Info.GTS_PDFXConformance) == "PDF/X-1a:2001"
    assert subprocess.run(["qpdf", "--check", pdf], capture_output=True).returncode == 0
    fonts = subprocess.run(["pdffonts", pdf], capture_output=True, text=True, check=True).stdout
    assert "NotoSansCJKsc-Regular" in fonts
    for row in fonts.splitlines()[2:]:
        assert re.search(r"yes\s+yes\s+yes", row), row
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout
    assert "示例广告" in "".join(text.split())
    pre = paiban("preflight", pdf, "--trim", "390x540", "--format", "json")
    assert '"severity": "error"' not in pre.stdout, pre.stdout


def test_ad_size_mismatch_and_bad_colour_reported(sample_copy, tmp_path):
    make_ad(sample_copy / "ad.pdf", w=W - 30, rgb=True)   # 10.6 mm narrow and RGB
    page = with_ad(sample_copy, AD)
    proc = paiban("build", sample_copy, "--out", tmp_path / "o", "--page", "04")
    assert proc.returncode == 0, proc.stderr   # the RGB ad is repaired (a warning) and placed
    lineno = next(i for i, l in enumerate(page.read_text(encoding="utf-8").splitlines(), 1) if "type: ad" in l)
    assert re.search(rf"04.yaml:{lineno}:\d+: warning page 04 story ad1: advertisement ad.pdf is 73\.2 × 148\.2 mm, "
                     r"its space 83\.8 × 148\.2 mm; placed unscaled and centred \[ad-size-mismatch\]", proc.stdout), \
        proc.stdout
    assert re.search(r"warning page 04 story ad1: advertisement ad.pdf repaired by Ghostscript and checked again: "
                     r"RGB colour converted to CMYK through the press profile.*\[ad-repaired\]", proc.stdout), proc.stdout
    strict = paiban("build", sample_copy, "--out", tmp_path / "o2", "--page", "04", "--strict")
    assert strict.returncode == 1


def test_ad_that_is_not_a_pdf(sample_copy, tmp_path):
    (sample_copy / "ad.pdf").write_text("<html>not a pdf</html>", encoding="utf-8")
    with_ad(sample_copy, AD)
    proc = paiban("build", sample_copy, "--out", tmp_path / "o")
    assert proc.returncode == 2 and "is not a PDF file" in proc.stderr and "04.yaml:" in proc.stderr


def test_ad_is_labelled(sample_copy, tmp_path):
    """广告法: an advertisement is marked 广告 unless the page says the artwork carries the mark."""
    make_ad(sample_copy / "ad.pdf")
    with_ad(sample_copy, AD)
    out = tmp_path / "o"
    assert paiban("build", sample_copy, "--out", out, "--page", "04").returncode == 0
    pdf = out / "2022-01-14" / "CQZXB-20220114-04.pdf"
    words = subprocess.run(["pdftotext", "-raw", pdf, "-"], capture_output=True, text=True, check=True).stdout
    assert words.count("广告") == 2  # the tag, and 示例广告 inside the ad
    page = sample_copy / "04.yaml"
    page.write_text(page.read_text(encoding="utf-8").replace("advertiser: 示例公司", "advertiser: 示例公司\n    label: \"\""),
                    encoding="utf-8")
    assert paiban("build", sample_copy, "--out", out, "--page", "04").returncode == 0
    words = subprocess.run(["pdftotext", "-raw", pdf, "-"], capture_output=True, text=True, check=True).stdout
    assert words.count("广告") == 1
