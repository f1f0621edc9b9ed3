"""Findings: what a stage noticed, as data. The CLI turns them into messages and exit codes.

Severity (one model for build, check, preflight, site, watch):
  error   — this page must not go to press: exit 1, the page is not delivered nor labelled PDF/X;
  warning — a person should look: exit 0, or exit 1 under --strict;
  info    — done for you (a repair, a note): never fails.
Bad input is not a finding but an InputError: exit 2, nothing written.
"""
from __future__ import annotations

from dataclasses import dataclass, field, asdict

from layout.model.i18n import N_, _

SEVERITIES = ("error", "warning", "info")
SEVERITY_WORDS = {"error": N_("error"), "warning": N_("warning"), "info": N_("info")}   # shown; codes stay


@dataclass(frozen=True)
class Where:
    """A place in a definition file (1-based line and column; 0 when unknown)."""
    file: str = ""
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.file:
            return ""
        if self.line:
            return f"{self.file}:{self.line}" + (f":{self.column}" if self.column else "")
        return self.file


@dataclass(frozen=True)
class Finding:
    severity: str          # "error" | "warning" | "info"
    code: str              # stable id, e.g. "overset", "fallback-glyph", "low-ppi"
    message: str           # one sentence a layout editor can act on
    page: str = ""         # 版次 "04"
    story: str = ""        # block id
    where: Where = field(default_factory=Where)
    data: dict = field(default_factory=dict)  # figures: {"chars": 120, "lines": 6}

    def to_json(self) -> dict:
        d = asdict(self)
        d["where"] = {k: v for k, v in d["where"].items()}
        return d

    def __str__(self) -> str:
        parts = [_(SEVERITY_WORDS.get(self.severity, self.severity))]
        if self.page:
            parts.append(_("page {page}", page=self.page))
        if self.story:
            parts.append(_("story {story}", story=self.story))
        loc = str(self.where)
        head = " ".join(parts)
        return f"{loc + ': ' if loc else ''}{head}: {self.message} [{self.code}]"


class InputError(Exception):
    """Bad input the user must fix: one clear message, exit status 2."""

    def __init__(self, message: str, where: Where | None = None, hint: str = ""):
        self.message = message
        self.where = where or Where()
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        loc = str(self.where)
        text = f"{loc}: {self.message}" if loc else self.message
        if self.hint:
            text += f"\n  {_('hint:')} {self.hint}"
        return text


def exit_status(findings, strict: bool = False) -> int:
    """1 when any finding is an error (or, with strict, a warning); else 0."""
    sevs = {f.severity for f in findings}
    return 1 if "error" in sevs or (strict and "warning" in sevs) else 0


def worst(findings) -> str | None:
    for sev in SEVERITIES:
        if any(f.severity == sev for f in findings):
            return sev
    return None
