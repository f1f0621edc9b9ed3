"""HTML, CSS and the script of the digital edition (数字报), as Python string templates.

Every page is PAGE (string.Template) around a body made by the functions in layout.products.site.pages.
Links are relative (the site works from file:// and any static host); nothing here reads the clock,
so the same input gives the same bytes.
"""
from __future__ import annotations

from string import Template

PAGE = Template("""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<link rel="icon" href="data:,">
<script>document.documentElement.className="js"</script>
<link rel="stylesheet" href="${root}static/site.css">
<script src="${root}static/issues.js" defer></script>
<script src="${root}static/site.js" defer></script>
$head</head>
<body class="$kind" data-root="$root" data-date="$date">
<a class="skip" href="#main">跳到正文</a>
<header class="masthead">
<div class="wrap">
<p class="paper"><a href="${root}index.html">$paper</a> <span class="tag">数字报纸</span></p>
<p class="meta">$meta</p>
$today<nav class="issuenav" aria-label="往期与检索">
$nav
</nav>
</div>
</header>
<main id="main" class="wrap">
$body
</main>
<footer class="imprint">
<div class="wrap">
$footer
</div>
</footer>
</body>
</html>
""")

# The only script (static/site.js). Without it every page reads the same: 按日期搜索 is then a link to the
# archive's list, 上一期/下一期 are the links written when the issue was built, and the zoom and text size
# buttons stay hidden. static/issues.js (written on every run) lists the issues the calendar shows.
SITE_JS = r"""/* paiban 数字报: 按日期搜索 calendar, 上一期/下一期, page zoom, text size, search highlights. */
(function () {
  "use strict";
  var body = document.body, root = body.getAttribute("data-root") || "", current = body.getAttribute("data-date") || "";
  var issues = (window.PAIBAN_ISSUES || []).slice().sort(function (a, b) { return a.date < b.date ? -1 : 1; });
  var byDate = {};
  issues.forEach(function (d) { byDate[d.date] = d; });
  function href(d) { return root + d.rel + (d.first || "index.html"); }
  function el(tag, attrs, text) {
    var n = document.createElement(tag);
    for (var k in attrs) n.setAttribute(k, attrs[k]);
    if (text != null) n.textContent = text;
    return n;
  }

  /* 上一期 / 下一期 from the archive as it is now (issues added after this one was built included) */
  if (current && issues.length) {
    var at = -1;
    issues.forEach(function (d, i) { if (d.date === current) at = i; });
    [["prev", at - 1], ["next", at + 1]].forEach(function (p) {
      var a = document.querySelector('[data-issue-nav="' + p[0] + '"]');
      var d = at >= 0 ? issues[p[1]] : null;
      if (!a) return;
      if (d) { a.href = href(d); a.classList.remove("disabled"); a.removeAttribute("aria-disabled"); a.title = d.date; }
      else { a.removeAttribute("href"); a.classList.add("disabled"); a.setAttribute("aria-disabled", "true"); }
    });
  }

  /* 按日期搜索: a month calendar; days with an issue are links, the others disabled */
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function monthOf(s) { return [parseInt(s.slice(0, 4), 10), parseInt(s.slice(5, 7), 10)]; }
  var first = issues.length ? monthOf(issues[0].date) : null, last = issues.length ? monthOf(issues[issues.length - 1].date) : null;
  function cmp(a, b) { return a[0] * 12 + a[1] - (b[0] * 12 + b[1]); }
  function drawCalendar(box, ym) {
    box.textContent = "";
    box.setAttribute("data-month", ym[0] + "-" + pad(ym[1]));
    var head = el("div", {"class": "calhead"});
    var prev = el("button", {type: "button", "data-cal": "prev", "aria-label": "上个月"}, "‹");
    var next = el("button", {type: "button", "data-cal": "next", "aria-label": "下个月"}, "›");
    prev.disabled = !first || cmp(ym, first) <= 0;
    next.disabled = !last || cmp(ym, last) >= 0;
    var title = el("span", {"class": "calmonth", "aria-live": "polite"}, ym[0] + "年" + ym[1] + "月");
    head.appendChild(prev); head.appendChild(title); head.appendChild(next);
    box.appendChild(head);
    var table = el("table", {role: "grid", "aria-label": ym[0] + "年" + ym[1] + "月"});
    var tr = el("tr");
    "日一二三四五六".split("").forEach(function (w) { tr.appendChild(el("th", {scope: "col"}, w)); });
    var thead = el("thead"); thead.appendChild(tr); table.appendChild(thead);
    var tbody = el("tbody");
    var lead = new Date(ym[0], ym[1] - 1, 1).getDay(), days = new Date(ym[0], ym[1], 0).getDate();
    tr = el("tr");
    for (var i = 0; i < lead; i++) tr.appendChild(el("td"));
    for (var day = 1; day <= days; day++) {
      var iso = ym[0] + "-" + pad(ym[1]) + "-" + pad(day), d = byDate[iso], td = el("td");
      var label = ym[0] + "年" + ym[1] + "月" + day + "日";
      if (d) {
        var a = el("a", {href: href(d), "aria-label": label + " 第" + (d.number || "") + "期"}, String(day));
        if (iso === current) a.setAttribute("aria-current", "date");
        td.appendChild(a);
      } else {
        td.appendChild(el("span", {"class": "off", "aria-disabled": "true", "aria-label": label + " 无报纸"}, String(day)));
      }
      tr.appendChild(td);
      if ((lead + day) % 7 === 0) { tbody.appendChild(tr); tr = el("tr"); }
    }
    if (tr.childNodes.length) tbody.appendChild(tr);
    table.appendChild(tbody);
    box.appendChild(table);
    /* the buttons are redrawn: stop the click here, or the popup would take it for a click outside */
    prev.addEventListener("click", function (ev) { ev.stopPropagation(); drawCalendar(box, ym[1] === 1 ? [ym[0] - 1, 12] : [ym[0], ym[1] - 1]); box.querySelector('[data-cal="prev"]').focus(); });
    next.addEventListener("click", function (ev) { ev.stopPropagation(); drawCalendar(box, ym[1] === 12 ? [ym[0] + 1, 1] : [ym[0], ym[1] + 1]); box.querySelector('[data-cal="next"]').focus(); });
  }
  var start = current || (issues.length ? issues[issues.length - 1].date : "");
  var inline = document.getElementById("archive-calendar");
  if (inline && start) { inline.hidden = false; drawCalendar(inline, monthOf(inline.getAttribute("data-month") || start)); }
  var btn = document.getElementById("datebtn"), pop = document.getElementById("calendar");
  if (btn && pop && issues.length) {
    btn.setAttribute("role", "button");
    btn.setAttribute("aria-expanded", "false");
    btn.addEventListener("click", function (ev) {
      ev.preventDefault();
      var open = pop.hidden;
      if (open) drawCalendar(pop, monthOf(start));
      pop.hidden = !open;
      btn.setAttribute("aria-expanded", String(open));
    });
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && !pop.hidden) { pop.hidden = true; btn.setAttribute("aria-expanded", "false"); btn.focus(); }
    });
    document.addEventListener("click", function (ev) {
      if (!pop.hidden && !pop.contains(ev.target) && ev.target !== btn) { pop.hidden = true; btn.setAttribute("aria-expanded", "false"); }
    });
  }

  /* page view: 放大 / 缩小 / 默认 scale the page box (image and hotspots together); the srcset picks a
     sharper image as the box grows, because sizes follows the shown width */
  var view = document.getElementById("pageview"), bar = document.getElementById("zoombar");
  if (view && bar) {
    var steps = [0.5, 0.75, 1, 1.5, 2, 3, 4], z = 2;
    var img = view.querySelector("img"), scroller = document.getElementById("scroller"), out = document.getElementById("zoomlevel");
    function sizes() { img.sizes = Math.max(1, Math.round(view.getBoundingClientRect().width)) + "px"; }
    function zoom(to) {
      var fx = (scroller.scrollLeft + scroller.clientWidth / 2) / scroller.scrollWidth;
      var fy = (scroller.scrollTop + scroller.clientHeight / 2) / scroller.scrollHeight;
      z = Math.max(0, Math.min(steps.length - 1, to));
      view.style.setProperty("--zoom", steps[z]);
      view.setAttribute("data-zoom", String(steps[z]));
      if (out) out.textContent = Math.round(steps[z] * 100) + "%";
      scroller.scrollLeft = fx * scroller.scrollWidth - scroller.clientWidth / 2;
      scroller.scrollTop = fy * scroller.scrollHeight - scroller.clientHeight / 2;
      sizes();
    }
    bar.addEventListener("click", function (ev) {
      var b = ev.target.closest("button[data-zoom]");
      if (!b) return;
      var a = b.getAttribute("data-zoom");
      zoom(a === "in" ? z + 1 : a === "out" ? z - 1 : 2);
    });
    sizes();
    window.addEventListener("resize", sizes);
  }

  /* 全文检索 (search.html): the Pagefind index under pagefind/; it is fetched, so it needs http(s) */
  var form = document.getElementById("searchform");
  if (form) {
    var status = document.getElementById("searchstatus"), list = document.getElementById("results"), input = document.getElementById("q");
    var q = new URLSearchParams(location.search).get("q") || "";
    input.value = q;
    if (q.trim()) {
      if (location.protocol === "file:") {
        status.textContent = "全文检索需要通过网站（http/https）访问；从本地文件打开时不可用。";
      } else {
        status.textContent = "正在检索……";
        import(new URL(root + "pagefind/pagefind.js", document.baseURI).href)   /* resolved from the page, not site.js */.then(function (pf) {
          return pf.search(q).then(function (found) {
            return Promise.all(found.results.slice(0, 50).map(function (r) { return r.data(); }));
          });
        }).then(function (rows) {
          list.textContent = "";
          status.textContent = rows.length ? "找到" + rows.length + "篇含“" + q + "”的稿件" : "没有找到含“" + q + "”的稿件";
          rows.forEach(function (d) {
            var li = el("li"), a = el("a", {href: root + d.url.replace(/^\//, "") + "?hl=" + encodeURIComponent(q)}, d.meta.title || d.url);
            var h = el("h2"); h.appendChild(a); li.appendChild(h);
            if (d.meta.where) li.appendChild(el("p", {"class": "where"}, d.meta.where));
            var ex = el("p", {"class": "excerpt"}); ex.innerHTML = d.excerpt;   /* Pagefind escapes the text, adds <mark> */
            li.appendChild(ex);
            list.appendChild(li);
          });
        }).catch(function () { status.textContent = "检索索引无法载入。"; });
      }
    }
  }

  /* a story opened from a search result: the terms marked in its headline and text */
  var hl = new URLSearchParams(location.search).get("hl");
  if (hl && document.querySelector(".article-body")) {
    var terms = hl.split(/\s+/).filter(Boolean);
    var scope = document.querySelectorAll("article header h1, .article-body p");
    var firstMark = null;
    Array.prototype.forEach.call(scope, function (node) {
      var walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT), texts = [], t;
      while ((t = walker.nextNode())) texts.push(t);
      texts.forEach(function (text) {
        terms.forEach(function (term) {
          var at;
          while (text && (at = text.data.indexOf(term)) >= 0) {
            var hit = text.splitText(at), rest = hit.splitText(term.length), m = el("mark");
            hit.parentNode.replaceChild(m, hit); m.appendChild(hit);
            firstMark = firstMark || m;
            text = rest;
          }
        });
      });
    });
    if (firstMark) firstMark.scrollIntoView({block: "center"});
  }

  /* story page: text size 放大 / 缩小 / 默认, remembered (localStorage) */
  var ts = document.getElementById("textsize");
  if (ts) {
    var scales = [0.85, 1, 1.15, 1.3, 1.5, 1.75], KEY = "paiban.textScale";
    function getScale() { var v = 1; try { v = parseFloat(localStorage.getItem(KEY)) || 1; } catch (x) {} return v; }
    function setScale(v) {
      document.documentElement.style.setProperty("--text-scale", v);
      try { if (v === 1) localStorage.removeItem(KEY); else localStorage.setItem(KEY, String(v)); } catch (x) {}
    }
    ts.addEventListener("click", function (ev) {
      var b = ev.target.closest("button[data-size]");
      if (!b) return;
      var a = b.getAttribute("data-size"), v = getScale(), i = 0;
      while (i < scales.length - 1 && scales[i] < v - 1e-6) i++;
      setScale(a === "up" ? scales[Math.min(scales.length - 1, i + 1)] : a === "down" ? scales[Math.max(0, i - 1)] : 1);
    });
  }
})();
"""

CSS = """/* paiban 数字报 */
*{box-sizing:border-box}
html{font-size:16px}
body{margin:0;background:#f3f1ec;color:#222;font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;line-height:1.6}
a{color:#1a4a8a}
a:hover{color:#c00000}
a.disabled{color:#999;pointer-events:none;text-decoration:none}
[hidden]{display:none!important}
html:not(.js) .js-only{display:none}
.wrap{max-width:1280px;margin:0 auto;padding:0 16px}
.skip{position:absolute;left:-999px}
.skip:focus{left:8px;top:8px;background:#fff;padding:4px 8px;z-index:9}
.masthead{background:#fff;border-bottom:3px solid #c00000;margin-bottom:12px}
.masthead .wrap{display:flex;flex-wrap:wrap;align-items:baseline;gap:2px 20px;padding-top:6px;padding-bottom:6px}
.paper{margin:0;font-family:"Noto Serif CJK SC","Source Han Serif SC","Songti SC",SimSun,serif;font-size:1.7rem;font-weight:900;letter-spacing:.08em;white-space:nowrap}
.paper a{color:#c00000;text-decoration:none}
.paper .tag{font-size:.85rem;font-weight:400;letter-spacing:0;color:#666;font-family:inherit}
.meta,.today{margin:0;color:#555;font-size:.85rem}
.today{color:#222;font-weight:700}
.issuenav{margin-left:auto;font-size:.9rem;display:flex;flex-wrap:wrap;gap:2px 12px;align-items:baseline}
.datesearch{position:relative}
.calendar{background:#fff;font-size:.9rem}
.calendar.popup{position:absolute;right:0;top:1.8em;z-index:20;border:1px solid #bbb;box-shadow:0 4px 14px rgba(0,0,0,.18);padding:8px;width:17em}
.calendar.inline{display:inline-block;border:1px solid #ddd;padding:8px 12px;margin-bottom:12px;width:20em}
.calhead{display:flex;justify-content:space-between;align-items:center;margin-bottom:4px;font-weight:700}
.calhead button{font:inherit;border:1px solid #bbb;background:#f7f7f7;border-radius:3px;padding:0 10px;cursor:pointer}
.calhead button:disabled{color:#bbb;cursor:default}
.calendar table{border-collapse:collapse;width:100%;text-align:center}
.calendar th{font-weight:400;color:#777;font-size:.8rem}
.calendar td{padding:1px}
.calendar td a,.calendar td span{display:block;padding:2px 0;border-radius:3px}
.calendar td a{background:#c00000;color:#fff;text-decoration:none;font-weight:700}
.calendar td a[aria-current]{outline:2px solid #1a4a8a}
.calendar .off{color:#bbb}
h1,h2,h3{line-height:1.35}
.toolbar{display:flex;flex-wrap:wrap;align-items:center;gap:4px 14px;background:#fff;border:1px solid #ddd;padding:4px 10px;margin-bottom:6px;font-size:.9rem}
.toolbar h1{font-size:1.05rem;margin:0 auto 0 0}
.flip a{margin-right:6px}
.pdf small{color:#666;font-size:.8em}
.errata{margin:0 0 6px;padding:4px 10px;border:1px solid #d9a400;background:#fff8db;color:#5a4500;font-size:.9rem}
button{font:inherit;padding:1px 10px;border:1px solid #bbb;background:#f7f7f7;border-radius:3px;cursor:pointer}
#zoomlevel{display:inline-block;min-width:3.2em;color:#555}
.pagelayout{display:grid;grid-template-columns:124px minmax(0,1fr) 280px;gap:12px;align-items:start}
.pagenav{grid-column:1;grid-row:1}.pagecol{grid-column:2;grid-row:1}.pageside{grid-column:3;grid-row:1}
.pagenav,.pageside section{background:#fff;border:1px solid #ddd;padding:6px 10px}
.pagenav h2,.pageside h2,.storyside h2{font-size:1rem;margin:2px 0 6px;border-bottom:2px solid #c00000;padding-bottom:3px}
.pagethumbs{list-style:none;margin:0;padding:0}
.pagethumbs li{margin:0 0 8px;text-align:center;font-size:.8rem}
.pagethumbs img{display:block;width:100%;height:auto;border:1px solid #ddd}
.pagethumbs a[aria-current] img{border:2px solid #c00000}
.scroller{overflow:auto;background:#e9e6df;border:1px solid #ddd}
.pageview{position:relative;margin:0 auto;--zoom:1}
.pageview img{display:block;width:100%;height:100%;background:#fff}
.pageview svg{position:absolute;left:0;top:0;width:100%;height:100%}
.hot polygon{fill:rgba(26,74,138,0);stroke:none;pointer-events:all}
.hot:hover polygon,.hot:focus polygon{fill:rgba(26,74,138,.14);stroke:#1a4a8a;stroke-width:2}
/* desktop: the page view is exactly the window: the page fits the box left between masthead, toolbar and
   footer (container query units), only that box scrolls when zoomed, the side columns scroll on their own */
@media (min-width:821px){
body.pageview{height:100vh;height:100dvh;display:flex;flex-direction:column;overflow:hidden}
body.pageview .masthead{margin-bottom:8px}
body.pageview main{flex:1 1 auto;min-height:0;max-width:none;display:flex;flex-direction:column}
body.pageview .pagelayout{flex:1 1 auto;min-height:0;height:100%}
body.pageview .pagenav,body.pageview .pageside{height:100%;overflow:auto}
body.pageview .pagecol{height:100%;display:flex;flex-direction:column;min-width:0}
body.pageview .scroller{flex:1 1 auto;min-height:0;container-type:size}
.pageview{width:calc(var(--zoom) * min(100cqw, (100cqh - 2px) * var(--ar)))}
body.pageview footer.imprint{margin-top:6px;padding:2px 0;font-size:.75rem}
}
/* phone: one column; the page fits the screen's width; its box scrolls only when zoomed */
@media (max-width:820px){
.pagelayout{grid-template-columns:1fr}
.pagenav,.pagecol,.pageside{grid-column:1;grid-row:auto}
.pagecol{grid-row:1}
.pageside{grid-row:2}
.pagenav{grid-row:3}
.pagethumbs{display:grid;grid-template-columns:repeat(auto-fill,minmax(88px,1fr));gap:8px}
.scroller{container-type:inline-size;max-height:88svh}
.pageview{width:calc(var(--zoom) * 100cqw)}
.issuenav{margin-left:0}
.calendar.popup{left:0;right:auto}
.paper{font-size:1.4rem}
}
aside section{background:#fff;border:1px solid #ddd;padding:8px 14px;margin-bottom:12px}
aside ol,aside ul{margin:0;padding-left:1.4em}
aside li{margin:4px 0}
.kick{display:block;font-size:.8rem;color:#666}
[aria-current=page]{font-weight:700;color:#c00000}
.thumbs{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:16px}
.thumbs>li{background:#fff;border:1px solid #ddd;padding:8px;text-align:center}
.thumbs img{display:block;width:100%;height:auto;border:1px solid #eee}
.thumbs ul{text-align:left;font-size:.85rem;padding-left:1.2em;margin:6px 0 0}
.thumbs>li>a>span{display:block;font-weight:700;margin-top:4px}
.issuehead h1{font-size:1.4rem;margin:8px 0}
.storylayout{display:grid;grid-template-columns:minmax(0,1fr) 280px;gap:16px;align-items:start}
@media (max-width:820px){.storylayout{grid-template-columns:1fr}}
article{background:#fff;border:1px solid #ddd;padding:16px 32px 24px;min-width:0}
@media (max-width:820px){article{padding:12px 14px 18px}}
article .crumbs{font-size:.9rem;color:#666;margin:0 0 6px}
.textsize{font-size:.9rem;color:#555;text-align:right}
article header{text-align:center;border-bottom:1px solid #ddd;padding-bottom:10px;margin-bottom:16px}
article .kicker,article .subhead{margin:4px 0;font-size:1.1rem;color:#333}
article h1{font-family:"Noto Serif CJK SC","Source Han Serif SC","Songti SC",SimSun,serif;font-size:2rem;margin:6px 0}
@media (max-width:820px){article h1{font-size:1.5rem}}
article .byline{color:#555;margin:6px 0}
.article-body p{text-indent:2em;margin:0 0 .8em;font-family:"Noto Serif CJK SC","Source Han Serif SC","Songti SC",SimSun,serif;font-size:calc(1.1rem * var(--text-scale, 1));line-height:1.9;text-align:justify}
.article-body mark{background:#ffe27a;color:inherit}
figure{margin:0 0 18px;text-align:center}
figure img{max-width:100%;max-height:min(60vh,520px);width:auto;height:auto}
figcaption{font-size:.95rem;color:#444;font-family:"LXGW WenKai","Kaiti SC",KaiTi,serif}
.credits,.backlinks{font-size:.95rem;color:#555}
.credits p{margin:2px 0}
.storynav{display:flex;flex-wrap:wrap;justify-content:space-between;gap:6px 20px;border-top:1px solid #ddd;margin-top:14px;padding-top:8px;font-size:.95rem}
.search h1,.archive h1{font-size:1.4rem}
.searchform{background:#fff;border:1px solid #ddd;padding:10px 12px;display:flex;flex-wrap:wrap;gap:8px;align-items:center}
.searchform input{font:inherit;flex:1 1 12em;padding:3px 8px;border:1px solid #bbb;border-radius:3px}
.results{list-style:none;padding:0}
.results li{background:#fff;border:1px solid #ddd;padding:8px 14px;margin-bottom:10px}
.results h2{font-size:1.1rem;margin:0}
.results .where{margin:0;color:#666;font-size:.85rem}
.results .excerpt{margin:4px 0 0}
mark{background:#ffe27a;color:inherit}
.archive h2{font-size:1.1rem;border-bottom:2px solid #c00000;padding-bottom:4px}
.archive ol{list-style:none;padding:0;background:#fff;border:1px solid #ddd}
.archive li{padding:6px 12px;border-bottom:1px solid #eee}
.imprint{margin-top:24px;background:#fff;border-top:1px solid #ccc;font-size:.85rem;color:#555;padding:8px 0}
.imprint p{margin:2px 0}
"""
