"""Helpers for the newsroom tests: a one-page scratch issue built through `paiban build`, read with real tools."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

ISSUE_YAML = 'date: 2022-01-14\nnumber: 1098\nserial: 2315\npages:\n  - {page: "01", file: 01.yaml, section: 要闻}\n'


def paiban(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "layout", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


def make_issue(tmp: Path, page_yaml: str, files: dict | None = None, issue_yaml: str = ISSUE_YAML) -> Path:
    """An issue folder with the sample's publication.yaml, one page 01 and the given files."""
    folder = tmp / "issues" / "2022-01-14"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "issues" / "publication.yaml", tmp / "issues" / "publication.yaml")
    (folder / "issue.yaml").write_text(issue_yaml, encoding="utf-8")
    (folder / "01.yaml").write_text(page_yaml, encoding="utf-8")
    for name, data in (files or {}).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return folder


def build(folder: Path, out: Path, *extra) -> tuple[subprocess.CompletedProcess, Path]:
    proc = paiban("build", folder, "--out", out, "-j", "1", *extra)
    return proc, out / "2022-01-14" / "CQZXB-20220114-01.pdf"


def pdftext(path: Path, *opts) -> str:
    return subprocess.run(["pdftotext", *opts, str(path), "-"], capture_output=True, text=True, check=True).stdout


def fonts(path: Path) -> str:
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


def chars(path: Path) -> list[dict]:
    """pdfplumber's characters of page 1: text, fontname, x0, x1, top, bottom (pt from the media box's top)."""
    import pdfplumber
    with pdfplumber.open(path) as doc:
        return list(doc.pages[0].chars)


def lines(path: Path) -> list[dict]:
    import pdfplumber
    with pdfplumber.open(path) as doc:
        return list(doc.pages[0].lines)


def grid():
    """The sample publication's grid (type area origin and pitch in page points from the trim's top-left)."""
    from layout.load import load_issue
    spec = load_issue(ROOT / "issues" / "2022-01-14")
    return spec.publication.grid, spec.publication.bleed


def find(cs: list[dict], text: str) -> list[dict]:
    """The characters of the first occurrence of `text` in reading order (as pdfplumber lists them)."""
    joined = "".join(c["text"] for c in cs)
    at = joined.find(text)
    assert at >= 0, f"{text!r} not on the page"
    return cs[at:at + len(text)]
