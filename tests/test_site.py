"""The digital edition (数字报): `paiban site` output checked as files and in headless Chromium.

The browser tests drive Debian's chromium (/usr/bin/chromium) through Playwright over file:// URLs; they are
skipped only when that browser (or the playwright package) is absent. CI installs both (tools/setup.sh).
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
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
SAMPLE2 = ROOT / "issues" / "2021-12-31"      # the second sample issue (placeholder copy)
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
    """Three issues built by two runs into the same folder (the archive keeps the first run's): the sample
    (14 Jan 2022); then the second sample issue (31 Dec 2021) and a copy of the sample dated 21 Jan whose
    lead story is continued on page 05 (转版)."""
    root = tmp_path_factory.mktemp("two")
    out = root / "site"
    assert cli_main(["site", str(SAMPLE), "--out", str(out)]) == 0
    issue = _issue_copy(root, "2022-01-21", continued=True)
    assert cli_main(["site", str(SAMPLE2), str(issue), "--out", str(out)]) == 0
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
                 "content_story3.htm", "content_story4.htm", "content_front1.htm", "images/page_04_800.jpg",
                 "images/page_04_1600.jpg", "images/page_04_2800.jpg",
                 "images/page_04_s.jpg", "pdf/CQZXB-20220114-04.pdf", "pdf/CQZXB-20220114-04-screen.pdf",
                 "issue.json"):
        assert (day / name).is_file(), name
    assert (site / "index.html").is_file()
    assert sorted(p.name for p in (site / "static").iterdir()) == ["issues.js", "site.css", "site.js"]
    assert (site / "search.html").is_file() and (site / "pagefind" / "pagefind.js").is_file()
    assert not list(site.glob(".pagefind*"))         # the index was built beside and put in place


def test_page_images_small_and_trimmed(site):
    for page, width, budget in (("01", 800, 240_000), ("04", 800, 240_000), ("04", 1600, 700_000),
                                ("04", 2800, 1_600_000)):
        path = site / DAY / "images" / f"page_{page}_{width}.jpg"
        assert path.stat().st_size < budget
        with Image.open(path) as im:
            assert im.format == "JPEG" and im.width == width
            # 390 × 540 mm trim: no bleed or crop-mark margin around it
            assert abs(im.height / im.width - 540 / 390) < 0.003
            gray = im.convert("L")
            for corner in ((2, 2), (im.width - 3, 2), (2, im.height - 3), (im.width - 3, im.height - 3)):
                assert gray.getpixel(corner) > 245, f"page {page}: mark or ink at corner {corner}"


def test_l_shaped_hotspot(site):
    d = doc(site / DAY / "node_04.htm")
    w, h = next((int(a["width"]), int(a["height"])) for t, a in d.tags if t == "img" and a.get("srcset"))
    assert (w, h) == (800, round(800 * 540 / 390))
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


def crawl_links(site: Path) -> tuple[list, list]:
    """Every href/src of every HTML page under site: (links that are not relative, links to no file).
    A link leaving the site (../ above its root) counts as broken."""
    absolute, broken = [], []
    root = site.resolve()
    for page in sorted(site.rglob("*.htm")) + sorted(site.rglob("*.html")):
        if "pagefind" in page.relative_to(site).parts:
            continue
        for tag, a in Doc(page.read_text(encoding="utf-8")).tags:
            for attr in ("href", "src"):
                link = a.get(attr)
                if not link or tag == "a" and link.startswith("#") or link == "data:,":   # data:, = no favicon
                    continue
                if "://" in link or link.startswith("/"):
                    absolute.append((page, link))
                    continue
                target = (page.parent / link.split("#")[0].split("?")[0]).resolve()
                if not target.is_file() or root not in target.parents:
                    broken.append((page.relative_to(site).as_posix(), link))
    return absolute, broken


def test_accessible_and_relative(site):
    pages = sorted(site.rglob("*.htm")) + sorted(site.rglob("*.html"))
    assert len(pages) == 12   # archive, search, issue index, 2 pages, 7 stories
    assert crawl_links(site) == ([], [])
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert '<html lang="zh-CN">' in text, page
        assert "<h1" in text, page
        d = Doc(text)
        for tag, a in d.tags:
            if tag == "img":
                assert a.get("alt"), (page, a)
                # only the page image (the one with a srcset) loads at once: thumbnails and photos are lazy
                assert a.get("loading") == ("lazy" if not a.get("srcset") else None), (page, a)
        # the only scripts: site.js, the archive list it reads, and the text size read before first paint
        srcs = [a.get("src") for tag, a in d.tags if tag == "script"]
        assert [s for s in srcs if s] == ["../../../static/issues.js", "../../../static/site.js"] \
            if "/html/" in page.as_posix() else ["static/issues.js", "static/site.js"], page


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


def test_screen_pdf(site):
    """The lighter screen version beside each print PDF: RGB, photos at most 150 ppi, fonts embedded, text
    searchable, trimmed (no marks or slug), no PDF/X label — and a fraction of the print file's size."""
    import pikepdf
    for page, word in (("01", "重庆政协报"), ("04", "葛燄")):
        print_pdf = site / DAY / "pdf" / f"CQZXB-20220114-{page}.pdf"
        screen = site / DAY / "pdf" / f"CQZXB-20220114-{page}-screen.pdf"
        assert screen.stat().st_size < print_pdf.stat().st_size / 3, (page, screen.stat().st_size)
        listing = subprocess.run(["pdfimages", "-list", str(screen)], capture_output=True, text=True,
                                 check=True).stdout.splitlines()[2:]
        assert listing, page
        for row in listing:
            cols = row.split()
            assert cols[5] == "rgb" and float(cols[12]) <= 151, (page, row)
        fonts = subprocess.run(["pdffonts", str(screen)], capture_output=True, text=True, check=True).stdout
        assert all(row.split()[-5] == "yes" for row in fonts.splitlines()[2:]), fonts    # emb
        text = subprocess.run(["pdftotext", str(screen), "-"], capture_output=True, text=True, check=True).stdout
        assert word in text and "PDF/X" not in text, page        # the slug (PDF/X-1a:2001 …) left out
        with pikepdf.open(screen) as doc, pikepdf.open(print_pdf) as orig:
            assert "/OutputIntents" not in doc.Root and "/Metadata" not in doc.Root
            assert not any("PDFX" in str(k) for k in doc.docinfo.keys())
            assert "not for press" in str(doc.docinfo["/Subject"])
            assert str(doc.docinfo["/Title"]) == str(orig.docinfo["/Title"])
            box = [float(v) for v in doc.pages[0].MediaBox]          # the trim: no bleed
            trim = [float(v) for v in orig.pages[0].TrimBox]
            assert [float(v) for v in doc.pages[0].CropBox] == box
            assert (box[2] - box[0], box[3] - box[1]) == pytest.approx((trim[2] - trim[0], trim[3] - trim[1]), abs=0.01)


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
    assert archive.index("2022年1月21日") < archive.index("2022年1月14日") < archive.index("2021年12月31日")
    for day in ("2022-01/21", "2022-01/14", "2021-12/31"):
        assert f'href="html/{day}/index.html"' in archive
    # the calendar's list: every issue, oldest first, with its first page
    js = (out / "static" / "issues.js").read_text(encoding="utf-8")
    data = json.loads(js[js.index("["):js.rindex("]") + 1])
    assert [(d["date"], d["rel"], d["first"], d["number"]) for d in data] == [
        ("2021-12-31", "html/2021-12/31/", "node_01.htm", 1097), ("2022-01-14", "html/2022-01/14/", "node_01.htm", 1098),
        ("2022-01-21", "html/2022-01/21/", "node_01.htm", 1098)]
    # 上一期/下一期 as written: the issues of the second run know each other and the first run's issue
    html = (out / "html/2021-12/31/node_02.htm").read_text(encoding="utf-8")
    assert 'data-issue-nav="next" rel="next" href="../../../html/2022-01/14/node_01.htm"' in html
    assert '<a data-issue-nav="prev" class="disabled" aria-disabled="true">上一期</a>' in html
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
    # no broken link anywhere in the archive of three issues built by two runs (上一期/下一期 across issues, 转版)
    assert crawl_links(out) == ([], [])


# -- the browser -----------------------------------------------------------------------------------------

VIEWPORTS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed (tools/setup.sh installs Debian's chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed (pip install -e .[test])")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(params=sorted(VIEWPORTS))
def page(browser, request):
    """A fresh browser context (own localStorage) at 1440×900 or 390×844; fails the test on any console
    error or uncaught exception."""
    ctx = browser.new_context(viewport=VIEWPORTS[request.param], java_script_enabled=True)
    pg = ctx.new_page()
    pg.viewport_name = request.param
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield pg
    ctx.close()
    assert not errors, errors


def url(path: Path) -> str:
    return path.resolve().as_uri()


def click_hotspot(pg, story: str):
    """Click inside the story's text outline (just inside its top-left-most corner) like a reader would:
    that point is scrolled into view (the page box when zoomed, the window on a phone), then hit-tested."""
    area = pg.locator(f'a.hot[data-story="{story}"] polygon.area')
    x, y = pg.evaluate("""(poly) => {
        const svg = poly.ownerSVGElement, vb = svg.viewBox.baseVal, box = document.getElementById('scroller');
        const [px, py] = poly.getAttribute('points').split(' ')[0].split(',').map(Number);
        const at = () => { const r = svg.getBoundingClientRect();
            return [r.left + (px + 4) * r.width / vb.width, r.top + (py + 4) * r.height / vb.height]; };
        let [x, y] = at(), b = box.getBoundingClientRect();
        box.scrollLeft += x - (b.left + b.width / 2); box.scrollTop += y - (b.top + b.height / 2);
        [x, y] = at();
        if (y < 0 || y > innerHeight) { window.scrollBy(0, y - innerHeight / 2); [x, y] = at(); }
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
        page.locator('ol.thumbs a[href="node_04.htm"]').first.click()
    assert page.url.endswith("node_04.htm")
    assert "第04版" in page.locator("h1").inner_text()
    img = page.locator("#pageview img")
    # at device pixel ratio 1 the page fits in under 800 px: the smallest image of the srcset is the one loaded
    assert img.evaluate("i => i.complete && i.currentSrc.split('/').pop()") == "page_04_800.jpg"
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
    # the page's story list names the same stories, in the same order
    listed = page.locator("ol.stories a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert listed == [f"content_{s}.htm" for s in stories]
    for story in stories:
        page.goto(node)
        click_hotspot(page, story)
        assert page.url.endswith(f"content_{story}.htm")
        assert page.locator("article h1").inner_text().replace("\n", "").replace(" ", "") == \
            HEADLINES[story].replace(" ", "")


def test_browser_furniture(site, page):
    """The seed page's furniture on every kind of page: 刊号, 微信公众平台, date line, footer."""
    for rel in ("index.html", f"{DAY}/index.html", f"{DAY}/node_04.htm", f"{DAY}/content_lead.htm"):
        page.goto(url(site / rel))
        head = page.locator("header.masthead").inner_text()
        assert "重庆政协报" in head and "国内统一刊号：CN50-0064" in head and "微信公众平台：CQZXB999" in head, rel
        if rel != "index.html":
            assert "2022年1月14日 星期五" in head and "第1098期（总第2315期）" in head, rel
        foot = page.locator("footer.imprint").inner_text()
        for bit in ("主办单位：中国人民政治协商会议重庆市委员会", "地址：重庆市渝北区红锦大道68号", "邮编：401147"):
            assert bit in foot, (rel, bit)


def test_browser_flip_through_pages(site, page):
    """版面翻页: 下一版 from the first page to the last, 上一版 back; 版面导航's thumbnails name every page."""
    page.goto(url(site / DAY / "node_01.htm"))
    thumbs = page.locator("nav.pagenav a")
    assert thumbs.evaluate_all("els => els.map(e => e.getAttribute('href'))") == ["node_01.htm", "node_04.htm"]
    assert thumbs.locator("img").count() == 2
    assert page.locator('nav.pagenav a[aria-current="page"]').inner_text() == "第01版：要闻"
    seen = [page.url.rsplit("/", 1)[1]]
    while page.get_by_role("link", name="下一版").count():
        with page.expect_navigation():
            page.get_by_role("link", name="下一版").click()
        seen.append(page.url.rsplit("/", 1)[1])
    assert seen == ["node_01.htm", "node_04.htm"]
    assert page.locator("a.disabled", has_text="下一版").count() == 1       # shown, not a link, at the end
    with page.expect_navigation():
        page.get_by_role("link", name="上一版").click()
    assert page.url.endswith("node_01.htm")
    assert page.get_by_role("link", name="上一版").count() == 0
    with page.expect_navigation():                                          # a thumbnail opens its page
        page.locator('nav.pagenav a[href="node_04.htm"]').click()
    assert page.locator("#pagetitle").inner_text() == "第04版：慈善"


def test_browser_story_to_story(site, page):
    """上一篇/下一篇 walk the issue's stories in page order (across page 04); 返回版面 goes to the story's page."""
    page.goto(url(site / DAY / "content_front1.htm"))
    order = ["front1"]
    while page.get_by_role("link", name="下一篇").count():
        with page.expect_navigation():
            page.get_by_role("link", name="下一篇").click()
        order.append(page.url.rsplit("content_", 1)[1][:-4])
    assert order == ["front1", "front2", "front3", "lead", "story2", "story3", "story4"]
    assert page.locator("article h1").inner_text() == "厚德强技 笃学致业"
    back = []
    while page.get_by_role("link", name="上一篇").count():
        with page.expect_navigation():
            page.get_by_role("link", name="上一篇").click()
        back.append(page.url.rsplit("content_", 1)[1][:-4])
    assert back == order[-2::-1]
    page.goto(url(site / DAY / "content_story2.htm"))
    assert page.locator('ol.stories a[aria-current="page"]').inner_text() == "构建慈善发展大格局 重庆这样办"
    assert page.locator(".credits").inner_text().split() == ["录入：徐影", "责任编辑：示例"]
    with page.expect_navigation():
        page.get_by_role("link", name="返回版面").click()
    assert page.url.endswith("node_04.htm")


def test_browser_text_size_remembered(site, page):
    """放大/缩小/默认 change the article text's computed size (not the page image) and are remembered."""
    story = url(site / DAY / "content_lead.htm")
    page.goto(story)
    para = page.locator(".article-body p").first

    def size():
        return para.evaluate("p => parseFloat(getComputedStyle(p).fontSize)")

    base = size()
    assert base == pytest.approx(17.6)                 # 1.1rem
    page.get_by_role("button", name="放大").click()
    assert size() == pytest.approx(base * 1.15, abs=0.05)
    page.get_by_role("button", name="放大").click()
    assert size() == pytest.approx(base * 1.3, abs=0.05)
    page.reload()
    assert size() == pytest.approx(base * 1.3, abs=0.05)          # remembered after a reload
    page.goto(url(site / DAY / "content_story3.htm"))                  # and on the next story
    assert size() == pytest.approx(base * 1.3, abs=0.05)
    page.get_by_role("button", name="默认").click()
    assert size() == pytest.approx(base)
    page.get_by_role("button", name="缩小").click()
    assert size() == pytest.approx(base * 0.85, abs=0.05)
    page.reload()
    assert size() == pytest.approx(base * 0.85, abs=0.05)


def test_browser_zoom(site, page):
    page.goto(url(site / DAY / "node_04.htm"))
    view = page.locator("#pageview")
    width = view.evaluate("v => v.getBoundingClientRect().width")
    page.get_by_role("button", name="放大").click()
    wider = view.evaluate("v => v.getBoundingClientRect().width")
    assert wider == pytest.approx(width * 1.5, abs=1)
    svg_w = page.locator("#pageview svg").evaluate("s => s.getBoundingClientRect().width")
    assert svg_w == pytest.approx(wider, abs=1)
    page.get_by_role("button", name="缩小").click()
    page.get_by_role("button", name="缩小").click()
    assert view.evaluate("v => v.getBoundingClientRect().width") == pytest.approx(width * 0.75, abs=1)
    page.get_by_role("button", name="默认").click()
    assert view.evaluate("v => v.getBoundingClientRect().width") == pytest.approx(width, abs=1)
    assert [a.get_attribute("href") for a in page.locator('a[download]').all()] == \
        ["pdf/CQZXB-20220114-04-screen.pdf", "pdf/CQZXB-20220114-04.pdf"]


def test_browser_without_javascript(site, browser):
    ctx = browser.new_context(java_script_enabled=False)
    pg = ctx.new_page()
    pg.goto(url(site / DAY / "node_04.htm"))
    assert pg.locator("#zoombar").is_hidden()          # zoom needs the script; the rest reads the same
    assert pg.locator("ol.stories a").count() == 4
    with pg.expect_navigation():
        pg.locator('ol.stories a[href="content_story3.htm"]').click()
    assert pg.locator("article h1").inner_text() == "履职于行 躬身慈善"
    assert pg.locator("#textsize").is_hidden()
    with pg.expect_navigation():                       # 按日期搜索 is then the archive's list
        pg.get_by_role("link", name="按日期搜索").click()
    assert pg.url == url(site / "index.html")
    assert pg.locator("section.archive li").count() == 1
    ctx.close()


def test_browser_issue_to_issue(site_two, page):
    """上一期/下一期 through all three issues; the first run's issue learns of the later one from issues.js."""
    out, _ = site_two
    page.goto(url(out / "html/2022-01/14/node_04.htm"))
    seen = ["2022-01/14"]
    while page.get_by_role("link", name="下一期").count():
        with page.expect_navigation():
            page.get_by_role("link", name="下一期").click()
        seen.append(page.url.split("/html/")[1].rsplit("/", 1)[0])
    assert seen == ["2022-01/14", "2022-01/21"]
    while page.get_by_role("link", name="上一期").count():
        with page.expect_navigation():
            page.get_by_role("link", name="上一期").click()
        seen.append(page.url.split("/html/")[1].rsplit("/", 1)[0])
    assert seen == ["2022-01/14", "2022-01/21", "2022-01/14", "2021-12/31"]
    assert page.url.endswith("html/2021-12/31/node_01.htm")
    assert "2021年12月31日 星期五" in page.locator("header.masthead").inner_text()


def _calendar_days(page, box: str):
    links = page.locator(f"{box} td a").evaluate_all("els => els.map(e => e.textContent)")
    off = page.locator(f"{box} td .off").count()
    return links, off


def test_browser_calendar(site_two, page):
    """按日期搜索: the calendar opens on the issue's month, only days with an issue are links, month
    navigation stops at the archive's ends, and a day opens its issue."""
    out, _ = site_two
    page.goto(url(out / "html/2022-01/14/content_lead.htm"))
    cal = page.locator("#calendar")
    assert cal.is_hidden()
    page.get_by_role("button", name="按日期搜索").click()
    assert cal.is_visible()
    box = cal.evaluate("c => { const r = c.getBoundingClientRect(); return [r.left, r.right, innerWidth]; }")
    assert 0 <= box[0] and box[1] <= box[2], box             # the whole calendar on screen
    assert cal.locator(".calmonth").inner_text() == "2022年1月"
    assert _calendar_days(page, "#calendar") == (["14", "21"], 29)
    assert cal.locator('a[aria-current="date"]').inner_text() == "14"
    assert cal.get_by_role("button", name="下个月").is_disabled()
    cal.get_by_role("button", name="上个月").click()
    assert cal.locator(".calmonth").inner_text() == "2021年12月"
    assert _calendar_days(page, "#calendar") == (["31"], 30)
    assert cal.get_by_role("button", name="上个月").is_disabled()
    with page.expect_navigation():
        cal.get_by_role("link", name="2021年12月31日 第1097期").click()
    assert page.url.endswith("html/2021-12/31/node_01.htm")
    # the archive shows the calendar in the page, at the newest issue's month
    page.goto(url(out / "index.html"))
    inline = page.locator("#archive-calendar")
    assert inline.locator(".calmonth").inner_text() == "2022年1月"
    assert _calendar_days(page, "#archive-calendar") == (["14", "21"], 29)
    page.keyboard.press("Escape")
    with page.expect_navigation():
        inline.get_by_role("link", name="2022年1月21日 第1098期").click()
    assert page.url.endswith("html/2022-01/21/node_01.htm")


def test_browser_page_fits_the_window(site, page):
    """At 100 % the whole page image is in view without scrolling anything: on a desktop beside the two
    side columns under the masthead, on a phone across the screen's width."""
    page.goto(url(site / DAY / "node_04.htm"))
    m = page.evaluate("""() => {
        const r = document.querySelector('#pageview').getBoundingClientRect(), s = document.getElementById('scroller');
        const d = document.scrollingElement;
        return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, w: r.width, h: r.height,
                vw: innerWidth, vh: innerHeight, docH: d.scrollHeight, docW: d.scrollWidth,
                sOverX: s.scrollWidth - s.clientWidth, sOverY: s.scrollHeight - s.clientHeight};
    }""")
    assert m["sOverX"] <= 0 and m["sOverY"] <= 0, m            # the page box does not scroll at 100 %
    assert m["docW"] <= m["vw"], m                              # nor sideways
    assert m["h"] / m["w"] == pytest.approx(540 / 390, rel=0.01)
    if page.viewport_name == "desktop":
        assert m["docH"] <= m["vh"], m                          # one screen: no page scroll bar either
        assert m["top"] >= 0 and m["bottom"] <= m["vh"] and m["h"] > 0.8 * m["vh"], m
    else:
        assert m["left"] >= 0 and m["right"] <= m["vw"] and m["w"] > 0.85 * m["vw"], m
        assert m["bottom"] <= m["vh"], m                        # the whole page on the first screen


@pytest.mark.parametrize("story", sorted(HEADLINES))
def test_browser_zoom_300_hotspots_and_sharp_image(site, page, story):
    """At 300 % an image of the srcset as sharp as the screen is shown and every story's hotspot still opens that story
    (clicked where its outline says, hit-tested in the browser)."""
    page.goto(url(site / DAY / "node_04.htm"))
    base = page.locator("#pageview").evaluate("v => v.getBoundingClientRect().width")
    for _ in range(3):
        page.get_by_role("button", name="放大").click()
    assert page.locator("#pageview").get_attribute("data-zoom") == "3"
    assert page.locator("#zoomlevel").inner_text() == "300%"
    img = page.locator("#pageview img")
    # sharp: the image shown has at least one pixel per screen pixel (desktop: the 2800 px one)
    page.wait_for_function("() => { const i = document.querySelector('#pageview img');"
                           " const m = (i.currentSrc || '').match(/_(\\d+)\\.jpg$/);"   # '' while it switches
                           " return !!m && i.complete && +m[1] >= i.getBoundingClientRect().width * devicePixelRatio; }")
    if page.viewport_name == "desktop":
        assert img.evaluate("i => i.currentSrc").endswith("page_04_2800.jpg")
    box = img.evaluate("i => { const r = i.getBoundingClientRect(); return [r.width, r.height]; }")
    svg = page.locator("#pageview svg").evaluate("s => { const r = s.getBoundingClientRect(); return [r.width, r.height]; }")
    assert svg == pytest.approx(box, abs=0.5)
    assert box[0] == pytest.approx(3 * base, abs=1)
    click_hotspot(page, story)
    assert page.url.endswith(f"content_{story}.htm")


# -- served over http: search (Pagefind fetches its index) and page weight -----------------------------------

@pytest.fixture(scope="module")
def served(site_two):
    """The three-issue site served by Python's own static file server on 127.0.0.1 (as any static host)."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    out, _ = site_two
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/", out
    server.shutdown()
    server.server_close()


def _search(page, base: str, words: str):
    page.goto(base + "search.html")
    page.get_by_label("检索词").fill(words)
    with page.expect_navigation():
        page.get_by_label("检索词").press("Enter")
    page.wait_for_function("() => /找到|没有找到/.test(document.getElementById('searchstatus').textContent)")
    return page.locator("#results h2 a").evaluate_all("els => els.map(e => e.getAttribute('href'))")


def test_browser_search(served, page):
    """全文检索 across the archive: a rare name from the lead story finds that story (and it opens with the
    name marked), a word from the other issue finds its story there, a word in no story finds nothing."""
    base, out = served
    hits = _search(page, base, "葛燄")        # the sample's lead, and its copy in the 21 Jan issue
    assert sorted(hits) == ["html/2022-01/14/content_lead.htm?hl=%E8%91%9B%E7%87%84",
                            "html/2022-01/21/content_lead.htm?hl=%E8%91%9B%E7%87%84"]
    assert page.locator("#searchstatus").inner_text() == "找到2篇含“葛燄”的稿件"
    assert "".join(page.locator("#results .excerpt mark").all_inner_texts()).count("燄") >= 1
    assert sorted(page.locator("#results .where").all_inner_texts()) == [
        "2022年1月14日　第04版：慈善", "2022年1月21日　第04版：慈善 第05版：综合"]
    with page.expect_navigation():
        page.locator('#results h2 a[href^="html/2022-01/14/"]').click()
    assert page.locator("article h1").inner_text() == "助推乡村振兴走深走实"
    marks = page.locator(".article-body mark").all_inner_texts()
    assert marks == ["葛燄"] * "".join(copy_paragraphs("lead.txt")).count("葛燄") and len(marks) == 4
    assert _search(page, base, "腊梅") == ["html/2021-12/31/content_newyear.htm?hl=%E8%85%8A%E6%A2%85"]
    assert _search(page, base, "量子纠缠") == []
    assert page.locator("#searchstatus").inner_text() == "没有找到含“量子纠缠”的稿件"
    # from file:// the index cannot be fetched: the page says so instead of failing silently
    page.goto(url(out / "search.html") + "?q=葛燄")
    assert "需要通过网站" in page.locator("#searchstatus").inner_text()


def test_browser_page_weight_and_layout_shift(served, page):
    """A page view's first load stays under 500 KB at phone size (Playwright's network log: every response's
    body), loads one page image of the srcset and does not shift as it loads (the thumbnails are lazy, though
    Chromium fetches those within its distance threshold of the viewport anyway)."""
    base, _ = served
    sizes: dict[str, int] = {}
    page.on("response", lambda r: sizes.__setitem__(r.url, len(r.body())) if r.ok else None)
    page.goto(base + "html/2022-01/14/node_04.htm", wait_until="networkidle")
    total = sum(sizes.values())
    names = sorted(u.rsplit("/", 1)[1] for u in sizes)
    page_images = [n for n in names if n.startswith("page_04_") and not n.endswith("_s.jpg")]
    assert page_images == ["page_04_800.jpg"], names
    if page.viewport_name == "phone":
        assert total < 500_000, (total, sizes)
    cls = page.evaluate("""() => new Promise(done => {
        let sum = 0;
        new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) sum += e.value; })
            .observe({type: 'layout-shift', buffered: true});
        setTimeout(() => done(sum), 300);
    })""")
    assert cls < 0.01, cls
