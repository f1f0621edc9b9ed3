"""HTML, CSS and the zoom script of the digital edition (数字报), as Python string templates.

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
<link rel="stylesheet" href="${root}static/site.css">
$head</head>
<body class="$kind">
<a class="skip" href="#main">跳到正文</a>
<header class="masthead">
<div class="wrap">
<p class="paper"><a href="${root}index.html">$paper</a> <span class="tag">数字报</span></p>
<p class="meta">$meta</p>
<nav class="topnav" aria-label="导航">$nav</nav>
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

# The only JavaScript: zoom in / out / reset of the page image. Without it the page reads the same;
# the buttons stay hidden.
ZOOM_JS = """/* paiban 数字报: 放大 缩小 默认 — the page image and its hotspots scale together. */
(function () {
  var view = document.getElementById("pageview");
  var bar = document.getElementById("zoombar");
  if (!view || !bar) return;
  var zoom = 1;
  function set(z) {
    zoom = Math.min(4, Math.max(0.5, Math.round(z * 100) / 100));
    view.style.width = zoom * 100 + "%";
    view.setAttribute("data-zoom", String(zoom));
  }
  bar.hidden = false;
  bar.addEventListener("click", function (e) {
    var b = e.target.closest("button[data-zoom]");
    if (!b) return;
    var a = b.getAttribute("data-zoom");
    set(a === "in" ? zoom * 1.25 : a === "out" ? zoom / 1.25 : 1);
  });
})();
"""

CSS = """/* paiban 数字报 */
*{box-sizing:border-box}
html{font-size:16px}
body{margin:0;background:#f3f1ec;color:#222;font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;line-height:1.6}
a{color:#1a4a8a}
a:hover{color:#c00000}
.wrap{max-width:1200px;margin:0 auto;padding:0 16px}
.skip{position:absolute;left:-999px}
.skip:focus{left:8px;top:8px;background:#fff;padding:4px 8px;z-index:9}
.masthead{background:#fff;border-bottom:3px solid #c00000;margin-bottom:16px}
.masthead .wrap{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 24px;padding-top:10px;padding-bottom:8px}
.paper{margin:0;font-family:"Noto Serif CJK SC","Source Han Serif SC","Songti SC",SimSun,serif;font-size:1.9rem;font-weight:900;letter-spacing:.08em}
.paper a{color:#c00000;text-decoration:none}
.paper .tag{font-size:.9rem;font-weight:400;letter-spacing:0;color:#666;font-family:inherit}
.meta{margin:0;color:#555;font-size:.9rem}
.topnav{margin-left:auto;font-size:.95rem}
.topnav a{margin-left:12px}
h1,h2,h3{line-height:1.35}
.pagelayout{display:grid;grid-template-columns:minmax(0,1fr) 300px;gap:20px;align-items:start}
@media (max-width:820px){.pagelayout{grid-template-columns:1fr}}
.toolbar{display:flex;flex-wrap:wrap;align-items:center;gap:6px 14px;background:#fff;border:1px solid #ddd;padding:6px 10px;margin-bottom:8px;font-size:.95rem}
.toolbar h1{font-size:1.1rem;margin:0 auto 0 0}
.toolbar .disabled{color:#999}
.toolbar button{font:inherit;padding:1px 10px;border:1px solid #bbb;background:#f7f7f7;border-radius:3px;cursor:pointer}
.scroller{overflow:auto;background:#fff;border:1px solid #ddd;max-height:calc(100vh - 40px)}
.pageview{position:relative;width:100%;margin:0 auto}
.pageview img{display:block;width:100%;height:auto}
.pageview svg{position:absolute;left:0;top:0;width:100%;height:100%}
.hot polygon{fill:rgba(26,74,138,0);stroke:none;pointer-events:all}
.hot:hover polygon,.hot:focus polygon{fill:rgba(26,74,138,.14);stroke:#1a4a8a;stroke-width:2}
aside section{background:#fff;border:1px solid #ddd;padding:8px 14px;margin-bottom:16px}
aside h2{font-size:1.05rem;margin:4px 0 6px;border-bottom:2px solid #c00000;padding-bottom:4px}
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
article{background:#fff;border:1px solid #ddd;padding:20px 32px 28px;max-width:860px;margin:0 auto}
article .crumbs{font-size:.9rem;color:#666;margin:0 0 8px}
article header{text-align:center;border-bottom:1px solid #ddd;padding-bottom:10px;margin-bottom:16px}
article .kicker,article .subhead{margin:4px 0;font-size:1.1rem;color:#333}
article h1{font-family:"Noto Serif CJK SC","Source Han Serif SC","Songti SC",SimSun,serif;font-size:2rem;margin:6px 0}
article .byline{color:#555;margin:6px 0}
.article-body p{text-indent:2em;margin:0 0 .8em;font-family:"Noto Serif CJK SC","Source Han Serif SC","Songti SC",SimSun,serif;font-size:1.1rem;line-height:1.9;text-align:justify}
figure{margin:0 0 18px;text-align:center}
figure img{max-width:100%;max-height:75vh;width:auto;height:auto}
figcaption{font-size:.95rem;color:#444;font-family:"LXGW WenKai","Kaiti SC",KaiTi,serif}
.credits,.backlinks{font-size:.95rem;color:#555}
.archive h1{font-size:1.4rem}
.archive h2{font-size:1.1rem;border-bottom:2px solid #c00000;padding-bottom:4px}
.archive ol{list-style:none;padding:0;background:#fff;border:1px solid #ddd}
.archive li{padding:6px 12px;border-bottom:1px solid #eee}
.imprint{margin-top:28px;background:#fff;border-top:1px solid #ccc;font-size:.85rem;color:#555;padding:10px 0}
.imprint p{margin:2px 0}
"""
