"""What the print shop receives besides the pages: file names, manifest.json, the hot-folder copy.

Input: the issue, the pages a build wrote (size, SHA-256, status and finding counts). Output:
manifest.json written atomically, files copied into a hot folder (PDFs first, manifest last) — only
the pages without errors: a failed page is held back.
"""
from __future__ import annotations

import json
from pathlib import Path

from layout.build.memo import file_digest
from layout.build.outfiles import atomic_write, output_lock
from layout.model.spec import IssueSpec


def page_filename(issue: IssueSpec, number: str) -> str:
    return f"{issue.publication.code}-{issue.date.replace('-', '')}-{number}.pdf"


def page_state(findings) -> dict:
    """A page's verdict for the manifest: "failed" (an error: not for press) or "ok", and its counts."""
    counts = {s: sum(f.severity == s for f in findings) for s in ("error", "warning", "info")}
    return {"status": "failed" if counts["error"] else "ok", "counts": counts}


def _previous_states(target: Path) -> dict[str, dict]:
    """file name → {status, counts} from the manifest already in the folder (for pages not rebuilt)."""
    try:
        old = json.loads(target.read_text(encoding="utf-8"))
        return {e["file"]: {k: e[k] for k in ("status", "counts") if k in e} for e in old.get("files", [])}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def write_manifest(out_dir: Path, issue: IssueSpec, fresh: dict[str, tuple[int, str]], memo=None,
                   states: dict[str, dict] | None = None) -> Path:
    """manifest.json: what the print shop receives — files, sizes, SHA-256, pages, PDF/X version — for
    every page of the issue in the folder (a --page rebuild keeps the other pages listed).
    fresh: page number -> (size, SHA-256) of the pages this build wrote; memo: a RebuildMemo that
    knows the digests of the other pages while their files are unchanged; states: page number →
    page_state() of the pages this build wrote (the others keep what the previous manifest said)."""
    pub = issue.publication
    target = out_dir / "manifest.json"
    previous = _previous_states(target)
    states = states or {}
    files = []
    for page in issue.pages:  # every page of the issue in the folder, not only the ones just built
        known = fresh.get(page.number)
        if known is None:
            existing = out_dir / page_filename(issue, page.number)
            if not existing.is_file():
                continue
            known = memo.digest(existing) if memo else file_digest(existing)
        name = page_filename(issue, page.number)
        state = states.get(page.number) or previous.get(name) or {"status": "unknown"}
        files.append({"file": name, "page": page.number, "section": page.section,
                      "bytes": known[0], "sha256": known[1], "pages": 1, "mono": page.mono, **state})
    manifest = {"publication": pub.name, "code": pub.code, "cn": pub.cn, "date": issue.date,
                "number": issue.number, "serial": issue.serial, "pdfx": pub.pdfx,
                "trim_mm": [round(pub.trim_w * 25.4 / 72, 2), round(pub.trim_h * 25.4 / 72, 2)],
                "bleed_mm": round(pub.bleed * 25.4 / 72, 2), "files": files}
    atomic_write(target, (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return target


def deliver(out_dir: Path, files: list[Path], hot_folder: Path) -> None:
    """Copy into a print shop's hot folder atomically (temporary name, then rename): PDFs first, manifest last.
    The caller passes only what may go to press (no page with an error)."""
    with output_lock(hot_folder):
        for f in files:
            atomic_write(hot_folder / f.name, f.read_bytes())
