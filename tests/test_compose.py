"""Composition invariants on a tiny issue set in the synthetic 1000-unit test font (hand-known metrics).

Grid: 2 columns × 10 characters of 10 pt, gutter 1 character, 20 lines of 15 pt.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from fontutil import make_test_project
from layout.build import BuildOptions, compose_issue
from layout.compose.story import outline
from layout.model.frame import GlyphRun
from layout.model.spec import Rect

PUBLICATION = """
name: 测试报
code: TEST
trim: [100mm, 150mm]
bleed: 3mm
margins: {top: 20mm, left: 10mm}
grid: {columns: 2, column_chars: 10, gutter_chars: 1, lines: 20, style: body}
styles:
  body: {font: body, size: 10, leading: 15pt, align: justify}
  headline: {font: head, size: 20, leading: 1.2}
  kicker: {font: head, size: 12, leading: 1.2}
  byline: {font: body, size: 10, leading: 15pt}
marks: false
"""

ISSUE = """
date: 2022-01-14
pages:
  - {page: "01", file: 01.yaml, section: 测试}
"""

PAGE = """
blocks:
  - type: story
    id: s
    copy: s.txt
    col: 1-2
    line: 1-20
"""

GRID_X = 10 * 72 / 25.4
GRID_Y = 20 * 72 / 25.4


def make_issue(tmp_path: Path, copy: str, page: str = PAGE) -> tuple[Path, BuildOptions]:
    fonts_yaml = make_test_project(tmp_path / "proj")
    issue = tmp_path / "issue"
    issue.mkdir()
    (issue / "publication.yaml").write_text(PUBLICATION, encoding="utf-8")
    (issue / "issue.yaml").write_text(ISSUE, encoding="utf-8")
    (issue / "01.yaml").write_text(page, encoding="utf-8")
    (issue / "s.txt").write_text(copy, encoding="utf-8")
    return issue, BuildOptions(fonts_yaml=fonts_yaml, system_fonts=False, cache_dir=tmp_path / "cache")


def compose(tmp_path, copy, page=PAGE):
    folder, opts = make_issue(tmp_path, copy, page)
    _, results = compose_issue(folder, opts)
    (_, result), = results
    return result


def body_runs(result):
    return [it for it in result.frame.items if isinstance(it, GlyphRun) and it.role == "body"]


def line_texts(result):
    """Text of each body line, in drawing order, keyed by (column x, baseline)."""
    out = {}
    for run in body_runs(result):
        col = 0 if run.x < GRID_X + 10 * 10 else 1
        out.setdefault((col, round(run.y, 3)), []).append(run)
    return out


def test_baselines_on_the_grid_and_shared_by_columns(tmp_path):
    result = compose(tmp_path, "一中国字文" * 90 + "\n")
    baselines = {}
    for (col, y), runs in line_texts(result).items():
        baselines.setdefault(col, set()).add(y)
    # line k's baseline: top + (pitch - size)/2 + 0.88 × size  (em box -0.12..0.88 from the BASE table)
    expected = {round(GRID_Y + k * 15 + 2.5 + 8.8, 3) for k in range(20)}
    assert baselines[0] == expected
    assert baselines[1] <= expected and len(baselines[1]) >= 1


def test_text_flows_through_columns_in_order_without_loss(tmp_path):
    copy = "一中国字文，一中国字文。" * 12
    result = compose(tmp_path, copy + "\n")
    keyed = line_texts(result)
    ordered = sorted(keyed, key=lambda k: (k[0], k[1]))
    text = "".join(g.text for k in ordered for run in keyed[k] for g in run.glyphs)
    assert text == copy


def test_justified_lines_flush_with_the_column(tmp_path):
    result = compose(tmp_path, "一中国字文" * 30 + "\n")
    keyed = line_texts(result)
    ends = []
    for (col, y), runs in keyed.items():
        last = runs[-1].glyphs[-1]
        ends.append((col, y, runs[-1].x + last.x + last.advance * 10))
    col0_right = GRID_X + 100  # 10 characters of 10 pt
    full = [e for c, y, e in ends if c == 0]
    assert all(abs(e - col0_right) < 0.01 for e in full)
    # first line indented 2 em
    first = min((k for k in keyed if k[0] == 0), key=lambda k: k[1])
    assert keyed[first][0].x == pytest.approx(GRID_X + 20)


def test_overset_counts(tmp_path):
    # 500 ideographs in one paragraph: 2 em indent → 502 cells → 51 lines of 10; 40 lines fit,
    # holding 8 + 39 × 10 = 398 characters: 102 characters and 11 lines are over.
    result = compose(tmp_path, "一中国字文" * 100 + "\n")
    over = [f for f in result.findings if f.code == "overset"]
    assert len(over) == 1
    assert (over[0].data["chars"], over[0].data["lines"]) == (102, 11)
    assert over[0].page == "01" and over[0].story == "s"
    assert over[0].where.file.endswith("01.yaml") and over[0].where.line == 3


def test_missing_character_drawn_as_geta_and_reported(tmp_path):
    result = compose(tmp_path, "一中国永字文\n")  # 永 is in no test font
    missing = [f for f in result.findings if f.code == "missing-glyph"]
    assert len(missing) == 1 and missing[0].data["char"] == "永" and missing[0].page == "01"
    runs = body_runs(result)
    glyphs = [g for r in runs for g in r.glyphs]
    geta = runs[0].face.glyph("〓")
    assert any(g.text == "永" and g.gid == geta for g in glyphs)


def test_rare_character_from_fallback_face(tmp_path):
    result = compose(tmp_path, "一中𪚥国\n")
    runs = body_runs(result)
    rare = [r for r in runs if any(g.text == "𪚥" for g in r.glyphs)]
    assert rare and rare[0].face.key != runs[0].face.key
    # em boxes aligned: PaibanRare's box reaches 0.15 em below its baseline, the test font's 0.12 em,
    # so the rare glyph's baseline sits 0.03 em higher (y grows downwards) for the bottoms to meet
    assert rare[0].y - runs[0].y == pytest.approx(-0.03 * 10, abs=1e-6)
    notes = [f for f in result.findings if f.code == "fallback-glyph"]
    assert notes and notes[0].data["char"] == "𪚥"


def test_vertical_headline_uses_vert_forms_and_keeps_text(tmp_path):
    page = PAGE.replace("    col: 1-2\n    line: 1-20", "    col: 2\n    line: 1-20") + """
  - type: headline
    id: h
    main: 中国，字文。
    vertical: true
    col: 1
    line: 1-20
"""
    result = compose(tmp_path, "一中国字文\n", page)
    vruns = [it for it in result.frame.items if isinstance(it, GlyphRun) and it.vertical]
    assert vruns
    glyphs = [g for r in vruns for g in r.glyphs]
    assert "".join(g.text for g in glyphs) == "中国，字文。"
    face = vruns[0].face
    comma = next(g for g in glyphs if g.text == "，")
    assert comma.gid == face.vert(face.glyph("，")) != face.glyph("，")
    # cells go down one em each
    assert [g.x for g in glyphs] == pytest.approx([i * 20 for i in range(6)])


def test_l_shape_outline():
    # a photo in the top-left of a 2-column region: text under it and beside it
    poly = outline([Rect(0, 100, 30, 50), Rect(30, 0, 20, 150)])
    assert poly == ((30, 0), (50, 0), (50, 150), (0, 150), (0, 100), (30, 100))


def test_widow_moved_down_when_the_next_column_has_room():
    from types import SimpleNamespace as L
    from layout.compose.flow import Slot, pour
    # paragraph A: 5 lines; paragraph B: 3 lines. Two columns of 5 lines: A fills column 1 … no widow.
    # paragraph A: 6 lines → its last line would open column 2 alone (孤行).
    a = [L(first=i == 0, last=i == 5, text="a") for i in range(6)]
    b = [L(first=i == 0, last=i == 1, text="b") for i in range(2)]
    slots = [Slot(0, 0, 10, 5, 0), Slot(20, 0, 10, 5, 1)]
    flow = pour(a + b, slots, balance=False)
    first_of_col2 = next(p.line for p in flow.placed if p.slot == 1 and p.row == 0)
    assert first_of_col2 is a[4]          # the line before the widow went down with it
    assert sum(p.slot == 0 for p in flow.placed) == 4
    assert flow.widows == []


def test_widow_reported_when_it_cannot_move():
    from types import SimpleNamespace as L
    from layout.compose.flow import Slot, pour
    a = [L(first=i == 0, last=i == 5, text="a") for i in range(6)]
    b = [L(first=i == 0, last=i == 3, text="b") for i in range(4)]
    slots = [Slot(0, 0, 10, 5, 0), Slot(20, 0, 10, 5, 1)]   # 10 lines, both columns full
    flow = pour(a + b, slots, balance=False)
    assert [w[1] for w in flow.widows] == [a[5]]


JUMP_ISSUE = """
date: 2022-01-14
pages:
  - {page: "01", file: 01.yaml, section: 测试}
  - {page: "02", file: 02.yaml, section: 测试}
"""


def test_story_continued_on_another_page(tmp_path):
    """转版: page 01 ends with (下转第02版); page 02 resumes under (上接第01版) with the rest of the text."""
    page1 = """
blocks:
  - type: story
    id: s
    copy: s.txt
    byline: (一中)
    continues: {page: "02", story: s2}
    col: 1
    line: 1-5
"""
    page2 = """
blocks:
  - type: story
    id: s2
    continued: {page: "01", story: s}
    col: 1
    line: 1-20
"""
    folder, opts = make_issue(tmp_path, "一中国字文" * 10 + "\n" + "文字国中一" * 4 + "\n", page1)
    (folder / "issue.yaml").write_text(JUMP_ISSUE, encoding="utf-8")
    (folder / "02.yaml").write_text(page2, encoding="utf-8")
    _, results = compose_issue(folder, opts)
    (_, r1), (_, r2) = results
    text1 = "".join(g.text for it in r1.frame.items if isinstance(it, GlyphRun) for g in it.glyphs)
    text2 = "".join(g.text for it in r2.frame.items if isinstance(it, GlyphRun) for g in it.glyphs)
    # 5 lines on page 01: 4 lines of copy (8 + 10 + 10 + 10 = 38 characters) and the jump line
    assert text1 == ("一中国字文" * 10)[:38] + "（下转第02版）"
    assert not [f for f in r1.findings if f.code == "overset"]
    # page 02: the jump-from line, the rest of paragraph 1 (unindented), paragraph 2, the byline
    assert text2 == "（上接第01版）" + ("一中国字文" * 10)[38:] + "文字国中一" * 4 + "（一中）"
    lines2 = sorted({round(it.y, 2) for it in r2.frame.items if isinstance(it, GlyphRun)})
    first_text_run = min((it for it in r2.frame.items if isinstance(it, GlyphRun) and round(it.y, 2) == lines2[1]),
                         key=lambda it: it.x)
    assert first_text_run.x == pytest.approx(GRID_X)  # resumes mid-paragraph: no indent


def test_publication_and_style_options_reach_the_breaker(tmp_path):
    from layout.compose.typeset import Typesetter
    from layout.model.spec import Style
    folder, opts = make_issue(tmp_path, "一中\n")
    pub = folder / "publication.yaml"
    pub.write_text(pub.read_text(encoding="utf-8").replace("marks: false", "marks: false\nline_breaking: strict\n")
                   .replace("align: justify}", "align: justify, hanging: true, trim_opening: true}"), encoding="utf-8")
    issue, results = compose_issue(folder, opts)
    body = issue.publication.styles["body"]
    assert body.hanging and body.trim_opening and issue.publication.line_breaking == "strict"
    o = Typesetter(None, "kaiming", strict=True).options(body)
    assert (o.strict, o.hanging, o.trim_opening_at_line_start, o.punctuation) == (True, True, True, "kaiming")


def test_l_shape_joined_across_the_gutter():
    # columns 1-3 under a photo and 4-5 beside it are one gutter (10 pt) apart
    poly = outline([Rect(0, 100, 30, 50), Rect(40, 0, 20, 150)], join=10)
    assert poly == ((40, 0), (60, 0), (60, 150), (0, 150), (0, 100), (40, 100))
    assert len(outline([Rect(0, 100, 30, 50), Rect(40, 0, 20, 150)], join=5)) == 4  # too far apart


HEAD_PAGE = PAGE.replace("    line: 1-20", "    line: 6-20") + """
  - type: headline
    id: h
    main: 中国字文中国字文中国字文中国字文中国字文中国字文
    col: 1-2
    line: 1-4
"""


def test_headline_group_shrinks_into_its_block_before_overflowing(tmp_path):
    # 24 em of 20 pt headline in a 10.5 em measure: three lines at full size (3 × 24 pt = 72 pt) do not
    # fit the 4-line block (60 pt); two lines at ~92 % size (2 × 22 pt) do. Before: three lines and
    # "the headline group needs 4.8 lines, the block has 4"
    result = compose(tmp_path, "一中国字文\n", HEAD_PAGE)
    assert not [f.message for f in result.findings if f.code.startswith("headline")]
    runs = [it for it in result.frame.items if isinstance(it, GlyphRun) and it.role == "headline"]
    assert len({round(r.y, 3) for r in runs}) == 2
    size = runs[0].size
    assert 0.8 * 20 <= size < 20
    top, bottom = GRID_Y, GRID_Y + 4 * 15
    assert all(top <= r.y - 0.88 * size and r.y + 0.12 * size <= bottom + 0.01 for r in runs)


def test_headline_overset_reports_lines_rounded_up(tmp_path):
    page = HEAD_PAGE.replace("    line: 1-4", "    line: 1-2")   # 30 pt: even 2 lines at 80 % (38.4 pt) overflow
    result = compose(tmp_path, "一中国字文\n", page)
    msgs = [f.message for f in result.findings if f.code == "headline-overset"]
    assert msgs and "the block has 2" in msgs[0]
    needs = float(msgs[0].split("needs ")[1].split(" ")[0])
    assert needs > 2.0


def test_suspicious_copy_is_reported_at_file_line_column(tmp_path):
    # an escape code pasted from a terminal, an ASCII full stop between Chinese characters, an HTML entity:
    # printed as they are (nothing lost) and reported where they are in the copy file
    copy = "一中国字文\n中国^[[32m字文中国.字文&nbsp;\n”中国字文\n"
    result = compose(tmp_path, copy)
    found = [(f.where.line, f.where.column, f.data["what"]) for f in result.findings if f.code == "copy-suspicious"]
    assert [(ln, col) for ln, col, _ in found] == [(2, 3), (2, 13), (2, 16), (3, 1)], found   # counted by hand
    assert "escape" in found[0][2] and "full stop" in found[1][2] and "&nbsp;" in found[2][2]
    assert "paragraph starts with ”" in found[3][2]     # a 避头尾 break no composer can avoid
    assert all(f.where.file.endswith("s.txt") and f.severity == "warning"
               for f in result.findings if f.code == "copy-suspicious")
