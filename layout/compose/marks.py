"""Printer's marks outside the bleed: crop marks, registration marks and a slug line.

Input: a composed PageFrame; output: the same frame with mark items appended (page
coordinates, so they lie at negative x/y or beyond the trim). Registration marks are in
all four inks (they sit outside the trim, where the ink limit does not apply).
"""
from __future__ import annotations

from layout.model.frame import Circle, Color, PageFrame, Rule
from layout.model.units import PT_PER_MM

REGISTRATION = Color(1, 1, 1, 1)
MARK_LEN = 6 * PT_PER_MM
MARK_WIDTH = 0.25


def add_marks(frame: PageFrame, issue, page, book) -> None:
    w, h, b = frame.width, frame.height, frame.bleed
    gap = b + 1 * PT_PER_MM  # marks start beyond the bleed
    items = frame.items
    for x in (0.0, w):
        for y in (0.0, h):
            sx = -1 if x == 0 else 1
            sy = -1 if y == 0 else 1
            items.append(Rule(x + sx * gap, y, x + sx * (gap + MARK_LEN), y, MARK_WIDTH, REGISTRATION))
            items.append(Rule(x, y + sy * gap, x, y + sy * (gap + MARK_LEN), MARK_WIDTH, REGISTRATION))
    # registration targets centred on each edge
    r = 2.2 * PT_PER_MM
    off = gap + MARK_LEN / 2
    for cx, cy in ((w / 2, -off), (w / 2, h + off), (-off, h / 2), (w + off, h / 2)):
        items.append(Circle(cx, cy, r, MARK_WIDTH, REGISTRATION))
        items.append(Rule(cx - r * 1.5, cy, cx + r * 1.5, cy, MARK_WIDTH, REGISTRATION))
        items.append(Rule(cx, cy - r * 1.5, cx, cy + r * 1.5, MARK_WIDTH, REGISTRATION))
    _slug(frame, issue, page, book, gap)


def _slug(frame, issue, page, book, gap):
    """The slug line: paper, date, page, section and a build id, below the bottom-left crop mark."""
    from layout.compose.typeset import Context, Typesetter
    from layout.model.spec import Style
    pub = issue.publication
    style = Style("slug", pub.styles["body"].font, 6.0, 7.0)
    ts = Typesetter(book, pub.punctuation)
    text = f"{pub.code} {issue.date} 第{page.number}版 {page.section} {pub.pdfx} build {_build_id(issue, page)}"
    line = ts.natural_line(text, style)
    baseline = frame.height + gap + MARK_LEN + 2.5 * PT_PER_MM
    frame.items.extend(ts.runs(line.clusters, 0.0, baseline, style, Context(page.number, "slug")))


def _build_id(issue, page) -> str:
    """Derived from the page definition's content, so identical input gives identical files."""
    import hashlib
    digest = hashlib.sha256()
    digest.update(page.file.read_bytes())
    for block in page.blocks:
        text = getattr(block, "text", "")
        digest.update(text.encode("utf-8"))
    return digest.hexdigest()[:8]
