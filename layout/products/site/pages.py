"""The HTML of the digital edition: archive, issue index, page view, story page (layout.products.site.templates.PAGE)."""
from __future__ import annotations

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


def footer_lines(publisher: str, imprint, cn: str) -> str:
    lines = [str(line) for line in imprint if str(line).strip()]
    if not lines and publisher:
        lines.append(f"主办单位：{publisher}")
    if cn and not any(cn in line for line in lines):
        lines.append(f"国内统一刊号：{cn}")
    return "<p>" + "　".join(e(line) for line in lines) + "</p>"


def _page(*, title: str, root: str, paper: str, meta: str, nav: str, body: str, footer: str,
          kind: str, head: str = "") -> str:
    return PAGE.substitute(title=e(title), root=root, paper=e(paper), meta=meta, nav=nav, body=body,
                           footer=footer, kind=kind, head=head)


def _issue_chrome(site):
    issue, pub = site.issue, site.issue.publication
    meta = e(issue_meta(issue.date, issue.number, issue.serial))
    if pub.cn:
        meta += f"　国内统一刊号：{e(pub.cn)}"
    nav = (f'<a href="{ROOT_FROM_ISSUE}index.html">按日期</a>'
           f'<a href="index.html">本期目录</a>')
    if site.pages:
        nav += f'<a href="{site.pages[0].node}">第{e(site.pages[0].number)}版</a>'
    return meta, nav, footer_lines(pub.publisher, pub.imprint, pub.cn)


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


# -- page view (node_NN.htm) ---------------------------------------------------------------------------

def page_html(site, wp, prev, nxt) -> str:
    issue, pub = site.issue, site.issue.publication
    meta, nav, footer = _issue_chrome(site)
    label = f"第{wp.number}版：{wp.spec.section}" if wp.spec.section else f"第{wp.number}版"
    day, _ = date_cn(issue.date)
    flip = ['<nav class="flip" aria-label="版面翻页">版面翻页：']
    flip.append(f'<a rel="prev" href="{prev.node}">上一版</a>' if prev else '<span class="disabled">上一版</span>')
    flip.append(" ")
    flip.append(f'<a rel="next" href="{nxt.node}">下一版</a>' if nxt else '<span class="disabled">下一版</span>')
    flip.append("</nav>")
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
    stories = "".join(f'<li><a href="content_{s.key}.htm">{_story_link_text(s, head)}</a></li>'
                      for s, head in wp.stories) or "<li>本版无稿件</li>"
    current = ' aria-current="page"'
    pagelist = "".join(
        f'<li><a href="{p.node}"{current if p is wp else ""}>第{e(p.number)}版：{e(p.spec.section)}</a></li>'
        for p in site.pages)
    body = f"""<div class="pagelayout">
<section class="pagecol" aria-labelledby="pagetitle">
<div class="toolbar">
<h1 id="pagetitle">{e(label)}</h1>
{"".join(flip)}
<div id="zoombar" class="zoom" hidden><button type="button" data-zoom="in">放大</button> <button type="button" data-zoom="out">缩小</button> <button type="button" data-zoom="reset">默认</button></div>
<a class="pdf" href="pdf/{e(wp.pdf)}" download>PDF下载</a>
</div>
<div class="scroller">
<div class="pageview" id="pageview">
<img src="images/page_{e(wp.number)}.jpg" width="{w}" height="{h}" alt="{e(pub.name)} {e(day)} {e(label)} 版面图">
<svg viewBox="0 0 {w} {h}" preserveAspectRatio="none" role="group" aria-label="本版稿件热区">
{chr(10).join(hot)}
</svg>
</div>
</div>
</section>
<aside>
<section aria-labelledby="storylist"><h2 id="storylist">本版标题</h2><ol class="stories">{stories}</ol></section>
<section aria-labelledby="pagelist"><h2 id="pagelist">版面导航</h2><ul class="pages">{pagelist}</ul></section>
</aside>
</div>"""
    return _page(title=f"{pub.name} {day} {label}", root=ROOT_FROM_ISSUE, paper=pub.name, meta=meta, nav=nav,
                 body=body, footer=footer, kind="pageview",
                 head=f'<script src="{ROOT_FROM_ISSUE}static/zoom.js" defer></script>\n')


# -- story (content_<id>.htm) --------------------------------------------------------------------------

def story_html(site, story) -> str:
    issue, pub = site.issue, site.issue.publication
    meta, nav, footer = _issue_chrome(site)
    day, _ = date_cn(issue.date)
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
        alt = caption or f"{one_title(story)} 配图"
        cap = e(caption) + (f' <span class="credit">{e(ph.credit)}</span>' if ph.credit else "")
        figures.append(f'<figure><img src="images/{e(fname)}" width="{img.width}" height="{img.height}" '
                       f'alt="{e(alt)}" loading="lazy">'
                       + (f"<figcaption>{cap}</figcaption>" if caption or ph.credit else "") + "</figure>")
    paras = "\n".join(f"<p>{e(p)}</p>" for p in story.paragraphs)
    tail = f'<p class="byline end">{e(byline)}</p>' if byline and at_end else ""
    crumbs = " › ".join([f'<a href="index.html">{e(day)}</a>'] + [
        f'<a href="{pages[n].node}">第{e(n)}版：{e(pages[n].spec.section)}</a>' for n in story.pages if n in pages])
    back = "　".join(f'<a href="{pages[n].node}">返回第{e(n)}版</a>' for n in story.pages if n in pages)
    editors = []
    for n in story.pages:
        ed = pages[n].spec.editors if n in pages else {}
        if ed.get("responsible"):
            editors.append(f"责任编辑：{ed['responsible']}")
    credits = f'<p class="credits">{e("　".join(dict.fromkeys(editors)))}</p>' if editors else ""
    body = f"""<article aria-labelledby="title">
<p class="crumbs">{crumbs}</p>
<header id="title">
{chr(10).join(head)}
</header>
{"".join(figures)}
<div class="article-body">
{paras}
</div>
{tail}
{credits}
<p class="backlinks">{back}</p>
</article>"""
    return _page(title=f"{one_title(story)} - {pub.name} {day}", root=ROOT_FROM_ISSUE, paper=pub.name, meta=meta,
                 nav=nav, body=body, footer=footer, kind="story")


def one_title(story) -> str:
    return story.title


# -- issue index ---------------------------------------------------------------------------------------

def issue_html(site) -> str:
    issue, pub = site.issue, site.issue.publication
    meta, nav, footer = _issue_chrome(site)
    day, weekday = date_cn(issue.date)
    items = []
    for wp in site.pages:
        label = f"第{wp.number}版：{wp.spec.section}" if wp.spec.section else f"第{wp.number}版"
        th_h = round(wp.image.height * 240 / wp.image.width)
        stories = "".join(f'<li><a href="content_{s.key}.htm">{_story_link_text(s, head)}</a></li>'
                          for s, head in wp.stories)
        items.append(f'<li><a href="{wp.node}"><img src="images/page_{e(wp.number)}_s.jpg" width="240" '
                     f'height="{th_h}" alt="{e(label)} 缩略图"><span>{e(label)}</span></a>'
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
    return _page(title=f"{pub.name} {day} 本期目录", root=ROOT_FROM_ISSUE, paper=pub.name, meta=meta, nav=nav,
                 body=body, footer=footer, kind="issue")


# -- archive (按日期) -------------------------------------------------------------------------------------

def archive_html(issues: list[dict]) -> str:
    latest = issues[0] if issues else {}
    paper = latest.get("paper", "数字报")
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
    meta = e(f"国内统一刊号：{latest['cn']}") if latest.get("cn") else ""
    nav = '<a href="index.html">按日期</a>'
    if latest:
        nav += f'<a href="{e(latest["rel"])}index.html">最新一期</a>'
    body = f"""<section class="archive" aria-labelledby="archivetitle">
<h1 id="archivetitle">按日期</h1>
{"".join(groups) or "<p>还没有生成任何一期。</p>"}
</section>"""
    footer = footer_lines(latest.get("publisher", ""), latest.get("imprint", []), latest.get("cn", ""))
    return _page(title=f"{paper} 数字报 按日期", root="", paper=paper, meta=meta, nav=nav, body=body,
                 footer=footer, kind="archive")
