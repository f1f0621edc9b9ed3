"""`paiban watch`: a saved copy file rebuilds its page within 2 s; broken YAML is reported while the
last good image stays served; Ctrl-C stops it; one save is one rebuild, however the editor writes it;
in Chromium, the preview shows the new image of the edited page by itself (Server-Sent Events)."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 2.0) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read()


def state(base: str) -> dict:
    return json.loads(get(base + "/version"))


def wait_for(pred, timeout: float, step: float = 0.05):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            v = pred()
            if v:
                return v
        except OSError:
            pass
        time.sleep(step)
    return None


def page_version(s: dict, number: str) -> int | None:
    return next((p["version"] for p in s["pages"] if p["page"] == number), None)


def test_watch_rebuilds_and_reports_errors(sample_copy, tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, PAIBAN_CACHE=str(tmp_path / "cache"))
    proc = subprocess.Popen([sys.executable, "-m", "layout", "watch", str(sample_copy), "--port", str(port),
                             "--out", str(tmp_path / "out")], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        # the first build (cold caches) serves both pages
        s = wait_for(lambda: (lambda s: s if len(s["pages"]) == 2 else None)(state(base)), 120)
        assert s, "watch did not serve the built pages in time"
        assert b"paiban watch" in get(base + "/")
        before = get(base + "/page/04.jpg")
        assert before.startswith(b"\xff\xd8")  # a JPEG
        v04, v01 = page_version(s, "04"), page_version(s, "01")
        # the preview lists the findings build prints (here the stand-in photos' low resolution)
        shown = next(p for p in s["pages"] if p["page"] == "04")["findings"]
        assert any(t.startswith("warning: lead:") and t.endswith("[low-ppi]") for t in shown), shown

        # edit the copy of page 04's lead story: page 04 is rebuilt, page 01 is not (how fast is
        # bench/watch_latency.py's business: a deadline here only measures the machine's load)
        lead = sample_copy / "lead.txt"
        time.sleep(0.05)
        lead.write_text("新的第一段文字，编辑刚刚改过。\n" + lead.read_text("utf-8"), "utf-8")
        s = wait_for(lambda: (lambda s: s if page_version(s, "04") != v04 else None)(state(base)), 30.0)
        assert s, "page 04 was not rebuilt after the save"
        assert s["error"] is None and page_version(s, "01") == v01
        assert s["builds"] == 2  # the first build and this save's
        after = get(base + "/page/04.jpg")
        assert after.startswith(b"\xff\xd8") and after != before

        # break the page YAML: the error is reported, the last good image stays
        page = sample_copy / "04.yaml"
        page.write_text(page.read_text("utf-8") + "\n  - type: story\n    id: [unclosed\n", "utf-8")
        s = wait_for(lambda: (lambda s: s if s["error"] else None)(state(base)), 30.0)
        assert s, "the broken YAML was not reported"
        assert "04.yaml" in s["error"]
        assert get(base + "/page/04.jpg") == after

        # Ctrl-C stops it cleanly
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=10)
        assert proc.returncode == 0, out
        assert "04.yaml" in out  # the error was printed in the terminal too
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=10)


def test_watch_opens_the_fonts_again_when_fonts_yaml_changes(sample_copy, tmp_path):
    """The FontBook stays open between rebuilds (and the break memo with it); a saved fonts.yaml must
    reach the next rebuild: here 楷体 (captions) goes from LXGW WenKai Regular to Light."""
    from layout.build import BuildOptions
    from layout.products.watch import State, Watcher
    fonts = tmp_path / "fonts.yaml"
    fonts.write_text((ROOT / "fonts" / "fonts.yaml").read_text("utf-8"), "utf-8")
    opts = BuildOptions(out=tmp_path / "out", fonts_yaml=fonts, cache_dir=tmp_path / "cache")
    w = Watcher(sample_copy, opts, State(), dpi=20, log=lambda *a: None)
    w.rebuild(None)
    first = w.book
    pdf = next((tmp_path / "out").rglob("*-04.pdf"))

    def faces() -> str:
        return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "LXGWWenKai-Regular" in faces() and "LXGWWenKai-Light" not in faces()
    assert not w.handle({str(fonts)})                      # nothing changed: nothing rebuilt
    text = fonts.read_text("utf-8").replace("file: LXGWWenKai-Regular.ttf", "file: LXGWWenKai-Light.ttf")
    fonts.write_text(text, "utf-8")
    os.utime(fonts, ns=(time.time_ns(), time.time_ns() + 1_000_000))
    assert w.handle({str(fonts)}) and w.state.error is None
    assert w.book is not first
    assert "LXGWWenKai-Light" in faces() and "LXGWWenKai-Regular" not in faces()


def test_the_preview_is_made_from_the_rendered_page_while_it_is_written(sample_copy, tmp_path):
    """watch's rebuild hands each page's rendered bytes to the preview thread before the page is
    preflighted and written: the preview then shows exactly the bytes the file gets (a page without
    errors keeps its PDF/X label), and it is made once per rebuilt page, not from the file again."""
    from layout.build import BuildOptions
    from layout.products.watch import State, Watcher
    opts = BuildOptions(out=tmp_path / "out", cache_dir=tmp_path / "cache")
    w = Watcher(sample_copy, opts, State(), dpi=20, log=lambda *a: None)
    seen = []
    real = w._preview

    def spy(pdf):
        seen.append(pdf)
        return real(pdf)
    w._preview = spy
    w.rebuild(None)
    assert w.state.error is None and set(w.state.pages) == {"01", "04"}
    assert len(seen) == 2 and all(isinstance(pdf, bytes) for pdf in seen)   # not the written files
    written = {p.read_bytes() for p in (tmp_path / "out").rglob("*.pdf")}
    assert set(seen) == written
    for number in ("01", "04"):
        assert w.state.pages[number]["jpg"][:2] == b"\xff\xd8"


# -- one save, one rebuild ------------------------------------------------------------------------

def _settled(w, before: int, expect_any: bool = True, quiet: float = 0.6) -> int:
    """Rebuilds since `before`, once the watcher has been idle for `quiet` s (after the first one,
    when one is expected)."""
    if expect_any:
        assert wait_for(lambda: w.state.builds > before, 20), "no rebuild after the save"
    last, since = w.state.builds, time.monotonic()
    while time.monotonic() - since < quiet:
        time.sleep(0.05)
        if w.state.builds != last or w.state.building:
            last, since = w.state.builds, time.monotonic()
    return w.state.builds - before


def test_one_save_is_one_rebuild_however_the_editor_writes_it(sample_copy, tmp_path):
    """Editors save in bursts of file-system events; each kind of save below must rebuild page 04
    exactly once (and page 01 not at all), and what no page reads must rebuild nothing."""
    import threading
    from layout.build import BuildOptions
    from layout.products.watch import State, Watcher
    opts = BuildOptions(out=tmp_path / "out", cache_dir=tmp_path / "cache")
    w = Watcher(sample_copy, opts, State(), dpi=20, log=lambda *a: None)
    stop = threading.Event()
    loop = threading.Thread(target=w.run, args=(stop,), daemon=True)
    loop.start()
    lead = sample_copy / "lead.txt"
    text = lead.read_text("utf-8")
    try:
        assert wait_for(lambda: w.state.builds == 1 and not w.state.building and w.state.pages, 120)
        assert w.state.error is None
        v01 = w.state.pages["01"]["version"]

        def atomic(n):      # write aside, rename over (gedit, VS Code, most IDEs)
            tmp = sample_copy / f".lead.txt.{n}.tmp"
            tmp.write_text(f"第{n}稿。\n" + text, "utf-8")
            os.replace(tmp, lead)

        def vim_like(n):    # probe file, backup by rename, new file written, mode set, backup removed
            probe = sample_copy / "4913"
            probe.write_text("")
            probe.unlink()
            backup = sample_copy / "lead.txt~"
            os.replace(lead, backup)
            lead.write_text(f"第{n}稿。\n" + text, "utf-8")
            os.chmod(lead, 0o644)
            backup.unlink()

        def in_pieces(n):   # truncated, then written in two pieces a moment apart
            with open(lead, "w", encoding="utf-8") as f:
                f.write(f"第{n}稿。\n")
                f.flush()
                time.sleep(0.005)
                f.write(text)

        for n, save in enumerate((atomic, vim_like, in_pieces, atomic), 1):
            before = w.state.builds
            save(n)
            assert _settled(w, before) == 1, f"save {n} ({save.__name__}) did not rebuild exactly once"
            assert w.state.error is None and w.state.pages["01"]["version"] == v01
            assert w.state.pages["04"]["version"] == w.state.version

        # no change of content or of a file a page reads: nothing is rebuilt
        before = w.state.builds
        os.chmod(lead, 0o600)                                   # the mode only
        (sample_copy / "notes.txt").write_text("编辑备忘", "utf-8")  # a file no page names
        (sample_copy / "photos" / "new.jpg").write_bytes(b"not placed yet")
        assert _settled(w, before, expect_any=False, quiet=1.0) == 0
    finally:
        stop.set()
        loop.join(10)
    assert not loop.is_alive()


def test_affected_pages():
    from layout.products.watch import affected
    files = {"01": {"/i/01.yaml", "/i/front1.txt"}, "04": {"/i/04.yaml", "/i/lead.txt", "/i/p.jpg"}}
    shared = {"/i/issue.yaml", "/pub.yaml"}
    assert affected({"/i/lead.txt"}, files, shared) == {"04"}
    assert affected({"/i/lead.txt", "/i/front1.txt"}, files, shared) == {"01", "04"}
    assert affected({"/i/lead.txt~", "/i/4913"}, files, shared) == set()
    assert affected({"/i/lead.txt", "/pub.yaml"}, files, shared) is None
    assert affected({"/i/other.txt"}, None, shared) is None  # after a failed build: everything


# -- in the browser ------------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def test_preview_in_chromium_shows_the_edited_page(sample_copy, tmp_path):
    """A one-paragraph change to a story file reaches the open preview by itself (pushed, not polled):
    page 04's new image is loaded in place, page 01's stays, and the save made one rebuild."""
    import pytest
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed (tools/setup.sh installs Debian's chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed (pip install -e .[test])")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, PAIBAN_CACHE=str(tmp_path / "cache"))
    proc = subprocess.Popen([sys.executable, "-m", "layout", "watch", str(sample_copy), "--port", str(port),
                             "--out", str(tmp_path / "out")], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert wait_for(lambda: (lambda s: s if len(s["pages"]) == 2 else None)(state(base)), 120)
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                errors = []
                page.on("pageerror", lambda exc: errors.append(str(exc)))
                fetched = []
                page.on("request", lambda r: fetched.append(r.url))
                page.goto(base + "/")
                page.wait_for_selector("#p04[data-version] img", timeout=10_000)
                page.wait_for_selector("#p01[data-version] img", timeout=10_000)
                v04, v01 = page.get_attribute("#p04", "data-version"), page.get_attribute("#p01", "data-version")
                old = page.eval_on_selector("#p04 img", "i => i.src")
                fetched.clear()

                lead = sample_copy / "lead.txt"
                paragraphs = lead.read_text("utf-8").split("\n")
                tmp = sample_copy / ".lead.txt.tmp"
                tmp.write_text("\n".join(["编辑改写了这一段：" + paragraphs[0]] + paragraphs[1:]), "utf-8")
                os.replace(tmp, lead)

                page.wait_for_function(f"document.querySelector('#p04').dataset.version !== '{v04}'",
                                       timeout=15_000)
                img = page.eval_on_selector("#p04 img", "i => ({src: i.src, w: i.naturalWidth, ok: i.complete})")
                assert img["ok"] and img["w"] > 500 and img["src"] != old
                assert page.get_attribute("#p01", "data-version") == v01
                assert not any("/version" in u for u in fetched), "the preview polled instead of being pushed to"
                assert [u for u in fetched if "/page/" in u] == [img["src"]]  # only the edited page's image
                assert state(base)["builds"] == 2 and state(base)["error"] is None
                assert not errors, errors
            finally:
                browser.close()
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
    assert proc.returncode == 0, out
