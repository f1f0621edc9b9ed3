"""导读 (type: index): 版次 from the issue, titles from the headlines, balanced columns, unknown stories refused;
through `paiban build` and the real PDF."""
from __future__ import annotations

import re
import shutil

import pytest

from newsroom_util import build, chars, find, make_issue, pdftext

pytestmark = pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")

ISSUE = ('date: 2022-01-14\nnumber: 1098\nserial: 2315\npages:\n  - {page: "01", file: 01.yaml, section: 要闻}\n'
         '  - {page: "07", file: 07.yaml, section: 理论}\n')

INNER = """template: inner
blocks:
""" + "".join(f"""  - type: headline
    id: h{i}
    story: s{i}
    main: 第{i}条稿件的标题
    col: {2 * i - 1}-{2 * i}
    line: 1-6
  - type: story
    id: s{i}
    copy: s.txt
    col: {2 * i - 1}-{2 * i}
    line: 7-40
""" for i in range(1, 5))

FRONT = """template: front
blocks:
  - type: index
    id: daodu
    col: 1-2
    line: 1-{depth}
    items:
      - story: s1
        summary: 第一条的提要文字，说明这条稿件讲了什么。
      - {{story: s2}}
      - {{story: s3, title: 自拟的导读标题}}
      - {{story: {fourth}}}
"""


def issue(tmp, depth=40, fourth="s4"):
    return make_issue(tmp, FRONT.format(depth=depth, fourth=fourth),
                      {"07.yaml": INNER, "s.txt": "正文一段。\n正文二段。\n"}, issue_yaml=ISSUE)


@pytest.fixture(scope="module")
def front(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("index")
    proc, pdf = build(issue(tmp), tmp / "out", "--page", "01")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "index-overset" not in proc.stdout
    return pdf


def test_entries_in_order_with_page_numbers_from_the_issue(front):
    text = re.sub(r"\s+", "", pdftext(front))
    assert text.startswith("导读"), text[:40]
    order = ["第1条稿件的标题", "第一条的提要文字", "第07版", "第2条稿件的标题", "第07版", "自拟的导读标题", "第07版",
             "第4条稿件的标题", "第07版"]
    at, pos = [], 0
    for word in order:
        pos = text.find(word, pos)
        at.append(pos)
        assert pos >= 0, (word, text)
        pos += len(word)
    assert text.count("第07版") == 4


def test_balanced_across_columns(front):
    cs = chars(front)
    xs = [round(find(cs, t)[0]["x0"]) for t in ("第1条稿件", "第2条稿件", "自拟的导读", "第4条稿件")]
    assert len(set(xs)) == 2, xs                    # two columns …
    tops = [find(cs, t)[0]["top"] for t in ("第1条稿件", "第2条稿件", "自拟的导读", "第4条稿件")]
    left = [t for x, t in zip(xs, tops) if x == min(xs)]
    right = [t for x, t in zip(xs, tops) if x == max(xs)]
    assert len(left) == 2 and len(right) == 2, (xs, tops)   # … two entries each …
    assert abs(left[0] - right[0]) < 0.01                    # … both starting on the first line under the heading


def test_index_page_reference_is_right_aligned_in_its_column(front):
    cs = chars(front)
    title = find(cs, "第2条稿件")[0]
    refs = [c for c in cs if c["text"] == "版" and title["x0"] <= c["x0"] < title["x0"] + 130
            and 0 <= c["top"] - title["top"] < 60]
    from newsroom_util import grid
    g, _ = grid()
    assert refs and all(abs(c["x1"] - (title["x0"] + g.column_width)) < 0.6 for c in refs), refs


def test_unknown_story_is_an_input_error(tmp_path):
    proc, pdf = build(issue(tmp_path, fourth="s5"), tmp_path / "out")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert re.search(r"01\.yaml:12:\d+: 导读 entry: story 's5' not found", proc.stderr), proc.stderr
    assert "s1, s2, s3, s4" in proc.stderr  # the hint lists the stories there are
    assert not (tmp_path / "out" / "2022-01-14").exists()


def test_entries_that_do_not_fit_are_an_error(tmp_path):
    proc, pdf = build(issue(tmp_path, depth=8), tmp_path / "out", "--page", "01", "--strict")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "index-overset" in proc.stdout


def test_titles_break_at_the_editors_line_and_between_words(tmp_path):
    # a title is broken like a headline: at the editor's line break (the 全角 space that joined the
    # headline's lines) and between words; the body breaker filled the first line and split 重|庆 and
    # 乡村|振兴 (seen on the sample's front page)
    front = FRONT.format(depth=40, fourth="s4").replace(
        "{story: s2}", "{story: s2, title: 构建慈善发展大格局\u3000重庆这样办}").replace(
        "{story: s3, title: 自拟的导读标题}", "{story: s3, title: 全市政协委员积极参与乡村振兴工作}")
    folder = make_issue(tmp_path, front, {"07.yaml": INNER, "s.txt": "正文一段。\n正文二段。\n"}, issue_yaml=ISSUE)
    proc, pdf = build(folder, tmp_path / "out", "--page", "01")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    cs = chars(pdf)
    for words in ("构建慈善发展大格局", "重庆这样办", "乡村振兴"):
        tops = {round(c["top"], 1) for c in find(cs, words)}
        assert len(tops) == 1, (words, tops)          # each on one line
    assert find(cs, "重庆这样办")[0]["top"] > find(cs, "构建慈善发展大格局")[0]["top"]
    assert find(cs, "构建慈善发展大格局")[0]["x0"] == pytest.approx(find(cs, "重庆这样办")[0]["x0"], abs=0.01)
