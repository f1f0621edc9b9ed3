"""Save → preview latency of `paiban watch`, as a layout editor sees it in the browser.

    python3 bench/watch_latency.py [--saves 20] [--issue issues/2022-01-14] [--page 04] [--file lead.txt]

Starts `paiban watch` on a copy of the issue (warm: the cache is filled by its first build), opens
the preview in headless Chromium (/usr/bin/chromium, through Playwright), then makes `--saves`
one-paragraph changes to a story's copy file the way editors save (a temporary file renamed over the
old one), one every ~0.6 s. For each save: the time from the rename to the moment the browser has
loaded the page's new image (the page script stamps Date.now() when the image's load event fires;
both clocks are this machine's wall clock), and where it went: until the rebuild started (the
burst of events ending), the server's build and preview (wall and CPU), and from the preview made
to the image shown (the event pushed, the image fetched and decoded). Counts the rebuilds: there must be exactly one per save. Prints the median and the range.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

# the page script calls show(); this wraps it to stamp when each page version's image is in place
STAMP = """
(() => {
  window.__shown = {};
  new MutationObserver((records) => {
    for (const r of records) {
      const fig = r.target;
      if (r.attributeName === 'data-version' && fig.dataset.version)
        window.__shown[fig.id + ':' + fig.dataset.version] = Date.now();
    }
  }).observe(document.getElementById('pages'), {attributes: true, subtree: true, attributeFilter: ['data-version']});
})();
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def state(base: str) -> dict:
    with urllib.request.urlopen(base + "/version", timeout=5) as r:
        return json.loads(r.read())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--saves", type=int, default=20)
    ap.add_argument("--issue", type=Path, default=ROOT / "issues" / "2022-01-14")
    ap.add_argument("--page", default="04")
    ap.add_argument("--file", default="lead.txt", help="the copy file to edit (a story on --page)")
    ap.add_argument("--gap", type=float, default=0.6, help="seconds between saves")
    a = ap.parse_args()
    from playwright.sync_api import sync_playwright
    from run import machine

    work = Path(tempfile.mkdtemp(prefix="paiban-watch-bench-"))
    issue = work / "issues" / a.issue.name
    shutil.copytree(a.issue, issue)
    pub = a.issue.parent / "publication.yaml"
    if pub.is_file():
        shutil.copy(pub, issue.parent / "publication.yaml")
    copy = issue / a.file
    original = copy.read_text("utf-8")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, PAIBAN_CACHE=str(work / "cache"))
    proc = subprocess.Popen([sys.executable, "-m", "layout", "watch", str(issue), "--port", str(port),
                             "--out", str(work / "out")], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows = []
    try:
        end = time.monotonic() + 180
        while time.monotonic() < end:
            try:
                if len(state(base)["pages"]) > 0:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(base + "/")
            page.evaluate(STAMP)
            fig = f"#p{a.page}"
            page.wait_for_selector(f"{fig}[data-version]", timeout=30_000)
            builds0 = state(base)["builds"]
            paragraphs = original.split("\n")
            for i in range(a.saves):
                time.sleep(a.gap)
                before = int(page.get_attribute(fig, "data-version"))
                # one paragraph changed, saved as editors do: write aside, rename over
                changed = [f"第{i + 1}次修改：{paragraphs[0]}"] + paragraphs[1:]
                tmp = copy.with_name(f".{copy.name}.tmp")
                tmp.write_text("\n".join(changed), "utf-8")
                saved = time.time()
                os.replace(tmp, copy)
                page.wait_for_function(f"document.querySelector('{fig}').dataset.version != '{before}'",
                                       timeout=30_000, polling=10)
                version = page.get_attribute(fig, "data-version")
                shown = page.evaluate(f"window.__shown['{fig[1:]}:{version}']")
                s = state(base)
                t = s["timing"]
                rows.append({"latency": shown / 1000.0 - saved, **t,
                             "noticed": t["started"] - saved, "delivered": shown / 1000.0 - t["done"]})
            time.sleep(1.0)  # any late second rebuild would show up in the count now
            builds = state(base)["builds"] - builds0
            browser.close()
    finally:
        copy.write_text(original, "utf-8")
        proc.terminate()
        proc.wait(timeout=20)
        shutil.rmtree(work, ignore_errors=True)

    lat = sorted(r["latency"] for r in rows)
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.2f}")
    print(f"{a.saves} saves of {a.file} (page {a.page}), one paragraph changed each time")
    print(f"{'save':>4} {'latency s':>10} {'noticed s':>10} {'build s':>8} {'preview s':>10} {'pushed+shown s':>15} "
          f"{'build CPU s':>12} {'preview CPU s':>14}")
    for i, r in enumerate(rows, 1):
        print(f"{i:>4} {r['latency']:10.3f} {r['noticed']:10.3f} {r['build']:8.3f} {r['preview']:10.3f} "
              f"{r['delivered']:15.3f} {r['build_cpu']:12.3f} {r['preview_cpu']:14.3f}")
    print(f"save → preview: median {statistics.median(lat):.3f} s (range {lat[0]:.3f}–{lat[-1]:.3f}; target < 0.3 s); "
          f"build median {statistics.median(r['build'] for r in rows):.3f} s, preview median "
          f"{statistics.median(r['preview'] for r in rows):.3f} s (CPU: build {statistics.median(r['build_cpu'] for r in rows):.3f}, "
          f"preview {statistics.median(r['preview_cpu'] for r in rows):.3f}); from the save to the rebuild's start "
          f"median {statistics.median(r['noticed'] for r in rows):.3f} s, from the preview made to the image shown "
          f"median {statistics.median(r['delivered'] for r in rows):.3f} s; rebuilds: {builds} for {a.saves} saves")


if __name__ == "__main__":
    main()
