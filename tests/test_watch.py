"""`paiban watch`: a saved copy file rebuilds its page within 2 s; broken YAML is reported while the
last good image stays served; Ctrl-C stops it."""
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
        before = get(base + "/page/04.png")
        assert before.startswith(b"\x89PNG")
        v04, v01 = page_version(s, "04"), page_version(s, "01")

        # edit the copy of page 04's lead story: page 04 is rebuilt within 2 s, page 01 is not
        lead = sample_copy / "lead.txt"
        time.sleep(0.05)
        lead.write_text("新的第一段文字，编辑刚刚改过。\n" + lead.read_text("utf-8"), "utf-8")
        t0 = time.monotonic()
        s = wait_for(lambda: (lambda s: s if page_version(s, "04") != v04 else None)(state(base)), 2.0)
        assert s, "page 04 was not rebuilt within 2 s of the save"
        assert time.monotonic() - t0 < 2.0
        assert s["error"] is None and page_version(s, "01") == v01
        after = get(base + "/page/04.png")
        assert after.startswith(b"\x89PNG") and after != before

        # break the page YAML: the error is reported, the last good image stays
        page = sample_copy / "04.yaml"
        page.write_text(page.read_text("utf-8") + "\n  - type: story\n    id: [unclosed\n", "utf-8")
        s = wait_for(lambda: (lambda s: s if s["error"] else None)(state(base)), 2.0)
        assert s, "the broken YAML was not reported within 2 s"
        assert "04.yaml" in s["error"]
        assert get(base + "/page/04.png") == after

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
    assert not w.poll_once()                               # nothing changed: nothing rebuilt
    text = fonts.read_text("utf-8").replace("file: LXGWWenKai-Regular.ttf", "file: LXGWWenKai-Light.ttf")
    fonts.write_text(text, "utf-8")
    os.utime(fonts, ns=(time.time_ns(), time.time_ns() + 1_000_000))
    assert w.poll_once() and w.state.error is None
    assert w.book is not first
    assert "LXGWWenKai-Light" in faces() and "LXGWWenKai-Regular" not in faces()
