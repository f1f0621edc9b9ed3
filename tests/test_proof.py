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
    return make_proof(issue, BuildOptions(), base / "out", dpi=40)


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
    assert page04["errors"] >= 1 and page04["marks"] > 5


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
