"""`paiban watch ISSUE_DIR [--port N]`: rebuild pages as their files change, with a live preview.

The file system tells us what changed (watchfiles: inotify on Linux, FSEvents/ReadDirectoryChangesW
elsewhere; WATCHFILES_FORCE_POLLING=1 polls, for network shares). Editors save in bursts — a temporary
file written and renamed over, a backup made and removed, the mode set again — so the events of a
burst are taken together (none for STEP_MS ends it), and a file counts as changed only when its
stat (size, mtime, inode) differs from the last time it was seen: one save, one rebuild.
What changed decides what is rebuilt:
  a page's YAML, a copy file, photo or ad a page names       → that page
  issue.yaml, publication.yaml, its press profile, fonts.yaml → every page (fonts.yaml: fonts opened again)
  a file no page reads (an editor's backup, a photo not yet placed) → nothing
  anything, while the last build failed                      → every page
The rebuild runs in this process with the FontBook kept open and the caches warm, writes the PDFs
like `paiban build` (atomically, with the manifest), and renders each rebuilt page — only those —
to a screen-resolution JPEG (products/preview.py). http://127.0.0.1:PORT/ shows the pages; the
server pushes every change to the browser as a Server-Sent Event (/events), and the browser swaps in
the new image. Errors (invalid YAML, a missing photo …) are shown in the browser and printed in the
terminal, and the last good image of every page stays. Ctrl-C (or SIGTERM) stops the server and
the loop cleanly. The server binds 127.0.0.1 only.
"""
from __future__ import annotations

import errno
import html
import json
import os
import queue
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from layout.model.findings import InputError
from layout.model.i18n import _
from layout.load.issue import LoadCache
from layout.build.memo import RebuildMemo
from layout.products.preview import Previewer

STEP_MS = 30        # a save's burst of events ends after this long without another (watchfiles' step)
PREVIEW_DPI = 60    # a 390 mm broadsheet at 60 dpi is about 920 px wide
KEEPALIVE = 15.0    # seconds between comments on an idle event stream (proxies close silent ones)


@dataclass
class State:
    """What the server shows; guarded by `lock`. `changed` wakes the event streams."""
    lock: threading.Lock = field(default_factory=threading.Lock)
    version: int = 0
    pages: dict = field(default_factory=dict)      # number -> {"jpg": bytes, "version": int, "summary": str}
    order: list = field(default_factory=list)
    error: str | None = None
    building: bool = False
    last_build: str = ""
    builds: int = 0                                # rebuilds run (each save should make exactly one)
    timing: dict = field(default_factory=dict)     # seconds of the last rebuild: build, preview (+ CPU)
    closed: bool = False

    def __post_init__(self):
        self.changed = threading.Condition(self.lock)

    def bump(self) -> None:
        """A new version for the browsers (call with the lock held)."""
        self.version += 1
        self.changed.notify_all()

    def close(self) -> None:
        with self.lock:
            self.closed = True
            self.changed.notify_all()

    def wait_newer(self, version: int, timeout: float) -> dict | None:
        """The snapshot once the version differs from `version`; None after `timeout` or when closed."""
        with self.lock:
            if not self.changed.wait_for(lambda: self.version != version or self.closed, timeout):
                return None
            return None if self.closed else self._snapshot()

    def snapshot(self) -> dict:
        with self.lock:
            return self._snapshot()

    def _snapshot(self) -> dict:
        return {"version": self.version, "error": self.error, "building": self.building,
                "last_build": self.last_build, "builds": self.builds, "timing": self.timing,
                "pages": [{"page": n, "version": self.pages[n]["version"], "summary": self.pages[n]["summary"],
                           "findings": self.pages[n].get("findings", [])}
                          for n in self.order if n in self.pages]}


# --- what a change means ---------------------------------------------------------------------------

def page_files(issue) -> dict[str, set[str]]:
    """page number -> the files it is made from (its YAML, copy files, photos, ads), resolved."""
    out = {}
    for page in issue.pages:
        files = set()
        if page.where and page.where.file:
            files.add(os.path.realpath(page.where.file))
        for b in page.blocks:
            for f in (getattr(b, "copy", None), getattr(b, "file", None)):
                if f and str(f) not in ("", "."):
                    files.add(os.path.realpath(f))
            if getattr(b, "where", None) is not None and b.where.file:
                files.add(os.path.realpath(b.where.file))
        out[page.number] = files
    return out


def affected(changed: set[str], files: dict[str, set[str]] | None, shared: set[str]) -> set[str] | None:
    """The pages to rebuild for `changed` files: None means every page, an empty set none.

    `files` maps pages to what they read (None when unknown: every page); `shared` is what every
    page reads (issue.yaml, publication.yaml, the press profile, fonts.yaml)."""
    if files is None or changed & shared:
        return None
    return {n for n, fs in files.items() if fs & changed}


def stamp(path: str) -> tuple | None:
    """What tells one version of a file from the next: (size, mtime, inode); None when it is gone."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ino


class Watcher:
    def __init__(self, folder: Path, opts, state: State, dpi: int = PREVIEW_DPI, log=print):
        self.folder = Path(folder)
        self.opts = opts
        self.state = state
        self.log = log
        self.book = None
        self.load_cache = LoadCache()  # unchanged pages are not parsed again
        self.memo = RebuildMemo()      # nor unchanged paragraphs broken, nor unchanged pages hashed
        self.preview = Previewer(dpi)  # nor unchanged photos scaled for the screen again
        # previews are made on their own thread from each page's rendered bytes, while the build
        # preflights and writes the page (pdfium and the JPEG encoder let go of the GIL)
        self.previewing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="paiban-preview")
        self.files: dict[str, set[str]] | None = None
        self.profile: str | None = None
        self.stamps: dict[str, tuple | None] = {}  # file -> its stamp when last seen in an event
        pub = [p for p in (self.folder / "publication.yaml", self.folder.parent / "publication.yaml") if p.is_file()]
        self.publication = pub[0].resolve() if pub else None
        self.fonts = self._fonts_yaml()

    def _fonts_yaml(self) -> Path | None:
        """The fonts.yaml the build reads: watched too, since the FontBook (and the break memo made
        with it) is kept open between rebuilds."""
        from layout.build.options import fonts_yaml
        try:
            return fonts_yaml(self.opts, self.folder).resolve()
        except InputError:
            return None  # the first build reports it

    def shared(self) -> set[str]:
        """Files every page reads."""
        out = {os.path.realpath(self.folder / "issue.yaml")}
        for f in (self.publication, self.fonts, self.profile):
            if f:
                out.add(os.path.realpath(f))
        return out

    def roots(self) -> list[tuple[Path, bool]]:
        """(folder, recursive) to watch: the issue folder and all beneath it; the folders of
        publication.yaml and fonts.yaml, not beneath (an editor replaces a file by renaming another
        over it, which a watch on the file itself would not survive; and the issues beside this one
        are none of our business)."""
        folder = self.folder.resolve()
        out = [(folder, True)]
        for f in (self.publication, self.fonts, Path(self.profile) if self.profile else None):
            if f and not f.is_relative_to(folder) and (f.parent, False) not in out:
                out.append((f.parent, False))
        return out

    # -- building ---------------------------------------------------------------------------

    def rebuild(self, pages: set[str] | None) -> None:
        from layout.build.issue import build
        from layout.build.options import open_book
        t0, c0, started_ns = time.perf_counter(), time.process_time(), time.time_ns()
        self._stamp_known()  # before the build reads them: a save made during the build is a change
        with self.state.lock:
            self.state.building = True
            self.state.builds += 1
        try:
            if self.book is None:
                self.book = open_book(self.opts, self.folder)
            previews: dict = {}

            def rendered(number: str, data: bytes) -> None:
                previews[number] = self.previewing.submit(self._preview, data)
            opts = replace(self.opts, pages=tuple(sorted(pages)) if pages else (), jobs=1,
                           load_cache=self.load_cache, memo=self.memo, on_render=rendered)
            report = build(self.folder, opts, self.book)
        except InputError as e:
            self.fail(str(e))
            return
        except Exception as e:  # a bug must not end the session: show it, keep the last good pages
            self.fail(_("internal error ({kind}: {error}); this is a bug in paiban", kind=type(e).__name__, error=e))
            return
        finally:
            with self.state.lock:
                self.state.building = False
        self.files = page_files(report.issue)
        profile = report.issue.publication.profile
        self.profile = os.path.realpath(profile) if profile else None
        self._stamp_known(started_ns)  # files the build read for the first time
        t_build, c_build = time.perf_counter(), time.process_time()
        images, preview_cpu = {}, 0.0
        for p in report.pages:
            try:
                if p.number in previews:
                    images[p.number], cpu = previews[p.number].result()
                else:
                    images[p.number], cpu = self._preview(p.file)
                preview_cpu += cpu
            except Exception as e:  # pdfium refusing our own PDF is a bug; the page itself is written
                self.fail(f"page {p.number}: preview failed ({type(e).__name__}: {e})")
                return
        t_done, c_done = time.perf_counter(), time.process_time()
        with self.state.lock:
            st = self.state
            st.order = [p.number for p in report.issue.pages]
            for p in report.pages:
                e = sum(f.severity == "error" for f in p.findings)
                w = sum(f.severity == "warning" for f in p.findings)
                st.pages[p.number] = {"jpg": images[p.number], "version": st.version + 1,
                                      "summary": f"{e} error(s), {w} warning(s)" + ("; not for press" if e else ""),
                                      # the same findings `paiban build` prints: errors, then warnings
                                      "findings": [f"{f.severity}: {f.story + ': ' if f.story else ''}"
                                                   f"{f.message} [{f.code}]"
                                                   for f in sorted((f for f in p.findings
                                                                    if f.severity in ("error", "warning")),
                                                                   key=lambda f: f.severity != "error")]}
            for gone in set(st.pages) - set(st.order):
                del st.pages[gone]
            st.error = None
            # wall clock: the build, then the wait for its previews (made meanwhile, on their own thread);
            # CPU: the build's (this process, less the previews'), the previews' own (their thread's)
            st.timing = {"build": round(t_build - t0, 4), "preview": round(t_done - t_build, 4),
                         "build_cpu": round(max(0.0, c_done - c0 - preview_cpu), 4), "preview_cpu": round(preview_cpu, 4),
                         "started": started_ns / 1e9, "done": started_ns / 1e9 + (t_done - t0)}  # epoch s
            st.last_build = f"{time.strftime('%H:%M:%S')}: page(s) {', '.join(p.number for p in report.pages)} " \
                            f"in {t_done - t0:.2f} s"
            st.bump()
        self.log(f"rebuilt {st.last_build}")
        for p in report.pages:
            for f in p.findings:
                if f.severity in ("error", "warning"):
                    self.log(f"  {f}")

    def _preview(self, pdf) -> tuple[bytes, float]:
        """(the page's preview JPEG, the CPU seconds of this thread it took)."""
        c = time.thread_time()
        jpg = self.preview.render(pdf)
        return jpg, time.thread_time() - c

    def fail(self, message: str) -> None:
        with self.state.lock:
            self.state.error = message
            self.state.bump()
        self.log(f"paiban watch: {_('error')}: {message}\n  {_('(the preview keeps the last good pages)')}")

    # -- reacting to the file system --------------------------------------------------------

    def _stamp_known(self, unchanged_since: int | None = None) -> None:
        """Stamp the files the build reads that have none yet (so that removing one is a change).
        With `unchanged_since` (ns), a file modified after then (less a clock tick) is left without:
        the build may have read it before that save, so the save's event must count as a change."""
        known = set(self.shared())
        for fs in (self.files or {}).values():
            known |= fs
        for f in known - set(self.stamps):
            st = stamp(f)
            if unchanged_since is not None and st is not None and st[1] >= unchanged_since - 50_000_000:
                continue
            self.stamps[f] = st

    def changed(self, paths: set[str]) -> set[str]:
        """Of the files events were reported for, those whose stamp differs from the last one seen
        (a file made and removed within the burst, or only touched in its mode, is no change)."""
        out_dir = os.path.realpath(self.opts.out)
        got = set()
        for p in paths:
            real = os.path.realpath(p)
            if real == out_dir or real.startswith(out_dir + os.sep):
                continue  # our own output inside the watched folder
            now = stamp(real)
            if real in self.stamps:
                if self.stamps[real] == now:
                    continue
            elif now is None:
                continue  # made and removed again before we looked (an editor's temporary file)
            self.stamps[real] = now
            got.add(real)
        return got

    def handle(self, paths: set[str]) -> bool:
        """React to one burst of events; True when something was rebuilt (or failed)."""
        changed = self.changed(paths)
        if not changed:
            return False
        if self.fonts and str(self.fonts) in changed:
            self.book = None  # open the fonts again; the memo starts afresh with the new book
        pages = affected(changed, self.files if self.state.error is None else None, self.shared())
        if pages is not None and not pages:
            return False
        self.rebuild(pages)
        return True

    def run(self, stop: threading.Event, first: bool = True) -> None:
        """Build every page (when `first`), then watch until `stop` is set, handling each burst of
        events as it ends. Each root is watched by its own thread (watchfiles watches all its paths
        alike: recursive or not); bursts that arrive while a rebuild runs are taken together after it.
        The watches are set up before the first build, so a save made during it is not missed."""
        bursts: queue.Queue = queue.Queue()
        threads = [threading.Thread(target=self._watch, args=(root, recursive, stop, bursts), daemon=True)
                   for root, recursive in self.roots()]
        for t in threads:
            t.start()
        if first:
            self.rebuild(None)
        while not stop.is_set():
            try:
                paths = bursts.get(timeout=0.2)
            except queue.Empty:
                continue
            while True:  # what else has come in meanwhile goes with it
                try:
                    paths |= bursts.get_nowait()
                except queue.Empty:
                    break
            self.handle(paths)

    def _watch(self, root: Path, recursive: bool, stop: threading.Event, bursts: queue.Queue) -> None:
        import watchfiles
        out = os.path.realpath(self.opts.out)
        flt = watchfiles.DefaultFilter(ignore_paths=[out])  # also editors' swap and backup files, .git
        try:
            for batch in watchfiles.watch(root, watch_filter=flt, step=STEP_MS, debounce=1000,
                                          stop_event=stop, rust_timeout=500, recursive=recursive,
                                          raise_interrupt=False, ignore_permission_denied=True):
                bursts.put({path for _, path in batch})
        except Exception as e:  # e.g. the folder was removed, or no more inotify watches
            if not stop.is_set():
                self.fail(f"cannot watch {root} any more ({type(e).__name__}: {e}); restart paiban watch")


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
 ul.findings {{ color: #fff; font: 12px monospace; max-width: 60em; padding-left: 1.2em; }}
 ul.findings li.error {{ color: #ff8a80; }} ul.findings li.warning {{ color: #ffd180; }}
 img {{ background: #fff; box-shadow: 0 2px 8px #0006; max-width: 100%; }}
</style></head>
<body><header>paiban watch — {title} <span id="status"></span></header>
<div id="error"></div><main id="pages"></main>
<script>
// the server pushes each new state (Server-Sent Events); a page's image is fetched when its version
// changes and shown once loaded (no blank flash); figure.dataset.version says which one is shown
const shown = {{}};
function show(s) {{
  const err = document.getElementById('error');
  err.style.display = s.error ? 'block' : 'none';
  err.textContent = s.error || '';
  document.getElementById('status').textContent = s.last_build;
  const main = document.getElementById('pages');
  for (const p of s.pages) {{
    let fig = document.getElementById('p' + p.page);
    if (!fig) {{
      fig = document.createElement('figure'); fig.id = 'p' + p.page;
      fig.innerHTML = '<img alt=""><figcaption></figcaption><ul class="findings"></ul>'; main.appendChild(fig);
    }}
    if (shown[p.page] !== p.version) {{
      shown[p.page] = p.version;
      const img = new Image();
      img.alt = '第' + p.page + '版';
      img.onload = () => {{
        if (shown[p.page] !== p.version) return;  // a newer one is on its way
        fig.querySelector('img').replaceWith(img);
        fig.dataset.version = p.version;
      }};
      img.src = '/page/' + p.page + '.jpg?v=' + p.version;
    }}
    fig.querySelector('figcaption').textContent = '第' + p.page + '版 — ' + p.summary;
    fig.querySelector('ul.findings').replaceChildren(...(p.findings || []).map(t => {{
      const li = document.createElement('li'); li.textContent = t;
      li.className = t.startsWith('error') ? 'error' : 'warning'; return li; }}));
  }}
}}
const events = new EventSource('/events');
events.onmessage = (e) => show(JSON.parse(e.data));
events.onerror = () => {{ document.getElementById('status').textContent = '(watch stopped? reconnecting …)'; }};
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

        def events(self) -> None:
            """Server-Sent Events: the state now, then each new one as it comes."""
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            snap, version = state.snapshot(), None
            try:
                while True:
                    if snap is not None:
                        self.wfile.write(b"data: " + json.dumps(snap, ensure_ascii=False).encode("utf-8") + b"\n\n")
                        version = snap["version"]
                    elif state.closed:
                        return
                    else:
                        self.wfile.write(b": idle\n\n")
                    self.wfile.flush()
                    snap = state.wait_newer(version, KEEPALIVE)
            except OSError:  # the browser went away
                pass

        def do_GET(self):  # noqa: N802 (http.server's name)
            path = self.path.split("?", 1)[0]
            if path == "/":
                self.send(200, PAGE.format(title=html.escape(title)).encode("utf-8"), "text/html; charset=utf-8")
            elif path == "/events":
                self.events()
            elif path == "/version":
                self.send(200, json.dumps(state.snapshot(), ensure_ascii=False).encode("utf-8"),
                          "application/json; charset=utf-8")
            elif path.startswith("/page/") and path.endswith(".jpg"):
                with state.lock:
                    page = state.pages.get(path[len("/page/"):-len(".jpg")])
                    jpg = page["jpg"] if page else None
                if jpg is None:
                    self.send(404, b"no such page (yet)", "text/plain")
                else:
                    self.send(200, jpg, "image/jpeg")
            else:
                self.send(404, b"not found", "text/plain")

        def log_message(self, *args):  # quiet: the terminal is for builds and errors
            pass
    return Handler


def _serve(port: int, handler) -> ThreadingHTTPServer:
    """The preview server on 127.0.0.1:port, or an InputError that says what to do about the port."""
    if not 0 < port < 65536:
        raise InputError(_('--port {port} is not a TCP port', port=port), hint=_('give a port from 1024 to 65535, e.g. --port 8000'))
    try:
        return ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise InputError(_('port {port} is already in use on 127.0.0.1', port=port),
                             hint=_('another program (perhaps another paiban watch) listens there: stop it, or choose a free port, e.g. --port {value}', value=port + 1 if port < 65535 else 8000)) from None
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise InputError(_('not allowed to listen on port {port}', port=port),
                             hint=_('ports below 1024 are for the system: choose one from 1024 up, e.g. --port 8000')) \
                from None
        raise


def watch(folder: Path, opts, port: int = 8000, dpi: int = PREVIEW_DPI) -> int:
    folder = Path(folder)
    if not (folder / "issue.yaml").is_file():
        raise InputError(_('{folder}: no issue.yaml here', folder=folder), hint=_('give the issue folder, e.g. issues/2022-01-14'))
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
        watcher.run(stop)
    except KeyboardInterrupt:
        print("paiban watch: stopped", file=sys.stderr, flush=True)
    finally:
        stop.set()
        state.close()
        signal.signal(signal.SIGTERM, previous)
        server.shutdown()
        server.server_close()
    return 0
