"""End-to-end: build the sample issue with the real fonts and check the PDFs with real tools."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from conftest import ROOT, SAMPLE
from layout.text.normalize import normalize_copy
from layout.model.units import PT_PER_MM

pytestmark = pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")


def paiban(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "layout", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


def build_page(issue: Path, out: Path, page: str) -> tuple[Path, str]:
    """Build one page of `issue`; its PDF path and page content stream."""
    proc = paiban("build", issue, "--out", out, "--page", page)
    assert proc.returncode == 0, proc.stderr
    path = out / "2022-01-14" / f"CQZXB-20220114-{page}.pdf"
    with pikepdf.open(path) as doc:
        return path, doc.pages[0].obj.Contents.read_bytes().decode("latin-1")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out")
    proc = paiban("build", SAMPLE, "--out", out)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    return out / "2022-01-14"


def pdf(built, page):
    return built / f"CQZXB-20220114-{page}.pdf"


def test_files_and_manifest(built):
    names = sorted(p.name for p in built.iterdir() if p.name != ".paiban.lock")  # the build lock stays
    assert names == ["CQZXB-20220114-01.pdf", "CQZXB-20220114-04.pdf", "manifest.json"]
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["pdfx"] == "PDF/X-1a:2001" and manifest["cn"] == "CN50-0064"
    for entry in manifest["files"]:
        data = (built / entry["file"]).read_bytes()
        assert entry["bytes"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert not list(built.glob("*.part")) and not list(built.glob(".*.part"))


@pytest.mark.parametrize("page", ["01", "04"])
def test_fonts_embedded_subset_cid(built, page):
    out = subprocess.run(["pdffonts", pdf(built, page)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows, out
    names = []
    for row in rows:
        # name, type (may contain spaces), encoding, emb, sub, uni, object, generation
        m = re.match(r"(\S+)\s+(.+?)\s+(Identity-[HV])\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$", row)
        assert m, row
        name, ftype, _, emb, sub, uni = m.groups()
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row
        assert re.match(r"[A-Z]{6}\+", name), row
        if "Noto" in name:
            assert ftype == "CID Type 0C", row
        else:
            assert ftype.startswith("CID"), row
        names.append(name)
    assert len(names) == len(set(names)), "a face appears more than once"
    assert not any("Helvetica" in n for n in names)


@pytest.mark.parametrize("page", ["01", "04"])
def test_boxes_info_output_intent(built, page):
    with pikepdf.open(pdf(built, page)) as doc:
        assert doc.pdf_version == "1.3"
        p = doc.pages[0].obj
        trim = [float(v) for v in p.TrimBox]
        bleed = [float(v) for v in p.BleedBox]
        media = [float(v) for v in p.MediaBox]
        assert trim[2] - trim[0] == pytest.approx(390 * PT_PER_MM, abs=0.01)
        assert trim[3] - trim[1] == pytest.approx(540 * PT_PER_MM, abs=0.01)
        for i, sign in enumerate((-1, -1, 1, 1)):
            assert bleed[i] - trim[i] == pytest.approx(sign * 3 * PT_PER_MM, abs=0.01)
        assert media[0] <= bleed[0] and media[1] <= bleed[1] and media[2] >= bleed[2] and media[3] >= bleed[3]
        info = doc.trailer.Info
        assert str(info.GTS_PDFXVersion) == "PDF/X-1:2001"
        assert str(info.GTS_PDFXConformance) == "PDF/X-1a:2001"
        assert str(info.Trapped) == "/False"
        assert str(info.CreationDate).startswith("D:20220114")
        assert page in str(info.Title)
        intents = doc.Root.OutputIntents
        assert len(intents) == 1
        oi = intents[0]
        assert oi.S == pikepdf.Name.GTS_PDFX
        assert str(oi.OutputConditionIdentifier) == "CGATS TR 002"
        icc = oi.DestOutputProfile.read_bytes()
        assert icc[12:16] == b"prtr" and icc[16:20] == b"CMYK"
        assert len(doc.trailer.ID) == 2


def test_qpdf_check(built):
    for page in ("01", "04"):
        proc = subprocess.run(["qpdf", "--check", pdf(built, page)], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "No syntax or stream encoding errors" in proc.stdout


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_seed_story_text_in_order(built):
    """Every paragraph of the seed story is in the PDF's text, in order (content-stream order)."""
    text = _squash(subprocess.run(["pdftotext", "-raw", pdf(built, "04"), "-"], capture_output=True, text=True,
                                  check=True).stdout)
    copy, _ = normalize_copy((SAMPLE / "lead.txt").read_text(encoding="utf-8"))
    paragraphs = [_squash(p) for p in copy.splitlines() if p.strip()]
    assert len(paragraphs) == 12
    pos = 0
    for para in paragraphs:
        found = text.find(para, pos)
        assert found >= 0, f"paragraph not found in order: {para[:30]}…"
        pos = found + len(para)
    assert "葛燄" in text  # U+71C4, a rare name character
    for heading in ("联手腾讯善行重庆", "助推乡村振兴走深走实", "构建慈善发展大格局", "履职于行躬身慈善", "厚德强技笃学致业"):
        assert heading in text


def test_running_head_and_imprint(built):
    text = subprocess.run(["pdftotext", "-raw", pdf(built, "04"), "-"], capture_output=True, text=True,
                          check=True).stdout
    squashed = _squash(text)
    assert "2022年1月14日" in squashed and "星期五" in squashed and "第04版" in squashed and "慈善" in squashed
    assert "主办单位：中国人民政治协商会议重庆市委员会" in squashed and "邮编：401147" in squashed
    front = _squash(subprocess.run(["pdftotext", "-raw", pdf(built, "01"), "-"], capture_output=True, text=True,
                                   check=True).stdout)
    assert "CN50-0064" in front and "第1098期" in front  # the masthead's lines (its title is the logo artwork)


def test_images_cmyk(built):
    for page in ("01", "04"):
        out = subprocess.run(["pdfimages", "-list", pdf(built, page)], capture_output=True, text=True,
                             check=True).stdout
        rows = out.splitlines()[2:]
        assert len(rows) == 2, out
        for row in rows:
            cols = row.split()
            assert cols[2] == "image" and cols[5] in ("cmyk", "gray"), row
            assert int(cols[12]) >= 150 and int(cols[13]) >= 150, row  # x-ppi, y-ppi above the floor


def test_black_text_overprints(built):
    """Body text is 100 % K (DeviceCMYK 0 0 0 1) drawn in a graphics state with op, OP true and OPM 1."""
    with pikepdf.open(pdf(built, "04")) as doc:
        page = doc.pages[0]
        content = page.obj.Contents.read_bytes().decode("latin-1")
        states = {name: dict(gs.items()) for name, gs in page.obj.Resources.ExtGState.items()}
        # the graphics state at each text-showing operator: ExtGState entries in force and the fill
        black, stack, merged, fill = [], [], {}, None
        for instr in pikepdf.parse_content_stream(page.obj):
            op = str(instr.operator)
            if op == "q":
                stack.append((dict(merged), fill))
            elif op == "Q":
                merged, fill = stack.pop()
            elif op == "gs":
                merged.update(states[str(instr.operands[0])])
            elif op == "k":
                fill = [float(v) for v in instr.operands]
            elif op in ("TJ", "Tj") and fill == [0, 0, 0, 1]:
                black.append(dict(merged))
        assert len(black) > 100
        for state in black:
            assert state.get("/op") is True and state.get("/OP") is True and int(state.get("/OPM", 0)) == 1
        assert not re.search(r"\brg\b|\bRG\b|\bg\n", content)  # no RGB or gray operators


def test_ink_limit(built, tmp_path):
    np = pytest.importorskip("numpy")
    from PIL import Image
    for page in ("01", "04"):
        tif = tmp_path / f"p{page}.tif"
        subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiff32nc", "-r50",
                        "-dUseTrimBox", f"-sOutputFile={tif}", str(pdf(built, page))], check=True)
        arr = np.asarray(Image.open(tif)).astype(np.float64)
        total = arr.sum(axis=2) * 100 / 255
        assert total.max() <= 240.5, f"page {page}: {total.max():.1f} % ink"


def test_deterministic(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        proc = paiban("build", SAMPLE, "--out", out, "--page", "04")
        assert proc.returncode == 0, proc.stderr
    fa = (a / "2022-01-14" / "CQZXB-20220114-04.pdf").read_bytes()
    fb = (b / "2022-01-14" / "CQZXB-20220114-04.pdf").read_bytes()
    assert fa == fb


def test_bad_input_writes_nothing(sample_copy, tmp_path):
    (sample_copy / "photos" / "rocket.jpg").unlink()
    out = tmp_path / "out"
    proc = paiban("build", sample_copy, "--out", out)
    assert proc.returncode == 2
    assert "rocket.jpg" in proc.stderr and "04.yaml:" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists() or not list(out.rglob("*.pdf"))


def test_overset_reported_and_strict(sample_copy, tmp_path):
    lead = sample_copy / "lead.txt"
    lead.write_text(lead.read_text(encoding="utf-8") * 2, encoding="utf-8")
    proc = paiban("build", sample_copy, "--out", tmp_path / "o", "--page", "04")
    assert proc.returncode == 1         # an error: the page must not go to press, no option needed
    m = re.search(r"page 04 story lead: (\d+) characters \((\d+) lines\) do not fit", proc.stdout)
    assert m, proc.stdout
    assert int(m.group(1)) > 1500
    strict = paiban("build", sample_copy, "--out", tmp_path / "o2", "--page", "04", "--strict")
    assert strict.returncode == 1


def test_rare_character_from_fallback_font(built):
    """𪚥 (U+2A6A5) is not in Noto Serif CJK SC: it comes from the fallback font, and text extraction returns it."""
    text = _squash(subprocess.run(["pdftotext", "-raw", pdf(built, "04"), "-"], capture_output=True, text=True,
                                  check=True).stdout)
    assert "如“𪚥”（U+2A6A5）" in text
    fonts = subprocess.run(["pdffonts", pdf(built, "04")], capture_output=True, text=True, check=True).stdout
    assert "HanaMinA" in fonts


def test_character_no_font_has(sample_copy, tmp_path):
    """U+2EBF0 (CJK Extension I) is in no configured font: a warning naming it and the page, 〓 drawn,
    --strict fails."""
    story = sample_copy / "story3.txt"
    story.write_text(story.read_text(encoding="utf-8").replace("人名中的罕用字", "人名\U0002EBF0中的罕用字", 1),
                     encoding="utf-8")
    out = tmp_path / "o"
    proc = paiban("build", sample_copy, "--out", out, "--page", "04")
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"page 04 story story3: no configured font has \U0002EBF0 \(U\+2EBF0\); drawn as 〓", proc.stdout), \
        proc.stdout
    strict = paiban("build", sample_copy, "--out", tmp_path / "o2", "--page", "04", "--strict")
    assert strict.returncode == 1
    # the mark is drawn: the body font's 〓 glyph is in the page content
    from layout.fonts import FontBook
    book = FontBook.load(ROOT / "fonts" / "fonts.yaml")
    face = book.face("shusong")
    code = f"<{face.cid(face.glyph('〓')):04X}>"
    with pikepdf.open(out / "2022-01-14" / "CQZXB-20220114-04.pdf") as doc:
        content = doc.pages[0].obj.Contents.read_bytes().decode("latin-1")
    assert code in content


def test_pdfx4_selectable(sample_copy, tmp_path):
    pub = sample_copy.parent / "publication.yaml"
    pub.write_text(pub.read_text(encoding="utf-8").replace("pdfx: PDF/X-1a:2001", "pdfx: PDF/X-4"), encoding="utf-8")
    out = tmp_path / "o"
    proc = paiban("build", sample_copy, "--out", out, "--page", "04")
    assert proc.returncode == 0, proc.stderr
    path = out / "2022-01-14" / "CQZXB-20220114-04.pdf"
    with pikepdf.open(path) as doc:
        assert doc.pdf_version == "1.6"
        assert str(doc.trailer.Info.GTS_PDFXVersion) == "PDF/X-4"
        assert "/GTS_PDFXConformance" not in doc.trailer.Info
        with doc.open_metadata() as meta:
            assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
            assert meta["pdf:Trapped"] == "False"
            assert meta["xmpMM:DocumentID"].startswith("uuid:")
            assert meta["dc:title"] == str(doc.trailer.Info.Title)
    pre = paiban("preflight", path, "--pdfx", "PDF/X-4", "--trim", "390x540", "--format", "json")
    report = json.loads(pre.stdout)
    assert not [f for f in report["findings"] if f["severity"] == "error"], pre.stdout
    assert not [f for f in report["findings"] if f["code"].startswith("xmp")], pre.stdout


def test_artificial_bold_and_folio(sample_copy, tmp_path):
    """A single-weight face made bold is drawn fill + stroke (text render mode 2), so it stays text."""
    pub = sample_copy.parent / "publication.yaml"
    text = pub.read_text(encoding="utf-8")
    text = text.replace("caption:      {font: kai, size: 小五, leading: 13pt}",
                        "caption:      {font: kai, size: 小五, leading: 13pt, bold: 0.03}")
    text = text.replace("    column_rules: true\n    imprint: true", "    column_rules: true\n    imprint: true\n    folio: true")
    pub.write_text(text, encoding="utf-8")
    path, content = build_page(sample_copy, tmp_path / "o", "04")
    # 0.03 em of 9 pt = 0.27 pt stroke, render mode 2
    assert re.search(r"2 Tr 0\.27\d* w", content), content[:2000]
    squashed = _squash(subprocess.run(["pdftotext", "-raw", path, "-"], capture_output=True, text=True,
                                      check=True).stdout)
    assert "调研组观看綦江区“99公益日”项目情况展板" in squashed   # bold caption is still text
    assert squashed.count("第04版") >= 2   # running head and folio


def test_deliver_to_hot_folder(tmp_path):
    out, hot = tmp_path / "o", tmp_path / "hot"
    proc = paiban("build", SAMPLE, "--out", out, "--page", "04", "--deliver", hot)
    assert proc.returncode == 0, proc.stderr
    delivered = sorted(p.name for p in hot.iterdir())
    assert delivered == ["CQZXB-20220114-04.pdf", "manifest.json"]   # no temporaries left visible
    for name in delivered:
        assert (hot / name).read_bytes() == (out / "2022-01-14" / name).read_bytes()


def test_black_and_white_page_is_k_only(sample_copy, tmp_path):
    """黑白版: every colour operator has C = M = Y = 0 and the photos are gray."""
    issue = sample_copy / "issue.yaml"
    issue.write_text(issue.read_text(encoding="utf-8").replace("    section: 要闻\n", "    section: 要闻\n    mono: true\n"),
                     encoding="utf-8")
    path, content = build_page(sample_copy, tmp_path / "o", "01")
    colours = re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) [kK]\b", content)
    assert colours
    # crop and registration marks are in all four inks by design (outside the trim); nothing else is
    inside = [c for c in colours if c != ("1", "1", "1", "1")]
    assert inside and all(c[:3] == ("0", "0", "0") for c in inside), set(inside)
    images = subprocess.run(["pdfimages", "-list", path], capture_output=True, text=True, check=True).stdout
    assert all(row.split()[5] == "gray" for row in images.splitlines()[2:])


def test_manifest_keeps_pages_not_rebuilt(tmp_path):
    """A --page 04 rebuild after a full build still lists page 01, with the hash of the file on disk."""
    out = tmp_path / "o"
    assert paiban("build", SAMPLE, "--out", out).returncode == 0
    assert paiban("build", SAMPLE, "--out", out, "--page", "04").returncode == 0
    folder = out / "2022-01-14"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert [f["page"] for f in manifest["files"]] == ["01", "04"]
    for entry in manifest["files"]:
        assert entry["sha256"] == hashlib.sha256((folder / entry["file"]).read_bytes()).hexdigest()


def test_photo_that_fails_only_when_decoded_points_at_its_block(sample_copy, tmp_path):
    """A PNG whose header and IEND are fine passes the loader's cheap check; its damaged pixel data
    fails only when the photo is prepared during composition. The message still names the page file
    and the photo block's line (04.yaml:67, `- type: photo` of rocket.jpg), and nothing is written."""
    import io
    import struct

    import pytest
    from PIL import Image

    from layout.build import BuildOptions, build
    from layout.model.findings import InputError
    buf = io.BytesIO()
    Image.new("RGB", (400, 300), (200, 30, 30)).save(buf, "PNG")
    data = bytearray(buf.getvalue())
    at = data.find(b"IDAT")
    (size,) = struct.unpack(">I", data[at - 4:at])
    for k in range(at + 6, at + 4 + size - 4):  # scramble the compressed pixels, keep the chunk layout
        data[k] ^= 0x5A
    (sample_copy / "photos" / "rocket.jpg").write_bytes(bytes(data))
    assert "rocket.jpg" in (sample_copy / "04.yaml").read_text(encoding="utf-8").splitlines()[69]
    with pytest.raises(InputError) as e:
        build(sample_copy, BuildOptions(out=tmp_path / "out", jobs=1, cache_dir=tmp_path / "cache"))
    assert e.value.where.file.endswith("04.yaml") and e.value.where.line == 67
    assert "rocket.jpg" in e.value.message and "damaged" in e.value.message
    assert not (tmp_path / "out").exists()


def test_same_bytes_whatever_folder_the_caches_are_in(sample_copy, tmp_path, monkeypatch):
    """Same input, same bytes — also when the photo and font caches live elsewhere (another checkout,
    PAIBAN_CACHE, a CI temp dir): nothing in a page may depend on where a cache file sits."""
    from layout.build import BuildOptions, build
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1642118400")
    files = []
    for name in ("one", "two"):
        monkeypatch.setenv("PAIBAN_CACHE", str(tmp_path / f"cache-{name}"))
        out = tmp_path / f"out-{name}"
        build(sample_copy, BuildOptions(out=out, jobs=1, cache_dir=tmp_path / f"cache-{name}"))
        files.append({p.name: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert files[0].keys() == files[1].keys() and len(files[0]) == 3
    for name in files[0]:
        assert files[0][name] == files[1][name], name
