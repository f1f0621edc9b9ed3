"""`paiban site`: issue folders → a static digital edition (数字报).

For each issue the pages are built exactly as `paiban build` builds them (the PDFs offered for download
are those files), composed once more for the story outlines (PageFrame.areas), and written as

    OUT/index.html                            按日期: calendar and list of every issue in OUT
    OUT/static/site.css, site.js, issues.js   style, the one script, the archive as the calendar reads it
    OUT/html/YYYY-MM/DD/index.html            the issue: date, 期号, pages with thumbnails
    OUT/html/YYYY-MM/DD/node_NN.htm           page NN (版次 as written, e.g. node_04.htm)
    OUT/html/YYYY-MM/DD/content_<story>.htm   a story (its head block's id)
    OUT/html/YYYY-MM/DD/images/…, pdf/…       page images, thumbnails, photos, page PDFs
    OUT/html/YYYY-MM/DD/issue.json            what the archive needs (read back on later runs)
    OUT/search.html, OUT/pagefind/            全文检索: the search page and the Pagefind index of every story

A page whose build has an error ([gate]: it must not go to press) is withheld: none of its files are
written and nothing links to it; a version of it published by an earlier run stays as it was (see
`keep_published`). `SiteOptions.publish_errors` publishes it anyway, marked (WebPage.status "errors").

See docs/edition.md.
"""
from __future__ import annotations

import json
import re
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from PIL import Image

from layout.build.issue import build, compose_issue
from layout.build.manifest import page_filename
from layout.build.options import BuildOptions, open_book
from layout.compose.story import outline
from layout.model.spec import HeadlineBlock, IssueSpec, PageSpec, PhotoBlock, Rect, StoryBlock
from layout.text.normalize import normalize_copy
from layout.products.site import images, pages, search
from layout.products.site.screenpdf import screen_pdf, screen_pdf_name
from layout.products.site.staging import site_stage
from layout.products.site.pages import head_lines, one_line  # noqa: F401 (re-exported)
from layout.products.site.templates import CSS, SITE_JS


@dataclass
class SiteOptions:
    font_paths: tuple[Path, ...] = ()
    system_fonts: bool = True
    fonts_yaml: Path | None = None
    cache_dir: Path | None = None
    page_widths: tuple[int, ...] = images.PAGE_WIDTHS     # srcset sizes of the page images
    publish_errors: bool = False   # publish pages whose build has an error (marked), instead of withholding them
    screen_pdf: bool = True        # also offer a lighter screen version of each page PDF (screenpdf.py)


@dataclass
class Story:
    """A story as the web shows it: its head block and any parts continued on other pages (转版)."""
    key: str                                  # content_<key>.htm
    page: str                                 # 版次 of the head
    head: StoryBlock
    headline: HeadlineBlock | None
    parts: list[tuple[str, StoryBlock]]       # (版次, block), head first
    photos: list[tuple[str, PhotoBlock]] = field(default_factory=list)
    photo_files: list[tuple[str, images.WebImage]] = field(default_factory=list)
    kept = False               # written by this run (see KeptStory)

    @property
    def pages(self) -> list[str]:
        seen: list[str] = []
        for number, _ in self.parts:
            if number not in seen:
                seen.append(number)
        return seen

    @property
    def paragraphs(self) -> list[str]:
        """The copy normalised as for setting, one paragraph per non-empty line; continued parts with
        copy of their own follow (a part that repeats the head's copy file adds nothing)."""
        out: list[str] = []
        used: set = set()
        for _, block in self.parts:
            key = (str(block.copy), block.text)
            if key in used or not block.text:
                continue
            used.add(key)
            text, _changes = normalize_copy(block.text)
            out.extend(p.strip() for p in text.split("\n") if p.strip())
        return out

    @property
    def title(self) -> str:
        if self.headline and self.headline.main:
            return one_line(self.headline.main)
        paras = self.paragraphs
        first = paras[0] if paras else self.head.id
        return first[:24] + ("…" if len(first) > 24 else "")


@dataclass
class KeptStory:
    """A story of a page published by an earlier run and kept (its page withheld in this one): its story page
    is that run's file; the new pages only link to it."""
    key: str
    title: str
    headline: None = None
    kept = True


@dataclass
class Hotspot:
    story: Story
    area: tuple[tuple[float, float], ...]             # px, the story's text outline
    parts: list[tuple[tuple[float, float], ...]]      # px, its headline and photos (rectangles)
    headline: HeadlineBlock | None                    # the headline on this page (a jump's own head)


@dataclass
class WebPage:
    spec: PageSpec
    pdf: str                   # file name under pdf/
    image: images.WebImage
    hotspots: list[Hotspot]
    stories: list[tuple[Story, HeadlineBlock | None]]   # in page order, with the headline shown here
    screen: str = ""           # the lighter screen version under pdf/ (screenpdf.py)
    sizes: tuple[int, int] = (0, 0)   # bytes of the print PDF and of the screen PDF
    status: str = "ok"         # "errors": published under publish_errors though its build has an error
    errors: tuple[str, ...] = ()   # the codes of those errors
    kept: dict | None = None   # a page published by an earlier run and kept: its entry in that issue.json

    @property
    def number(self) -> str:
        return self.spec.number

    @property
    def node(self) -> str:
        return node_name(self.spec.number)


@dataclass
class IssueSite:
    issue: IssueSpec
    dir: Path                  # OUT/html/YYYY-MM/DD
    rel: str                   # "html/YYYY-MM/DD/"
    pages: list[WebPage]
    stories: dict[str, Story]  # key → story
    prev_issue: dict | None = None   # archive entries of 上一期 / 下一期 (see archive_entry)
    next_issue: dict | None = None
    findings: list = field(default_factory=list)   # what the build of this issue found (as `paiban build`)
    withheld: list[str] = field(default_factory=list)   # 版次 not published: their build has an error
    kept: list[str] = field(default_factory=list)       # of those, the ones whose earlier version stays
    flagged: list[str] = field(default_factory=list)    # published with errors (publish_errors)

    @property
    def published(self) -> bool:
        """Whether the issue has any page to show (else it is not written; an earlier version stays)."""
        return bool(self.pages)

    def reading_order(self) -> list[Story]:
        """Stories page by page in the order of their hotspots (上一篇/下一篇); a story continued on a later
        page (转版) comes where it starts."""
        seen: dict[str, Story] = {}
        for wp in self.pages:
            for story, _ in wp.stories:
                seen.setdefault(story.key, story)
        for story in self.stories.values():     # a story with no area on any page still gets a place
            seen.setdefault(story.key, story)
        return list(seen.values())


@dataclass
class SiteReport:
    out: Path
    issues: list[IssueSite]
    findings: list = field(default_factory=list)


def node_name(number: str) -> str:
    return f"node_{number}.htm"


def content_name(key: str) -> str:
    return f"content_{key}.htm"


def issue_rel(date: str) -> str:
    y, m, d = date.split("-")
    return f"html/{y}-{m}/{d}/"


# -- outlines --------------------------------------------------------------------------------------

def story_outline(regions: tuple[Rect, ...], gutter: float, pitch: float) -> tuple[tuple[float, float], ...]:
    """Outline of a story's regions as one polygon: regions one gutter (or less) apart side by side, or
    one grid line (or less) apart one above the other, are joined across the gap, so an L of two column
    groups gives six corners."""
    rects = list(regions)
    bridges = []
    for a in rects:
        for b in rects:
            gap_x = b.x - a.right
            top, bottom = max(a.y, b.y), min(a.bottom, b.bottom)
            if 1e-3 < gap_x <= gutter + 1e-3 and bottom - top > 1e-3:
                bridges.append(Rect(a.right, top, gap_x, bottom - top))
            gap_y = b.y - a.bottom
            left, right = max(a.x, b.x), min(a.right, b.right)
            if 1e-3 < gap_y <= pitch + 1e-3 and right - left > 1e-3:
                bridges.append(Rect(left, a.bottom, right - left, gap_y))
    return outline(tuple(rects + bridges))


def _covers(polygon, regions) -> bool:
    """Whether the polygon's bounding box holds every region (a cheap check that no piece was dropped)."""
    if not polygon:
        return False
    xs = [p[0] for p in polygon]
    ys = [p[1] for p in polygon]
    return all(min(xs) - 0.01 <= r.x and r.right <= max(xs) + 0.01 and min(ys) - 0.01 <= r.y
               and r.bottom <= max(ys) + 0.01 for r in regions)


def rect_points(r: Rect) -> tuple[tuple[float, float], ...]:
    return ((r.x, r.y), (r.right, r.y), (r.right, r.bottom), (r.x, r.bottom))


def scale_points(points, sx: float, sy: float, w: int, h: int) -> tuple[tuple[float, float], ...]:
    return tuple((round(min(max(x * sx, 0.0), w), 1), round(min(max(y * sy, 0.0), h), 1)) for x, y in points)


# -- stories -----------------------------------------------------------------------------------------

_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def collect_stories(issue: IssueSpec) -> tuple[dict[str, Story], dict[tuple[str, str], Story]]:
    """Stories of the issue keyed by file key, and (版次, block id) → story for every story block."""
    blocks = [(page.number, b) for page in issue.pages for b in page.blocks if isinstance(b, StoryBlock)]
    by_id: dict[str, list[tuple[str, StoryBlock]]] = {}
    for number, b in blocks:
        by_id.setdefault(b.id, []).append((number, b))

    def find(page: str, story: str):
        return next(((n, c) for n, c in by_id.get(story, []) if not page or n == page), None)

    # 转版: a block continues on another page (continues: {page, story}), or carries on another page's
    # story (continued: {page, story}); either way the later part belongs to the earlier one's story
    follows: dict[int, tuple[str, StoryBlock]] = {}     # id(block) → the part after it
    continued: set[int] = set()                         # blocks that are the later part of a story
    for number, b in blocks:
        if b.continues_story:
            nxt = find(b.continues_page, b.continues_story)
            if nxt and nxt[1] is not b and id(nxt[1]) not in continued:
                follows.setdefault(id(b), nxt)
                continued.add(id(nxt[1]))
        src_page, src_story = getattr(b, "continued_page", ""), getattr(b, "continued_story", "")
        if src_story:
            src = find(src_page, src_story)
            if src and src[1] is not b and id(b) not in continued:
                follows.setdefault(id(src[1]), (number, b))
                continued.add(id(b))

    used_keys: set[str] = set()
    stories: dict[str, Story] = {}
    owner: dict[tuple[str, str], Story] = {}
    for number, b in blocks:
        if id(b) in continued:
            continue  # the later part of a story: shown with it
        key = _SAFE.sub("_", b.id).strip("_") or "story"
        if key in used_keys:
            key = f"{key}-{number}"
        n, base = 2, key
        while key in used_keys:
            key, n = f"{base}-{n}", n + 1
        used_keys.add(key)
        page = next(p for p in issue.pages if p.number == number)
        story = Story(key=key, page=number, head=b, headline=_headline(page, b.id), parts=[(number, b)])
        seen = {id(b)}
        cur = b
        while id(cur) in follows and id(follows[id(cur)][1]) not in seen:
            nxt = follows[id(cur)]
            seen.add(id(nxt[1]))
            story.parts.append(nxt)
            cur = nxt[1]
        for part_page, part in story.parts:
            spec = next(p for p in issue.pages if p.number == part_page)
            story.photos.extend((part_page, ph) for ph in spec.blocks
                                if isinstance(ph, PhotoBlock) and ph.story == part.id)
            owner[(part_page, part.id)] = story
        stories[key] = story
    return stories, owner


def _headline(page: PageSpec, story_id: str) -> HeadlineBlock | None:
    return next((b for b in page.blocks if isinstance(b, HeadlineBlock) and b.story == story_id), None)


# -- the site ------------------------------------------------------------------------------------------

def build_site(issue_dirs, out: Path, opts: SiteOptions | None = None) -> SiteReport:
    """Every issue is built into a stage first and swapped in only when all are done (staging.py):
    a bad issue, a full disk or a kill leaves the previous site as it was."""
    opts = opts or SiteOptions()
    out = Path(out)
    report = SiteReport(out, [])
    book = None
    with site_stage(out) as stage:
        for folder in issue_dirs:
            folder = Path(folder)
            bopts = BuildOptions(font_paths=tuple(opts.font_paths), system_fonts=opts.system_fonts,
                                 fonts_yaml=opts.fonts_yaml, cache_dir=opts.cache_dir)
            book = book or open_book(bopts, folder)
            site = build_issue(folder, stage.dir, bopts, book, opts, live=stage.out)
            report.issues.append(site)
            report.findings.extend(site.findings)
        # an issue with no page to show is not written (a version of it already in OUT stays as it was)
        shown = [site for site in report.issues if site.published]
        # the pages are written (into the stage) once every issue of this run is known, so that
        # 上一期/下一期 link issues built together; issues built earlier are read from their issue.json
        # (site.js keeps their links current from static/issues.js)
        entries = {d["date"]: d for d in (archive_entry(x) for x in read_archive(out))}
        entries.update({s.issue.date: archive_entry(issue_data(s)) for s in shown})
        dates = sorted(entries)
        for site in shown:
            at = dates.index(site.issue.date)
            site.prev_issue = entries[dates[at - 1]] if at > 0 else None
            site.next_issue = entries[dates[at + 1]] if at + 1 < len(dates) else None
            write_issue(site)
        stage.commit([site.rel.rstrip("/") for site in shown])
        for site in shown:
            site.dir = out / site.rel
        # the search index of every story now in OUT, made in the stage and swapped in like an issue
        # (none while OUT has no story page: every page so far withheld)
        if any(out.glob(search.STORY_GLOB)):
            search.write_index(out, stage.dir / search.INDEX_DIR)
            stage.commit([search.INDEX_DIR])
        archive = read_archive(out)
        stage.write_last(out / "static" / "site.css", CSS.encode("utf-8"))
        stage.write_last(out / "static" / "site.js", SITE_JS.encode("utf-8"))
        stage.write_last(out / "static" / "issues.js", issues_js(archive).encode("utf-8"))
        stage.write_last(out / "search.html", pages.search_html(archive).encode("utf-8"))
        stage.write_last(out / "index.html", pages.archive_html(archive).encode("utf-8"))
    return report


def failed_pages(built) -> list[str]:
    """版次 of the pages whose build has an error (an issue-level error counts for every page)."""
    issue_error = any(f.severity == "error" for f in built.findings)
    return [p.number for p in built.pages if issue_error or p.failed]


def build_issue(folder: Path, out: Path, bopts: BuildOptions, book, opts: SiteOptions,
                live: Path | None = None) -> IssueSite:
    """One issue into `out` (the stage). `live` is the site as readers see it now: where a page this run
    withholds was published before, that version is kept (keep_published)."""
    with tempfile.TemporaryDirectory(prefix=".build-", dir=out) as tmp:  # out: the stage
        built = build(folder, replace(bopts, out=Path(tmp)), book)
        issue, results = compose_issue(folder, replace(bopts, write=False), book)
        failed = failed_pages(built)
        withheld = [] if opts.publish_errors else failed
        codes = {p.number: tuple(sorted({f.code for f in p.findings + built.findings if f.severity == "error"}))
                 for p in built.pages}
        rel = issue_rel(issue.date)
        target = out / rel
        if (target / "issue.json").is_file():   # an earlier site build of this issue: start afresh
            shutil.rmtree(target)
        (target / "images").mkdir(parents=True, exist_ok=True)
        (target / "pdf").mkdir(exist_ok=True)
        stories, owner = collect_stories(issue)
        stories = {k: s for k, s in stories.items() if s.page not in withheld}   # a withheld page's stories go too
        frames = {r.number: res.frame for r, res in results}
        web_pages = []
        pub = issue.publication
        g = pub.grid
        for page in issue.pages:
            if page.number in withheld:
                continue
            name = page_filename(issue, page.number)
            pdf = built.out_dir / name
            shutil.copyfile(pdf, target / "pdf" / name)
            screen, screen_bytes = "", 0
            if opts.screen_pdf:
                screen = screen_pdf_name(name)
                screen_bytes = screen_pdf(pdf, target / "pdf" / screen)
            img = images.page_images(pdf, target / "images", page.number, widths=opts.page_widths)
            sx, sy = img.width / pub.trim_w, img.height / pub.trim_h
            blocks = {b.id: b for b in page.blocks if isinstance(b, StoryBlock)}
            hotspots, listed = [], []
            for area in frames[page.number].areas:
                block = blocks.get(area.story)
                story = owner.get((page.number, area.story))
                if block is None or story is None:
                    continue
                # the frame's outline, unless it lost a region (PageFrame.areas keeps only the largest
                # piece when column groups are a gutter apart): then the regions joined across gutters
                poly = area.polygon if _covers(area.polygon, block.regions) \
                    else story_outline(block.regions, g.gutter, g.pitch)
                head = _headline(page, block.id)
                parts = [rect_points(head.rect)] if head else []
                parts += [rect_points(ph.rect) for ph in page.blocks
                          if isinstance(ph, PhotoBlock) and ph.story == block.id]
                hotspots.append(Hotspot(story, scale_points(poly, sx, sy, img.width, img.height),
                                        [scale_points(p, sx, sy, img.width, img.height) for p in parts], head))
                listed.append((story, head))
            wp = WebPage(page, name, img, hotspots, listed, screen=screen,
                         sizes=((target / "pdf" / name).stat().st_size, screen_bytes))
            if page.number in failed:
                wp.status, wp.errors = "errors", codes.get(page.number, ())
            web_pages.append(wp)
    for story in stories.values():
        for n, (part_page, ph) in enumerate(story.photos, 1):
            fname = f"{story.key}-{n}.jpg"
            story.photo_files.append((fname, images.web_photo(ph.file, target / "images" / fname)))
    kept = keep_published(issue, withheld, live / rel if live else None, target, web_pages, stories)
    # a story whose head page is withheld (and not kept) has no story page: its continuation's hotspot and
    # list entry on a published page go too, so nothing links to a page that does not exist
    shown = set(stories) | {s.key for wp in kept for s, _ in wp.stories}
    for wp in web_pages:
        wp.hotspots = [h for h in wp.hotspots if h.story.key in shown]
        wp.stories = [(s, h) for s, h in wp.stories if s.key in shown]
    order = {p.number: i for i, p in enumerate(issue.pages)}
    web_pages = sorted(web_pages + kept, key=lambda wp: order[wp.number])
    site = IssueSite(issue, target, rel, web_pages, stories, findings=built.all_findings(), withheld=withheld,
                     kept=[wp.number for wp in kept], flagged=[n for n in failed if n not in withheld])
    (target / "issue.json").write_bytes(issue_json(site).encode("utf-8"))
    return site


# -- a withheld page keeps its earlier published version ----------------------------------------------

_LINK = re.compile(r'\b(?:href|src)="([^"]*)"')


def keep_published(issue: IssueSpec, withheld: list[str], old: Path | None, target: Path,
                   web_pages: list[WebPage], stories: dict[str, Story]) -> list[WebPage]:
    """For each withheld page that an earlier run published (OLD = the issue's folder in the live site),
    copy that version's files into TARGET unchanged — page view, page images, PDF, its story pages and their
    photos — and return it as a WebPage, so the new pages link to it. A newsroom keeps what readers have
    until a good replacement exists, rather than leaving a hole. A kept page whose links would no longer
    resolve (the issue's pages or stories changed since) is not kept."""
    if not old or not withheld or not (old / "issue.json").is_file():
        return []
    try:
        before = json.loads((old / "issue.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    entries = {p.get("page"): p for p in before.get("pages", []) if isinstance(p, dict)}
    # what the issue's folder will hold: the files written so far (images, PDFs) and the HTML still to come
    planned = {p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()}
    planned |= {wp.node for wp in web_pages} | {content_name(k) for k in stories} | {"index.html", "issue.json"}
    candidates = []
    for number in withheld:
        entry = entries.get(number)
        if not entry or not entry.get("keys") or not (old / node_name(number)).is_file():
            continue
        files = [node_name(number), "pdf/" + entry.get("pdf", page_filename(issue, number))]
        if entry.get("screen"):
            files.append("pdf/" + entry["screen"])
        files += sorted(f"images/{p.name}" for p in (old / "images").glob(f"page_{number}_*.jpg"))
        for key in entry["keys"]:
            if key in stories:
                continue          # the story has a new page of its own (it moved): that one is linked
            files.append(content_name(key))
            files += sorted(f"images/{p.name}" for p in (old / "images").glob("*.jpg")
                            if re.fullmatch(re.escape(key) + r"-\d+\.jpg", p.name))
        if all((old / f).is_file() for f in files):
            candidates.append((number, entry, files))
    while True:   # drop kept pages with a link to nothing, until every kept page's links resolve
        present = planned | {f for _, _, files in candidates for f in files}
        bad = [c for c in candidates if any(_dangling(old / f, present) for f in c[2] if f.endswith(".htm"))]
        if not bad:
            break
        candidates = [c for c in candidates if c not in bad]
    kept = []
    for number, entry, files in candidates:
        for f in files:
            if not (target / f).exists():
                shutil.copyfile(old / f, target / f)
        spec = next(p for p in issue.pages if p.number == number)
        widths = sorted(int(m.group(1)) for p in (target / "images").glob(f"page_{number}_*.jpg")
                        if (m := re.fullmatch(rf"page_{re.escape(number)}_(\d+)\.jpg", p.name)))
        with Image.open(target / "images" / images.page_image_name(number, widths[0])) as im:
            w, h = im.size
        variants = tuple((x, (target / "images" / images.page_image_name(number, x)).stat().st_size) for x in widths)
        img = images.WebImage(w, h, variants[0][1], variants)
        listed = [(stories.get(key) or KeptStory(key, title), None)
                  for key, title in zip(entry["keys"], entry.get("stories", []))]
        wp = WebPage(replace(spec), files[1].split("/", 1)[1], img, [], listed, screen=entry.get("screen", ""),
                     status=entry.get("status", "ok"), errors=tuple(entry.get("errors", ())), kept=entry)
        kept.append(wp)
    return kept


def _dangling(page: Path, present: set[str]) -> bool:
    """Whether a kept HTML file links to a file of its issue folder that will not be there (links that go up
    to the site's root — other issues, static/, search — always resolve: issues are never removed)."""
    for link in _LINK.findall(page.read_text(encoding="utf-8")):
        link = link.split("#")[0].split("?")[0]
        if not link or ":" in link or link.startswith(("/", "../")):
            continue
        if link not in present:
            return True
    return False


def write_issue(site: IssueSite) -> None:
    """The HTML of one issue: its index, a page view per page, a story page per story (a kept page and its
    stories are an earlier run's files, already in place)."""
    target, web_pages = site.dir, site.pages
    for i, wp in enumerate(web_pages):
        if wp.kept:
            continue
        prev = web_pages[i - 1] if i > 0 else None
        nxt = web_pages[i + 1] if i + 1 < len(web_pages) else None
        (target / wp.node).write_bytes(pages.page_html(site, wp, prev, nxt).encode("utf-8"))
    order = site.reading_order()
    for i, story in enumerate(order):
        if story.kept:
            continue
        before = order[i - 1] if i > 0 else None
        after = order[i + 1] if i + 1 < len(order) else None
        (target / content_name(story.key)).write_bytes(pages.story_html(site, story, before, after).encode("utf-8"))
    (target / "index.html").write_bytes(pages.issue_html(site).encode("utf-8"))


def issue_data(site: IssueSite) -> dict:
    issue, pub = site.issue, site.issue.publication
    return {"date": issue.date, "number": issue.number, "serial": issue.serial, "paper": pub.name,
            "code": pub.code, "cn": pub.cn, "wechat": pub.wechat, "icp": pub.icp, "publisher": pub.publisher,
            "imprint": list(pub.imprint), "rel": site.rel, "pages": [page_data(wp) for wp in site.pages],
            "withheld": list(site.withheld)}


def page_data(wp: WebPage) -> dict:
    """A page in issue.json: what the archive lists, and what a later run needs to keep it (keep_published):
    its PDF, its stories' keys and status ("errors": published under publish_errors, with their codes)."""
    data = {"page": wp.number, "section": wp.spec.section, "node": wp.node, "pdf": wp.pdf, "screen": wp.screen,
            "stories": [s.title for s, _ in wp.stories], "keys": [s.key for s, _ in wp.stories],
            "status": wp.status}
    if wp.errors:
        data["errors"] = list(wp.errors)
    return data


def issue_json(site: IssueSite) -> str:
    data = issue_data(site)
    del data["rel"]       # where it lies is read from where it is found
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def archive_entry(data: dict) -> dict:
    """What the calendar and 上一期/下一期 need of an issue: date, 期号, folder (from the site root), first page."""
    first = data["pages"][0]["node"] if data.get("pages") else "index.html"
    return {"date": data["date"], "number": data.get("number") or 0, "rel": data["rel"], "first": first}


def issues_js(archive: list[dict]) -> str:
    """static/issues.js: the archive for site.js, oldest first (a script, not JSON, so that it loads from
    file:// too)."""
    entries = sorted((archive_entry(d) for d in archive), key=lambda d: d["date"])
    return ("/* paiban 数字报: the issues in this site (written by paiban site) */\nwindow.PAIBAN_ISSUES = "
            + json.dumps(entries, ensure_ascii=False, indent=0, sort_keys=True) + ";\n")


def read_archive(out: Path) -> list[dict]:
    """Every issue built into OUT (from each issue's issue.json), newest first."""
    found = []
    for path in sorted((out / "html").glob("*/*/issue.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        data["rel"] = path.parent.relative_to(out).as_posix() + "/"
        found.append(data)
    found.sort(key=lambda d: (d.get("date", ""), d["rel"]), reverse=True)
    return found
