"""The digital edition (数字报): `paiban site` output checked as files and in headless Chromium.

The browser tests drive Debian's chromium (/usr/bin/chromium) through Playwright over file:// URLs; they are
skipped only when that browser (or the playwright package) is absent. CI installs both (tools/setup.sh).
"""
from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from conftest import ROOT, SAMPLE
from layout.cli import main as cli_main
from layout.load import load_issue
from layout.products.site import build_site, story_outline
from layout.model.spec import Rect
from layout.text.normalize import normalize_copy

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) not installed")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DAY = "html/2022-01/14"
HEADLINES = {"lead": "助推乡村振兴走深走实", "story2": "构建慈善发展大格局重庆这样办",
             "story3": "履职于行 躬身慈善", "story4": "厚德强技 笃学致业"}


# -- fixtures -----------------------------------------------------------------------------------------

def _issue_copy(root: Path, date: str, continued: bool) -> Path:
    """The sample issue copied under root/issues/<date>; `continued` adds page 05 where the lead story
    continues (转版) with copy of its own."""
    dest = root / "issues" / date
    shutil.copytree(SAMPLE, dest)
    shutil.copy(ROOT / "issues" / "publication.yaml", root / "issues" / "publication.yaml")
    issue = (dest / "issue.yaml").read_text(encoding="utf-8").replace("date: 2022-01-14", f"date: {date}")
    if continued:
        issue += ('  - page: "05"\n    file: 05.yaml\n    section: 综合\n'
                  '    editors: {responsible: 示例, art: 示例, proof: 示例}\n')
        page4 = (dest / "04.yaml").read_text(encoding="utf-8")
        page4 = page4.replace("    copy: lead.txt\n", '    copy: lead.txt\n    continues: {page: "05", story: lead-cont}\n')
        (dest / "04.yaml").write_text(page4, encoding="utf-8")
        with open(dest / "lead.txt", "a", encoding="utf-8") as fh:   # more copy than page 04 holds
            fh.write("".join(f"转版续文第{i}段，用来检验跨版稿件(接排在第05版)。" * 6 + "\n" for i in range(1, 9)))
        (dest / "05.yaml").write_text(
            "template: inner\nblocks:\n"
            "  - {type: headline, id: lead-cont-head, story: lead-cont, main: 助推乡村振兴走深走实, size: 小二,"
            " col: 1-4, line: 1-4}\n"
            "  - {type: story, id: lead-cont, continued: {page: '04', story: lead}, col: 1-4, line: 5-60}\n"
            "  - {type: headline, id: other-head, story: other, main: 本版另一篇, size: 小二, col: 5-8, line: 1-4}\n"
            "  - {type: story, id: other, copy: story3.txt, col: 5-8, line: 5-60}\n", encoding="utf-8")
    (dest / "issue.yaml").write_text(issue, encoding="utf-8")
    return dest


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    build_site([SAMPLE], out)
    return out


@pytest.fixture(scope="module")
def site_two(tmp_path_factory) -> Path:
    """Two issues: the sample (14 Jan) and a copy dated 21 Jan whose lead story is continued on page 05
    (转版), built by two separate runs into the same folder (the archive keeps both)."""
    root = tmp_path_factory.mktemp("two")
    out = root / "site"
    assert cli_main(["site", str(SAMPLE), "--out", str(out)]) == 0
    issue = _issue_copy(root, "2022-01-21", continued=True)
    assert cli_main(["site", str(issue), "--out", str(out)]) == 0
    return out, issue


class Doc(HTMLParser):
    """Tags with attributes, texts per element of interest."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.stack: list[tuple[str, dict]] = []
        self.hot: list[dict] = []         # {"href", "story", "label", "area": [(x, y)], "parts": [...]}
        self.body_paras: list[str] = []
        self.h1 = ""
        self._para = None
        self._in_body = 0
        self._in_h1 = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "a" and "hot" in (a.get("class") or "").split():
            self.hot.append({"href": a["href"], "story": a.get("data-story"), "label": a.get("aria-label"),
                             "area": None, "parts": []})
        if tag == "polygon" and self.hot:
            pts = [tuple(float(v) for v in p.split(",")) for p in a["points"].split()]
            if a.get("class") == "area":
                self.hot[-1]["area"] = pts
            else:
                self.hot[-1]["parts"].append(pts)
        if tag == "div" and a.get("class") == "article-body":
            self._in_body = 1
        elif tag == "div" and self._in_body:
            self._in_body += 1
        if tag == "p" and self._in_body:
            self._para = ""
        if tag == "h1":
            self._in_h1 = True
        if tag == "br" and self._in_h1:
            self.h1 += "\n"

    def handle_endtag(self, tag):
        if tag == "p" and self._para is not None:
            self.body_paras.append(self._para)
            self._para = None
        if tag == "div" and self._in_body:
            self._in_body -= 1
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._para is not None:
            self._para += data
        if self._in_h1:
            self.h1 += data


def doc(path: Path) -> Doc:
    return Doc(path.read_text(encoding="utf-8"))


def copy_paragraphs(name: str, folder: Path = SAMPLE) -> list[str]:
    text, _ = normalize_copy((folder / name).read_text(encoding="utf-8"))
    return [p.strip() for p in text.split("\n") if p.strip()]


# -- files -----------------------------------------------------------------------------------------------

def test_site_files(site):
    day = site / DAY
    for name in ("index.html", "node_01.htm", "node_04.htm", "content_lead.htm", "content_story2.htm",
                 "content_story3.htm", "content_story4.htm", "content_front1.htm", "images/page_04.jpg",
                 "images/page_04_s.jpg", "pdf/CQZXB-20220114-04.pdf", "issue.json"):
        assert (day / name).is_file(), name
    assert (site / "index.html").is_file() and (site / "static" / "zoom.js").is_file()
    assert [p.name for p in (site / "static").iterdir() if p.suffix == ".js"] == ["zoom.js"]


def test_page_images_small_and_trimmed(site):
    for page in ("01", "04"):
        path = site / DAY / "images" / f"page_{page}.jpg"
        assert path.stat().st_size < 300_000
        with Image.open(path) as im:
            assert im.format == "JPEG" and im.width == 1000
            # 390 × 540 mm trim: no bleed or crop-mark margin around it
            assert abs(im.height / im.width - 540 / 390) < 0.003
            gray = im.convert("L")
            for corner in ((2, 2), (im.width - 3, 2), (2, im.height - 3), (im.width - 3, im.height - 3)):
                assert gray.getpixel(corner) > 245, f"page {page}: mark or ink at corner {corner}"


def test_l_shaped_hotspot(site):
    d = doc(site / DAY / "node_04.htm")
    w, h = next((int(a["width"]), int(a["height"])) for t, a in d.tags if t == "img")
    assert next(a["viewbox"] for t, a in d.tags if t == "svg") == f"0 0 {w} {h}"
    by_story = {x["story"]: x for x in d.hot}
    assert set(by_story) == set(HEADLINES)
    for story in ("lead", "story4"):           # L shapes: six corners
        area = by_story[story]["area"]
        assert len(area) == 6, (story, area)
        assert all(0 <= x <= w and 0 <= y <= h for x, y in area)
    for story in ("story2", "story3"):
        assert len(by_story[story]["area"]) == 4
    # the lead's L: its two column groups, scaled from pt (page coordinates) to image pixels
    issue = load_issue(SAMPLE)
    block = next(b for p in issue.pages if p.number == "04" for b in p.blocks if b.id == "lead")
    assert len(block.regions) == 2
    sx, sy = w / issue.publication.trim_w, h / issue.publication.trim_h
    lead = by_story["lead"]["area"]
    xs, ys = sorted({x for x, _ in lead}), sorted({y for _, y in lead})
    assert len(xs) == 3 and len(ys) == 3
    assert xs[0] == pytest.approx(min(r.x for r in block.regions) * sx, abs=0.1)
    assert xs[-1] == pytest.approx(max(r.right for r in block.regions) * sx, abs=0.1)
    assert ys[0] == pytest.approx(min(r.y for r in block.regions) * sy, abs=0.1)
    assert ys[-1] == pytest.approx(max(r.bottom for r in block.regions) * sy, abs=0.1)
    # headline and photo are clickable too (same link), as rectangles
    assert len(by_story["lead"]["parts"]) == 2 and all(len(p) == 4 for p in by_story["lead"]["parts"])


def test_story_outline_joins_column_groups():
    g, pitch = 9.5, 14.0
    a = Rect(0, 100, 100, 200)                     # below
    b = Rect(109.5, 0, 60, 300)                    # beside, one gutter to the right
    poly = story_outline((a, b), g, pitch)
    assert len(poly) == 6
    assert poly[0] == (109.5, 0)                   # top-left-most corner first
    assert story_outline((Rect(0, 0, 50, 50),), g, pitch) == ((0, 0), (50, 0), (50, 50), (0, 50))
    # apart by more than a gutter: not joined (largest piece)
    assert len(story_outline((Rect(0, 0, 50, 50), Rect(80, 0, 50, 10)), g, pitch)) == 4


def test_hotspot_labels_and_links(site):
    d = doc(site / DAY / "node_04.htm")
    for x in d.hot:
        assert x["href"] == f"content_{x['story']}.htm"
        assert x["label"].replace(" ", "") == HEADLINES[x["story"]].replace(" ", "")


def test_story_page_text_is_the_copy(site):
    for story, copy in (("lead", "lead.txt"), ("story2", "story2.txt"), ("story4", "story4.txt")):
        d = doc(site / DAY / f"content_{story}.htm")
        assert d.body_paras == copy_paragraphs(copy), story
    lead = doc(site / DAY / "content_lead.htm")
    assert lead.h1 == "助推乡村振兴走深走实"
    html = (site / DAY / "content_lead.htm").read_text(encoding="utf-8")
    assert '<p class="kicker">联手腾讯 善行重庆</p>' in html
    assert "(俞 宗)" in html and 'href="node_04.htm"' in html
    assert "调研组观看綦江区“99公益日”项目情况展板" in html
    alts = [a.get("alt") for t, a in lead.tags if t == "img"]
    assert alts == ["调研组观看綦江区“99公益日”项目情况展板"]
    with Image.open(site / DAY / "images" / "lead-1.jpg") as im:
        assert im.format == "JPEG" and im.mode == "RGB" and im.width <= 900
    story2 = doc(site / DAY / "content_story2.htm")
    assert story2.h1 == "构建慈善发展大格局\n重庆这样办"


def test_accessible_and_relative(site):
    pages = sorted(site.rglob("*.htm")) + sorted(site.rglob("*.html"))
    assert len(pages) == 11   # archive, issue index, 2 pages, 7 stories
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert '<html lang="zh-CN">' in text, page
        assert "<h1" in text, page
        d = Doc(text)
        for tag, a in d.tags:
            if tag == "img":
                assert a.get("alt"), (page, a)
            for attr in ("href", "src"):
                link = a.get(attr)
                if not link or tag == "a" and link.startswith("#"):
                    continue
                assert "://" not in link and not link.startswith("/"), (page, link)
                assert (page.parent / link.split("#")[0]).resolve().is_file(), (page, link)
        if not page.name.startswith("node_"):
            assert "<script" not in text, page     # script only where the zoom is


def test_footer_and_index(site):
    index = (site / DAY / "index.html").read_text(encoding="utf-8")
    assert "第1098期" in index and "2022年1月14日" in index
    assert 'href="node_04.htm"' in index and "第04版：慈善" in index and "page_04_s.jpg" in index
    for page in (site / DAY).glob("*.htm"):
        text = page.read_text(encoding="utf-8")
        for bit in ("主办单位：中国人民政治协商会议重庆市委员会", "地址：重庆市渝北区红锦大道68号", "邮编：401147",
                    "CN50-0064"):
            assert bit in text, (page, bit)


def test_pdf_is_the_build(site, tmp_path):
    assert cli_main(["build", str(SAMPLE), "--out", str(tmp_path)]) == 0
    for page in ("01", "04"):
        name = f"CQZXB-20220114-{page}.pdf"
        assert (site / DAY / "pdf" / name).read_bytes() == (tmp_path / "2022-01-14" / name).read_bytes()


def test_deterministic(site, tmp_path):
    out = tmp_path / "again"
    build_site([SAMPLE], out)
    a = sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    b = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert a == b
    for rel in a:
        assert (site / rel).read_bytes() == (out / rel).read_bytes(), rel


def test_archive_and_continuation(site_two):
    out, issue = site_two
    archive = (out / "index.html").read_text(encoding="utf-8")
    assert archive.index("2022年1月21日") < archive.index("2022年1月14日")   # newest first
    assert 'href="html/2022-01/21/index.html"' in archive and 'href="html/2022-01/14/index.html"' in archive
    day = out / "html/2022-01/21"
    # the story page has the whole copy, the part set on page 05 included, and links to both pages
    lead = doc(day / "content_lead.htm")
    assert lead.body_paras == copy_paragraphs("lead.txt", issue)
    assert "转版续文第8段，用来检验跨版稿件（接排在第05版）。" in lead.body_paras[-1]
    html = (day / "content_lead.htm").read_text(encoding="utf-8")
    assert 'href="node_04.htm"' in html and 'href="node_05.htm"' in html
    assert not (day / "content_lead-cont.htm").exists()
    page5 = doc(day / "node_05.htm")
    cont = next(x for x in page5.hot if x["story"] == "lead")
    assert cont["href"] == "content_lead.htm" and cont["label"] == "助推乡村振兴走深走实"
    assert {x["href"] for x in page5.hot} == {"content_lead.htm", "content_other.htm"}
    # the page PDF carries the jump lines: the copy really was continued
    import subprocess
    text = subprocess.run(["pdftotext", str(day / "pdf" / "CQZXB-20220121-04.pdf"), "-"], capture_output=True,
                          text=True).stdout
    assert "下转第05版" in text.replace(" ", "")


# -- the browser -----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed (tools/setup.sh installs Debian's chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed (pip install -e .[test])")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=True)
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield pg
    ctx.close()
    assert not errors, errors


def url(path: Path) -> str:
    return path.resolve().as_uri()


def click_hotspot(pg, story: str):
    """Click inside the story's text outline (just inside its top-left-most corner) like a reader would."""
    area = pg.locator(f'a.hot[data-story="{story}"] polygon.area')
    area.scroll_into_view_if_needed()
    x, y = pg.evaluate("""(poly) => {
        const svg = poly.ownerSVGElement, r = svg.getBoundingClientRect(), vb = svg.viewBox.baseVal;
        const [px, py] = poly.getAttribute('points').split(' ')[0].split(',').map(Number);
        const x = r.left + (px + 4) * r.width / vb.width, y = r.top + (py + 4) * r.height / vb.height;
        const hit = document.elementFromPoint(x, y);
        if (!hit || !hit.closest('a.hot') || hit.closest('a.hot').dataset.story !== poly.closest('a').dataset.story)
            throw new Error('the point is not on the hotspot: ' + (hit && hit.outerHTML.slice(0, 80)));
        return [x, y];
    }""", area.element_handle())
    with pg.expect_navigation():
        pg.mouse.click(x, y)


def test_browser_issue_to_story(site, page):
    page.goto(url(site / DAY / "index.html"))
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    with page.expect_navigation():
        page.locator('a[href="node_04.htm"]').first.click()
    assert page.url.endswith("node_04.htm")
    assert "第04版" in page.locator("h1").inner_text()
    img = page.locator("#pageview img")
    assert img.evaluate("i => i.complete && i.naturalWidth") == 1000
    assert page.locator("ol.stories li").count() == 4
    click_hotspot(page, "lead")
    assert page.url.endswith("content_lead.htm")
    assert page.locator("article h1").inner_text() == "助推乡村振兴走深走实"
    assert page.locator(".article-body p").all_inner_texts() == copy_paragraphs("lead.txt")


def test_browser_every_hotspot(site, page):
    node = url(site / DAY / "node_04.htm")
    page.goto(node)
    stories = page.locator("a.hot").evaluate_all("els => els.map(e => e.dataset.story)")
    assert sorted(stories) == sorted(HEADLINES)
    for story in stories:
        page.goto(node)
        click_hotspot(page, story)
        assert page.url.endswith(f"content_{story}.htm")
        assert page.locator("article h1").inner_text().replace("\n", "").replace(" ", "") == \
            HEADLINES[story].replace(" ", "")


def test_browser_flip_zoom_archive(site, page):
    page.goto(url(site / DAY / "node_01.htm"))
    with page.expect_navigation():
        page.get_by_role("link", name="下一版").click()
    assert page.url.endswith("node_04.htm")
    assert page.get_by_role("link", name="下一版").count() == 0     # the last page
    # zoom: 放大 makes the page image (and its hotspots) wider, 默认 puts it back
    view = page.locator("#pageview")
    width = view.evaluate("v => v.getBoundingClientRect().width")
    page.get_by_role("button", name="放大").click()
    wider = view.evaluate("v => v.getBoundingClientRect().width")
    assert wider > width * 1.2
    svg_w = page.locator("#pageview svg").evaluate("s => s.getBoundingClientRect().width")
    assert svg_w == pytest.approx(wider, abs=1)
    page.get_by_role("button", name="缩小").click()
    page.get_by_role("button", name="缩小").click()
    assert view.evaluate("v => v.getBoundingClientRect().width") < width
    page.get_by_role("button", name="默认").click()
    assert view.evaluate("v => v.getBoundingClientRect().width") == pytest.approx(width, abs=1)
    assert page.locator('a[download]').get_attribute("href") == "pdf/CQZXB-20220114-04.pdf"
    with page.expect_navigation():
        page.get_by_role("link", name="按日期").first.click()
    assert page.url == url(site / "index.html")
    assert page.locator("h1").inner_text() == "按日期"
    with page.expect_navigation():
        page.locator("section.archive a[href=\"html/2022-01/14/index.html\"]").click()
    assert "第1098期" in page.locator("h1").inner_text()


def test_browser_without_javascript(site, browser):
    ctx = browser.new_context(java_script_enabled=False)
    pg = ctx.new_page()
    pg.goto(url(site / DAY / "node_04.htm"))
    assert pg.locator("#zoombar").is_hidden()          # zoom needs the script; the rest reads the same
    assert pg.locator("ol.stories a").count() == 4
    with pg.expect_navigation():
        pg.locator('ol.stories a[href="content_story3.htm"]').click()
    assert pg.locator("article h1").inner_text() == "履职于行 躬身慈善"
    ctx.close()
