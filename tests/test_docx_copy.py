"""Word copy (.docx through python-docx): headings → 小标题, bold/italic → spans, tables; tracked changes and
comments refused; pictures reported — through `paiban build` and the real PDF."""
from __future__ import annotations

import io
import re
import shutil

import pytest

docx = pytest.importorskip("docx")

from newsroom_util import build, chars, find, fonts, make_issue, pdftext  # noqa: E402

pytestmark = pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")

PAGE = """template: inner
blocks:
  - type: story
    id: w
    copy: story.docx
    col: 1-2
    line: 1-60
"""


def word(tracked=False, comment=False, picture=False) -> bytes:
    d = docx.Document()
    p = d.add_paragraph()
    p.add_run("本报讯").bold = True
    p.add_run("　来自Word的导语，其中有")
    p.add_run("楷体强调").italic = True
    p.add_run("的词组，一直排到段落的末尾。")
    d.add_heading("一、Word里的小标题", level=2)
    body = d.add_paragraph("小标题之后的正文段落。")
    d.add_paragraph("引语出自Word的引用样式。", style="Quote")
    t = d.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "项目", (0, 1): "数量", (1, 0): "捐款", (1, 1): "120万元"}.items():
        run = t.cell(r, c).paragraphs[0].add_run(text)
        run.bold = r == 0
    d.add_paragraph("表格之后的末段。")
    if tracked:
        from docx.oxml import parse_xml
        body._p.append(parse_xml('<w:ins xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
                                 'w:id="1" w:author="编辑"><w:r><w:t>新加的字</w:t></w:r></w:ins>'))
    if comment:
        d.add_comment(body.runs, text="这句再核实", author="编辑")
    if picture:
        from PIL import Image
        buf = io.BytesIO()
        Image.new("RGB", (40, 30), "red").save(buf, "PNG")
        buf.seek(0)
        d.add_picture(buf)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("docx")
    proc, pdf = build(make_issue(tmp, PAGE, {"story.docx": word()}), tmp / "out")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return pdf


def test_docx_story_in_order(built):
    text = re.sub(r"\s+", "", pdftext(built))
    order = ["本报讯", "来自Word的导语", "楷体强调", "一、Word里的小标题", "小标题之后的正文", "引语出自Word",
             "项目", "数量", "捐款", "120万元", "表格之后的末段"]
    at = [text.find(w) for w in order]
    assert -1 not in at and at == sorted(at), list(zip(order, at))


def test_docx_runs_keep_their_faces(built):
    assert "WenKai" in fonts(built) and "NotoSansCJK" in fonts(built)
    cs = chars(built)
    assert all("Sans" in c["fontname"] for c in find(cs, "本报讯"))
    assert all("WenKai" in c["fontname"] for c in find(cs, "楷体强调"))
    assert all("Sans" in c["fontname"] for c in find(cs, "Word里的小标题"))
    assert all("WenKai" in c["fontname"] for c in find(cs, "引语出自"))
    assert all("Sans" in c["fontname"] for c in find(cs, "项目"))       # the bold first row: a header
    assert all("Serif" in c["fontname"] for c in find(cs, "捐款"))


@pytest.mark.parametrize("kind, words", [("tracked", "tracked changes (修订: 1 insertion)"),
                                         ("comment", "has comments (批注: 1)")])
def test_revisions_and_comments_refused(tmp_path, kind, words):
    folder = make_issue(tmp_path, PAGE, {"story.docx": word(**{kind: True})})
    proc, _ = build(folder, tmp_path / "out")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert re.search(r"01\.yaml:5:\d+: 'story\.docx' " + re.escape(words), proc.stderr) or \
        (words in proc.stderr and "01.yaml:5:" in proc.stderr), proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out" / "2022-01-14").exists()


def test_pictures_are_reported_not_dropped_silently(tmp_path):
    folder = make_issue(tmp_path, PAGE, {"story.docx": word(picture=True)})
    proc, _ = build(folder, tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"01\.yaml:5:5: warning:? .*1 picture\(s\) in '.*story\.docx' are not set.*\[docx-skipped\]", proc.stdout), \
        proc.stdout
    proc, _ = build(folder, tmp_path / "out2", "--strict")
    assert proc.returncode == 1


def test_not_a_docx(tmp_path):
    folder = make_issue(tmp_path, PAGE, {"story.docx": "只是改了扩展名的文本"})
    proc, _ = build(folder, tmp_path / "out")
    assert proc.returncode == 2
    assert "is not a Word .docx file" in proc.stderr and "01.yaml:5:" in proc.stderr


def test_word_copy_read_before_comes_from_the_cache_folder(tmp_path, monkeypatch):
    """The second build takes the Word copy from the cache folder (kept by content): same PDF, same warning;
    a changed file is read again."""
    monkeypatch.setenv("PAIBAN_CACHE", str(tmp_path / "cache"))
    folder = make_issue(tmp_path, PAGE, {"story.docx": word(picture=True)})
    first, pdf1 = build(folder, tmp_path / "out1")
    entries = list((tmp_path / "cache" / "docx").glob("*.json"))
    assert first.returncode == 0 and len(entries) == 1, first.stdout + first.stderr
    # a cache hit must give what the Word file gives: poison the entry's text and see it printed
    entry = entries[0]
    entry.write_text(entry.read_text(encoding="utf-8").replace("表格之后的末段", "缓存里的末段"), encoding="utf-8")
    second, pdf2 = build(folder, tmp_path / "out2")
    assert second.returncode == 0, second.stderr
    assert "缓存里的末段" in re.sub(r"\s+", "", pdftext(pdf2))
    assert "1 picture(s) in" in second.stdout and "[docx-skipped]" in second.stdout  # reported again
    # the file changes: read again, the cached entry no longer applies
    d = docx.Document(io.BytesIO(word()))
    d.add_paragraph("改过的Word稿。")
    buf = io.BytesIO()
    d.save(buf)
    (folder / "story.docx").write_bytes(buf.getvalue())
    third, pdf3 = build(folder, tmp_path / "out3")
    text = re.sub(r"\s+", "", pdftext(pdf3))
    assert third.returncode == 0 and "改过的Word稿" in text and "缓存里的末段" not in text
    assert "[docx-skipped]" not in third.stdout
    assert len(list((tmp_path / "cache" / "docx").glob("*.json"))) == 2
