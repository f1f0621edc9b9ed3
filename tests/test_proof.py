"""paiban proof: RGB proof PDF with a 校样 watermark and highlights, PNGs, contact sheet."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from layout.build import BuildOptions
from layout.cli import main
from layout.preflight import PreflightSpec, preflight
from layout.products.proof import make_proof


@pytest.fixture(scope="module")
def proof(tmp_path_factory) -> dict:
    """A proof of the sample issue with story2 on page 04 made overset."""
    import shutil
    root = Path(__file__).resolve().parent.parent
    base = tmp_path_factory.mktemp("proof")
    issue = base / "issues" / "2022-01-14"
    shutil.copytree(root / "issues" / "2022-01-14", issue)
    shutil.copy(root / "issues" / "publication.yaml", base / "issues" / "publication.yaml")
    copy = issue / "story2.txt"
    copy.write_text(copy.read_text(encoding="utf-8") * 4, encoding="utf-8")
    return make_proof(issue, BuildOptions(), base / "out", dpi=40, crop_dpi=120)


def pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def test_proof_writes_pdf_pngs_and_contact_sheet(proof):
    pdf, pngs, contact = proof["pdf"], proof["pngs"], proof["contact"]
    assert pdf.is_file() and [p.name for p in pngs] == ["CQZXB-20220114-01-proof.png", "CQZXB-20220114-04-proof.png"]
    with pikepdf.open(pdf) as doc:
        assert len(doc.pages) == 2
    sizes = []
    for png in pngs:
        with Image.open(png) as im:
            assert im.format == "PNG" and im.height > im.width > 500   # a broadsheet page plus margins at 40 dpi
            sizes.append(im.size)
    with Image.open(contact) as sheet:
        assert sheet.width > sheet.height          # the pages side by side
        assert sheet.width >= 2 * 700 * sizes[0][0] / sizes[0][1]


def test_proof_has_watermark_and_highlights(proof):
    text = pdftotext(proof["pdf"])
    assert "校样" in text
    assert "overset" in text                    # the overset label / note on page 04 (LANG=C: English)
    assert "low resolution" in text              # low-resolution photos are marked
    page04 = next(p for p in proof["pages"] if p["page"] == "04")
    # the overset story, the two low-resolution photos and the fallback glyph 𪚥 (no loose lines any more:
    # whole-paragraph breaking leaves none on this page, where the line-by-line breaker had several)
    assert page04["errors"] >= 1 and page04["marks"] >= 4


def test_proof_is_rgb_not_a_print_file(proof):
    with pikepdf.open(proof["pdf"]) as doc:
        assert "/GTS_PDFXVersion" not in doc.docinfo and "/OutputIntents" not in doc.Root
        for page in doc.pages:
            content = page.Contents.read_bytes() if not isinstance(page.Contents, pikepdf.Array) else \
                b"".join(c.read_bytes() for c in page.Contents)
            assert re.search(rb"[\d.]+ [\d.]+ [\d.]+ rg", content)
            assert not re.search(rb"(?<![\w.])[\d.]+ [\d.]+ [\d.]+ [\d.]+ k\b", content), "CMYK fill left over"
            xobjects = page.Resources.get("/XObject", {})
            images = [xobjects[k] for k in xobjects.keys() if xobjects[k].get("/Subtype") == "/Image"]
            assert images                                  # every sample page has photos
            for image in images:
                assert image.ColorSpace == pikepdf.Name.DeviceRGB
    findings = preflight([proof["pdf"]], PreflightSpec(check_ink=False))
    assert any(f.code == "rgb-colour" for f in findings)
    assert any(f.code == "pdfx-version" for f in findings)


def test_proof_command(sample_copy, tmp_path, capsys):
    out = tmp_path / "p"
    assert main(["proof", str(sample_copy), "--page", "04", "--out", str(out), "--dpi", "30"]) == 0
    assert (out / "CQZXB-20220114-proof.pdf").is_file()
    assert (out / "CQZXB-20220114-04-proof.png").is_file() and (out / "CQZXB-20220114-contact.png").is_file()
    assert "proof" in capsys.readouterr().out


def test_proofs_are_proofreadable_by_default():
    import inspect
    assert inspect.signature(make_proof).parameters["dpi"].default >= 150
    assert inspect.signature(make_proof).parameters["crop_dpi"].default >= 300


def test_a_crop_per_story_with_a_problem(proof):
    names = [c.name for c in proof["crops"]]
    assert "CQZXB-20220114-04-story2-proof.png" in names          # the overset story
    assert all("-head-" not in n for n in names)                 # stories and photos, not headlines
    from layout.load.issue import load_issue
    issue = load_issue(Path(proof["pdf"]).parent.parent / "issues" / "2022-01-14")
    story = next(b for p in issue.pages for b in p.blocks if b.id == "story2").rect
    mm = 72 / 25.4
    with Image.open(proof["pngs"][1]) as page, \
            Image.open(next(c for c in proof["crops"] if c.name.endswith("story2-proof.png"))) as crop:
        sheet_w = page.width * 72 / 40                  # pt; the page PNG is at 40 dpi
        left = 3 * mm + 12 * mm                         # bleed + margin (ProofSettings)
        # the story from 4 mm left of it to the sheet's right edge (its margin notes), at 120 dpi
        assert abs(crop.width - (sheet_w - (left + story.x - 4 * mm)) * 120 / 72) <= 4
        assert abs(crop.height - (story.h + 38 * mm) * 120 / 72) <= 4


def test_marks_leave_the_text_readable_and_notes_speak_chinese(sample_copy, tmp_path, monkeypatch):
    """Over the page only outlines and light fills; every label, note and quoted line in the margin,
    in Chinese under a Chinese locale."""
    from layout.render import proof_pdf
    drawn = []
    render = proof_pdf.ProofRenderer.render

    def recording(self):
        data = render(self)
        drawn.append((self.frame, list(self.overlays), list(self.p.marks)))
        return data
    monkeypatch.setattr(proof_pdf.ProofRenderer, "render", recording)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    copy = sample_copy / "story2.txt"
    copy.write_text(copy.read_text(encoding="utf-8") * 4, encoding="utf-8")
    result = make_proof(sample_copy, BuildOptions(pages=("04",)), tmp_path / "out", dpi=20, crop_dpi=20)
    (frame, overlays, marks), = drawn
    texts = [o for o in overlays if o[0] == "text"]
    assert len(texts) >= 5
    for kind, x, y, w, h, alpha in overlays:
        if kind == "text":    # labels, notes, overset text: right of the page and its bleed
            assert x >= frame.width + frame.bleed, (kind, x, y)
        else:                 # on the page: a highlighter at most
            assert alpha <= proof_pdf.MAX_FILL
    labels = [m.label for m in marks if m.label]
    assert any(label.startswith("超排") for label in labels) and "分辨率低" in labels
    assert any("未排入" in m.note for m in marks)
    text = pdftotext(result["pdf"])
    assert "校样 — 非印刷文件" in text and "超排" in text and "overset" not in text
