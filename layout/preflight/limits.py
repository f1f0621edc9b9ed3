"""Limits for PDFs from outside (ads, `paiban preflight`): what is checked before anything is decoded.

One place used by both preflight_file (check.py) and ad placement (compose/ad.py):
- encrypted files are a finding (PDF/X forbids encryption; a password-protected one cannot be read);
- a page count over `max_pages` is a finding, and only the pages used (`pages_used`) are checked;
- every stream a checked page reaches (content, forms, images, patterns) is measured before it is
  decoded: Flate is inflated in 1 MB steps and abandoned past `max_stream_bytes` (a 2 GB bomb is
  refused after inflating 64 MB, in well under a second); other compressing filters are judged by
  their worst ratio. An oversized stream is a finding and the content and ink checks are skipped;
- the whole check has a time budget (`seconds`); running out is a finding;
- boxes that are not finite or have no area are findings (they divided by zero).
"""
from __future__ import annotations

import math
import time
import zlib
from dataclasses import dataclass

import pikepdf

from layout.model.i18n import _

MAX_STREAM_BYTES = 64 << 20     # a newspaper page's largest decoded stream is a few MB
AD_MAX_PAGES = 16               # an ad is page 1 of its PDF; more than this is not an ad
PREFLIGHT_MAX_PAGES = 64        # `paiban preflight --max-pages` (an issue is at most a few dozen pages)
SECONDS = 60.0                  # per file
MIN_BOX_PT = 1.0                # a box narrower or lower than this has no printable area
_WORST_RATIO = {"/LZWDecode": 4096, "/LZW": 4096, "/RunLengthDecode": 128, "/RL": 128}
_STEP = 1 << 20


@dataclass(frozen=True)
class Limits:
    max_pages: int = PREFLIGHT_MAX_PAGES
    pages_used: int = 0                  # check only the first N pages (0: all up to max_pages)
    max_stream_bytes: int = MAX_STREAM_BYTES
    seconds: float = SECONDS


AD_LIMITS = Limits(max_pages=AD_MAX_PAGES, pages_used=1)


class Clock:
    def __init__(self, seconds: float):
        self.deadline = time.monotonic() + seconds

    @property
    def out(self) -> bool:
        return time.monotonic() > self.deadline


def pages_to_check(npages: int, limits: Limits) -> int:
    n = min(npages, limits.max_pages)
    return min(n, limits.pages_used) if limits.pages_used else n


def _filters(stream) -> list[str]:
    f = stream.get("/Filter")
    if f is None:
        return []
    return [str(x) for x in f] if isinstance(f, pikepdf.Array) else [str(f)]


def inflated_over(raw: bytes, limit: int) -> bool:
    """Whether Flate data inflates past `limit` bytes (stops as soon as it does)."""
    d = zlib.decompressobj()
    total = 0
    data = raw
    try:
        while data:
            total += len(d.decompress(data, _STEP))
            if total > limit:
                return True
            data = d.unconsumed_tail
    except zlib.error:
        return False  # damaged data: the content check reports it
    return False


def stream_over(stream, limit: int, file_size: int | None = None) -> bool:
    """Whether the stream decodes past `limit` bytes. `file_size` (the whole file's, when known) bounds
    its raw data: a stream whose filters cannot expand it past the limit even then is not read (a
    page's photos are most of its bytes, and copying them out of qpdf only to measure them cost
    more than the rest of the check)."""
    filters = _filters(stream)
    if file_size is not None and (not filters or filters[0] not in ("/FlateDecode", "/Fl")):
        ratio = max((_WORST_RATIO.get(f, 1) for f in filters), default=1)
        if file_size * ratio <= limit:
            return False
    raw = stream.read_raw_bytes()
    if not filters:
        return len(raw) > limit
    if filters[0] in ("/FlateDecode", "/Fl"):
        if inflated_over(raw, limit):
            return True
        return len(filters) > 1 and any(f in _WORST_RATIO for f in filters[1:]) and len(raw) * 64 > limit
    ratio = max((_WORST_RATIO.get(f, 1) for f in filters), default=1)
    return len(raw) * ratio > limit


def _reachable_streams(page: pikepdf.Page, clock: Clock):
    """Every stream the page reaches through /Contents and resources (each once)."""
    seen: set = set()
    todo = [page.obj]
    while todo and not clock.out:
        obj = todo.pop()
        key = obj.objgen if obj.is_indirect else None
        if key is not None and key != (0, 0):
            if key in seen:
                continue
            seen.add(key)
        if isinstance(obj, pikepdf.Stream):
            yield obj
            todo.extend(v for k, v in obj.stream_dict.items() if k in ("/Resources",))
        elif isinstance(obj, pikepdf.Dictionary):
            for k, v in obj.items():
                if k in ("/Parent", "/Annots", "/StructParents", "/B", "/Metadata"):
                    continue
                if isinstance(v, (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream)):
                    todo.append(v)
        elif isinstance(obj, pikepdf.Array):
            todo.extend(v for v in obj if isinstance(v, (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream)))


def oversized_stream(page: pikepdf.Page, limits: Limits, clock: Clock, file_size: int | None = None) -> str | None:
    """The first stream of the page that decodes past the limit (its object reference), else None."""
    for s in _reachable_streams(page, clock):
        try:
            if stream_over(s, limits.max_stream_bytes, file_size):
                return f"{s.objgen[0]} {s.objgen[1]} R" if s.is_indirect else "inline"
        except pikepdf.PdfError:
            continue
    return None


def box_problem(box) -> str | None:
    """Why a box (x0, y0, x1, y1) cannot be a page's box, or None."""
    if box is None:
        return None
    if not all(math.isfinite(v) for v in box):
        return _("is not finite")
    w, h = abs(box[2] - box[0]), abs(box[3] - box[1])
    if w < MIN_BOX_PT or h < MIN_BOX_PT:
        return _("has no area ({w:g} × {h:g} pt)", w=w, h=h)
    if w > 14400 or h > 14400:  # the PDF limit of 200 inches
        return _("is larger than a PDF page may be ({w:g} × {h:g} pt)", w=w, h=h)
    return None
