"""The HTML of the digital edition: archive, issue index, page view, story page, search
(layout.products.site.templates.PAGE around a body made here).

Every page carries the seed page's furniture: paper name, 国内统一刊号 and 微信公众平台 from publication.yaml,
the issue's date line, 上一期 / 下一期, 按日期搜索 (a calendar drawn by static/site.js from static/issues.js;
without JavaScript it is a link to the archive list) and the footer (主办单位, 地址, 邮编, 备案号).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from layout.compose.furniture import date_cn
from layout.products.site.templates import PAGE

ROOT_FROM_ISSUE = "../../../"


def head_lines(text: str) -> list[str]:
    """A headline's lines: a newline or a written \\n (as in YAML plain scalars) forces a break, as in print."""
    return [part.strip() for part in text.replace("\\n", "\n").split("\n") if part.strip()]


def one_line(text: str) -> str:
    return " ".join(head_lines(text))


def e(text) -> str:
    return escape(str(text), quote=True)


def _fmt(v: float) -> str:
    s = f"{v:.1f}"
    return s[:-2] if s.endswith(".0") else s


def points(poly) -> str:
    return " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in poly)


def issue_meta(date: str, number, serial) -> str:
    day, weekday = date_cn(date)
    bits = [f"{day} {weekday}"]
    if number:
        bits.append(f"第{number}期" + (f"（总第{serial}期）" if serial else ""))
    return "　".join(bits)


def footer_lines(publisher: str, imprint, cn: str, icp: str = "") -> str:
    lines = [str(line) for line in imprint if str(line).strip()]
    if not lines and publisher:
        lines.append(f"主办单位：{publisher}")
    if cn and not any(cn in line for line in lines):
        lines.append(f"国内统一刊号：{cn}")
    if icp:
        lines.append(f"备案号：{icp}")
    return "<p>" + "　".join(e(line) for line in lines) + "</p>"


@dataclass
class Chrome:
    """What the masthead and footer of a page show (from publication.yaml and the archive)."""
    root: str
    paper: str
    cn: str = ""
    wechat: str = ""
    publisher: str = ""
    imprint: list = field(default_factory=list)
    icp: str = ""
    date: str = ""                 # the issue shown ("" on the archive and search pages)
    number: int = 0
    serial: int = 0
    prev: dict | None = None       # the archive entry of 上一期 / 下一期 ({"rel", "first", "date"})
    next: dict | None = None
    in_issue: bool = False         # a page inside html/YYYY-MM/DD/ (本期目录 is index.html there)


def chrome_of_issue(site) -> Chrome:
    pub = site.issue.publication
    return Chrome(root=ROOT_FROM_ISSUE, paper=pub.name, cn=pub.cn, wechat=pub.wechat, publisher=pub.publisher,
                  imprint=list(pub.imprint), icp=pub.icp, date=site.issue.date, number=site.issue.number,
                  serial=site.issue.serial, prev=site.prev_issue, next=site.next_issue, in_issue=True)


def chrome_of_archive(latest: dict) -> Chrome:
    return Chrome(root="", paper=latest.get("paper", "数字报"), cn=latest.get("cn", ""),
                  wechat=latest.get("wechat", ""), publisher=latest.get("publisher", ""),
                  imprint=list(latest.get("imprint", [])), icp=latest.get("icp", ""))


def _issue_link(c: Chrome, which: str, label: str) -> str:
    entry = c.prev if which == "prev" else c.next
    if entry:
        href = c.root + entry["rel"] + entry.get("first", "index.html")
        return f'<a data-issue-nav="{which}" rel="{which}" href="{e(href)}">{label}</a>'
    return f'<a data-issue-nav="{which}" class="disabled" aria-disabled="true">{label}</a>'


def _page(c: Chrome, *, title: str, body: str, kind: str, head: str = "") -> str:
    meta = []
    if c.cn:
        meta.append(f"国内统一刊号：{e(c.cn)}")
    if c.wechat:
        meta.append(f"微信公众平台：{e(c.wechat)}")
    today = ""
    if c.date:
        today = f'<p class="today">{e(issue_meta(c.date, c.number, c.serial))}</p>'
    nav = []
    if c.date:
        nav += [_issue_link(c, "prev", "上一期"), _issue_link(c, "next", "下一期")]
    nav.append(f'<span class="datesearch"><a id="datebtn" href="{c.root}index.html" aria-controls="calendar">按日期搜索</a>'
               f'<span id="calendar" class="calendar popup" hidden></span></span>')
    if c.in_issue:
        nav.append('<a href="index.html">本期目录</a>')
    nav.append(f'<a href="{c.root}search.html">全文检索</a>')
    return PAGE.substitute(title=e(title), root=c.root, paper=e(c.paper), meta="　".join(meta), today=today,
                           nav="\n".join(nav), body=body, kind=kind, head=head, date=e(c.date),
                           footer=footer_lines(c.publisher, c.imprint, c.cn, c.icp))


def _head_bits(headline) -> tuple[str, str, str]:
    if headline is None:
        return "", "", ""
    return headline.kicker, headline.main, headline.subhead


def _story_link_text(story, headline) -> str:
    kicker, main, _ = _head_bits(headline)
    if not main:
        kicker, main, _ = _head_bits(story.headline)
    title = one_line(main) if main else story.title
    out = f'<span class="kick">{e(kicker)}</span>' if kicker else ""
    return out + e(title)


def page_label(wp) -> str:
    return f"第{wp.number}版：{wp.spec.section}" if wp.spec.section else f"第{wp.number}版"


def _flip(prev, nxt) -> str:
    """版面翻页: 上一版 / 下一版 in issue order (a disabled link at either end)."""
    out = ['<nav class="flip" aria-label="版面翻页"><span class="label">版面翻页：</span>']
    out.append(f'<a rel="prev" href="{prev.node}">上一版</a>' if prev
               else '<a class="disabled" aria-disabled="true">上一版</a>')
    out.append(f'<a rel="next" href="{nxt.node}">下一版</a>' if nxt
               else '<a class="disabled" aria-disabled="true">下一版</a>')
    out.append("</nav>")
    return " ".join(out)


def _story_list(wp, current=None) -> str:
    items = []
    for s, head in wp.stories:
        mark = ' aria-current="page"' if s is current else ""
        items.append(f'<li><a href="content_{s.key}.htm"{mark}>{_story_link_text(s, head)}</a></li>')
    return "".join(items) or "<li>本版无稿件</li>"


def _page_thumbs(site, wp_current) -> str:
    """版面导航: every page of the issue as a thumbnail with its 版次 and 版名 (thumbnails lazy-loaded)."""
    items = []
    for p in site.pages:
        mark = ' aria-current="page"' if p is wp_current else ""
        th_h = round(p.image.height * 240 / p.image.width)
        items.append(f'<li><a href="{p.node}"{mark}><img src="images/page_{e(p.number)}_s.jpg" width="240" '
                     f'height="{th_h}" loading="lazy" alt="{e(page_label(p))} 缩略图">'
                     f'<span>{e(page_label(p))}</span></a></li>')
    return "".join(items)


def pages_of_issue(site):
    prev = {wp.number: (site.pages[i - 1] if i else None) for i, wp in enumerate(site.pages)}
    nxt = {wp.number: (site.pages[i + 1] if i + 1 < len(site.pages) else None) for i, wp in enumerate(site.pages)}
    return prev, nxt


# -- page view (node_NN.htm) ---------------------------------------------------------------------------

def _kb(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{max(1, round(n / 1e3))} KB"


def _downloads(wp) -> str:
    """PDF下载: the screen version (RGB, light) first, then the print PDF, each with its size."""
    if not wp.screen:
        return f'<a class="pdf" href="pdf/{e(wp.pdf)}" download>PDF下载</a>'
    screen_b, print_b = wp.sizes[1], wp.sizes[0]
    size = lambda n: f" <small>{_kb(n)}</small>" if n else ""  # noqa: E731
    return (f'<span class="pdf">PDF下载：<a href="pdf/{e(wp.screen)}" download>屏幕版{size(screen_b)}</a> '
            f'<a href="pdf/{e(wp.pdf)}" download>印刷版{size(print_b)}</a></span>')


# A page published although its build has an error (`paiban site --publish-errors`, for emergencies): the
# page image may lack text that did not fit or show a placeholder, so the reader is told, plainly and
# without the build's jargon, that the story pages hold the full text and that a corrected page will follow.
ERRATA = ('<p class="errata" role="note">本版版面图尚待更正，图中可能有未排入或显示不全的内容；'
          '各稿件全文以文字页为准。</p>')

def page_html(site, wp, prev, nxt) -> str:
    from layout.products.site.images import page_image_name
    pub = site.issue.publication
    c = chrome_of_issue(site)
    label = page_label(wp)
    day, _ = date_cn(site.issue.date)
    w, h = wp.image.width, wp.image.height
    hot = []
    for hs in wp.hotspots:
        title = hs.story.title
        kicker, main, _ = _head_bits(hs.headline)
        if main:
            title = one_line(main)
        hot.append(f'<a class="hot" href="content_{hs.story.key}.htm" data-story="{e(hs.story.head.id)}" '
                   f'aria-label="{e(title)}"><title>{e(title)}</title>'
                   f'<polygon class="area" points="{points(hs.area)}"/>'
                   + "".join(f'<polygon class="part" points="{points(p)}"/>' for p in hs.parts) + "</a>")
    variants = wp.image.variants or ((w, wp.image.bytes),)
    srcset = ", ".join(f"images/{page_image_name(wp.number, vw)} {vw}w" for vw, _ in variants)
    ratio = w / h
    # sizes: the width the page is shown at before any zoom (site.css: fit the window's height beside
    # the two side columns on a desktop, the screen's width on a phone); site.js keeps it current on zoom
    sizes = f"(min-width: 821px) min(calc((100vh - 150px) * {ratio:.4f}), calc(100vw - 500px)), calc(100vw - 24px)"
    body = f"""<div class="pagelayout">
<nav class="pagenav" aria-labelledby="pagelist"><h2 id="pagelist">版面导航</h2><ol class="pagethumbs">{_page_thumbs(site, wp)}</ol></nav>
<section class="pagecol" aria-labelledby="pagetitle">
<div class="toolbar">
<h1 id="pagetitle">{e(label)}</h1>
{_flip(prev, nxt)}
<div id="zoombar" class="zoom js-only"><button type="button" data-zoom="in">放大</button> <button type="button" data-zoom="out">缩小</button> <button type="button" data-zoom="reset">默认</button> <output id="zoomlevel">100%</output></div>
{_downloads(wp)}
</div>
{ERRATA if wp.status == "errors" else ""}
<div class="scroller" id="scroller">
<div class="pageview" id="pageview" style="--ar:{ratio:.5f};aspect-ratio:{w}/{h}">
<img src="images/{page_image_name(wp.number, variants[0][0])}" srcset="{srcset}" sizes="{sizes}" width="{w}" height="{h}" alt="{e(pub.name)} {e(day)} {e(label)} 版面图">
<svg viewBox="0 0 {w} {h}" preserveAspectRatio="none" role="group" aria-label="本版稿件热区">
{chr(10).join(hot)}
</svg>
</div>
</div>
</section>
<aside class="pageside">
<section aria-labelledby="storylist"><h2 id="storylist">本版标题</h2><ol class="stories">{_story_list(wp)}</ol></section>
</aside>
</div>"""
    # published with errors (--publish-errors): the notice above, and kept out of search engines
    head = '<meta name="robots" content="noindex">\n' if wp.status == "errors" else ""
    return _page(c, title=f"{pub.name} {day} {label}", body=body, kind="pageview", head=head)


# -- story (content_<id>.htm) --------------------------------------------------------------------------

# applied before the first paint, so a remembered text size causes no layout shift
TEXT_SIZE_EARLY = ('<script>try{var s=parseFloat(localStorage.getItem("paiban.textScale"));'
                   'if(s>0)document.documentElement.style.setProperty("--text-scale",s)}catch(x){}</script>\n')


def _story_ref(story, rel: str, label: str) -> str:
    if story is None:
        return f'<span class="{rel}"><a class="disabled" aria-disabled="true">{label}</a>：无</span>'
    return (f'<span class="{rel}"><a rel="{rel}" href="content_{story.key}.htm">{label}</a>：'
            f'{e(story.title)}</span>')


def story_html(site, story, before=None, after=None) -> str:
    """The story page: 引题/主题/副题, byline, photos, text, 录入/责任编辑, 上一篇/下一篇 (issue reading order),
    返回版面, and beside it the page's story list and 版面翻页."""
    pub = site.issue.publication
    c = chrome_of_issue(site)
    day, _ = date_cn(site.issue.date)
    pages = {wp.number: wp for wp in site.pages}
    kicker, main, subhead = _head_bits(story.headline)
    h1 = "<br>".join(e(x) for x in head_lines(main)) if main else e(story.title)
    head = []
    if kicker:
        head.append(f'<p class="kicker">{e(kicker)}</p>')
    head.append(f"<h1>{h1}</h1>")
    if subhead:
        head.append(f'<p class="subhead">{e(subhead)}</p>')
    byline = story.head.byline.strip()
    at_end = byline.startswith(("(", "（"))
    if byline and not at_end:
        head.append(f'<p class="byline">{e(byline)}</p>')
    figures = []
    for (fname, img), (_, ph) in zip(story.photo_files, story.photos):
        caption = ph.caption.strip()
        alt = caption or f"{story.title} 配图"
        cap = e(caption) + (f' <span class="credit">{e(ph.credit)}</span>' if ph.credit else "")
        figures.append(f'<figure><img src="images/{e(fname)}" width="{img.width}" height="{img.height}" '
                       f'alt="{e(alt)}" loading="lazy">'
                       + (f"<figcaption>{cap}</figcaption>" if caption or ph.credit else "") + "</figure>")
    paras = "\n".join(f"<p>{e(p)}</p>" for p in story.paragraphs)
    tail = f'<p class="byline end">{e(byline)}</p>' if byline and at_end else ""
    on = [pages[n] for n in story.pages if n in pages]
    crumbs = " › ".join([f'<a href="index.html">{e(day)}</a>'] + [
        f'<a href="{p.node}">{e(page_label(p))}</a>' for p in on])
    back = "　".join(f'<a class="back" href="{p.node}">返回版面</a>' if i == 0 else
                     f'<a href="{p.node}">返回第{e(p.number)}版</a>' for i, p in enumerate(on))
    # 录入 and 责任编辑 of the page(s) the story is on, from issue.yaml (editors: entry, responsible)
    credits = []
    for key, label in (("entry", "录入"), ("responsible", "责任编辑")):
        names = list(dict.fromkeys(p.spec.editors.get(key) for p in on if p.spec.editors.get(key)))
        if names:
            credits.append(f'<p class="credit-{key}">{label}：{e("、".join(names))}</p>')
    home = on[0] if on else None
    prev_page, next_page = pages_of_issue(site)
    side = ""
    if home:
        side = f"""<aside class="storyside">
<section aria-labelledby="storylist"><h2 id="storylist">本版标题 <small>第{e(home.number)}版：{e(home.spec.section)}</small></h2><ol class="stories">{_story_list(home, story)}</ol></section>
<section aria-labelledby="fliplabel"><h2 id="fliplabel">版面</h2>{_flip(prev_page[home.number], next_page[home.number])}
<ul class="pages">{"".join(f'<li><a href="{p.node}"{" aria-current=page" if p is home else ""}>{e(page_label(p))}</a></li>' for p in site.pages)}</ul></section>
</aside>"""
    body = f"""<div class="storylayout">
<article aria-labelledby="title" data-pagefind-body data-pagefind-meta="where:{e(day)}　{e(" ".join(page_label(p) for p in on))}">
<p class="crumbs" data-pagefind-ignore>{crumbs}</p>
<div id="textsize" class="textsize js-only" data-pagefind-ignore>字号：<button type="button" data-size="up">放大</button> <button type="button" data-size="down">缩小</button> <button type="button" data-size="reset">默认</button></div>
<header id="title">
{chr(10).join(head)}
</header>
{"".join(figures)}
<div class="article-body">
{paras}
</div>
{tail}
<div class="credits" data-pagefind-ignore>{"".join(credits)}</div>
<nav class="storynav" aria-label="上一篇 下一篇" data-pagefind-ignore>{_story_ref(before, "prev", "上一篇")}{_story_ref(after, "next", "下一篇")}</nav>
<p class="backlinks" data-pagefind-ignore>{back}</p>
</article>
{side}
</div>"""
    return _page(c, title=f"{story.title} - {pub.name} {day}", body=body, kind="story", head=TEXT_SIZE_EARLY)


def one_title(story) -> str:
    return story.title


# -- issue index ---------------------------------------------------------------------------------------

def issue_html(site) -> str:
    issue, pub = site.issue, site.issue.publication
    c = chrome_of_issue(site)
    day, weekday = date_cn(issue.date)
    items = []
    for wp in site.pages:
        label = page_label(wp)
        th_h = round(wp.image.height * 240 / wp.image.width)
        stories = "".join(f'<li><a href="content_{s.key}.htm">{_story_link_text(s, head)}</a></li>'
                          for s, head in wp.stories)
        items.append(f'<li><a href="{wp.node}"><img src="images/page_{e(wp.number)}_s.jpg" width="240" '
                     f'height="{th_h}" loading="lazy" alt="{e(label)} 缩略图"><span>{e(label)}</span></a>'
                     + (f"<ul>{stories}</ul>" if stories else "") + "</li>")
    number = f"第{issue.number}期" + (f"（总第{issue.serial}期）" if issue.serial else "") if issue.number else ""
    body = f"""<section class="issuehead" aria-labelledby="issuetitle">
<h1 id="issuetitle">{e(pub.name)} {e(day)} {e(weekday)} {e(number)}</h1>
<p>本期共{len(site.pages)}个版面。<a href="{ROOT_FROM_ISSUE}index.html">按日期查看往期</a></p>
</section>
<section aria-labelledby="pagestitle">
<h2 id="pagestitle">版面目录</h2>
<ol class="thumbs">{"".join(items)}</ol>
</section>"""
    return _page(c, title=f"{pub.name} {day} 本期目录", body=body, kind="issue")


# -- archive (按日期) -------------------------------------------------------------------------------------

def archive_html(issues: list[dict]) -> str:
    """The archive: a calendar of the issues (site.js; month navigation, days without an issue disabled)
    over the plain list grouped by month, which is all a reader without JavaScript needs."""
    latest = issues[0] if issues else {}
    c = chrome_of_archive(latest)
    months: dict[str, list[dict]] = {}
    for d in issues:
        months.setdefault(d["date"][:7], []).append(d)
    groups = []
    for month, entries in months.items():
        y, m = month.split("-")
        rows = []
        for d in entries:
            first = d["pages"][0]["node"] if d.get("pages") else "index.html"
            rows.append(f'<li><a href="{e(d["rel"])}index.html">{e(issue_meta(d["date"], d.get("number"), d.get("serial")))}</a>'
                        f'　共{len(d.get("pages", []))}版　<a href="{e(d["rel"])}{e(first)}">看版面</a></li>')
        groups.append(f'<h2 id="m{y}{m}">{int(y)}年{int(m)}月</h2><ol>{"".join(rows)}</ol>')
    start = latest.get("date", "")[:7]
    body = f"""<section class="archive" aria-labelledby="archivetitle">
<h1 id="archivetitle">按日期</h1>
<div id="archive-calendar" class="calendar inline" data-month="{e(start)}" hidden></div>
{"".join(groups) or "<p>还没有生成任何一期。</p>"}
</section>"""
    return _page(c, title=f"{c.paper} 数字报 按日期", body=body, kind="archive")


# -- search (search.html) -------------------------------------------------------------------------------

def search_html(issues: list[dict]) -> str:
    """全文检索 over every story page of the archive: site.js asks the Pagefind index (pagefind/, written by
    `paiban site`) and lists the stories with the terms marked; a result opens the story with them marked
    there too. The form also works as a plain GET (search.html?q=…), so a search can be linked."""
    c = chrome_of_archive(issues[0] if issues else {})
    body = """<section class="search" aria-labelledby="searchtitle">
<h1 id="searchtitle">全文检索</h1>
<form id="searchform" class="searchform" action="search.html" method="get" role="search">
<label for="q">检索词</label> <input id="q" name="q" type="search" autocomplete="off" placeholder="输入要查找的字词"> <button type="submit">搜索</button>
</form>
<p id="searchstatus" class="searchstatus" role="status" aria-live="polite"></p>
<ol id="results" class="results"></ol>
<noscript><p>全文检索需要浏览器启用 JavaScript；也可<a href="index.html">按日期</a>浏览往期。</p></noscript>
</section>"""
    return _page(c, title=f"{c.paper} 数字报 全文检索", body=body, kind="search")
