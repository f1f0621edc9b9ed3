"""报头 from artwork: a vector PDF logo embedded (and preflighted like an ad), an image logo through the photo
pipeline, the issue's lines beside it; and the sample's page 01 showing the newsroom features."""
from __future__ import annotations

import re
import shutil
import subprocess

import pikepdf
import pytest

from conftest import SAMPLE
from newsroom_util import build, make_issue, pdftext

pytestmark = pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")

PAGE = """template: front
blocks:
  - type: masthead
    id: masthead
    logo: {logo}
    col: 1-8
    line: 1-14
"""


def rgb_logo(path):
    from reportlab.pdfgen import canvas
    c = canvas.Canvas(str(path), pagesize=(200, 50))
    c.setFillColorRGB(1, 0, 0)
    c.rect(10, 10, 180, 30, fill=1, stroke=0)
    c.showPage()
    c.save()


def forms(pdf) -> list:
    with pikepdf.open(pdf) as doc:
        xobjects = doc.pages[0].obj.Resources.get("/XObject", {})
        return [(str(k), v.get("/Subtype")) for k, v in xobjects.items()]


def test_vector_logo_is_embedded_with_the_issue_lines_beside_it(tmp_path):
    folder = make_issue(tmp_path, PAGE.format(logo="art/logo.pdf"),
                        {"art/logo.pdf": (SAMPLE / "art" / "logo.pdf").read_bytes()})
    proc, pdf = build(folder, tmp_path / "out")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "logo-" not in proc.stdout, proc.stdout          # the stand-in logo passes the ad checks
    assert any(sub == "/Form" for _, sub in forms(pdf)), forms(pdf)
    text = re.sub(r"\s+", "", pdftext(pdf))
    assert "重庆政协报" not in text                           # the title is artwork, not type
    assert "国内统一刊号：CN50-0064" in text and "第1098期（总第2315期）" in text
    # the logo is drawn in red from the artwork: the rendered page has saturated red pixels in the title area
    png = tmp_path / "p"
    subprocess.run(["pdftoppm", "-r", "20", "-png", "-singlefile", str(pdf), str(png)], check=True)
    from PIL import Image
    im = Image.open(f"{png}.png").convert("RGB")
    red = sum(1 for r, g, b in im.getdata() if r > 200 and g < 80 and b < 80)
    assert red > 50, red


def test_rgb_logo_is_reported_like_an_ad(tmp_path):
    rgb_logo(tmp_path / "rgb.pdf")
    folder = make_issue(tmp_path, PAGE.format(logo="rgb.pdf"), {"rgb.pdf": (tmp_path / "rgb.pdf").read_bytes()})
    proc, _ = build(folder, tmp_path / "out", "--strict")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert re.search(r"logo rgb\.pdf: .*\[logo-rgb-colour\]", proc.stdout), proc.stdout


def test_image_logo_goes_through_the_photo_pipeline(tmp_path):
    from PIL import Image
    Image.new("RGB", (2400, 600), (200, 20, 30)).save(tmp_path / "logo.png")
    folder = make_issue(tmp_path, PAGE.format(logo="logo.png"), {"logo.png": (tmp_path / "logo.png").read_bytes()})
    proc, pdf = build(folder, tmp_path / "out")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = rows.splitlines()[2:]
    assert len(rows) == 1 and rows[0].split()[5] == "cmyk", rows


def test_missing_logo_is_an_input_error(tmp_path):
    folder = make_issue(tmp_path, PAGE.format(logo="art/none.pdf"))
    proc, _ = build(folder, tmp_path / "out")
    assert proc.returncode == 2 and re.search(r"01\.yaml:5:\d+: logo 'art/none\.pdf' not found", proc.stderr), \
        proc.stderr


@pytest.fixture(scope="module")
def sample_front(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    proc = subprocess.run(["python3", "-m", "layout", "build", str(SAMPLE), "--out", str(out), "--page", "01",
                           "-j", "1"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "error(s)" in proc.stdout and " 0 error(s)" in proc.stdout.splitlines()[-1], proc.stdout
    return out / "2022-01-14" / "CQZXB-20220114-01.pdf"


def test_sample_front_page_shows_the_newsroom_features(sample_front):
    text = re.sub(r"\s+", "", pdftext(sample_front))
    # 导读 pointing at page 04's stories with their 版次
    daodu = text[text.find("导读"):]
    for title in ("助推乡村振兴走深走实", "构建慈善发展大格局", "履职于行躬身慈善", "厚德强技笃学致业"):
        assert title in daodu, title
    assert daodu.count("第04版") >= 4
    # 小标题 and the pull quote of front1, the Word story's heading and table
    for words in ("一、小标题黑体居中", "二、正文回到基线", "引语用楷体排", "Word稿件中的小标题", "参与人次"):
        assert words in text, words
    for mark in ("**", "##"):
        assert mark not in text


def test_logo_checks_are_kept_per_message_language(tmp_path, monkeypatch):
    # the logo's findings are kept in the cache folder as text: a build in Chinese must not be handed the
    # English text kept by an earlier build (before, the key was the file and the print specification only)
    from types import SimpleNamespace
    from layout.compose.furniture import logo_preflight
    from layout.load import load_issue
    rgb_logo(tmp_path / "rgb.pdf")
    pub = load_issue(SAMPLE).publication
    pc = SimpleNamespace(pub=pub, opts=SimpleNamespace(cache_dir=tmp_path / "cache"))
    monkeypatch.setenv("LANG", "C.UTF-8")
    english = logo_preflight(pc, tmp_path / "rgb.pdf", (200, 50))
    assert "rgb-colour" in [f[1] for f in english]
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    chinese = logo_preflight(pc, tmp_path / "rgb.pdf", (200, 50))
    assert "颜色运算符 rg 使用 DeviceRGB：付印前请转换为 CMYK" in [f[2] for f in chinese if f[1] == "rgb-colour"]
    assert len(list((tmp_path / "cache" / "logo-preflight").iterdir())) == 2   # one entry per language
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert logo_preflight(pc, tmp_path / "rgb.pdf", (200, 50)) == english      # and each is used again
