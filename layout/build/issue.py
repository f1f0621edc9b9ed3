"""Build an issue: load → compose every page → render → write atomically, with a manifest.

Input: the issue folder and BuildOptions. Output: BuildReport (files written, findings,
timings). Nothing is written unless every page loaded and composed without an InputError;
each PDF is written to a temporary file in the target folder and renamed into place, so a
failed or killed build never leaves a partial PDF.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from layout.build.manifest import deliver, page_filename, page_state, write_manifest
from layout.build.options import BuildOptions, cache_dir, open_book
from layout.build.outfiles import StagedFiles, output_lock
from layout.build.workers import default_jobs, run_pages
from layout.compose.marks import add_marks
from layout.compose.page import ComposeOptions, PageResult, compose_page
from layout.load.issue import load_issue
from layout.model.findings import Finding, InputError, Where
from layout.model.spec import IssueSpec
from layout.model.i18n import _


@dataclass
class PageReport:
    number: str
    file: Path | None
    seconds: float
    findings: list[Finding] = field(default_factory=list)
    stats: dict = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        """An error: the page must not go to press (written unlabelled, never delivered)."""
        return any(f.severity == "error" for f in self.findings)


@dataclass
class BuildReport:
    issue: IssueSpec
    pages: list[PageReport]
    findings: list[Finding]             # issue-level (loading) findings
    out_dir: Path | None = None
    manifest: Path | None = None
    stages: dict = field(default_factory=dict)  # seconds: load, compose, images, subset, render, write, total
    delivered: list[Path] = field(default_factory=list)   # files copied into the hot folder (--deliver)
    held_back: list[PageReport] = field(default_factory=list)   # failed pages not delivered

    def all_findings(self) -> list[Finding]:
        out = list(self.findings)
        for p in self.pages:
            out.extend(p.findings)
        return out


def compose_issue(folder: Path, opts: BuildOptions, book=None) -> tuple[IssueSpec, list[tuple[PageReport, PageResult]]]:
    issue = load_issue(folder, strict=opts.strict, cache=opts.load_cache, disk_cache=cache_dir(opts))
    book = book or open_book(opts, folder)
    copts = ComposeOptions(cache_dir=cache_dir(opts), strict=opts.strict)
    results = []
    for page in selected_pages(issue, opts, folder):
        t0 = time.perf_counter()
        result = compose_page(issue, page, book, copts)
        marks = issue.publication.marks if opts.marks is None else opts.marks
        if marks:
            add_marks(result.frame, issue, page, book)
        results.append((PageReport(page.number, None, time.perf_counter() - t0, result.findings, result.stats),
                        result))
    return issue, results


def selected_pages(issue: IssueSpec, opts: BuildOptions, folder: Path) -> list:
    """The issue's pages that opts.pages asks for (all when empty); InputError for unknown ones."""
    wanted = {p.zfill(2) for p in opts.pages}
    unknown = wanted - {p.number for p in issue.pages}
    if unknown:
        raise InputError(_('page {unknown} is not in this issue', unknown=', '.join(sorted(unknown))), Where(str(folder / "issue.yaml")),
                         _('pages: {items}', items=', '.join(p.number for p in issue.pages)))
    return [p for p in issue.pages if not wanted or p.number in wanted]


def build(folder: Path, opts: BuildOptions, book=None) -> BuildReport:
    t_start = time.perf_counter()
    folder = Path(folder)
    issue = load_issue(folder, strict=opts.strict, cache=opts.load_cache, disk_cache=cache_dir(opts))
    pages = selected_pages(issue, opts, folder)
    jobs = opts.jobs or default_jobs()
    book = book or open_book(opts, folder)  # forked workers inherit it: each font opened once per process
    check_font_roles(issue, book)
    t_load = time.perf_counter() - t_start
    outcomes = run_pages(folder, issue, pages, opts, book, jobs)  # compose (+ render), page by page
    report = BuildReport(issue, [], list(issue.findings))
    report.stages = {"load": t_load, "jobs": min(jobs, len(pages))}
    t_write = 0.0
    if not opts.write:
        report.pages = [PageReport(o.number, None, o.seconds, o.findings, o.stats) for o in outcomes]
    else:
        out_dir = Path(opts.out) / issue.date
        fresh: dict[str, tuple[int, str]] = {}  # page -> (bytes, sha256) for the manifest
        # one build writes into a folder at a time (stale .part files go); each page is staged on disk
        # as soon as it is done, and all are renamed into place only once every page is in
        with output_lock(out_dir), StagedFiles() as staged:
            for o in outcomes:
                t0 = time.perf_counter()
                target = out_dir / page_filename(issue, o.number)
                staged.add(target, o.pdf)
                fresh[o.number] = (len(o.pdf), hashlib.sha256(o.pdf).hexdigest())
                report.pages.append(PageReport(o.number, target, o.seconds, o.findings, o.stats))
                t_write += time.perf_counter() - t0
            t0 = time.perf_counter()
            staged.commit()
            if opts.memo:
                for r in report.pages:
                    opts.memo.remember(r.file, fresh[r.number][1])
            report.out_dir = out_dir
            report.manifest = write_manifest(out_dir, issue, fresh, opts.memo,
                                             {r.number: page_state(r.findings) for r in report.pages})
        if opts.deliver:  # only what may go to press; the manifest says which pages failed
            report.held_back = [r for r in report.pages if r.failed]
            report.delivered = [r.file for r in report.pages if not r.failed] + [report.manifest]
            deliver(out_dir, report.delivered, opts.deliver)
        t_write += time.perf_counter() - t0
        report.stages["write"] = t_write
    for key in ("compose", "images", "subset", "render", "preflight"):  # summed over pages (CPU s, all workers)
        report.stages[key] = sum(r.stats.get(f"{key}_s", 0.0) for r in report.pages)
    report.stages["total"] = time.perf_counter() - t_start
    return report


def check_font_roles(issue: IssueSpec, book) -> None:
    """Every style's font role exists in fonts.yaml (else one message at the style's line)."""
    roles = set(book.roles)
    for name, style in issue.publication.styles.items():
        if style.font not in roles:
            raise InputError(_("style '{name}': unknown font role '{font}'", name=name, font=style.font), style.where,
                             _('use one of the roles in fonts.yaml: {roles}', roles=', '.join(book.roles)))


