"""The copy markup (## 小标题, **bold**, *楷体*, > 引语, pipe tables, ---): parsed, refused when invalid
(file:line:column, exit 2, nothing written), and set in the real PDF (pdftotext order, pdffonts, positions)."""
from __future__ import annotations

import re
import shutil

import pytest

from newsroom_util import build, chars, find, fonts, grid, lines, make_issue, pdftext
from layout.load.markup import parse_copy
from layout.model.copy import BOLD, BREAK, CROSSHEAD, KAI, PARA, QUOTE, TABLE
from layout.model.findings import InputError

pytestmark = pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")

PAGE = """template: inner
blocks:
  - type: story
    id: s
    copy: s.txt
    col: 1-2
    line: 1-60
"""

COPY = "\n".join([
    "**本报讯**　导语段落示例，其中有一个*楷体强调*的词组，以及普通的正文文字，一直排到这一段的最后。",
    "## 一、小标题居中成行",
    "小标题之后的第一段正文，应当回到背景格的同一条基线上，和左栏的正文对齐，不能错开半行。",
    "> 引语放在栏中，用楷体排，上下各有一条细线。",
    "引语之后的正文段落，继续排在背景格上。",
    "---",
    "| 项目 | 数量 |",
    "|---|---|",
    "| 捐款 | 120万元 |",
    "| 志愿者 | 3000人 |",
    "表格之后的最后一段正文。",
])


def test_parse_kinds_and_spans():
    doc = parse_copy(COPY, "s.txt")
    kinds = [p.kind for p in doc.paragraphs]
    assert kinds == [PARA, CROSSHEAD, PARA, QUOTE, PARA, BREAK, TABLE, PARA]
    lead = doc.paragraphs[0]
    assert [(doc.text[s.start:s.end], s.emphasis) for s in lead.spans] == [("本报讯", BOLD), ("楷体强调", KAI)]
    assert doc.text[doc.paragraphs[1].start:doc.paragraphs[1].end] == "一、小标题居中成行"
    table = doc.paragraphs[6]
    assert table.header and [[c.text for c in r] for r in table.rows] == [["项目", "数量"], ["捐款", "120万元"],
                                                                       ["志愿者", "3000人"]]
    assert "*" not in doc.text and "#" not in doc.text and "|" not in doc.text
    assert not doc.plain and parse_copy("一段\n两段", "x").plain


def test_nested_spans_and_escapes():
    doc = parse_copy(r"**粗*楷*粗** 5\*3 \## 不是标题", "x")
    p = doc.paragraphs[0]
    assert doc.text == "粗楷粗 5*3 ## 不是标题"
    assert [(doc.text[s.start:s.end], s.emphasis) for s in p.spans] == [("粗", BOLD), ("楷", KAI), ("粗", BOLD)]


@pytest.mark.parametrize("copy, line, col, words", [
    ("正文\n**没有闭合的粗体", 2, 1, "never closed"),
    ("正文*楷体没有闭合", 1, 3, "never closed"),
    ("##小标题", 1, 3, "space after ##"),
    ("### 三级标题", 1, 1, "only '## '"),
    ("# 一级标题", 1, 1, "only '## '"),
    (">引语", 1, 1, "pull quote"),
    ("| a | b |\n| c |", 2, 1, "2"),
    ("| a | b", 1, 8, "end with |"),
    ("正文**粗*楷**楷*", 1, 8, "nest"),
    ("正文****", 1, 3, "ambiguous"),
    ("***", 1, 1, "section break"),
    ("　　## ", 1, 3, "empty 小标题"),
])
def test_invalid_markup_is_refused_at_line_and_column(copy, line, col, words):
    with pytest.raises(InputError) as exc:
        parse_copy(copy, "s.txt")
    where = exc.value.where
    assert (where.line, where.column) == (line, col), str(exc.value)
    assert words in str(exc.value)


def test_invalid_markup_through_build_exit_2_nothing_written(tmp_path):
    folder = make_issue(tmp_path, PAGE, {"s.txt": "第一段。\n第二段有**没闭合的粗体。\n"})
    proc, pdf = build(folder, tmp_path / "out")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert re.search(r"s\.txt:2:5: .*never closed", proc.stderr), proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out" / "2022-01-14").exists()


@pytest.fixture(scope="module")
def marked(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("markup")
    folder = make_issue(tmp, PAGE, {"s.txt": COPY})
    proc, pdf = build(folder, tmp / "out")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "overset" not in proc.stdout
    return pdf


def test_text_order_and_no_markup_set_literally(marked):
    text = re.sub(r"\s+", "", pdftext(marked))
    order = ["本报讯", "楷体强调", "一、小标题居中成行", "小标题之后的第一段", "引语放在栏中", "引语之后的正文",
             "项目", "数量", "捐款", "120万元", "志愿者", "3000人", "表格之后的最后一段"]
    at = [text.find(w) for w in order]
    assert -1 not in at and at == sorted(at), list(zip(order, at))
    for mark in ("**", "##", "|", "---", "> "):
        assert mark not in pdftext(marked), mark


def test_fonts_of_spans(marked):
    out = fonts(marked)
    assert "NotoSerifCJK" in out     # body
    assert "NotoSansCJK" in out      # **bold** lead-in, 小标题, table header: 黑体
    assert "WenKai" in out           # *楷体* span and the 引语
    cs = chars(marked)
    assert all("Sans" in c["fontname"] for c in find(cs, "本报讯"))
    assert all("WenKai" in c["fontname"] for c in find(cs, "楷体强调"))
    assert all("Serif" in c["fontname"] for c in find(cs, "导语段落"))
    assert all("Sans" in c["fontname"] for c in find(cs, "小标题居中成行"))
    assert all("WenKai" in c["fontname"] for c in find(cs, "引语放在栏中"))


def test_positions_on_the_grid(marked):
    g, _ = grid()
    cs = chars(marked)
    first = find(cs, "导语段落")[0]
    head = find(cs, "一、小标题居中成行")
    after = find(cs, "小标题之后")[0]
    quote_after = find(cs, "引语之后")[0]
    last = find(cs, "表格之后")[0]
    for c in (after, quote_after, last):  # body lines after a tall entry are back on the body grid
        rows = (c["top"] - first["top"]) / g.pitch
        assert abs(rows - round(rows)) < 0.01, (c["text"], rows)
    # the 小标题 is centred in the column and takes whole lines with air above and below
    col_left = find(cs, "本报讯")[0]["x0"] - 2 * g.char  # the lead paragraph is indented 2 em
    centre = (head[0]["x0"] + head[-1]["x1"]) / 2
    assert abs(centre - (col_left + g.column_width / 2)) < 1.0
    above = find(cs, "一直排到")[0]
    assert after["top"] - head[0]["top"] > g.pitch * 1.2 and head[0]["top"] - above["top"] > g.pitch * 1.2


def test_table_rules(marked):
    g, _ = grid()
    cs = chars(marked)
    top, bottom = find(cs, "项目")[0]["top"], find(cs, "3000人")[0]["bottom"]
    horizontal = [l for l in lines(marked) if abs(l["top"] - l["bottom"]) < 0.1 and top - g.pitch < l["top"] < bottom + g.pitch]
    assert len(horizontal) >= 4, horizontal  # top, under the header, between rows, bottom
    widths = {round(l["x1"] - l["x0"], 1) for l in horizontal}
    assert widths == {round(g.column_width, 1)}, widths


def test_any_text_parses_or_is_refused_cleanly():
    """Random copy made of markup characters: a CopyDoc whose offsets lie inside its text, or an InputError
    with a line and column inside the copy — never another exception."""
    from hypothesis import given, settings, strategies as st
    from hypothesis import HealthCheck

    @settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.text(alphabet="*#>|-\\ 　字a1\n", max_size=60))
    def check(text):
        try:
            doc = parse_copy(text, "f.txt")
        except InputError as exc:
            lines = text.split("\n")
            assert 1 <= exc.where.line <= len(lines)
            assert 1 <= exc.where.column <= len(lines[exc.where.line - 1]) + 1
            return
        for p in doc.paragraphs:
            assert 0 <= p.start <= p.end <= len(doc.text)
            for s in p.spans:
                assert p.start <= s.start < s.end <= p.end
        assert "*" not in doc.text.replace("\\*", "") or "\\" in text
    check()
