"""The gate to the press: one severity model, exit statuses, what a failing page may claim and where it goes.

error = this page must not go to press (exit 1 without options); warning = a person should look (exit 1
only with --strict); info = done for you. Invalid input stays exit 2.
"""
from __future__ import annotations

import pikepdf
import pytest

from conftest import SAMPLE
from layout.cli import main
from layout.model.findings import Finding
from test_ads import make_ad


def test_exit_status_model():
    from layout.model.findings import exit_status
    err, warn, info = (Finding(s, "x", "m") for s in ("error", "warning", "info"))
    assert [exit_status(f) for f in ([], [info], [warn], [err], [info, warn, err])] == [0, 0, 0, 1, 1]
    assert [exit_status(f, strict=True) for f in ([], [info], [warn], [err])] == [0, 0, 1, 1]


def test_preflight_fails_on_an_error_without_strict(tmp_path, capsys):
    good = make_ad(tmp_path / "good.pdf")
    bad = make_ad(tmp_path / "rgb.pdf", rgb=True)
    assert main(["preflight", str(good)]) == 0
    assert main(["preflight", str(bad)]) == 1
    assert "rgb-colour" in capsys.readouterr().out


def test_build_warnings_pass_unless_strict(tmp_path, capsys):
    """Page 01 of the sample has two low-ppi warnings (stand-in photos) and no error."""
    out = tmp_path / "o"
    assert main(["build", str(SAMPLE), "--out", str(out), "--page", "01", "-j", "1"]) == 0
    assert "warning" in capsys.readouterr().out
    assert main(["build", str(SAMPLE), "--out", str(out), "--page", "01", "-j", "1", "--strict"]) == 1


# -- every page preflighted as written; a failing page loses its PDF/X claim and is held back -------------

def _claims_pdfx(path) -> bool:
    import pikepdf
    with pikepdf.open(path) as pdf:
        return "/GTS_PDFXVersion" in pdf.docinfo or "/OutputIntents" in pdf.Root


def test_failing_page_is_written_unlabelled_marked_and_held_back(sample_copy, tmp_path):
    import json
    import subprocess
    import sys
    import pikepdf
    from conftest import ROOT
    lead = sample_copy / "lead.txt"
    lead.write_text(lead.read_text(encoding="utf-8") * 2, encoding="utf-8")   # overset: an error
    out, hot = tmp_path / "o", tmp_path / "hot"
    proc = subprocess.run([sys.executable, "-m", "layout", "build", str(sample_copy), "--out", str(out),
                           "--deliver", str(hot)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr
    folder = out / "2022-01-14"
    p01, p04 = folder / "CQZXB-20220114-01.pdf", folder / "CQZXB-20220114-04.pdf"
    assert p04.is_file()                          # still written, for proofing
    assert _claims_pdfx(p01) and not _claims_pdfx(p04)
    with pikepdf.open(p04) as pdf:
        assert str(pdf.docinfo.Subject).startswith("NOT FOR PRESS: 1 error(s): overset")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    states = {f["page"]: (f["status"], f["counts"]["error"]) for f in manifest["files"]}
    assert states == {"01": ("ok", 0), "04": ("failed", 1)}
    assert sorted(p.name for p in hot.iterdir()) == ["CQZXB-20220114-01.pdf", "manifest.json"]
    assert "held back: page 04" in proc.stdout


def test_written_page_is_preflighted_from_its_bytes(tmp_path):
    """A fault only the bytes show (RGB in the content stream) is found after rendering, at the page."""
    import io
    import pikepdf
    from layout.build.gate import gate_page
    from layout.load.issue import load_issue
    issue = load_issue(SAMPLE)
    page = issue.pages[0]
    pub = issue.publication    # a clean PDF/X-1a page of our renderer, of the publication's trim size
    good = make_ad(tmp_path / "page.pdf", w=pub.trim_w, h=pub.trim_h)
    data = good.read_bytes()
    kept, found = gate_page(data, "x.pdf", issue.publication, page, [])
    assert kept == data and not [f for f in found if f.severity == "error"]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        content = pdf.pages[0].obj.Contents.read_bytes()
        pdf.pages[0].obj.Contents.write(content.replace(b"0 0.2 0.6 0 k", b"1 0 0 rg"))
        buf = io.BytesIO()
        pdf.save(buf)
    written, found = gate_page(buf.getvalue(), "x.pdf", issue.publication, page, [])
    [rgb] = [f for f in found if f.code == "rgb-colour"]
    assert rgb.severity == "error" and rgb.page == page.number and rgb.message.startswith("written PDF:")
    assert rgb.where.file.endswith("01.yaml")
    with pikepdf.open(io.BytesIO(written)) as pdf:
        assert "/OutputIntents" not in pdf.Root and "/GTS_PDFXConformance" not in pdf.docinfo


# -- advertisements: failing ones are repaired (safely) or not placed -----------------------------------

def _ad(path, new_tint: bytes = b"", extra: bytes = b"", gstate=None, font=False):
    """make_ad's clean ad with its tint operator replaced and/or content, an ExtGState or an unembedded
    Helvetica added (an advertiser's typical faults)."""
    import pikepdf
    make_ad(path)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        page = pdf.pages[0].obj
        content = page.Contents.read_bytes()
        if new_tint:
            assert b"0 0.2 0.6 0 k" in content
            content = content.replace(b"0 0.2 0.6 0 k", new_tint, 1)
        if gstate is not None:
            if "/ExtGState" not in page.Resources:
                page.Resources.ExtGState = pikepdf.Dictionary()
            page.Resources.ExtGState.GSt = pikepdf.Dictionary(gstate)
            content = b"/GSt gs\n" + content
        if font:
            page.Resources.Font.Helv = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                          BaseFont=pikepdf.Name.Helvetica)
            content += b"\nq 0 0 0 1 k BT /Helv 14 Tf 20 200 Td (Hello from Helvetica) Tj ET Q\n"
        page.Contents.write(content + extra)
        pdf.save(path)
    return path


def _build_ad(sample_copy, tmp_path, ad_maker):
    from test_ads import AD, with_ad
    ad_maker(sample_copy / "ad.pdf")
    with_ad(sample_copy, AD)
    out = tmp_path / "o"
    import io
    from contextlib import redirect_stdout
    buf = io.StringIO()
    with redirect_stdout(buf):
        rc = main(["build", str(sample_copy), "--out", str(out), "--page", "04", "-j", "1"])
    return rc, buf.getvalue(), out / "2022-01-14" / "CQZXB-20220114-04.pdf"


def _page_text(pdf) -> str:
    import subprocess
    return "".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())


def _has_ad_form(pdf) -> bool:
    import pikepdf
    with pikepdf.open(pdf) as doc:
        return "/PBAd1" in doc.pages[0].obj.Resources.get("/XObject", {})


def test_400_percent_ink_ad_is_not_placed(sample_copy, tmp_path):
    rc, out, pdf = _build_ad(sample_copy, tmp_path, lambda p: _ad(p, b"1 1 1 1 k"))
    assert rc == 1
    assert "[ad-refused]" in out and "ink-limit" in out and "[ad-ink-limit]" in out
    assert not _has_ad_form(pdf) and not _claims_pdfx(pdf)
    text = _page_text(pdf)
    assert "广告待换" in text and "ink-limit" in text and "示例广告" not in text


def test_transparent_ad_is_flattened_checked_and_placed(sample_copy, tmp_path):
    import pikepdf
    from layout.preflight import PreflightSpec, preflight
    rc, out, pdf = _build_ad(sample_copy, tmp_path, lambda p: _ad(p, gstate={"/ca": 0.5, "/CA": 0.5}))
    assert rc == 0, out
    assert "[ad-repaired]" in out and "transparency flattened" in out
    assert _has_ad_form(pdf) and _claims_pdfx(pdf) and "广告待换" not in _page_text(pdf)
    with pikepdf.open(pdf) as doc:
        assert doc.pdf_version == "1.3"
    again = preflight([pdf], PreflightSpec(trim_mm=(390, 540), check_ink=False))
    assert not [f for f in again if f.severity == "error"], again


def test_ad_with_unembedded_font_gets_it_embedded(sample_copy, tmp_path):
    import re
    import subprocess
    rc, out, pdf = _build_ad(sample_copy, tmp_path, lambda p: _ad(p, font=True))
    assert rc == 0, out
    assert "[ad-repaired]" in out and "fonts embedded" in out
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    for row in fonts.splitlines()[2:]:
        assert re.search(r"\byes\s+yes\s+(yes|no)\s", row), row     # every font embedded
    assert "HellofromHelvetica" in _page_text(pdf)


def test_fix_ad_command(tmp_path, capsys):
    bad = _ad(tmp_path / "rgb.pdf", b"0.9 0.8 0.5 rg")        # a pale RGB tint: repairable within the ink limit
    out = tmp_path / "fixed.pdf"
    assert main(["fix-ad", str(bad), str(out)]) == 0, capsys.readouterr().out
    assert main(["preflight", str(out)]) == 0, capsys.readouterr().out
    hot = _ad(tmp_path / "hot.pdf", b"1 1 1 1 k")              # 400 % ink: not repairable
    assert main(["fix-ad", str(hot), str(tmp_path / "no.pdf")]) == 1
    assert not (tmp_path / "no.pdf").exists()


# -- 转版 integrity: both ends must exist and match; every character printed exactly once --------------

def _jump_issue(root, continued: bool = True):
    """The sample copied under root; page 04's lead story continues on a new page 05 (lead-cont), with
    enough added copy that about half a page runs on."""
    import shutil
    from conftest import ROOT
    dest = root / "issues" / "2022-01-14"
    shutil.copytree(SAMPLE, dest)
    shutil.copy(ROOT / "issues" / "publication.yaml", root / "issues" / "publication.yaml")
    issue = (dest / "issue.yaml").read_text(encoding="utf-8")
    issue += ('  - page: "05"\n    file: 05.yaml\n    section: 综合\n'
              '    editors: {responsible: 示例, art: 示例, proof: 示例}\n')
    (dest / "issue.yaml").write_text(issue, encoding="utf-8")
    page4 = (dest / "04.yaml").read_text(encoding="utf-8")
    (dest / "04.yaml").write_text(page4.replace("    copy: lead.txt\n",
                                                '    copy: lead.txt\n    continues: {page: "05", story: lead-cont}\n'),
                                  encoding="utf-8")
    with open(dest / "lead.txt", "a", encoding="utf-8") as fh:
        fh.write("".join(f"转版续文第{i}段，用来检验跨版稿件（接排在第05版）。" * 6 + "\n" for i in range(1, 9)))
    cont = "{page: '04', story: lead}" if continued else "{page: '04', story: story2}"
    (dest / "05.yaml").write_text(
        "template: inner\nblocks:\n"
        "  - {type: headline, id: lead-cont-head, story: lead-cont, main: 助推乡村振兴走深走实, size: 小二,"
        " col: 1-4, line: 1-4}\n"
        f"  - {{type: story, id: lead-cont, continued: {cont}, col: 1-4, line: 5-60}}\n", encoding="utf-8")
    return dest


def _bad_jump(tmp_path, capsys, edit):
    folder = _jump_issue(tmp_path)
    edit(folder)
    rc = main(["build", str(folder), "--out", str(tmp_path / "o"), "-j", "1"])
    err = capsys.readouterr().err
    assert rc == 2 and err.count("paiban: error") == 1 and "Traceback" not in err
    assert not (tmp_path / "o").exists()
    return err


@pytest.mark.parametrize("page, old, new, expected", [
    # a page the issue lacks
    ("04", 'page: "05", story: lead-cont', 'page: "99", story: x',
     ["page 04 story 'lead' continues on page 99, which this issue does not have", "04.yaml:"]),
    # continued: without the matching continues: both ends named
    ("05", "story: lead}", "story: story2}",
     ["page 04 story 'lead' continues on page 05 story 'lead-cont'", 'continued: {page: "04", story: lead}']),
    # continued from itself (it used to recurse until Python's recursion limit)
    ("04", 'page: "05", story: lead-cont', 'page: "04", story: lead', ["page 04 story 'lead' continues on itself"]),
], ids=["page-the-issue-lacks", "unmatched-continued", "continues-on-itself"])
def test_broken_jump_is_one_input_error(tmp_path, capsys, page, old, new, expected):
    def edit(folder):
        p = folder / f"{page}.yaml"
        text = p.read_text(encoding="utf-8")
        assert old in text  # the edit must apply, or the test proves nothing
        p.write_text(text.replace(old, new), encoding="utf-8")
    err = _bad_jump(tmp_path, capsys, edit)
    for words in expected:
        assert words in err, err


def _printed_by_story(issue, results) -> dict:
    """Characters of each story's body runs (inside its regions, in its style), joined over its pages:
    the part on a later page (continued) is counted with the story it continues."""
    from collections import Counter
    from layout.model.frame import GlyphRun
    from layout.model.spec import StoryBlock
    owner = {}
    for page in issue.pages:
        for b in page.blocks:
            if isinstance(b, StoryBlock):
                owner[(page.number, b.id)] = (b.continued_page, b.continued_story) if b.continued_page \
                    else (page.number, b.id)
    printed = {}
    frames = {r.number: res.frame for r, res in results}
    for page in issue.pages:
        for b in page.blocks:
            if not isinstance(b, StoryBlock):
                continue
            key = owner[(page.number, b.id)]
            while key != owner.get(key, key):
                key = owner[key]
            text = printed.setdefault(key, Counter())
            for it in frames[page.number].items:
                if isinstance(it, GlyphRun) and it.role != "byline" and any(
                        r.x - 0.5 <= it.x <= r.right + 0.5 and r.y <= it.y <= r.y + r.h for r in b.regions):
                    text.update(ch for g in it.glyphs for ch in g.text)   # a glyph may draw ——
    return printed


def _copy_by_story(issue) -> dict:
    from collections import Counter
    from layout.model.spec import StoryBlock
    from layout.text.normalize import normalize_copy
    out = {}
    for page in issue.pages:
        for b in page.blocks:
            if isinstance(b, StoryBlock) and not b.continued_page:
                out[(page.number, b.id)] = Counter(ch for ch in normalize_copy(b.text)[0] if not ch.isspace())
    return out


def _assert_each_character_once(folder):
    from collections import Counter
    from layout.build.issue import compose_issue
    from layout.build.options import BuildOptions
    issue, results = compose_issue(folder, BuildOptions(jobs=1))
    printed, copy = _printed_by_story(issue, results), _copy_by_story(issue)
    assert set(printed) == set(copy)
    # page 01's stories carry newsroom markup (tables, 导读 quotes) that prints more than the plain copy;
    # page 04 (and the jump's page 05) hold plain copy, where the count must be exact
    copy = {k: v for k, v in copy.items() if k[0] != "01"}
    assert len(copy) >= 4
    for key, chars in copy.items():
        got = Counter({c: n for c, n in printed[key].items() if not c.isspace()})
        # (the jump lines （下转第05版）/（上接第04版） are set in the byline style: not counted)
        missing, extra = chars - got, got - chars
        assert not missing and not extra, (key, "missing", dict(missing), "extra", dict(extra))
    return issue, results


def test_every_character_printed_exactly_once_sample():
    _assert_each_character_once(SAMPLE)


def test_every_character_printed_exactly_once_across_a_jump(tmp_path):
    issue, results = _assert_each_character_once(_jump_issue(tmp_path))
    texts = {r.number: "".join(g.text for it in res.frame.items if hasattr(it, "glyphs") for g in it.glyphs)
             for r, res in results}
    assert "（下转第05版）" in texts["04"] and "（上接第04版）" in texts["05"]


def test_headline_overflow_is_an_error(sample_copy, tmp_path, capsys):
    """A headline group taller than its block prints over the text below it: not for press."""
    page = sample_copy / "04.yaml"
    text = page.read_text(encoding="utf-8")
    assert "    main: 履职于行 躬身慈善\n    col: 1-4\n    line: 63-68\n" in text
    page.write_text(text.replace("    main: 履职于行 躬身慈善\n    col: 1-4\n    line: 63-68\n",
                                 "    main: 履职于行 躬身慈善\n    col: 1-4\n    line: 63-64\n"), encoding="utf-8")
    assert main(["check", str(sample_copy), "--page", "04"]) == 1
    out = capsys.readouterr().out
    assert "error   headline-overset [story3]" in out


def test_trailer_id_from_content(tmp_path):
    """Different pages, different /IDs; the same input, the same bytes (and so the same /ID)."""
    import pikepdf
    from layout.model.frame import Box, Color, PageFrame
    from layout.photo.color import DEFAULT_PROFILE
    from layout.render.pdf import PdfSettings, render_pdf

    def page(k: float) -> bytes:
        frame = PageFrame(200, 300, 8.5, [Box(10, 10, 50, 50, stroke=None, fill=Color(0, 0, 0, k))])
        return render_pdf(frame, PdfSettings(title="t", date="2022-01-14", profile=DEFAULT_PROFILE.read_bytes()))

    def ids(data: bytes):
        path = tmp_path / "p.pdf"
        path.write_bytes(data)
        with pikepdf.open(path) as pdf:
            return [bytes(x) for x in pdf.trailer.ID]
    a, b = page(0.2), page(0.4)
    assert a == page(0.2)
    assert ids(a) != ids(b)
    assert ids(a)[0] == ids(a)[1] and len(ids(a)[0]) == 16


def test_filled_box_is_drawn_under_text_whatever_its_order(sample_copy):
    """A tint box listed after the story it sits behind used to paint over a third of the story's text."""
    from layout.build.issue import compose_issue
    from layout.build.options import BuildOptions
    from layout.model.frame import Box, GlyphRun
    page = sample_copy / "04.yaml"
    page.write_text(page.read_text(encoding="utf-8").rstrip("\n") +
                    "\n  - type: box\n    col: 1-4\n    line: 69-98\n    weight: 0\n    fill: gray(20)\n",
                    encoding="utf-8")
    _, results = compose_issue(sample_copy, BuildOptions(pages=("04",), jobs=1))
    [(report, result)] = results
    items = result.frame.items
    tint = next(i for i, it in enumerate(items) if isinstance(it, Box) and it.fill is not None
                and round(it.fill.k, 2) == 0.2)
    box = items[tint]
    inside = [i for i, it in enumerate(items) if isinstance(it, GlyphRun) and it.role == "body"
              and box.x <= it.x <= box.x + box.w and box.y <= it.y <= box.y + box.h]
    assert len(inside) > 20 and tint < min(inside)      # story3's text, drawn after (over) the tint
    assert not [f for f in report.findings if f.code == "covers-text"]


def test_opaque_block_over_text_is_an_error(sample_copy):
    """A photo placed in millimetres over a story's columns hides its text: an error naming both blocks."""
    from layout.build.issue import compose_issue
    from layout.build.options import BuildOptions
    from layout.compose.page import PageComposer
    from layout.model.frame import GlyphRun, Image
    from layout.model.spec import PhotoBlock, StoryBlock
    issue_, results = compose_issue(SAMPLE, BuildOptions(pages=("04",), jobs=1))
    [(report, result)] = results
    page = next(p for p in issue_.pages if p.number == "04")
    story = next(b for b in page.blocks if isinstance(b, StoryBlock) and b.id == "story3")
    photo = next(b for b in page.blocks if isinstance(b, PhotoBlock))
    runs = [it for it in result.frame.items if isinstance(it, GlyphRun) and it.role == "body"
            and story.regions[0].x <= it.x <= story.regions[0].right and story.regions[0].y <= it.y]
    from layout.compose.page import ComposeOptions
    pc = PageComposer(issue_, page, None, ComposeOptions())
    img = next(it for it in result.frame.items if isinstance(it, Image))
    from dataclasses import replace
    over = replace(img, x=runs[0].x, y=runs[0].y - 10)
    pc.check_covers([(story, runs), (photo, [over])])
    [f] = pc.findings
    assert f.code == "covers-text" and f.severity == "error" and f.story == photo.id
    assert f.data == {"over": photo.id, "under": "story3"} and "story3" in f.message


def test_black_text_overprinting_a_tint_counts_its_ink(sample_copy, capsys):
    """100 % K text overprints: on a 60/60/60/0 tint (180 %) the press puts 280 % on the paper."""
    page = sample_copy / "04.yaml"
    page.write_text(page.read_text(encoding="utf-8").rstrip("\n") +
                    "\n  - type: box\n    col: 1-4\n    line: 69-98\n    weight: 0\n    fill: cmyk(60,60,60,0)\n",
                    encoding="utf-8")
    assert main(["check", str(sample_copy), "--page", "04", "--format", "json"]) == 1
    import json
    report = json.loads(capsys.readouterr().out)
    [f] = [f for f in report["findings"] if f["code"] == "overprint-ink"]
    assert f["severity"] == "error" and f["data"]["percent"] == 280.0 and f["data"]["tint"] == [60, 60, 60, 0]
    assert 0 < f["data"]["x_mm"] < 200 and f["data"]["y_mm"] > 300      # in the lower left quarter
    # a light tint with its own K: the text's K replaces it — 20/20/20/60 under 100 % K gives 160 %
    page.write_text(page.read_text(encoding="utf-8").replace("cmyk(60,60,60,0)", "cmyk(20,20,20,60)"),
                    encoding="utf-8")
    assert main(["check", str(sample_copy), "--page", "04"]) == 0
    assert "overprint-ink" not in capsys.readouterr().out


# -- preflight: hostile cases it used to miss (fixtures built here with pikepdf) -----------------------

def _hostile(folder, name, fn):
    """test_preflight's clean PDF/X-1a page with one hostile thing added by `fn`."""
    import pikepdf
    from test_preflight import make_pdf
    p = make_pdf(folder / f"{name}.pdf")
    with pikepdf.open(p, allow_overwriting_input=True) as pdf:
        fn(pdf, pdf.pages[0].obj)
        pdf.save(p)
    return p


def _add_content(page, pdf, data):
    page.Contents = pdf.make_stream(page.Contents.read_bytes() + b"\n" + data)


def _transfer(pdf, page):
    res = page.Resources
    res.ExtGState = pikepdf.Dictionary(GSX=pikepdf.Dictionary(TR=pikepdf.Name.Identity, Type=pikepdf.Name.ExtGState))
    # a direct (inline) dictionary with a transfer function stream
    fn = pdf.make_stream(b"{}", FunctionType=4, Domain=[0, 1], Range=[0, 1])
    res.ExtGState.GSX.TR = fn
    _add_content(page, pdf, b"q /GSX gs 0 0 0 1 k 10 10 50 50 re f Q")


def _pattern(pdf, page):
    pat = pdf.make_stream(b"1 0 0 rg 0 0 10 10 re f", Type=pikepdf.Name.Pattern, PatternType=1, PaintType=1,
                          TilingType=1, BBox=[0, 0, 10, 10], XStep=10, YStep=10, Resources=pikepdf.Dictionary())
    page.Resources.Pattern = pikepdf.Dictionary(P1=pat)
    _add_content(page, pdf, b"q /Pattern cs /P1 scn 10 10 50 50 re f Q")


def _sep(pdf, page):
    fn = pdf.make_stream(b"{dup 0 exch}", FunctionType=4, Domain=[0, 1], Range=[0, 1, 0, 1, 0, 1])
    cs = pikepdf.Array([pikepdf.Name.Separation, pikepdf.Name("/Gold"), pikepdf.Name.DeviceRGB, fn])
    page.Resources.ColorSpace = pikepdf.Dictionary(CS1=cs)
    _add_content(page, pdf, b"q /CS1 cs 1 scn 10 10 50 50 re f Q")


def _devn(pdf, page):
    fn = pdf.make_stream(b"{pop dup dup}", FunctionType=4, Domain=[0, 1, 0, 1], Range=[0, 1, 0, 1, 0, 1])
    cs = pikepdf.Array([pikepdf.Name.DeviceN, pikepdf.Array([pikepdf.Name.Cyan, pikepdf.Name.Magenta]), pikepdf.Name.DeviceRGB, fn])
    page.Resources.ColorSpace = pikepdf.Dictionary(CS2=cs)
    _add_content(page, pdf, b"q /CS2 cs 1 1 scn 10 10 50 50 re f Q")


def _type3(pdf, page):
    proc = pdf.make_stream(b"1000 0 0 0 1000 1000 d1 1 0 0 rg 0 0 1000 1000 re f")
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type3,
        FontBBox=[0, 0, 1000, 1000], FontMatrix=[0.001, 0, 0, 0.001, 0, 0],
        CharProcs=pikepdf.Dictionary(a=proc), Encoding=pikepdf.Dictionary(Type=pikepdf.Name.Encoding, Differences=[97, pikepdf.Name.a]),
        FirstChar=97, LastChar=97, Widths=[1000], Resources=pikepdf.Dictionary()))
    page.Resources.Font.T3 = font
    _add_content(page, pdf, b"BT /T3 12 Tf 20 20 Td (a) Tj ET")


def _js(pdf, page):
    # a direct dictionary: the pass over numbered objects never sees it
    pdf.Root.OpenAction = pikepdf.Dictionary(Type=pikepdf.Name.Action, S=pikepdf.Name.JavaScript,
                                             JS=pikepdf.String("app.alert('hi')"))


HOSTILE = {"transfer": (_transfer, "transfer-function", "/GSX"),        # TR in a direct ExtGState
           "pattern": (_pattern, "rgb-colour", "rg"),                   # RGB inside a tiling pattern cell
           "sep": (_sep, "rgb-colour", "Separation with a DeviceRGB alternate"),
           "devn": (_devn, "rgb-colour", "DeviceN with a DeviceRGB alternate"),
           "type3": (_type3, "rgb-colour", "rg"),                       # RGB inside a Type3 glyph procedure
           "js": (_js, "javascript", "OpenAction")}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_preflight_catches_hostile_pdf(case, tmp_path):
    from layout.preflight import PreflightSpec, preflight
    fn, code, words = HOSTILE[case]
    path = _hostile(tmp_path, case, fn)
    found = [f for f in preflight([path], PreflightSpec(check_ink=False)) if f.code == code]
    assert found and found[0].severity == "error" and any(words in f.message for f in found), found


# -- one JSON shape for findings ---------------------------------------------------------------------

def test_cached_photo_findings_name_this_issues_file(tmp_path):
    """The photo cache is keyed by content: a second issue with the same photo got the first one's path."""
    from PIL import Image
    from layout.photo.prepare import prepare_photo
    a, b = tmp_path / "a" / "p.png", tmp_path / "b" / "q.png"
    for p in (a, b):
        p.parent.mkdir()
        Image.new("RGB", (300, 200), (120, 140, 160)).save(p)
    kw = dict(cache_dir=tmp_path / "cache")
    first = prepare_photo(a, 300.0, 200.0, **kw)       # 72 ppi: a finding naming the photo
    second = prepare_photo(b, 300.0, 200.0, **kw)      # from the cache
    assert first.findings and {f.data["image"] for f in first.findings} == {str(a)}
    assert {f.data["image"] for f in second.findings} == {str(b)}
    assert all(f.message.startswith("photo q.png: ") for f in second.findings if f.data.get("image"))


def _schema_validate(report):
    import json
    import jsonschema
    from conftest import ROOT
    schema = json.loads((ROOT / "docs" / "findings.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(report)


def test_build_json_follows_the_findings_schema(sample_copy, tmp_path, capsys):
    import json
    lead = sample_copy / "lead.txt"
    lead.write_text(lead.read_text(encoding="utf-8") * 2, encoding="utf-8")   # page 04 fails
    rc = main(["build", str(sample_copy), "--out", str(tmp_path / "o"), "--format", "json", "-j", "1",
               "--deliver", str(tmp_path / "hot")])
    report = json.loads(capsys.readouterr().out)
    assert rc == 1
    _schema_validate(report)
    pages = {p["page"]: p for p in report["pages"]}
    assert pages["04"]["status"] == "failed" and not pages["04"]["delivered"] and pages["04"]["counts"]["error"] >= 1
    assert pages["01"]["status"] == "ok" and pages["01"]["delivered"] and pages["01"]["pdf"].endswith("-01.pdf")
    assert report["summary"]["worst"] == "error" and report["tool"] == "paiban build"


def test_site_reports_what_build_finds(sample_copy, tmp_path, capsys):
    lead = sample_copy / "lead.txt"
    lead.write_text(lead.read_text(encoding="utf-8") * 2, encoding="utf-8")
    assert main(["site", str(sample_copy), "--out", str(tmp_path / "site")]) == 1
    out = capsys.readouterr().out
    assert "error page 04 story lead:" in out and "[overset]" in out and "1 error(s)" in out
