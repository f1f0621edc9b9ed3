"""Section templates with their own grid and styles: pages of different grids build together in one issue."""
from __future__ import annotations

import re
import shutil

import pytest

from conftest import ROOT
from newsroom_util import build, chars, find, make_issue

pytestmark = pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")

ISSUE = ('date: 2022-01-14\nnumber: 1098\nserial: 2315\npages:\n  - {page: "01", file: 01.yaml, section: 要闻}\n'
         '  - {page: "02", file: 02.yaml, section: 理论}\n')
THEORY = """
  theory:                          # 理论版: six columns of 16 characters, body in 仿宋
    grid: {columns: 6, column_chars: 16}
    styles:
      body: {font: fangsong}
    imprint: true
"""
STORY = """template: {template}
blocks:
  - type: story
    id: s
    copy: s.txt
    col: 1-3
    line: 1-20
"""
COPY = "理论版的正文段落用来检验栏宽：每栏的字数由版式模板决定，和要闻版不同。" * 6


def issue(tmp, theory=THEORY):
    folder = make_issue(tmp, STORY.format(template="inner"), {"02.yaml": STORY.format(template="theory"),
                                                              "s.txt": COPY}, issue_yaml=ISSUE)
    pub = tmp / "issues" / "publication.yaml"
    pub.write_text(pub.read_text(encoding="utf-8").replace("\ntemplates:\n", "\ntemplates:" + theory, 1),
                   encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sections")
    proc, front = build(issue(tmp), tmp / "out")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return front, front.with_name("CQZXB-20220114-02.pdf")


def column_starts(pdf) -> list[float]:
    """x of each column's first character on the page's first text line."""
    cs = [c for c in chars(pdf) if "Serif" in c["fontname"] or "WenKai" in c["fontname"]]
    top = min(c["top"] for c in cs if c["text"] in "理论")
    row = sorted(c["x0"] for c in cs if abs(c["top"] - top) < 0.5)
    starts = [row[0]] + [b for a, b in zip(row, row[1:]) if b - a > 12]
    return starts


def test_each_page_keeps_its_own_grid(pages):
    from newsroom_util import grid
    g, _ = grid()
    front, theory = pages
    a, b = column_starts(front), column_starts(theory)
    # page 01: 12-character columns, page 02: 16-character columns (one-character gutters), both indented 2 em
    assert len(a) == 3 and len(b) == 3, (a, b)
    assert abs((a[1] - a[0]) - 13 * g.char) < 0.6 or abs((a[2] - a[1]) - 13 * g.char) < 0.6, a
    assert abs((b[2] - b[1]) - 17 * g.char) < 0.6, b
    # the theory grid is centred on the page: 6 × 16 + 5 = 101 characters against 8 × 12 + 7 = 103, so its
    # first column starts one character further in
    assert abs(b[0] - a[0] - g.char) < 0.6, (a, b)


def test_section_styles_override_the_publication(pages):
    front, theory = pages
    assert all("Serif" in c["fontname"] for c in find(chars(front), "理论版的正文"))
    assert all("WenKai-Light" in c["fontname"] for c in find(chars(theory), "理论版的正文"))


def test_block_outside_the_section_grid_is_an_input_error(tmp_path):
    folder = issue(tmp_path)
    (folder / "02.yaml").write_text(STORY.format(template="theory").replace("col: 1-3", "col: 5-7"),
                                    encoding="utf-8")
    proc, _ = build(folder, tmp_path / "out")
    assert proc.returncode == 2
    assert re.search(r"02\.yaml:\d+:\d+: story 's' reaches column 7, but the grid has 6", proc.stderr), proc.stderr


def test_section_grid_that_does_not_fit_is_an_input_error(tmp_path):
    folder = issue(tmp_path, THEORY.replace("column_chars: 16", "column_chars: 40"))
    proc, _ = build(folder, tmp_path / "out")
    assert proc.returncode == 2 and "publication.yaml" in proc.stderr and "does not fit" in proc.stderr, proc.stderr
