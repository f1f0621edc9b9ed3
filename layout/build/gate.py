"""The gate to the press: every page is preflighted as written; a page with an error loses its PDF/X claim.

Input: a page's rendered bytes, its composition findings, the publication. Output: the bytes to write
(labelled PDF/X only when the page has no error) and the preflight's findings, attributed to the page.

What the post-write preflight checks on the bytes: the PDF/X identification and OutputIntent, boxes
and trim size, fonts embedded, colour spaces (RGB, spots) in the content, resources, forms and the
placed advertisements, black text overprinting, transparency, annotations and actions — the same
checks as `paiban preflight`. Two are left to composition, which knows them already and says where in
the YAML: photo resolution (each photo is measured at its placed size) and ink coverage (photos are
separated within the limit; overprinting text on tints is counted from the frame), so no page is
rasterised by Ghostscript here.
"""
from __future__ import annotations

import hashlib
from dataclasses import replace

from layout.model.findings import Finding, Where
from layout.model.units import PT_PER_MM
from layout.preflight import PreflightSpec, preflight_bytes

# preflight findings that are no news on our own page
_SKIP = {"checked"}


def written_spec(pub) -> PreflightSpec:
    return PreflightSpec(pdfx=pub.pdfx, trim_mm=(pub.trim_w / PT_PER_MM, pub.trim_h / PT_PER_MM),
                         ink_limit=pub.ink_limit, min_ppi=0.0, error_ppi=0.0, min_line_art_ppi=0.0,
                         check_ink=False)


# (SHA-256 of the bytes, file name, spec) → preflight_bytes' findings: the preflight is a function of
# these, and a watch rebuild often writes a page that is byte for byte the one it wrote before (a
# change to issue.yaml or publication.yaml rebuilds every page; most come out the same)
_CHECKED: dict[tuple, list[Finding]] = {}
_KEEP = 64


def _preflighted(data: bytes, name: str, spec) -> list[Finding]:
    key = (hashlib.sha256(data).digest(), name, spec)
    found = _CHECKED.pop(key, None)
    if found is None:
        found = preflight_bytes(data, name, spec)
        if len(_CHECKED) >= _KEEP:
            del _CHECKED[next(iter(_CHECKED))]
    _CHECKED[key] = found  # last: the most recently used
    return found


def preflight_written(data: bytes, name: str, pub, page) -> list[Finding]:
    """The preflight findings of a rendered page, as findings of the page (版次, its YAML file)."""
    out = []
    for f in _preflighted(data, name, written_spec(pub)):
        if f.code in _SKIP:
            continue
        out.append(replace(f, message=f"written PDF: {f.message}", page=page.number,
                           where=Where(file=page.where.file or str(page.file)),
                           data={**f.data, "check": "preflight", "pdf": name}))
    return out


def failing(findings) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


def gate_page(data: bytes, name: str, pub, page, findings: list[Finding]) -> tuple[bytes, list[Finding]]:
    """(bytes to write, the post-write findings). A page with any error (composition or preflight) is
    written without its PDF/X identification and OutputIntent."""
    from layout.render.pdf_label import unlabel
    found = preflight_written(data, name, pub, page)
    errors = failing(list(findings) + found)
    if errors:
        codes = ", ".join(sorted({f.code for f in errors}))
        data = unlabel(data, f"{len(errors)} error(s): {codes}")
    return data, found
