"""Report formats for findings: JSON (docs/findings.schema.json), JUnit XML, text.

Written for preflight findings but general: the CLI's `check` command feeds its
own findings (YAML file, 版次 page, story) through the same functions."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable

from layout import __version__
from layout.model.findings import SEVERITIES, SEVERITY_WORDS, Finding, worst
from layout.model.i18n import _

SCHEMA_ID = "paiban-findings/1"
RANK = {s: i for i, s in enumerate(SEVERITIES)}       # error 0, warning 1, info 2


def _counts(findings: Iterable[Finding]) -> dict:
    c = Counter(f.severity for f in findings)
    return {s: c.get(s, 0) for s in SEVERITIES}


def _page_key(page: str):
    """Document-level ("") first, then pages in numeric order ("2" before "10")."""
    return (page != "", int(page) if page.isdigit() else 0, page)


def _by_file(findings: list[Finding]) -> dict[str, list[Finding]]:
    files: dict[str, list[Finding]] = {}
    for f in findings:
        files.setdefault(f.where.file, []).append(f)
    return files


def report_json(findings: list[Finding], tool: str = "paiban", issue: dict | None = None,
                pages: list[dict] | None = None) -> dict:
    """`issue` and `pages` (optional, for `paiban check`): the issue checked and one section per
    版次 — {page, file, section, ...} — to which counts and worst are added from the findings."""
    files = []
    for name, group in _by_file(findings).items():
        page_labels = sorted({f.page for f in group if f.page}, key=_page_key)
        files.append({"file": name, "pages": page_labels, "counts": _counts(group), "worst": worst(group)})
    report = {
        "schema": SCHEMA_ID,
        "tool": tool,
        "version": __version__,
        "summary": {"counts": _counts(findings), "worst": worst(findings)},
        "files": files,
        "findings": [f.to_json() for f in findings],
    }
    if issue is not None:
        report["issue"] = issue
    if pages is not None:
        sections = []
        for entry in pages:
            group = [f for f in findings if f.page == entry["page"]]
            sections.append({**entry, "counts": _counts(group), "worst": worst(group)})
        report["pages"] = sections
    return report


def report_junit(findings: list[Finding], suite_name: str = "preflight", strict: bool = False,
                 cases: Iterable[tuple[str, str, str]] = ()) -> str:
    """One testcase per (file, page, code). Errors fail; warnings fail only
    when strict, otherwise they go to system-out like infos. `cases`: (file, page, code)
    keys that get a (passing) testcase even without findings — the checks that ran."""
    groups: dict[tuple, list[Finding]] = {key: [] for key in cases}
    for f in findings:
        groups.setdefault((f.where.file, f.page, f.code), []).append(f)
    suite = ET.Element("testsuite", name=suite_name)
    failures = 0
    for (file, page, code), group in sorted(groups.items(), key=lambda kv: (kv[0][0], _page_key(kv[0][1]), kv[0][2])):
        case = ET.SubElement(suite, "testcase", classname=file or suite_name,
                             name=f"page {page}: {code}" if page else code)
        failing = [f for f in group if f.severity == "error" or (strict and f.severity == "warning")]
        if failing:
            failures += 1
            fail = ET.SubElement(case, "failure", message=failing[0].message,
                                 type=worst(failing) or "error")
            fail.text = "\n".join(str(f) for f in failing)
        passing = [f for f in group if f not in failing]
        if passing:
            ET.SubElement(case, "system-out").text = "\n".join(str(f) for f in passing)
    suite.set("tests", str(len(groups)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    root = ET.Element("testsuites", name=suite_name, tests=str(len(groups)), failures=str(failures))
    root.append(suite)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def report_text(findings: list[Finding]) -> str:
    """Grouped by file, then document-level and page by page; most serious first."""
    lines = []
    for name, group in _by_file(findings).items():
        c = _counts(group)
        checked = [f for f in group if f.code == "checked"]
        head = _("{file}: {errors} error(s), {warnings} warning(s)", file=name or _("(no file)"), errors=c["error"],
                 warnings=c["warning"])
        if checked:
            head += f" — {checked[0].message}"
        lines.append(head)
        rest = [f for f in group if f.code != "checked"]
        pages: dict[str, list[Finding]] = {}
        for f in rest:
            pages.setdefault(f.page, []).append(f)
        for page in sorted(pages, key=_page_key):
            lines.append("  " + (_("PDF page {page}", page=page) if page else _("document")))
            for f in sorted(pages[page], key=lambda f: (RANK.get(f.severity, 9), f.code)):
                count = f.data.get("count")
                extra = f" (×{count})" if count else ""
                story = f" [{f.story}]" if f.story else ""
                word = _(SEVERITY_WORDS.get(f.severity, f.severity))
                lines.append(f"    {word:<7} {f.code}{story}: {f.message}{extra}")
    return "\n".join(lines) + ("\n" if lines else "")
