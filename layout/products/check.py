"""`paiban check`: everything a build would find, without writing PDFs.

Input: an issue folder and BuildOptions (write=False). Output: CheckResult — the issue,
one section per page and every finding, most of them with 版次 page, story (block id) and
file:line. Reports reuse layout.preflight.report (docs/findings.schema.json, JUnit XML).

What is found where (docs/check.md has the full table):
  loading (layout.load.issue)       definition errors, missing files, overlapping blocks, blocks outside
                              the type area → InputError (exit 2); RGB colours → `rgb-colour` findings
  composing (layout.compose.page)  overset / underset, headline-overset / -too-wide, orphan-unfixable,
                              forced-break, missing-glyph / fallback-glyph, loose-line, low-ppi …
  here                        missing-byline (styles with `needs_byline: true`), and page/story
                              attribution of the loader's findings
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from layout.model.diagnostics import excerpt, paint, use_colour
from layout.model.findings import SEVERITY_WORDS, Finding, Where
from layout.model.i18n import _
from layout.preflight.report import RANK, report_json, report_junit

# Every code `paiban check` can report (a JUnit test case per page and code); docs/check.md.
CODES = (
    "overset", "underset", "headline-overset", "headline-too-wide", "photo-too-small",
    "orphan-unfixable", "forced-break", "latin-broken", "overfull", "loose-line",
    "missing-glyph", "fallback-glyph", "ppi-below-floor", "low-ppi", "bad-icc", "bad-exif", "ink-limit",
    "untagged-rgb", "rgb-colour", "missing-byline", "copy-normalized", "covers-text", "ad-refused", "overprint-ink",
)
# A finding whose code is not listed still gets its own test case in the JUnit report.


@dataclass
class PageSection:
    page: str           # 版次 "04"
    file: str           # the page definition, as shown in messages
    section: str        # 版名
    seconds: float = 0.0
    findings: list[Finding] = field(default_factory=list)


@dataclass
class CheckResult:
    issue: object                 # IssueSpec
    pages: list[PageSection]
    issue_findings: list[Finding]  # not tied to a page (publication.yaml styles …)

    def all_findings(self) -> list[Finding]:
        out = list(self.issue_findings)
        for p in self.pages:
            out.extend(p.findings)
        return out


# -- attribution ---------------------------------------------------------------------------
def block_at(page, where: Where):
    """The block of `page` whose definition holds `where` (same file; the last block that starts
    at or before the line), or None."""
    if not where.file or not where.line:
        return None
    best = None
    for block in page.blocks:
        bw = block.where
        if bw.file == where.file and bw.line and bw.line <= where.line:
            if best is None or bw.line >= best.where.line:
                best = block
    return best


def _page_of(issue, where: Where):
    for page in issue.pages:
        if where.file and (page.where.file == where.file or any(b.where.file == where.file for b in page.blocks)):
            return page
    return None


def attribute(issue, finding: Finding) -> Finding:
    """Give a loader finding (no page) the 版次 and block id its file:line points into."""
    if finding.page:
        return finding
    page = _page_of(issue, finding.where)
    if page is None:
        return finding
    block = block_at(page, finding.where)
    story = ""
    if block is not None:
        story = getattr(block, "story", "") or block.id
    return replace(finding, page=page.number, story=finding.story or story)


def byline_findings(issue, page) -> list[Finding]:
    styles = issue.publication.styles
    out = []
    from layout.model.spec import StoryBlock
    for block in page.blocks:
        if not isinstance(block, StoryBlock) or block.byline:
            continue
        style = styles.get(block.style)
        if style is not None and getattr(style, "needs_byline", False):
            out.append(Finding("warning", "missing-byline",
                               _("the story has no byline, and style '{name}' wants one", name=style.name),
                               page=page.number, story=block.id, where=block.where,
                               data={"style": style.name}))
    return out


# -- running -------------------------------------------------------------------------------
def check_issue(folder: Path, opts, book=None) -> CheckResult:
    """Load and compose (never render or write); raises InputError for bad definitions."""
    from layout.build.issue import build
    # --strict only decides the exit status: loading strictly would stop at the first RGB colour
    # (an InputError under a strict build) instead of reporting every one of them.
    opts = replace(opts, write=False, strict=False)
    report = build(Path(folder), opts, book)
    issue = report.issue
    by_number = {p.number: p for p in issue.pages}
    sections: list[PageSection] = []
    index: dict[str, PageSection] = {}
    for pr in report.pages:
        spec = by_number[pr.number]
        sec = PageSection(pr.number, spec.where.file or str(spec.file), spec.section, pr.seconds,
                          list(pr.findings) + byline_findings(issue, spec))
        sections.append(sec)
        index[pr.number] = sec
    issue_level = []
    for f in report.findings:
        f = attribute(issue, f)
        if f.page in index:
            index[f.page].findings.append(f)
        elif not f.page:
            issue_level.append(f)
        # a finding for a page not checked this time (--page) is left out
    for sec in sections:
        sec.findings.sort(key=_order)
    issue_level.sort(key=_order)
    return CheckResult(issue, sections, issue_level)


def _order(f: Finding):
    return (RANK.get(f.severity, 9), f.where.file, f.where.line, f.story, f.code)


# -- reports -------------------------------------------------------------------------------
def _counts(findings) -> str:
    e = sum(f.severity == "error" for f in findings)
    w = sum(f.severity == "warning" for f in findings)
    i = sum(f.severity == "info" for f in findings)
    return _("{errors} error(s), {warnings} warning(s), {notes} note(s)", errors=e, warnings=w, notes=i)


def _line(f: Finding, colour: bool = False) -> str:
    loc = str(f.where) or _("(no file)")
    story = f" [{f.story}]" if f.story else ""
    word = _(SEVERITY_WORDS.get(f.severity, f.severity))
    text = (f"    {paint(f'{word:<7}', f.severity, colour)} {f.code}{story}: {f.message}\n"
            f"            {_('at {place}', place=loc)}")
    source = excerpt(f.where, colour, " " * 12) if f.severity != "info" else ""
    return text + ("\n" + source if source else "")


def report_text(result: CheckResult, infos: bool = True, colour: bool = False) -> str:
    """Grouped by page (issue-level first), most serious first, each finding with file:line."""
    issue = result.issue
    all_f = result.all_findings()
    out = [_("{name} {date} ({folder}): {pages} page(s), {counts}", name=issue.publication.name, date=issue.date,
             folder=issue.folder, pages=len(result.pages), counts=_counts(all_f))]
    if result.issue_findings:
        out.append("  " + _("issue: {counts}", counts=_counts(result.issue_findings)))
        out.extend(_line(f, colour) for f in result.issue_findings if infos or f.severity != "info")
    for sec in result.pages:
        title = "  " + _("page {page}", page=sec.page) + (f" {sec.section}" if sec.section else "")
        out.append(f"{title} ({sec.file}): {_counts(sec.findings)}")
        out.extend(_line(f, colour) for f in sec.findings if infos or f.severity != "info")
    return "\n".join(out) + "\n"


def report_json_check(result: CheckResult) -> dict:
    issue = result.issue
    info = {"folder": str(issue.folder), "date": issue.date, "publication": issue.publication.name,
            "number": issue.number}
    pages = [{"page": s.page, "file": s.file, "section": s.section, "seconds": round(s.seconds, 3)}
             for s in result.pages]
    return report_json(result.all_findings(), tool="paiban check", issue=info, pages=pages)


def report_junit_check(result: CheckResult, strict: bool = False) -> str:
    cases = [(s.file, s.page, code) for s in result.pages for code in CODES]
    return report_junit(result.all_findings(), "paiban check", strict=strict, cases=cases)


def exit_status(findings: list[Finding], strict: bool) -> int:
    """As for build: 0 ok; 1 any error (with strict: any warning too)."""
    from layout.model.findings import exit_status as status
    return status(findings, strict)


def run(args, opts) -> int:
    """The `check` command: args from cli (format, junit, strict), opts = BuildOptions."""
    result = check_issue(args.issue, opts)
    findings = result.all_findings()
    if args.junit:
        Path(args.junit).write_text(report_junit_check(result, strict=args.strict), encoding="utf-8")
    if args.format == "json":
        sys.stdout.write(json.dumps(report_json_check(result), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(report_text(result, colour=use_colour(sys.stdout)))
    return exit_status(findings, args.strict)
