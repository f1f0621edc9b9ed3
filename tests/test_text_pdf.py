"""Composition measured in the PDF itself (pdfplumber glyph positions), not in the composer's data.

On the sample page 04 and on a 5,000-character test story (tests/data/prose.txt): no prohibited line
start or end, no split ——/……, no 孤字, every line flush on both column edges within 0.01 pt (the last
line of a paragraph excepted), and every baseline on the one grid shared by all columns.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from conftest import ROOT, SAMPLE
from layout.load import load_issue

# typesetting.md §2, typed from the reference (not imported from the code under test)
NOT_AT_START = set("、，；：。！？”’）〕】〗》〉」』］｝–～·") | {"\uff0e"}
NOT_AT_END = set("“‘（〔【〖《〈「『［｛")
RIGHT_BLANK = set("、，；：。！？”’）〕】〗》〉」』］｝")  # marks trimmed to ½ em at a line end
EM = 9.5
TOL = 0.01

PROSE_PAGE = """
template: inner
blocks:
  - type: story
    id: prose
    copy: prose.txt
    col: 1-8
    line: 1-98
"""


def build(folder: Path, out: Path, page: str) -> Path:
    proc = subprocess.run([sys.executable, "-m", "layout", "build", str(folder), "--out", str(out), "--page", page],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return out / "2022-01-14" / f"CQZXB-20220114-{page}.pdf"


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("textpdf")
    issue = tmp / "issues" / "2022-01-14"
    shutil.copytree(SAMPLE, issue)
    shutil.copy(ROOT / "issues" / "publication.yaml", tmp / "issues" / "publication.yaml")
    shutil.copy(ROOT / "tests" / "data" / "prose.txt", issue / "prose.txt")
    (issue / "09.yaml").write_text(PROSE_PAGE, encoding="utf-8")
    with open(issue / "issue.yaml", "a", encoding="utf-8") as fh:
        fh.write('  - page: "09"\n    file: 09.yaml\n    section: 测试\n')
    out = tmp / "out"
    return {"04": build(issue, out, "04"), "09": build(issue, out, "09"), "grid": load_issue(issue).publication.grid}


def body_lines(path: Path, grid):
    """{column: [(grid line, [chars left to right])]} for the 9.5 pt body text, top to bottom.

    Each glyph goes to its nearest grid line; its baseline must sit exactly on that line's baseline,
    except glyphs from a fallback face, whose baseline moves to align their em box."""
    with pikepdf.open(path) as doc:
        tx0, ty0, tx1, ty1 = (float(v) for v in doc.pages[0].obj.TrimBox)
    cols = [(tx0 + grid.col_x(i), tx0 + grid.col_x(i) + grid.column_width) for i in range(1, grid.columns + 1)]
    # baseline k sits (pitch − size)/2 + 0.88 em below the top of grid line k (em box centred)
    first_baseline = ty1 - grid.y - ((grid.pitch - EM) / 2 + 0.88 * EM)
    lines = defaultdict(list)
    off_grid = []
    with pdfplumber.open(path) as pdf:
        for ch in pdf.pages[0].chars:
            if abs(ch["size"] - EM) > 0.01 or "Serif" not in ch["fontname"] and "Hana" not in ch["fontname"]:
                continue
            x, baseline = ch["matrix"][4], ch["matrix"][5]
            col = next((i for i, (a, b) in enumerate(cols) if a - EM <= x < b), None)
            assert col is not None, ch
            steps = (first_baseline - baseline) / grid.pitch
            row = round(steps)
            limit = 0.1 * EM if "Hana" in ch["fontname"] else TOL
            if abs(steps - row) * grid.pitch > limit:
                off_grid.append(f"{ch['text']} off the grid by {(steps - row) * grid.pitch:.3f} pt")
            lines[(col, row)].append((x, x + (ch["x1"] - ch["x0"]), ch["text"]))
    out = defaultdict(list)
    for (col, row), chars in lines.items():
        out[col].append((row, sorted(chars)))
    for col in out:
        out[col].sort()
    return out, cols, off_grid


def check_page(path: Path, grid, check_orphans: bool):
    lines, cols, problems = body_lines(path, grid)
    flush = total = 0
    for col, col_lines in lines.items():
        left, right = cols[col]
        for i, (row, chars) in enumerate(col_lines):
            text = "".join(c for _, _, c in chars)
            first, last = text[0], text[-1]
            if first in NOT_AT_START:
                problems.append(f"line starts with {first}: {text}")
            if last in NOT_AT_END:
                problems.append(f"line ends with {last}: {text}")
            if first in "—…" and text[1:2] != first:
                problems.append(f"split {first * 2} at line start: {text}")
            nxt = col_lines[i + 1] if i + 1 < len(col_lines) else None
            follows = nxt is not None and nxt[0] == row + 1   # the next grid line of the same text column
            indent_next = follows and abs(nxt[1][0][0] - (left + 2 * EM)) < TOL
            # both edges: the first glyph at the column edge (or the 2-em indent), the last at the right edge
            # (a trimmed full-width mark has its empty right half beyond it)
            x0 = chars[0][0]
            if not (abs(x0 - left) < TOL or abs(x0 - (left + 2 * EM)) < TOL):
                problems.append(f"line starts {x0 - left:.3f} pt from the column edge: {text}")
            end = chars[-1][1] - (EM / 2 if last in RIGHT_BLANK else 0.0)
            if follows and not indent_next:   # a line inside a paragraph: flush right
                total += 1
                if abs(end - right) < TOL:
                    flush += 1
                else:
                    problems.append(f"line ends {end - right:+.3f} pt from the edge: {text}")
            if check_orphans and indent_next:
                body = [c for c in text if c not in RIGHT_BLANK and c not in NOT_AT_END]
                if len(body) < 2:
                    problems.append(f"孤字 line: {text}")
    return problems, flush, total


def test_prose_story_obeys_the_rules_in_the_pdf(pages):
    problems, flush, total = check_page(pages["09"], pages["grid"], check_orphans=True)
    assert total > 300  # the story really filled the page
    assert problems == [], "\n".join(problems[:20])
    assert flush == total


def test_sample_page_obeys_the_rules_in_the_pdf(pages):
    problems, flush, total = check_page(pages["04"], pages["grid"], check_orphans=True)
    assert total > 300
    assert problems == [], "\n".join(problems[:20])


def test_prose_text_survives(pages):
    text = subprocess.run(["pdftotext", "-raw", pages["09"], "-"], capture_output=True, text=True,
                          check=True).stdout
    squashed = "".join(text.split())
    from layout.text.normalize import normalize_copy
    copy, _ = normalize_copy((ROOT / "tests" / "data" / "prose.txt").read_text(encoding="utf-8"))
    for para in copy.splitlines():
        assert "".join(para.split()) in squashed


def test_dash_is_one_continuous_rule(pages, tmp_path):
    """破折号: one 2-em glyph (extracted as ——), and in a 600 dpi render its ink runs unbroken from one
    end to the other (two separate em dashes leave a white gap in the middle)."""
    import numpy as np
    from PIL import Image
    with pdfplumber.open(pages["09"]) as pdf:
        page_h = float(pdf.pages[0].height)
        dashes = [c for c in pdf.pages[0].chars if "—" in c["text"] and abs(c["size"] - EM) < 0.01]
    assert len(dashes) >= 7
    assert all(c["text"] == "——" and abs((c["x1"] - c["x0"]) - 2 * EM) < TOL for c in dashes), \
        [(c["text"], c["x1"] - c["x0"]) for c in dashes]
    d = dashes[0]
    dpi = 600
    k = dpi / 72
    png = tmp_path / "dash"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-gray", "-singlefile",
                    "-x", str(int(d["x0"] * k)), "-y", str(int(d["top"] * k)),
                    "-W", str(int((d["x1"] - d["x0"]) * k)), "-H", str(int((d["bottom"] - d["top"]) * k)),
                    str(pages["09"]), str(png)], check=True)
    ink = np.asarray(Image.open(f"{png}.png").convert("L")) < 128
    cols = ink.any(axis=0)
    w = cols.size
    inner = cols[int(0.1 * w):int(0.9 * w)]   # the rule's ends are the font's side bearings
    assert inner.all(), f"{(~inner).sum()} white pixel columns inside the dash"
    assert page_h > 0


def test_kai_quotes_are_set_full_width(pages):
    """LXGW WenKai's quotes are 0.35 em; in a 楷体 caption they take a full em (“ at the right of its
    em, ” at the left), like the 宋体 body's."""
    with pdfplumber.open(pages["04"]) as pdf:
        chars = [c for c in pdf.pages[0].chars if "WenKai" in c["fontname"]]
    quotes = [(a, b, c) for a, b, c in zip(chars, chars[1:], chars[2:]) if b["text"] in "“”"]
    assert quotes, "the sample caption has quotes"
    for a, b, c in quotes:
        size = b["size"]
        assert abs((c["x0"] - a["x1"]) - size) < TOL, (a["text"], b["text"], c["text"], c["x0"] - a["x1"])
        if b["text"] == "“":
            assert abs(b["x1"] - c["x0"]) < TOL      # ink at the right of the em, against what follows
        else:
            assert abs(b["x0"] - a["x1"]) < TOL      # ink at the left, against what precedes
