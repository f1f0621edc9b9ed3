"""Stories: copy → lines → columns, for one page (part of layout.compose.page).

Input: a StoryBlock and the PageComposer it belongs to (its typesetter, styles, grid and item list).
Output: glyph runs appended to the page's items, the story's outline in its areas, and findings:
overset and underset (空行), loose lines (稀行), widows (孤行), and what a continued story (转版)
carries to or from another page.
"""
from __future__ import annotations

from pathlib import Path

from layout.model.findings import Finding, InputError, Where
from layout.compose.copyparts import Piece, Tall, draw_line, draw_tall, pieces_of, tall_entries
from layout.compose.flow import fitting, pour, pour_tall, slots_for
from layout.model.copy import PARA
from layout.model.frame import Area, Rule
from layout.model.spec import StoryBlock, Style
from layout.model.i18n import _
from layout.text.normalize import normalize_copy

COLUMN_RULE = 0.3  # pt, 栏线


_SUSPECTS: dict[str, tuple] = {}  # copy → what hygiene.suspicious found in it (a rebuild meets the same copy)


def _suspects(text: str) -> tuple:
    found = _SUSPECTS.get(text)
    if found is None:
        from layout.text.hygiene import suspicious
        if len(_SUSPECTS) >= 256:
            _SUSPECTS.clear()
        found = _SUSPECTS[text] = tuple(suspicious(text))
    return found


class StoryComposer:
    def __init__(self, page_composer):
        self.p = page_composer

    def copy_pieces(self, block: StoryBlock, report: bool = True) -> list[Piece]:
        """The story's paragraphs as Pieces; a continued story (转版) starts with what its source page
        could not hold, the first piece unindented when it resumes mid-paragraph."""
        if block.continued_page:
            return self.carried(block)
        text, changes = normalize_copy(block.text)
        if changes and report:
            self.p.findings.append(Finding("info", "copy-normalized",
                                         _("{n_changes} punctuation/spacing fixes applied to the copy (e.g. '{before}' → '{after}')", n_changes=len(changes), before=changes[0].before, after=changes[0].after),
                                         page=self.p.page.number, story=block.id, where=block.where,
                                         data={"changes": len(changes)}))
        if report and (block.doc is None or block.doc.plain):   # plain copy: offsets are the file's
            self.report_suspicious(block, changes)
        if block.doc is not None and not block.doc.plain:  # 小标题, 引语, tables, emphasis (copy markup)
            return pieces_of(block.doc, text, changes)
        return [Piece(p) for p in (p.strip() for p in text.split("\n")) if p]

    def report_suspicious(self, block: StoryBlock, changes) -> None:
        """copy-suspicious: what normalisation left alone but a 校对 would mark, at file:line:column."""
        from layout.text.hygiene import line_column
        fixed = {c.offset for c in changes}
        shown = str(Path(block.where.file).parent / block.copy.name) if block.copy else block.where.file
        for sus in _suspects(block.text):
            if sus.offset in fixed:
                continue
            line, col = line_column(block.text, sus.offset)
            excerpt = block.text[max(0, sus.offset - 6):sus.offset + sus.length + 6]
            self.p.findings.append(Finding("warning", "copy-suspicious",
                                         _("suspicious copy, printed as written ({what}): …{excerpt}…",
                                           what=sus.what, excerpt=excerpt),
                                         page=self.p.page.number, story=block.id,
                                         where=Where(shown, line, col), data={"what": sus.what}))

    def break_pieces(self, pieces, measure: float, style: Style, block: StoryBlock, report: bool = True):
        """Lines of all pieces (a 小标题, 引语 or table as one Tall entry), and for each the index of its piece."""
        lines, owners = [], []
        self.block, self.report = block, report
        for i, piece in enumerate(pieces):
            if piece.kind != PARA:
                entries = tall_entries(self, piece, i, style, measure * style.size)
                lines.extend(entries)
                owners.extend([i] * len(entries))
                continue
            result = self.p.ts.break_text(piece.text, measure, style, **({} if piece.indented else {"indent": 0.0}))
            lines.extend(result.lines)
            owners.extend([i] * len(result.lines))
            self.report_breaks(result)
        return lines, owners

    def report_breaks(self, result):
        for code in result.findings if self.report else ():
            self.p.findings.append(Finding("warning", code.split(":")[0], code, page=self.p.page.number,
                                           story=self.block.id, where=self.block.where))

    def story_lines(self, block: StoryBlock, report: bool = True):
        """(lines to pour, pieces, owners, byline marker) of a story."""
        style = self.p.style(block.style)
        # one measure for all the story's columns (a box's padding may narrow them)
        measure = min(s.width for s in slots_for(block.regions, self.p.pub.grid)) / style.size
        pieces = self.copy_pieces(block, report)
        lines, owners = self.break_pieces(pieces, measure, style, block, report)
        byline = normalize_copy(block.byline)[0] if block.byline else ""
        return lines, pieces, owners, byline

    def split_for_jump(self, block: StoryBlock, lines, pieces, owners, byline, capacity: int, slots=None):
        """转版: keep capacity − 1 lines and a (下转第X版) line; the rest as pieces for the other page."""
        tall = any(isinstance(l, Tall) for l in lines)
        cut = fitting(lines, slots, reserve=1) if tall else max(capacity - 1, 0)
        first = lines[cut]
        piece = owners[cut]
        head = pieces[piece] if isinstance(first, Tall) else pieces[piece].rest(first.start)
        rest = [head] + list(pieces[piece + 1:])
        kept = lines[:cut] + [("jump", f"（下转第{block.continues_page}版）")]
        return kept, rest

    def carried(self, block: StoryBlock) -> list[tuple[str, bool]]:
        """The pieces a continued story takes over from its source page (recomposed here, so pages
        stay independent and can be built in parallel)."""
        source, source_pub = None, self.p.issue.publication
        for page in self.p.issue.pages:
            if page.number == block.continued_page:
                source = next((b for b in page.blocks if isinstance(b, StoryBlock) and b.id == block.continued_story),
                              None)
                source_pub = page.publication or source_pub
        if source is None:
            raise InputError(_("story '{continued_story}' on page {continued_page} not found", continued_story=block.continued_story, continued_page=block.continued_page),
                             block.where, _('continued: must name the page and story id the text comes from'))
        lines, pieces, owners, byline = self.story_lines(source, report=False)
        src_slots = slots_for(source.regions, source_pub.grid)  # the source page's grid (its section's own)
        capacity = sum(s.lines for s in src_slots)
        if self.fits(lines + ([("byline", byline)] if byline else []), src_slots):
            self.p.findings.append(Finding("warning", "nothing-continued",
                                         _("story '{id}' fits on page {value}; nothing is continued here", id=source.id, value=source.continues_page or block.continued_page), page=self.p.page.number, story=block.id,
                                         where=block.where))
            return []
        _head, rest = self.split_for_jump(source, lines, pieces, owners, byline, capacity, src_slots)
        return rest

    @staticmethod
    def fits(lines, slots) -> bool:
        if any(isinstance(l, Tall) for l in lines):
            return fitting(lines, slots) == len(lines)
        return len(lines) <= sum(s.lines for s in slots)

    def story(self, block: StoryBlock):
        g = self.p.pub.grid
        style = self.p.style(block.style)
        ctx = self.p.ctx(block.id, block.where)
        slots = slots_for(block.regions, g)
        lines, pieces, owners, byline = self.story_lines(block)
        lines_before = list(lines)
        source_byline = ""
        if block.continued_page:
            lines.insert(0, ("jump-from", f"（上接第{block.continued_page}版）"))
            source_byline = self.continued_byline(block)
        byline = byline or source_byline
        if byline:
            lines.append(("byline", byline))
        capacity = sum(s.lines for s in slots)
        if block.continues_page and not self.fits(lines, slots):
            body = [l for l in lines if not (isinstance(l, tuple) and l[0] == "byline")]
            body_owners = owners[:]
            if block.continued_page:
                body_owners.insert(0, None)
            lines, _rest = self.split_for_jump(block, body, pieces, body_owners, byline, capacity, slots)
        tall = any(isinstance(l, Tall) for l in lines)
        flow = pour_tall(lines, slots) if tall else pour(lines, slots)
        emphasis = {id(l): pieces[o].spans for l, o in zip(lines_before, owners) if pieces[o].spans} \
            if any(p.spans for p in pieces) else {}
        loose = []  # [x, y, w, h] pt of each loose line (for reports and proofs)
        for placed in flow.placed:
            slot = flow.slots[placed.slot]
            top = slot.y + placed.row * g.pitch
            base = self.p.baseline(top, g.pitch, style)
            line = placed.line
            if isinstance(line, tuple):  # byline and jump lines: one line in the byline style
                bstyle = self.p.style("byline", block.style)
                self.p.set_line(line[1], bstyle, slot.x, slot.x + slot.width, self.p.baseline(top, g.pitch, bstyle),
                              align="left" if line[0] == "jump-from" else "right", ctx=ctx)
                continue
            if isinstance(line, Tall):
                draw_tall(self, line, slot.x, top, slot.width, ctx, pieces[line.piece])
                continue
            if id(line) in emphasis:
                draw_line(self.p, line, slot.x, base, style, emphasis[id(line)], ctx)
            else:
                self.p.items.extend(self.p.ts.runs(line.clusters, slot.x, base, style, ctx))
            self.count(line)
            if line.loose:
                loose.append([round(slot.x, 2), round(top, 2), round(slot.width, 2), round(g.pitch, 2)])
        if flow.overset:
            chars = sum(len(l[1]) if isinstance(l, tuple) else _chars(l, pieces) for l in flow.overset)
            self.p.findings.append(Finding(
                "error", "overset",
                _('{chars} characters ({n_overset} lines) do not fit; give the story more lines or columns, or cut the copy', chars=chars, n_overset=len(flow.overset)),
                page=self.p.page.number, story=block.id, where=block.where,
                data={"chars": chars, "lines": len(flow.overset),
                      "text": "".join(l[1] if isinstance(l, tuple) else _text(l, pieces)
                                      for l in flow.overset)[:200]}))
        elif flow.empty_lines > len({s.region for s in slots}) * 2 + 2:
            self.p.findings.append(Finding("info", "underset",
                                         _("{empty_lines} grid lines stay empty at the story's end", empty_lines=flow.empty_lines),
                                         page=self.p.page.number, story=block.id, where=block.where,
                                         data={"lines": flow.empty_lines}))
        if loose:
            self.p.findings.append(Finding("info", "loose-line",
                                         _('{n_loose} line(s) set with wide letter-spacing (稀行); rewrite or edit the copy near them', n_loose=len(loose)),
                                         page=self.p.page.number, story=block.id, where=block.where,
                                         data={"lines": len(loose), "boxes": loose}))
        for _owner, widow in flow.widows or ():
            self.p.findings.append(Finding("info", "widow",
                                         _("a paragraph's last line ('{text}') stands alone at the top of a column (孤行); add or cut a line of copy", text=widow.text[:12]),
                                         page=self.p.page.number, story=block.id, where=block.where))
        if self.p.page.template.column_rules:
            self.column_rules(block)
        self.p.areas.append(Area(block.id, outline(block.regions, join=g.gutter)))

    def continued_byline(self, block: StoryBlock) -> str:
        for page in self.p.issue.pages:
            for b in page.blocks:
                if isinstance(b, StoryBlock) and page.number == block.continued_page and b.id == block.continued_story:
                    return normalize_copy(b.byline)[0] if b.byline else ""
        return ""

    def count(self, line):
        st = self.p.stats
        st["lines"] += 1
        if line.resolved == "push-in":
            st["push_in"] += 1
        elif line.resolved == "push-out":
            st["push_out"] += 1
        if line.loose:
            st["loose"] += 1
        if line.justified and not line.last:
            st["gaps"].append(line.extra_per_gap)

    def column_rules(self, block: StoryBlock):
        g = self.p.pub.grid
        for r in block.regions:
            for c in range(1, r.span):
                x = g.col_x(r.col + c) - g.gutter / 2
                self.p.items.append(Rule(x, r.y + g.pitch * 0.2, x, r.bottom - g.pitch * 0.2, COLUMN_RULE))



def _chars(line, pieces) -> int:
    return len(_text(line, pieces))


def _text(line, pieces) -> str:
    """The text of a line, or of the whole piece a Tall entry sets (a table: its cells)."""
    if not isinstance(line, Tall):
        return line.text
    piece = pieces[line.piece]
    return piece.text if piece.rows == () else "".join(t for row in piece.rows for t, _spans in row)


def outline(regions, join: float = 0.0) -> tuple:
    """The outline polygon of the union of rectangles (an L shape gives six corners).

    Rectangles side by side with a gap of at most `join` (a gutter) are joined across it.
    Rectangles touching only at a corner, or further apart, give the outline of the first piece."""
    from dataclasses import replace as _replace
    widened = []
    for r in regions:
        right = r.right
        for o in regions:
            if 1e-6 < o.x - r.right <= join + 1e-6 and o.y < r.bottom and r.y < o.bottom:
                right = max(right, o.x)
        widened.append(_replace(r, w=right - r.x))
    regions = widened
    xs = sorted({round(v, 3) for r in regions for v in (r.x, r.right)})
    ys = sorted({round(v, 3) for r in regions for v in (r.y, r.bottom)})
    inside = lambda cx, cy: any(r.x - 1e-3 <= cx <= r.right + 1e-3 and r.y - 1e-3 <= cy <= r.bottom + 1e-3
                                for r in regions)  # noqa: E731
    cells = {(i, j) for i in range(len(xs) - 1) for j in range(len(ys) - 1)
             if inside((xs[i] + xs[i + 1]) / 2, (ys[j] + ys[j + 1]) / 2)}
    # directed boundary edges, clockwise on screen (y down), between grid corners
    edges = {}
    for i, j in cells:
        for a, b, n in (((i, j), (i + 1, j), (i, j - 1)), ((i + 1, j), (i + 1, j + 1), (i + 1, j)),
                        ((i + 1, j + 1), (i, j + 1), (i, j + 1)), ((i, j + 1), (i, j), (i - 1, j))):
            if n not in cells:
                edges[a] = b
    if not edges:
        return ()
    start = min(edges, key=lambda p: (p[1], p[0]))
    ring, p = [start], edges[start]
    while p != start and len(ring) <= len(edges):
        ring.append(p)
        p = edges[p]
    # drop corners where the outline goes straight on
    pts = [(xs[i], ys[j]) for i, j in ring]
    out = []
    for k, pt in enumerate(pts):
        prev, nxt = pts[k - 1], pts[(k + 1) % len(pts)]
        if not ((prev[0] == pt[0] == nxt[0]) or (prev[1] == pt[1] == nxt[1])):
            out.append(pt)
    return tuple(out)


def place(page_composer, block: StoryBlock) -> None:
    StoryComposer(page_composer).story(block)
