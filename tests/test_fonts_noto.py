"""Integration: the real fonts.yaml with Debian's Noto CJK, LXGW WenKai and the rare-character
fonts, embedded through PdfFonts and checked with poppler, qpdf and a rendering comparison."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont, ImageStat

sys.path.insert(0, str(Path(__file__).parent))
from test_fonts_pdf import draw, pdffonts, pdftotext  # noqa: E402

from layout.model.findings import InputError  # noqa: E402
from layout.fonts import FontBook, FontCache  # noqa: E402

YAML = Path(__file__).parent.parent / "fonts" / "fonts.yaml"


@pytest.fixture(scope="module")
def book():
    if not shutil.which("pdffonts"):
        pytest.skip("poppler-utils not installed")
    try:
        return FontBook.load(YAML, cache=FontCache(None))
    except InputError as e:
        pytest.skip(f"system fonts missing: {e}")


def test_sc_face_picked_by_name(book):
    f = book.face("shusong")
    assert f.postscript_name == "NotoSerifCJKsc-Regular" and f.index == 2 and f.is_cff
    assert book.face("biaosong").postscript_name == "NotoSerifCJKsc-Bold"
    assert book.face("hei").postscript_name == "NotoSansCJKsc-Regular"
    assert book.face("kai").postscript_name == "LXGWWenKai-Regular" and not book.face("kai").is_cff
    assert f.em_box == (-0.12, 0.88) and f.char_face == (-0.078, 0.838)
    assert f.info.cid_keyed and f.info.ros == ("Adobe", "Identity", 0)


def test_rare_character_falls_back(book):
    runs = book.resolve("shusong", "葛燄𪚥")
    assert [(f.postscript_name, t) for f, t in runs] == [("NotoSerifCJKsc-Regular", "葛燄"), ("HanaMinA", "𪚥")]
    assert book.face_for("shusong", "\U00030000").postscript_name == "BabelStoneHan"  # Ext G


def _ink(img: Image.Image, size=48) -> Image.Image:
    g = img.convert("L")
    box = ImageChops.invert(g).getbbox()
    assert box, "nothing rendered"
    return g.crop(box).resize((size, size))


def _diff(a: Image.Image, b: Image.Image) -> float:
    return ImageStat.Stat(ImageChops.difference(a, b)).mean[0] / 255


def _reference(face, ch, px=100) -> Image.Image:
    font = ImageFont.truetype(str(face.path), px, index=face.index)
    img = Image.new("L", (px * 2, px * 2), 255)
    ImageDraw.Draw(img).text((px // 2, px // 2), ch, font=font, fill=0)
    return img


def test_noto_pdf_end_to_end(book, tmp_path):
    pdf = tmp_path / "noto.pdf"
    x = 20
    placed = []
    for f, t in book.resolve("shusong", "葛燄𪚥"):
        placed.append((f, t, False, x, 150))
        x += 20 * len(t)
    kai = book.face("kai")
    placed += [(kai, "楷体字", False, 20, 100), (book.face("shusong"), "竖排，。", True, 250, 190)]
    draw(pdf, placed)
    rows = pdffonts(pdf)
    names = [r[0].split("+")[1] + ("/V" if "Identity-V" in r else "") for r in rows]
    assert sorted(names) == sorted(["NotoSerifCJKsc-Regular", "HanaMinA", "LXGWWenKai-Regular",
                                    "NotoSerifCJKsc-Regular/V"])
    for r in rows:
        assert r[-5:-2] == ["yes", "yes", "yes"]  # emb sub uni
        base = r[0].split("+")[1]
        if base.startswith("Noto"):
            assert r[1:4] == ["CID", "Type", "0C"]
        else:
            assert r[1:3] == ["CID", "TrueType"]
    text = pdftotext(pdf)
    assert "葛燄𪚥" in text and "楷体字" in text
    assert "".join(text.split()).endswith("竖排，。")  # vertical forms extract as the originals
    assert "No syntax or stream encoding errors" in subprocess.run(
        ["qpdf", "--check", str(pdf)], capture_output=True, text=True).stdout
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(tmp_path / "p")], check=True)
    assert (tmp_path / "p-1.png").stat().st_size > 500


@pytest.mark.parametrize("role, ch", [("shusong", "葛"), ("shusong", "燄"), ("shusong", "𪚥"), ("kai", "葛")])
def test_rendered_glyph_is_the_right_one(book, tmp_path, role, ch):
    """A wrong CID/GID mapping draws another character: compare poppler's rendering of our PDF
    with FreeType's rendering of the character straight from the font file."""
    face = book.face_for(role, ch)
    pdf = tmp_path / "g.pdf"
    draw(pdf, [(face, ch, False, 50, 60)])
    subprocess.run(["pdftoppm", "-r", "300", "-png", str(pdf), str(tmp_path / "g")], check=True)
    ours = _ink(Image.open(tmp_path / "g-1.png"))
    same = _diff(ours, _ink(_reference(face, ch)))
    other = _diff(ours, _ink(_reference(face, "中")))
    assert same < 0.08 and other > 2 * same, (same, other)


def test_warm_cache_answers_every_face(tmp_path):
    """A second load reads every face's metrics from the cache (the timings are in bench/)."""
    cache = FontCache(tmp_path / "c")
    FontBook.load(YAML, cache=cache)
    b = FontBook.load(YAML, cache=FontCache(tmp_path / "c"))
    assert b.stats.cache.misses == 0 and b.stats.cache.hits > 0
