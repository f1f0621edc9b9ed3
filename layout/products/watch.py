"""`paiban watch ISSUE_DIR [--port N]`: rebuild pages as their files change, with a live preview.

Polls the issue folder (and publication.yaml beside or above it) every 0.2 s by stat (mtime, size):
no dependency, works on network shares. What changed decides what is rebuilt:
  a page's YAML, a copy file or photo a page names  → that page
  issue.yaml, publication.yaml, fonts, anything else → every page
The rebuild runs in this process with the FontBook kept open and the caches warm, writes the PDFs
like `paiban build` (atomically, with the manifest), and renders each rebuilt page to PNG with
pdftoppm at screen resolution. http://127.0.0.1:PORT/ shows the pages; a small script polls
/version and swaps in the new image when a page changes. Errors (invalid YAML, a missing photo …)
are shown in the browser and printed in the terminal, and the last good image of every page stays.
Ctrl-C (or SIGTERM) stops the server and the loop cleanly. The server binds 127.0.0.1 only.
"""
from __future__ import annotations

import errno
import html
import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from layout.model.findings import InputError
from layout.load.issue import LoadCache
from layout.build.memo import RebuildMemo

POLL = 0.2          # seconds between scans
PREVIEW_DPI = 60    # a 390 mm broadsheet at 60 dpi is about 950 px wide


@dataclass
class State:
    """What the server shows; guarded by `lock`."""
    lock: threading.Lock = field(default_factory=threading.Lock)
    version: int = 0
    pages: dict = field(default_factory=dict)      # number -> {"png": bytes, "version": int, "summary": str}
    order: list = field(default_factory=list)
    error: str | None = None
    building: bool = False
    last_build: str = ""

    def snapshot(self) -> dict:
        with self.lock:
            return {"version": self.version, "error": self.error, "building": self.building,
                    "last_build": self.last_build,
                    "pages": [{"page": n, "version": self.pages[n]["version"], "summary": self.pages[n]["summary"]}
                              for n in self.order if n in self.pages]}


# --- watching --------------------------------------------------------------------------------

def scan(paths: list[Path]) -> dict[str, tuple[int, int]]:
    """(mtime_ns, size) of every file under the given folders/files (hidden files skipped)."""
    out: dict[str, tuple[int, int]] = {}
    for root in paths:
        if root.is_file():
            st = root.stat()
            out[str(root.resolve())] = (st.st_mtime_ns, st.st_size)
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                if name.startswith("."):
                    continue
                p = os.path.join(dirpath, name)
                try:
                    st = os.stat(p)
                except FileNotFoundError:
                    continue
                out[os.path.realpath(p)] = (st.st_mtime_ns, st.st_size)
    return out


def page_files(issue) -> dict[str, set[str]]:
    """page number -> the files it is made from (its YAML, copy files, photos), resolved."""
    from layout.model.spec import PhotoBlock, StoryBlock
    out = {}
    for page in issue.pages:
        files = set()
        if page.where and page.where.file:
            files.add(str(Path(page.where.file).resolve()))
        for b in page.blocks:
            if isinstance(b, StoryBlock) and getattr(b, "copy", None):
                files.add(str(Path(b.copy).resolve()))
            if isinstance(b, PhotoBlock):
                files.add(str(Path(b.file).resolve()))
            if getattr(b, "where", None) is not None and b.where.file:
                files.add(str(Path(b.where.file).resolve()))
        out[page.number] = files
    return out


def affected(changed: set[str], files: dict[str, set[str]] | None) -> set[str] | None:
    """The pages to rebuild for `changed` files; None means every page."""
    if files is None:
        return None
    pages = set()
    for f in changed:
        owners = {n for n, fs in files.items() if f in fs}
        if not owners:
            return None  # issue.yaml, publication.yaml, a new file, something shared: all pages
        pages |= owners
    return pages


class Watcher:
    def __init__(self, folder: Path, opts, state: State, dpi: int = PREVIEW_DPI, log=print):
        self.folder = Path(folder)
        self.opts = opts
        self.state = state
        self.dpi = dpi
        self.log = log
        self.book = None
        self.load_cache = LoadCache()  # unchanged pages are not parsed again
        self.memo = RebuildMemo()      # nor unchanged paragraphs broken, nor unchanged pages hashed
        self.files: dict[str, set[str]] | None = None
        pub = [p for p in (self.folder / "publication.yaml", self.folder.parent / "publication.yaml") if p.is_file()]
        self.fonts = self._fonts_yaml()
        self.roots = [self.folder] + pub[:1] + ([self.fonts] if self.fonts else [])
        self.seen = scan(self.roots)

    def _fonts_yaml(self) -> Path | None:
        """The fonts.yaml the build reads: watched too, since the FontBook (and the break memo made
        with it) is kept open between rebuilds."""
        from layout.build.options import fonts_yaml
        try:
            return fonts_yaml(self.opts, self.folder).resolve()
        except InputError:
            return None  # the first build reports it

    def rebuild(self, pages: set[str] | None) -> None:
        from layout.build.issue import build
        from layout.build.options import open_book
        t0 = time.perf_counter()
        with self.state.lock:
            self.state.building = True
        try:
            if self.book is None:
                self.book = open_book(self.opts, self.folder)
            opts = replace(self.opts, pages=tuple(sorted(pages)) if pages else (), jobs=1,
                           load_cache=self.load_cache, memo=self.memo)
            report = build(self.folder, opts, self.book)
        except InputError as e:
            self.fail(str(e))
            return
        except Exception as e:  # a bug must not end the session: show it, keep the last good pages
            self.fail(f"internal error ({type(e).__name__}: {e}); this is a bug in paiban")
            return
        finally:
            with self.state.lock:
                self.state.building = False
        self.files = page_files(report.issue)
        pngs = {}
        for p in report.pages:
            try:
                pngs[p.number] = self.png(p.file)
            except (OSError, subprocess.SubprocessError) as e:
                self.fail(f"page {p.number}: preview failed ({e})")
                return
        took = time.perf_counter() - t0
        with self.state.lock:
            st = self.state
            st.version += 1
            st.order = [p.number for p in report.issue.pages]
            for p in report.pages:
                e = sum(f.severity == "error" for f in p.findings)
                w = sum(f.severity == "warning" for f in p.findings)
                st.pages[p.number] = {"png": pngs[p.number], "version": st.version,
                                      "summary": f"{e} error(s), {w} warning(s)"}
            for gone in set(st.pages) - set(st.order):
                del st.pages[gone]
            st.error = None
            st.last_build = f"{time.strftime('%H:%M:%S')}: page(s) {', '.join(p.number for p in report.pages)} " \
                            f"in {took:.2f} s"
        self.log(f"rebuilt {st.last_build}")
        for p in report.pages:
            for f in p.findings:
                if f.severity in ("error", "warning"):
                    self.log(f"  {f}")

    def fail(self, message: str) -> None:
        with self.state.lock:
            self.state.error = message
            self.state.version += 1
        self.log(f"paiban watch: error: {message}\n  (the preview keeps the last good pages)")

    def png(self, pdf: Path) -> bytes:
        proc = subprocess.run(["pdftoppm", "-png", "-r", str(self.dpi), "-singlefile", str(pdf)],
                              capture_output=True, timeout=60)
        if proc.returncode != 0:
            raise subprocess.SubprocessError(proc.stderr.decode(errors="replace").strip() or "pdftoppm failed")
        return proc.stdout

    def poll_once(self) -> bool:
        """Scan; rebuild what changed. True when something was rebuilt (or failed)."""
        now = scan(self.roots)
        if now == self.seen:
            return False
        changed = {f for f in set(now) | set(self.seen) if now.get(f) != self.seen.get(f)}
        self.seen = now
        out = Path(self.opts.out).resolve()
        changed = {f for f in changed if not Path(f).is_relative_to(out)}  # our own output inside the folder
        if not changed:
            return False
        if self.fonts and str(self.fonts) in changed:
            self.book = None  # open the fonts again; the memo starts afresh with the new book
        pages = affected(changed, self.files if self.state.error is None else None)
        self.rebuild(pages)
        return True


# --- serving ---------------------------------------------------------------------------------

PAGE = """<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>paiban watch — {title}</title>
<style>
 body {{ font: 14px sans-serif; margin: 0; background: #888; }}
 header {{ background: #222; color: #eee; padding: 6px 12px; position: sticky; top: 0; }}
 #error {{ display: none; white-space: pre-wrap; background: #b00; color: #fff; padding: 8px 12px;
          font-family: monospace; position: sticky; top: 30px; }}
 main {{ display: flex; flex-wrap: wrap; gap: 16px; padding: 16px; }}
 figure {{ margin: 0; }} figcaption {{ color: #fff; }}
 img {{ background: #fff; box-shadow: 0 2px 8px #0006; max-width: 100%; }}
</style></head>
<body><header>paiban watch — {title} <span id="status"></span></header>
<div id="error"></div><main id="pages"></main>
<script>
let seen = -1, shown = {{}};
async function tick() {{
  try {{
    const r = await fetch('/version', {{cache: 'no-store'}});
    const s = await r.json();
    if (s.version !== seen) {{
      seen = s.version;
      const err = document.getElementById('error');
      err.style.display = s.error ? 'block' : 'none';
      err.textContent = s.error || '';
      document.getElementById('status').textContent = s.last_build;
      const main = document.getElementById('pages');
      for (const p of s.pages) {{
        let fig = document.getElementById('p' + p.page);
        if (!fig) {{
          fig = document.createElement('figure'); fig.id = 'p' + p.page;
          fig.innerHTML = '<img><figcaption></figcaption>'; main.appendChild(fig);
        }}
        if (shown[p.page] !== p.version) {{
          fig.querySelector('img').src = '/page/' + p.page + '.png?v=' + p.version;
          shown[p.page] = p.version;
        }}
        fig.querySelector('figcaption').textContent = '第' + p.page + '版 — ' + p.summary;
      }}
    }}
  }} catch (e) {{ document.getElementById('status').textContent = '(watch stopped?)'; }}
  setTimeout(tick, 300);
}}
tick();
</script></body></html>
"""


def make_handler(state: State, title: str):
    class Handler(BaseHTTPRequestHandler):
        def send(self, code: int, body: bytes, ctype: str) -> None:
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):  # noqa: N802 (http.server's name)
            path = self.path.split("?", 1)[0]
            if path == "/":
                self.send(200, PAGE.format(title=html.escape(title)).encode("utf-8"), "text/html; charset=utf-8")
            elif path == "/version":
                self.send(200, json.dumps(state.snapshot(), ensure_ascii=False).encode("utf-8"),
                          "application/json; charset=utf-8")
            elif path.startswith("/page/") and path.endswith(".png"):
                with state.lock:
                    page = state.pages.get(path[len("/page/"):-len(".png")])
                    png = page["png"] if page else None
                if png is None:
                    self.send(404, b"no such page (yet)", "text/plain")
                else:
                    self.send(200, png, "image/png")
            else:
                self.send(404, b"not found", "text/plain")

        def log_message(self, *args):  # quiet: the terminal is for builds and errors
            pass
    return Handler


def _serve(port: int, handler) -> ThreadingHTTPServer:
    """The preview server on 127.0.0.1:port, or an InputError that says what to do about the port."""
    if not 0 < port < 65536:
        raise InputError(f"--port {port} is not a TCP port", hint="give a port from 1024 to 65535, e.g. --port 8000")
    try:
        return ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise InputError(f"port {port} is already in use on 127.0.0.1",
                             hint=f"another program (perhaps another paiban watch) listens there: stop it, "
                                  f"or choose a free port, e.g. --port {port + 1 if port < 65535 else 8000}") from None
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise InputError(f"not allowed to listen on port {port}",
                             hint="ports below 1024 are for the system: choose one from 1024 up, e.g. --port 8000") \
                from None
        raise


def watch(folder: Path, opts, port: int = 8000, dpi: int = PREVIEW_DPI) -> int:
    folder = Path(folder)
    if not (folder / "issue.yaml").is_file():
        raise InputError(f"{folder}: no issue.yaml here", hint="give the issue folder, e.g. issues/2022-01-14")
    state = State()
    watcher = Watcher(folder, opts, state, dpi)
    server = _serve(port, make_handler(state, str(folder)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    stop = threading.Event()

    def on_term(signum, frame):
        raise KeyboardInterrupt
    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        thread.start()
        print(f"paiban watch: http://127.0.0.1:{server.server_address[1]}/  (Ctrl-C stops)", flush=True)
        watcher.rebuild(None)
        while not stop.is_set():
            time.sleep(POLL)
            watcher.poll_once()
    except KeyboardInterrupt:
        print("paiban watch: stopped", file=sys.stderr, flush=True)
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.shutdown()
        server.server_close()
    return 0
