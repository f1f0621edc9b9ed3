"""The page side of a build: compose + render pages, in this process or in worker processes.

Input: the loaded IssueSpec, the pages to build, BuildOptions and (optionally) an open FontBook.
Output: one PageOutcome per page, in issue order: the PageReport (seconds, findings, stats with
per-stage timings) and the PDF bytes (None when the build only checks). Nothing here writes output
files: the parent (layout.build.issue) writes every PDF atomically and the manifest once all pages are in.

Parallel builds (`paiban build -j N`) use a ProcessPoolExecutor. On Linux it forks, so the workers
inherit the loaded issue and the FontBook (each font is opened once per process, lazily, by
HarfBuzz from a memory map); elsewhere each worker loads the issue and opens the FontBook once in its
initializer. Each page is composed and rendered by exactly the same function as in a -j 1 build,
so the PDFs are byte-identical whatever N is (tests/test_parallel.py).

Workers die with their parent: each asks the kernel for SIGKILL when the parent goes (Linux
PR_SET_PDEATHSIG; elsewhere a thread watches the parent's pid), so a `kill -9` of the build leaves no
worker behind. They never hold the output lock (layout.build.outfiles closes it in forked children).
"""
from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from layout.build.options import cache_dir, open_book
from layout.model.cachefile import read_entry, write_entry
from layout.compose.page import ComposeOptions, compose_page
from layout.model.findings import InputError, Where
from layout.compose.marks import add_marks

# Per worker process: what _init set up (issue, book, options). The parent sets _INHERIT before it
# forks, so forked workers find the issue and book already there.
_STATE: dict = {}
_INHERIT: dict = {}


@dataclass
class PageOutcome:
    number: str
    seconds: float
    findings: list
    stats: dict
    pdf: bytes | None


def default_jobs() -> int:
    """The number of cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def pdf_settings_base(issue, opts) -> dict:
    from layout.photo.color import DEFAULT_PROFILE
    pub = issue.publication
    profile = pub.profile or DEFAULT_PROFILE
    return dict(date=issue.date, pdfx=pub.pdfx, profile=profile.read_bytes(),
                marks=pub.marks if opts.marks is None else opts.marks, author=pub.publisher or pub.name)


def build_page(issue, page, book, opts, copts: ComposeOptions, settings_base: dict | None,
               drawn: dict | None = None, on_render=None) -> PageOutcome:
    """Compose one page (with marks) and, given settings_base, render it to PDF bytes and preflight
    them (layout.build.gate: a page with an error is written without its PDF/X claim). `drawn`:
    page number -> the operators of its last render (memo.RebuildMemo), in a watch rebuild;
    `on_render(number, bytes)`: told of the rendered page before its preflight (watch's preview)."""
    t0 = time.perf_counter()
    hyphens = _hyphen_memo(copts.cache_dir)
    result = compose_page(issue, page, book, copts)
    hyphens.save()
    marks = issue.publication.marks if opts.marks is None else opts.marks
    if marks:
        add_marks(result.frame, issue, page, book)
    t1 = time.perf_counter()
    stats = result.stats
    stats["compose_s"] = t1 - t0 - stats.get("images_s", 0.0)
    stats.setdefault("images_s", 0.0)
    data = None
    if settings_base is not None:
        from layout.render.pdf import PdfSettings, render_pdf  # reportlab only when rendering
        pub = issue.publication
        title = f"{pub.name} {issue.date} 第{page.number}版 {page.section}".strip()
        data = render_pdf(result.frame, PdfSettings(title=title, **settings_base), stats,
                          None if drawn is None else drawn.setdefault(page.number, {}))
        t2 = time.perf_counter()
        stats["render_s"] = t2 - t1 - stats.get("subset_s", 0.0)
        if on_render is not None:  # the preflight below changes no pixel (at most the PDF/X label)
            on_render(page.number, data)
        from layout.build.gate import gate_page
        from layout.build.manifest import page_filename
        data, written = gate_page(data, page_filename(issue, page.number), pub, page, result.findings)
        result.findings.extend(written)
        stats["preflight_s"] = time.perf_counter() - t2
    return PageOutcome(page.number, time.perf_counter() - t0, result.findings, stats, data)


class _HyphenMemo:
    """Hyphenation points looked up before, in the cache folder (hyphens.json): a warm build of copy with
    long Latin words does not open the hyphenation dictionary (~0.07 s a process). Written when this
    process looked up words the file lacked; a file that cannot be read or written only costs time."""

    def __init__(self, folder):
        from layout.text import hyphen
        self.hyphen = hyphen
        self.path = Path(folder) / "hyphens.json" if folder else None
        self.saved: dict = {}
        data = read_entry(self.path) if self.path else None
        if isinstance(data, dict) and data.get("key") == hyphen.memo_key() and isinstance(data.get("points"), dict):
            self.saved = data["points"]
            hyphen.remember(self.saved)

    def save(self) -> None:
        new = {w: list(p) for w, p in self.hyphen.known().items() if w not in self.saved}
        if self.path is not None and new:
            self.saved = {**self.saved, **new}
            write_entry(self.path, {"key": self.hyphen.memo_key(), "points": self.saved})


_HYPHENS: dict = {}


def _hyphen_memo(folder) -> _HyphenMemo:
    """One memo per cache folder and process (a worker builds several pages)."""
    key = str(folder)
    if key not in _HYPHENS:
        _HYPHENS[key] = _HyphenMemo(folder)
    return _HYPHENS[key]


# --- worker processes ------------------------------------------------------------------------

_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Make this worker end when the process `parent` ends (also by SIGKILL)."""
    armed = False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        armed = libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
    if not armed:
        def watch():
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(1)
        threading.Thread(target=watch, daemon=True).start()


def _init(folder: str, opts, parent: int | None = None) -> None:
    if parent is not None:
        _die_with_parent(parent)
    from layout.load.issue import load_issue
    issue = _INHERIT.get("issue") or load_issue(Path(folder), strict=opts.strict, disk_cache=cache_dir(opts))
    book = _INHERIT.get("book") or open_book(opts, Path(folder))
    settings = pdf_settings_base(issue, opts) if opts.write else None
    _STATE.update(issue=issue, book=book, opts=opts, settings=settings,
                  copts=ComposeOptions(cache_dir=cache_dir(opts), strict=opts.strict),
                  pages={p.number: p for p in issue.pages})


def _work(number: str):
    s = _STATE
    try:
        return build_page(s["issue"], s["pages"][number], s["book"], s["opts"], s["copts"], s["settings"])
    except InputError as e:  # re-raised in the parent with its file:line (exceptions pickle only args)
        return ("input-error", e.message, e.where, e.hint)


def _context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "forkserver"
                                       if "forkserver" in methods else "spawn")


def run_pages(folder: Path, issue, pages: list, opts, book=None, jobs: int = 1):
    """Build `pages` (PageSpecs of `issue`) with `jobs` processes, yielding each PageOutcome in the order
    given as soon as it and those before it are done (the caller writes pages while others compose).
    An InputError in a page is raised when its turn comes; pages not yet started are cancelled."""
    if jobs <= 1 or len(pages) <= 1:
        book = book or open_book(opts, Path(folder))
        memo = opts.memo
        copts = ComposeOptions(cache_dir=cache_dir(opts), strict=opts.strict,
                               breaks=memo.breaks_for(book) if memo else None,
                               placed=memo.placed_for(book) if memo else None)
        settings = pdf_settings_base(issue, opts) if opts.write else None
        drawn = memo.drawn_for(book) if memo else None
        for p in pages:
            yield build_page(issue, p, book, opts, copts, settings, drawn, opts.on_render)
        return
    from concurrent.futures import ProcessPoolExecutor
    ctx = _context()
    if ctx.get_start_method() == "fork":
        # open the book here, once: the workers inherit it (and the font cache it filled)
        _INHERIT.update(issue=issue, book=book or open_book(opts, Path(folder)))
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(pages)), mp_context=ctx,
                               initializer=_init, initargs=(str(folder), opts, os.getpid()))
    finished = False
    try:
        for o in pool.map(_work, [p.number for p in pages]):
            if isinstance(o, tuple):
                raise InputError(o[1], o[2] or Where(), o[3])
            yield o
        finished = True
    finally:
        _INHERIT.clear()
        pool.shutdown(wait=True, cancel_futures=not finished)
