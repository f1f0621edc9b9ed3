"""Preflight: each fixture PDF breaks one rule and must be caught with the
right code; the clean PDF must pass with no errors or warnings."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pikepdf
import pytest
from PIL import Image
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from layout.model.findings import InputError
from layout.preflight import (CODES, PreflightSpec, preflight, report_json, report_junit,
                              report_text)
from layout.preflight.base import mat_mul, resolve_cs
from layout.preflight.document import icc_header_problem

ROOT = Path(__file__).resolve().parents[1]
ICC = ROOT / "tests" / "data" / "TR002-lowq.icc"
SCHEMA = ROOT / "docs" / "findings.schema.json"
TRIM_MM = (100.0, 140.0)
BLEED_MM = 3.0
FAST = PreflightSpec(check_ink=False)          # structure-only for tests that don't need gs

pdfmetrics.registerFont(TTFont("Vera", "Vera.ttf"))   # ships with reportlab: embedded TrueType


# --- fixture builder -----------------------------------------------------------------

def cmyk_image(px: int, tint=(20, 40, 60, 10)) -> Image.Image:
    return Image.new("CMYK", (px, px), tuple(int(v * 2.55) for v in tint))


def make_pdf(path: Path, draw=None, *, trim=True, output_intent=True, initial_font="Vera",
             trim_mm=TRIM_MM, pdfx=True, version="1.3") -> Path:
    """A PDF/X-1a-shaped page: reportlab draws, pikepdf adds what reportlab
    cannot (boxes, OutputIntent, PDF/X Info keys, 1.3 header)."""
    w, h = trim_mm[0] * mm, trim_mm[1] * mm
    b = BLEED_MM * mm
    c = canvas.Canvas(str(path), pagesize=(w + 2 * b, h + 2 * b), initialFontName=initial_font,
                      pageCompression=1, invariant=1)
    c.translate(b, b)                       # draw in trim coordinates
    if draw is not None:
        draw(c, w, h)
    c.showPage()
    c.save()
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        page = pdf.pages[0]
        if trim:
            page.obj.TrimBox = pikepdf.Array([b, b, b + w, b + h])
            page.obj.BleedBox = pikepdf.Array([0, 0, w + 2 * b, h + 2 * b])
        if output_intent:
            add_output_intent(pdf)
        if pdfx:
            info = pdf.docinfo
            info.Title = "test page"
            info.CreationDate = "D:20240101120000+08'00'"
            info.ModDate = "D:20240101120000+08'00'"
            info.GTS_PDFXVersion = "PDF/X-1:2001"
            info.GTS_PDFXConformance = "PDF/X-1a:2001"
            info.Trapped = pikepdf.Name("/False")
        else:                               # reportlab writes some of these itself
            for key in ("/Title", "/CreationDate", "/ModDate", "/Trapped"):
                if key in pdf.docinfo:
                    del pdf.docinfo[key]
        pdf.save(path, force_version=version, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    return path


def add_output_intent(pdf: pikepdf.Pdf, icc: bytes | None = None) -> None:
    profile = pdf.make_stream(icc if icc is not None else ICC.read_bytes())
    profile.N = 4
    intent = pikepdf.Dictionary(Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFX,
                                OutputConditionIdentifier="CGATS TR 002",
                                RegistryName="http://www.color.org",
                                Info="Coldset newsprint (CGATS TR 002)",
                                DestOutputProfile=profile)
    pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(intent)])


def overprint_black_text(c, text="body text", size=9, x=10 * mm, y=20 * mm):
    c.saveState()
    c.setFillOverprint(True)
    c.setOverprintMask(1)
    c.setFillColorCMYK(0, 0, 0, 1)
    c.setFont("Vera", size)
    c.drawString(x, y, text)
    c.restoreState()


def clean_drawing(c, w, h):
    c.setFillColorCMYK(0.6, 0.4, 0.4, 0.4)       # 180 %
    c.rect(5 * mm, h - 40 * mm, 40 * mm, 30 * mm, stroke=0, fill=1)
    # 300 px over 1 inch = 300 ppi
    c.drawInlineImage(cmyk_image(300), 50 * mm, h - 60 * mm, width=25.4 * mm, height=25.4 * mm)
    overprint_black_text(c)
    c.setFillColorCMYK(0, 1, 1, 0)
    c.setFont("Vera", 24)
    c.drawString(10 * mm, 40 * mm, "HEAD")


def codes(findings, severity=None):
    return {f.code for f in findings if severity is None or f.severity == severity}


def only(findings, code):
    hits = [f for f in findings if f.code == code]
    assert hits, f"{code} not reported; got {sorted(codes(findings))}"
    return hits


@pytest.fixture
def clean(tmp_path):
    return make_pdf(tmp_path / "clean.pdf", clean_drawing)


# --- the clean file passes --------------------------------------------------------------

def test_clean_pdf_passes_everything(clean):
    findings = preflight([clean], PreflightSpec(trim_mm=TRIM_MM))
    problems = [str(f) for f in findings if f.severity in ("error", "warning")]
    assert problems == []
    summary = only(findings, "checked")[0]
    assert summary.data["pages"] == 1
    ink = summary.data["ink_max"][0]
    assert 170 <= ink["percent"] <= 240          # the 180 % rectangle (or 200 % red)
    assert all(f.where.file == str(clean) for f in findings)


# --- one rule broken per file ----------------------------------------------------------------

def test_rgb_image_is_an_error(tmp_path):
    def draw(c, w, h):
        c.drawInlineImage(Image.new("RGB", (300, 300), (200, 30, 30)), 10 * mm, 10 * mm,
                          width=25.4 * mm, height=25.4 * mm)
    f = preflight([make_pdf(tmp_path / "rgb.pdf", draw)], FAST)
    hit = only(f, "rgb-colour")[0]
    assert hit.severity == "error" and hit.page == "1" and hit.data["page"] == 1
    assert hit.data["colour_space"] == "DeviceRGB"


def test_rgb_fill_operator_is_an_error_x1a_but_warning_x4(tmp_path):
    def draw(c, w, h):
        c.setFillColorRGB(1, 0, 0)
        c.rect(10, 10, 50, 50, stroke=0, fill=1)
    path = make_pdf(tmp_path / "rg.pdf", draw)
    assert only(preflight([path], FAST), "rgb-colour")[0].severity == "error"
    x4 = preflight([path], PreflightSpec(pdfx="PDF/X-4", check_ink=False))
    assert only(x4, "rgb-colour")[0].severity == "warning"


def test_unembedded_helvetica_is_caught(tmp_path):
    path = make_pdf(tmp_path / "helv.pdf", None, initial_font=None)   # reportlab's default Helvetica
    hit = only(preflight([path], FAST), "font-not-embedded")[0]
    assert hit.severity == "error" and hit.data["font"] == "Helvetica"


def test_font_inside_form_xobject_is_found(tmp_path):
    def draw(c, w, h):
        c.beginForm("f1")
        c.setFont("Times-Roman", 14)
        c.drawString(0, 0, "nested")
        c.endForm()
        c.doForm("f1")
    f = preflight([make_pdf(tmp_path / "form.pdf", draw)], FAST)
    assert "Times-Roman" in {x.data.get("font") for x in only(f, "font-not-embedded")}


def test_missing_trimbox(tmp_path):
    f = preflight([make_pdf(tmp_path / "notrim.pdf", clean_drawing, trim=False)], FAST)
    assert only(f, "trimbox-missing")[0].severity == "error"


def test_trim_size_and_box_nesting(tmp_path):
    path = make_pdf(tmp_path / "size.pdf", clean_drawing)
    f = preflight([path], PreflightSpec(trim_mm=(390, 540), check_ink=False))
    assert only(f, "trim-size")[0].data["found_mm"] == [pytest.approx(100, abs=0.1), pytest.approx(140, abs=0.1)]
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.pages[0].obj.BleedBox = pikepdf.Array([20, 20, 100, 100])    # smaller than trim
        pdf.save(path)
    assert "box-nesting" in codes(preflight([path], FAST), "error")


def test_ink_over_limit_is_found_where_it_is(tmp_path):
    def draw(c, w, h):
        c.setFillColorCMYK(1, 1, 1, 1)                 # 400 %
        c.rect(60 * mm, h - 30 * mm, 20 * mm, 10 * mm, stroke=0, fill=1)
    f = preflight([make_pdf(tmp_path / "ink.pdf", draw)], PreflightSpec())
    hit = only(f, "ink-limit")[0]
    assert hit.severity == "error" and hit.data["percent"] == pytest.approx(400, abs=0.5)
    # the rectangle spans x 60–80 mm, y 20–30 mm from the trim's top-left
    assert 60 <= hit.data["x_mm"] <= 80 and 20 <= hit.data["y_mm"] <= 30
    assert hit.data["over_mm2"] == pytest.approx(200, rel=0.15)


def test_ink_outside_trim_is_ignored(tmp_path):
    def draw(c, w, h):
        c.setFillColorCMYK(1, 1, 1, 1)
        c.rect(-3 * mm, -3 * mm, 2.5 * mm, 2.5 * mm, stroke=0, fill=1)   # in the bleed only
    f = preflight([make_pdf(tmp_path / "bleed.pdf", draw)], PreflightSpec())
    assert "ink-limit" not in codes(f)


def test_annotation_inside_trim(tmp_path):
    def draw(c, w, h):
        c.linkURL("https://example.org", (20 * mm, 20 * mm, 60 * mm, 30 * mm))
    f = preflight([make_pdf(tmp_path / "annot.pdf", draw)], FAST)
    assert only(f, "annotation")[0].data["annotation"] == "Link"
    assert "action" in codes(f, "error")


def test_smask_image_is_transparency(tmp_path):
    path = make_pdf(tmp_path / "smask.pdf", lambda c, w, h: c.drawImage(
        _png(tmp_path), 10 * mm, 10 * mm, width=25.4 * mm, height=25.4 * mm))
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        (img,) = pdf.pages[0].Resources.XObject.values()
        smask = pdf.make_stream(b"\x80" * 300 * 300, Width=300, Height=300,
                                ColorSpace=pikepdf.Name.DeviceGray, BitsPerComponent=8)
        img.SMask = smask
        pdf.save(path)
    f = preflight([path], FAST)
    assert only(f, "transparency")[0].data["feature"] == "SMask"
    x4 = preflight([path], PreflightSpec(pdfx="PDF/X-4", check_ink=False))
    assert "transparency" not in codes(x4)


def _png(tmp_path) -> str:
    p = tmp_path / "cmyk.jpg"
    cmyk_image(300).save(p, "JPEG", quality=90)
    return str(p)


def test_fill_alpha_is_transparency(tmp_path):
    def draw(c, w, h):
        c.setFillAlpha(0.5)
        c.setFillColorCMYK(0, 0.5, 0, 0)
        c.rect(10, 10, 50, 50, stroke=0, fill=1)
    f = preflight([make_pdf(tmp_path / "alpha.pdf", draw)], FAST)
    assert "ca=0.5" in {x.data["subject"].split()[-1] for x in only(f, "transparency")}


def test_72_ppi_image_is_an_error_and_180_ppi_a_warning(tmp_path):
    def draw(c, w, h):
        c.drawInlineImage(cmyk_image(72), 10 * mm, 10 * mm, width=25.4 * mm, height=25.4 * mm)
        c.drawInlineImage(cmyk_image(180), 50 * mm, 10 * mm, width=25.4 * mm, height=25.4 * mm)
    hits = sorted(only(preflight([make_pdf(tmp_path / "lowres.pdf", draw)], FAST), "low-ppi"),
                  key=lambda f: f.data["ppi"])
    assert [(h.severity, round(h.data["ppi"])) for h in hits] == [("error", 72), ("warning", 180)]


def test_ppi_follows_the_ctm_through_forms_and_scaling(tmp_path):
    def draw(c, w, h):
        c.saveState()
        c.scale(2, 2)                               # 300 px over 1 inch, then doubled: 150 ppi
        c.drawImage(_png(tmp_path), 5 * mm, 5 * mm, width=25.4 * mm, height=25.4 * mm)
        c.restoreState()
    hit = only(preflight([make_pdf(tmp_path / "scaled.pdf", draw)], FAST), "low-ppi")[0]
    assert hit.data["ppi"] == pytest.approx(150, abs=0.5) and hit.severity == "warning"


def test_small_rich_black_text_and_knockout_black(tmp_path):
    def draw(c, w, h):
        c.setFont("Vera", 8)
        c.setFillColorCMYK(0.6, 0.5, 0.4, 1)        # rich black at 8 pt
        c.drawString(10 * mm, 10 * mm, "rich")
        c.setFillColorCMYK(0, 0, 0, 1)              # plain black, no overprint
        c.drawString(10 * mm, 20 * mm, "knockout")
        c.setFillColorCMYK(0.6, 0.5, 0.4, 1)
        c.setFont("Vera", 30)                       # big rich black headline is fine
        c.drawString(10 * mm, 40 * mm, "BIG")
    f = preflight([make_pdf(tmp_path / "text.pdf", draw)], FAST)
    rich = only(f, "rich-black-text")
    assert len(rich) == 1 and rich[0].data["size_pt"] == pytest.approx(8)
    assert only(f, "black-text-knockout")[0].severity == "warning"


def test_text_size_uses_the_text_matrix(tmp_path):
    def draw(c, w, h):
        t = c.beginText()
        t.setTextOrigin(10 * mm, 10 * mm)
        t.setFont("Vera", 20)
        c.saveState()
        c.scale(0.5, 0.5)                           # 20 pt drawn at half size: 10 pt
        c.setFillColorCMYK(0.5, 0.5, 0.5, 1)
        t.textOut("small")
        c.drawText(t)
        c.restoreState()
    hit = only(preflight([make_pdf(tmp_path / "tm.pdf", draw)], FAST), "rich-black-text")[0]
    assert hit.data["size_pt"] == pytest.approx(10)


# --- identification and output intent ---------------------------------------------------------

def test_missing_pdfx_keys_and_output_intent(tmp_path):
    path = make_pdf(tmp_path / "plain.pdf", clean_drawing, output_intent=False, pdfx=False, version="1.4")
    found = codes(preflight([path], FAST), "error")
    assert {"pdf-version", "pdfx-version", "pdfx-conformance", "trapped", "info-missing",
            "output-intent-missing"} <= found


def test_rgb_output_profile_is_rejected(tmp_path):
    path = make_pdf(tmp_path / "rgbicc.pdf", clean_drawing)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        add_output_intent(pdf, _srgb_header())
        pdf.save(path)
    hit = only(preflight([path], FAST), "output-profile")[0]
    assert hit.severity == "error" and "'mntr'" in hit.message
    assert icc_header_problem(ICC.read_bytes()[:128]) == ""


def _srgb_header() -> bytes:
    h = bytearray(128)
    h[12:16], h[16:20], h[36:40] = b"mntr", b"RGB ", b"acsp"
    return bytes(h)


def make_x4(path: Path) -> Path:
    make_pdf(path, clean_drawing, version="1.6")
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.docinfo.GTS_PDFXVersion = "PDF/X-4"
        del pdf.docinfo["/GTS_PDFXConformance"]
        with pdf.open_metadata(update_docinfo=False, set_pikepdf_as_editor=False) as m:
            for key, value in {"pdfxid:GTS_PDFXVersion": "PDF/X-4", "pdf:Trapped": "False",
                               "xmpMM:DocumentID": "uuid:1", "xmpMM:VersionID": "1",
                               "xmpMM:RenditionClass": "default", "dc:title": "test page",
                               "xmp:CreateDate": "2024-01-01T12:00:00+08:00",
                               "xmp:ModifyDate": "2024-01-01T04:00:00Z"}.items():
                m[key] = value
        pdf.save(path)
    return path


def test_x4_with_matching_xmp_passes_and_a_mismatch_is_caught(tmp_path):
    path = make_x4(tmp_path / "x4.pdf")
    x4 = PreflightSpec(pdfx="PDF/X-4", check_ink=False)
    assert codes(preflight([path], x4), "error") == set()
    assert "pdfx-version" in codes(preflight([path], FAST), "error")   # not X-1a
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.docinfo.ModDate = "D:20250101120000+08'00'"
        pdf.save(path)
    assert only(preflight([path], x4), "xmp-mismatch")[0].data["subject"] == "xmp:ModifyDate"


def test_page_without_content_is_fine(tmp_path):
    path = tmp_path / "blank.pdf"
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    pdf.pages[0].obj.TrimBox = pikepdf.Array([10, 10, 190, 190])
    pdf.save(path)
    f = preflight([path], PreflightSpec())
    assert "check-failed" not in codes(f) and "ink-limit" not in codes(f)


def test_x4_needs_xmp(tmp_path):
    path = make_pdf(tmp_path / "x4.pdf", clean_drawing)
    f = preflight([path], PreflightSpec(pdfx="PDF/X-4", check_ink=False))
    assert {"pdfx-version", "xmp-missing"} <= codes(f, "error")


# --- unreadable input -----------------------------------------------------------------------------

def test_garbage_and_encrypted_files_are_findings_not_crashes(tmp_path, clean):
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"this is not a PDF")
    locked = tmp_path / "locked.pdf"
    with pikepdf.open(clean) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="o", user="u"))
    f = preflight([junk, locked, tmp_path / "missing.pdf"], FAST)
    assert [x.code for x in f] == ["unreadable"] * 3
    assert "encrypted" in f[1].data["reason"]


def test_bad_spec_is_an_input_error(clean):
    with pytest.raises(InputError):
        preflight([clean], PreflightSpec(pdfx="PDF/X-3"))


# --- reports -----------------------------------------------------------------------------------------

def _mixed(tmp_path, clean):
    return preflight([clean, make_pdf(tmp_path / "bad.pdf", clean_drawing, trim=False, initial_font=None)],
                     PreflightSpec())


def test_json_report_validates_against_schema(tmp_path, clean):
    report = report_json(_mixed(tmp_path, clean))
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(json.loads(json.dumps(report)), schema, cls=jsonschema.Draft202012Validator)
    bad = next(x for x in report["files"] if x["file"].endswith("bad.pdf"))
    assert bad["worst"] == "error" and bad["counts"]["error"] >= 2
    assert all(f["code"] in CODES for f in report["findings"])


def test_schema_rejects_a_bad_report():
    schema = json.loads(SCHEMA.read_text())
    broken = report_json([])
    broken["findings"] = [{"severity": "fatal", "code": "x", "message": "m"}]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema, cls=jsonschema.Draft202012Validator)


def test_junit_report_parses_and_counts_failures(tmp_path, clean):
    findings = _mixed(tmp_path, clean)
    root = ET.fromstring(report_junit(findings, "preflight").encode())
    suite = root.find("testsuite")
    cases = suite.findall("testcase")
    failed = [c for c in cases if c.find("failure") is not None]
    assert {c.get("name") for c in failed} >= {"page 1: trimbox-missing", "page 1: font-not-embedded"}
    assert int(suite.get("failures")) == len(failed) and int(suite.get("tests")) == len(cases)
    # warnings fail only when strict
    warn = [f for f in findings if f.severity == "warning"] or []
    strict = ET.fromstring(report_junit(findings, "preflight", strict=True).encode()).find("testsuite")
    assert int(strict.get("failures")) >= int(suite.get("failures")) + (1 if warn else 0)


def test_text_report_groups_by_file_and_puts_errors_first(tmp_path, clean):
    text = report_text(_mixed(tmp_path, clean))
    bad = text[text.index("bad.pdf"):]
    assert "page 1" in bad
    sev = [ln.split()[0] for ln in bad.splitlines() if ln.startswith("    ")]
    assert sev == sorted(sev, key=["error", "warning", "info"].index)


# --- units ---------------------------------------------------------------------------------------------

def test_matrix_product_order():
    scale, move = (2, 0, 0, 2, 0, 0), (1, 0, 0, 1, 10, 0)
    assert mat_mul(move, scale)[4] == 20            # translate then scale: offset scaled
    assert mat_mul(scale, move)[4] == 10


def test_indexed_on_rgb_is_rgb():
    cs = resolve_cs(pikepdf.Array([pikepdf.Name.Indexed, pikepdf.Name.DeviceRGB, 1, b"\0\0\0\xff\xff\xff"]))
    assert cs.is_rgb and cs.family == "Indexed-RGB"


# --- timing -----------------------------------------------------------------------------------------------

def test_broadsheet_page_is_checked_quickly(tmp_path):
    def draw(c, w, h):
        for i in range(40):
            c.setFillColorCMYK(i / 40, 0.3, 0.3, 0.2)
            c.rect(i * 9 * mm, 10 * mm, 9 * mm, h - 20 * mm, stroke=0, fill=1)
        for row in range(200):                   # a page of body text
            overprint_black_text(c, "Body text set in nine point. " * 5, size=9, x=10 * mm, y=(10 + row * 2.6) * mm)
    path = make_pdf(tmp_path / "broadsheet.pdf", draw, trim_mm=(390, 540))
    f = preflight([path], PreflightSpec(trim_mm=(390, 540)))
    assert not [x for x in f if x.severity == "error"], report_text(f)
