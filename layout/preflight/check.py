"""PDF preflight for the plate line: PDF/X-1a:2001 (default) or PDF/X-4 plus the
newsprint rules (ink limit, effective resolution, black text).

    findings = preflight([Path("A01.pdf")], PreflightSpec(trim_mm=(390, 540)))
    report_json(findings)      # dict matching docs/findings.schema.json
    report_junit(findings, "preflight")
    report_text(findings)

Each file gives one info finding `checked` (pages, seconds, max ink per page)
followed by its problems. Anything that stops a file from being read is a
finding `unreadable`, never an exception; a bad spec is an InputError.
The checks themselves live in document, pages, content and ink beside this module.
"""
from __future__ import annotations

import io
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pikepdf

from layout.model.findings import Finding, InputError, Where
from layout.model.i18n import _
from layout.preflight.base import PDFX_VERSIONS, PreflightSpec, Sink
from layout.preflight.content import walk_page
from layout.preflight.document import check_actions, check_identification, check_objects, check_output_intent
from layout.preflight.ink import check_ink
from layout.preflight.limits import Clock, oversized_stream, pages_to_check
from layout.preflight.pages import check_annotations, check_boxes, check_resources
from layout.preflight.report import report_json, report_junit, report_text

__all__ = ["PreflightSpec", "preflight", "preflight_file", "preflight_bytes", "report_json", "report_junit",
           "report_text", "CODES"]

# Every code a preflight can produce (docs/preflight.md describes each).
CODES = (
    "checked", "unreadable", "check-failed",
    "pdf-version", "pdfx-version", "pdfx-conformance", "trapped", "info-missing",
    "document-id-missing", "xmp-missing", "xmp-mismatch",
    "output-intent-missing", "output-intent-multiple", "output-intent-incomplete", "output-profile",
    "trimbox-missing", "box-nesting", "trim-size", "box-degenerate",
    "page-count", "stream-too-large", "check-time-limit",
    "font-not-embedded", "rgb-colour", "colour-space", "spot-colour", "transparency",
    "annotation", "action", "javascript",
    "forbidden-filter", "transfer-function", "postscript", "opi",
    "low-ppi", "rich-black-text", "multi-ink-text", "black-text-knockout", "content-unreadable",
    "ink-limit", "ink-check-failed",
)


def preflight(paths: Sequence[Path], spec: PreflightSpec = PreflightSpec()) -> list[Finding]:
    if spec.pdfx not in PDFX_VERSIONS:
        raise InputError(_('unknown PDF/X flavour {pdfx!r}', pdfx=spec.pdfx),
                         hint=_('use one of: {PDFX_VERSIONS}', PDFX_VERSIONS=', '.join(PDFX_VERSIONS)))
    if spec.render_dpi < 1 or spec.ink_limit <= 0:
        raise InputError(_('render_dpi and ink_limit must be positive'))
    findings: list[Finding] = []
    for path in paths:
        findings.extend(preflight_file(Path(path), spec))
    return findings


def preflight_file(path: Path, spec: PreflightSpec) -> list[Finding]:
    return _preflight(path, path, spec)


def preflight_bytes(data: bytes, name: str, spec: PreflightSpec) -> list[Finding]:
    """The same checks on a PDF held in memory (a page the build has just rendered); `name` is the
    file it will be written to. The Ghostscript ink check (spec.check_ink) reads a temporary copy."""
    return _preflight(io.BytesIO(data), Path(name), spec, data)


def _preflight(source, path: Path, spec: PreflightSpec, data: bytes | None = None) -> list[Finding]:
    started = time.perf_counter()
    sink = Sink(str(path))
    try:
        pdf = pikepdf.open(source)
    except pikepdf.PasswordError:
        return _unreadable(path, "encrypted with a password")
    except (pikepdf.PdfError, OSError, ValueError) as exc:
        return _unreadable(path, str(exc))
    limits = spec.limits
    clock = Clock(limits.seconds)
    with pdf:
        if pdf.is_encrypted:
            return _unreadable(path, "encrypted (PDF/X forbids encryption)")
        npages = len(pdf.pages)
        checked = pages_to_check(npages, limits)
        if npages > limits.max_pages:
            sink.add("error", "page-count", _("the file has {npages} pages; at most {limit} are checked",
                                              npages=npages, limit=limits.max_pages),
                     pages=npages, limit=limits.max_pages)
        bombs = [(pno, ref) for pno, page in enumerate(pdf.pages[:checked], 1)
                 if (ref := oversized_stream(page, limits, clock, _size(source, data)))]
        for pno, ref in bombs:
            sink.add("error", "stream-too-large", _("stream {ref} decodes to more than {mb} MB: not checked "
                                                    "further (a decompression bomb?)", ref=ref,
                                                    mb=limits.max_stream_bytes >> 20),
                     page=pno, subject=ref, limit=limits.max_stream_bytes)
        if not clock.out:
            _document_checks(pdf, spec, sink)
        for pno, page in enumerate(pdf.pages[:checked], 1):
            if clock.out:
                break
            _page_checks(page, pno, spec, sink, content=not bombs)
        version = pdf.pdf_version
    ink = _guard(sink, "ink", lambda: _ink(path, data, spec, sink, checked)) \
        if spec.check_ink and not bombs and not clock.out else None
    if clock.out:
        sink.add("error", "check-time-limit", _("the check took longer than {seconds:g} s and was stopped: "
                                                "the file is not known to be good", seconds=limits.seconds),
                 seconds=limits.seconds)
    seconds = round(time.perf_counter() - started, 3)
    summary = Finding("info", "checked",
                      _('{npages} page(s) checked as {pdfx} in {seconds:g} s', npages=npages if checked == npages
                        else _('{checked} of {npages}', checked=checked, npages=npages), pdfx=spec.pdfx, seconds=seconds),
                      where=Where(file=str(path)),
                      data={"pages": npages, "pdf_version": version, "pdfx": spec.pdfx,
                            "seconds": seconds, "ink_max": [r.to_json() for r in ink or []]})
    return [summary] + sink.findings()


def _size(source, data: bytes | None) -> int | None:
    """The length of a PDF held in memory (what bounds every stream's raw data); None for a file on
    disk, which could grow while it is checked."""
    return len(data) if data is not None else None


def _ink(path: Path, data: bytes | None, spec, sink, last_page: int = 0):
    if data is None:
        return check_ink(path, spec, sink, last_page=last_page)
    with tempfile.NamedTemporaryFile(prefix="paiban-preflight-", suffix=".pdf") as tmp:
        tmp.write(data)
        tmp.flush()
        return check_ink(Path(tmp.name), spec, sink, last_page=last_page)


def _document_checks(pdf, spec, sink) -> None:
    _guard(sink, "identification", lambda: check_identification(pdf, spec, sink))
    _guard(sink, "output intent", lambda: check_output_intent(pdf, spec, sink))
    _guard(sink, "actions", lambda: check_actions(pdf, sink))
    _guard(sink, "objects", lambda: check_objects(pdf, spec, sink))


def _page_checks(page, pno, spec, sink, content: bool = True) -> None:
    boxes = _guard(sink, "boxes", lambda: check_boxes(page, pno, spec, sink), pno)
    appearances = _guard(sink, "annotations",
                         lambda: check_annotations(page, pno, boxes, sink), pno) if boxes else []
    _guard(sink, "resources", lambda: check_resources(page, pno, appearances or [], spec, sink), pno)
    if content:  # not when a stream is too large to decode
        _guard(sink, "content", lambda: walk_page(page, pno, spec, sink), pno)


def _guard(sink: Sink, check: str, fn: Callable, pno: int = 0):
    """Run one check; a malformed object stops that check, not the preflight."""
    try:
        return fn()
    except Exception as exc:  # noqa: BLE001 - damaged PDFs raise anything; report, go on
        sink.add("error", "check-failed", _('{check} check stopped: {kind}: {exc}', check=check, kind=type(exc).__name__, exc=exc),
                 page=pno, subject=check, check=check)
        return None


def _unreadable(path: Path, reason: str) -> list[Finding]:
    return [Finding("error", "unreadable", _('cannot check this PDF: {reason}', reason=reason),
                    where=Where(file=str(path)), data={"reason": reason})]
