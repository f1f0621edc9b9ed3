"""Boxes (文框): padding on the grid, frame styles, tint, 花边 — through `paiban build` and the real PDF."""
from __future__ import annotations

import re
import shutil

import pikepdf
import pytest

from newsroom_util import build, chars, find, grid, make_issue, pdftext

pytestmark = pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")

PAGE = """template: front
blocks:
  - type: story
    id: outside
    copy: a.txt
    col: 1-2
    line: 1-30
  - type: box
    id: frame
    col: 3-5
    line: 1-30
    weight: 0.5pt
    frame: {frame}
    tint: 10
    padding: {padding}
{ornament}
  - type: story
    id: inside
    copy: b.txt
    col: 3-5
    line: 1-30
"""
COPY_A = "框外的正文段落，用来比较基线的位置是否一致。" * 3
COPY_B = "框内的正文段落，四周留出内边距，文字不贴着框线。" * 3


def page(tmp, frame="single", padding="2", ornament=""):
    folder = make_issue(tmp, PAGE.format(frame=frame, padding=padding, ornament=ornament),
                        {"a.txt": COPY_A, "b.txt": COPY_B})
    proc, pdf = build(folder, tmp / "out")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return pdf


def content(pdf) -> str:
    with pikepdf.open(pdf) as doc:
        return doc.pages[0].obj.Contents.read_bytes().decode("latin-1")


@pytest.fixture(scope="module")
def padded(tmp_path_factory):
    return page(tmp_path_factory.mktemp("box"))


def test_padding_insets_text_by_whole_characters_and_lines(padded):
    g, bleed = grid()
    cs = chars(padded)
    outside = find(cs, "框外的正文")[0]
    inside = find(cs, "框内的正文")[0]
    # the outside story starts at column 1 (x of its indented first character = col 1 + 2 em)
    col1 = outside["x0"] - 2 * g.char
    box_left = col1 + 2 * (g.column_width + g.gutter)
    first_inside = inside["x0"] - 2 * g.char
    assert first_inside - box_left >= 2 * g.char - 0.01, (first_inside, box_left)
    # two grid lines lower than the story outside: still on the same baseline grid
    assert abs((inside["top"] - outside["top"]) - 2 * g.pitch) < 0.01
    # lines inside are whole characters wide and stay within the box's right edge less its padding
    right = max(c["x1"] for c in cs if c["fontname"].endswith("NotoSerifCJKsc-Regular") and c["x0"] > box_left
                and c["top"] < outside["top"] + 30 * g.pitch)
    assert right <= box_left + g.span_width(3) - 2 * g.char + 0.6


def test_tint_fills_the_box_with_a_percentage_of_the_frame_colour(padded):
    stream = content(padded)
    assert re.search(r"\b0 0 0 \.1 k\b|\b0 0 0 0?\.1 k\b", stream), "10 % K fill not found"


def test_single_frame_without_padding_is_flush(tmp_path):
    pdf = page(tmp_path, padding="0")
    g, _ = grid()
    cs = chars(pdf)
    assert abs(find(cs, "框内的正文")[0]["top"] - find(cs, "框外的正文")[0]["top"]) < 0.01


@pytest.mark.parametrize("frame, widths", [("double", {0.5}), ("thick-thin", {1.5, 0.5})])
def test_frame_styles(tmp_path, frame, widths):
    stream = content(page(tmp_path, frame=frame))
    found = re.findall(r"([\d.]+) w [^\n]*? re S", stream)
    assert len(found) == 2, (frame, found)
    assert {float(w) for w in found} == widths


def test_dotted_frame(tmp_path):
    stream = content(page(tmp_path, frame="dotted"))
    assert len(re.findall(r"\[0?\.5 1\] 0 d", stream)) == 4, "four dashed sides"


def test_ornament_repeated_along_the_frame(tmp_path):
    pdf = page(tmp_path, ornament="    ornament: diamonds")
    text = pdftext(pdf)
    assert text.count("◆") + text.count("◇") > 60
    g, _ = grid()
    cs = [c for c in chars(pdf) if c["text"] in "◆◇"]
    tops = sorted({round(c["top"]) for c in cs})
    lefts = sorted({round(c["x0"]) for c in cs})
    # a band along each side: many ornaments share the top row and the left column
    assert sum(1 for c in cs if round(c["top"]) == tops[0]) > 15
    assert sum(1 for c in cs if round(c["x0"]) == lefts[0]) > 20
