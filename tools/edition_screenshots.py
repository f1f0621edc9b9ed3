"""Screenshots of the digital edition for docs/edition.md: archive, page view, story page and search results
at 1440×900 and 390×844, taken with Debian's Chromium through Playwright from a site served on 127.0.0.1.

    paiban site issues/2022-01-14 --out /tmp/site && paiban site issues/2021-12-31 --out /tmp/site
    python3 tools/edition_screenshots.py /tmp/site docs/edition
"""
from __future__ import annotations

import functools
import io
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = {  # name → (path under the site, what to do before the shot)
    "archive": ("index.html", None),
    "page": ("html/2022-01/14/node_04.htm", None),
    "story": ("html/2022-01/14/content_lead.htm?hl=葛燄", None),
    "search": ("search.html?q=葛燄", "results"),
    "calendar": ("html/2022-01/14/node_04.htm", "calendar"),
}


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main(site: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for size, viewport in (("desktop", {"width": 1440, "height": 900}), ("phone", {"width": 390, "height": 844})):
            page = browser.new_page(viewport=viewport)
            for name, (path, action) in SHOTS.items():
                page.goto(base + path, wait_until="networkidle")
                if action == "results":
                    page.wait_for_function("() => /找到|没有/.test(document.getElementById('searchstatus').textContent)")
                if action == "calendar":
                    page.get_by_role("button", name="按日期搜索").click()
                    page.get_by_role("button", name="上个月").click()
                png = page.screenshot()
                Image.open(io.BytesIO(png)).convert("RGB").save(out / f"{name}-{size}.jpg", quality=80, optimize=True)
            page.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
