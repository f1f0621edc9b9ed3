"""Typesetter: from characters to glyphs of real faces.

Input: text or broken lines (layout.text.breaker clusters, x in em) and a Style.
Output: GlyphRun items (layout.model.frame) in page points, plus findings for fallback
glyphs (缺字) and characters no font has (drawn as 〓, never as tofu).
The typesetter measures; it never draws.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from layout.model.findings import Finding, Where
from layout.model.frame import Glyph, GlyphRun
from layout.model.spec import Style
from layout.model.i18n import _
from layout.text.breaker import BreakOptions, Cluster, Line, break_paragraph

GETA = "\u3013"  # 〓 marks a character no configured font has
FULL_WIDTH_IN_CJK = set("—…")  # set in a 1-em cell in Chinese text (the font's fwid form)
QUOTES_OPEN, QUOTES_CLOSE = "“‘", "”’"
QUOTES = frozenset(QUOTES_OPEN + QUOTES_CLOSE)  # full-width in Chinese text, whatever the face's advance


class _Advances(dict):
    """ch → em advance in one role, filled on first use (a quote set in a full em counts as 1 em)."""

    def __init__(self, ts: "Typesetter", role: str):
        super().__init__()
        self.ts, self.role = ts, role

    def __missing__(self, ch: str) -> float:
        ts, key = self.ts, (self.role, ch)
        adv = ts.glyph_for(self.role, ch)[2]
        adv = self[ch] = ts._cell[key][0] if key in ts._cell else adv
        return adv


@dataclass
class Context:
    """Where text comes from, for findings."""
    page: str = ""
    story: str = ""
    where: object = None


class Typesetter:
    def __init__(self, book, punctuation: str = "quanjiao", strict: bool = False, breaks: dict | None = None,
                 placed_before: dict | None = None):
        self.book = book
        self.breaks = breaks  # (role, text, measure, options) → ParagraphResult, kept across builds by watch
        # glyph runs of the lines this page placed when it was composed last (paiban watch): a line
        # from the break memo placed at the same spot in the same style gets the same GlyphRun
        # objects again (and the renderer its operators). `placed` collects this composition's.
        self.placed_before = placed_before or {}
        self.placed: dict | None = {} if placed_before is not None else None
        self.punctuation = punctuation
        self.strict = strict  # clreq strict line breaking
        self.findings: list[Finding] = []
        self._advance: dict[str, _Advances] = {}           # role → {ch: em}
        self._seen_missing: set[tuple[str, str, str]] = set()
        self._in_role_face: set[tuple[str, str]] = set()   # (role, cluster text) needing no fallback
        self._fwid: dict[tuple[str, str], int | None] = {}
        self._glyph: dict[tuple[str, str], tuple] = {}     # (role, ch) → (face, gid, em advance)
        self._cell: dict[tuple[str, str], tuple[float, float]] = {}  # (role, quote) → (em cell, em shift)
        self._pair: dict[str, int | None] = {}             # face key → gid of a one-piece 2-em dash
        self._easy: dict[str, dict[str, tuple]] = {}        # role → {ch: (face, gid, em advance)}, see _runs

    # -- measuring --------------------------------------------------------------------
    def glyph_for(self, role: str, ch: str):
        """(face, gid, em advance) for one character, following the role's fallback chain."""
        key = (role, ch)
        hit = self._glyph.get(key)  # memo: a page sets ~100,000 characters from ~1,000 distinct ones
        if hit is None:
            hit = self._glyph[key] = self._glyph_for(role, ch)
        return hit

    def _glyph_for(self, role: str, ch: str):
        if len(ch) > 1:  # a cluster: a character with a combining mark, variation selector or joiner
            return self._cluster_glyph(role, ch)
        face = self.book.face_for(role, ch)
        if face is None:
            face = self.book.face(role)
            ch = GETA
        gid = face.glyph(ch)
        if ch in FULL_WIDTH_IN_CJK:
            wide = self.fullwidth(face, ch)
            if wide:
                return face, wide, 1.0
        advance = face.advance(gid)
        if ch in QUOTES and advance < 0.9 and self.book.face(role).has("\u4e2d"):
            # a Chinese face with proportional quotes (LXGW WenKai: 0.35 em): the glyph is set in a full
            # em, opening quotes at the right of it and closing ones at the left (mainland positions)
            self._cell[(role, ch)] = (1.0, 1.0 - advance if ch in QUOTES_OPEN else 0.0)
        return face, gid, advance

    def dash_pair(self, face) -> int | None:
        """The face's one-piece glyph for —— (a HarfBuzz ligature of two em dashes, or ⸺ U+2E3A),
        2 em wide, so a 破折号 is one continuous rule; None when the face has neither."""
        key = face.key
        if key not in self._pair:
            import uharfbuzz as hb
            buf = hb.Buffer()
            buf.add_str("\u2014\u2014")
            buf.guess_segment_properties()
            buf.script, buf.language = "Hani", "zh-Hans"
            hb.shape(face.hb_font, buf, {"fwid": True})   # full-width: Noto CJK's 2-em ligature
            upem = face.units_per_em
            gid = None
            if len(buf.glyph_infos) == 1 and buf.glyph_positions[0].x_advance == 2 * upem:
                gid = buf.glyph_infos[0].codepoint
            elif face.has("\u2e3a") and abs(face.advance(face.glyph("\u2e3a")) - 2.0) < 1e-3:
                gid = face.glyph("\u2e3a")
            self._pair[key] = gid
        return self._pair[key]

    def _cluster_glyph(self, role: str, text: str):
        """The glyph HarfBuzz makes of a cluster (an ideographic variation sequence selects the font's
        variant of the base through cmap format 14; a precomposable mark composes); when the font makes
        several glyphs of it, the base character's glyph stands for the whole cluster."""
        import uharfbuzz as hb
        base = text[0]
        face, gid, advance = self._glyph_for(role, base)
        if face.glyph(base) != gid or not face.has(base):  # geta or a full-width form: keep it
            return face, gid, advance
        buf = hb.Buffer()
        buf.add_str(text)
        buf.guess_segment_properties()
        hb.shape(face.hb_font, buf, {})
        infos = buf.glyph_infos
        if len(infos) == 1 and infos[0].codepoint:
            g = infos[0].codepoint
            return face, g, face.advance(g)
        return face, gid, advance

    def fullwidth(self, face, ch: str) -> int | None:
        """The face's full-width form of a dash or ellipsis (OpenType fwid), so —— is two 1-em cells."""
        key = (face.key, ch)
        if key not in self._fwid:
            import uharfbuzz as hb
            buf = hb.Buffer()
            buf.add_str(ch)
            buf.guess_segment_properties()
            hb.shape(face.hb_font, buf, {"fwid": True})
            info, pos = buf.glyph_infos[0], buf.glyph_positions[0]
            upem = face.units_per_em
            self._fwid[key] = info.codepoint if len(buf.glyph_infos) == 1 and pos.x_advance == upem else None
        return self._fwid[key]

    def advance(self, role: str):
        """advance(ch) -> em for the role's face: a dict lookup in C once a character is known (the
        breaker measures every distinct character of every paragraph)."""
        adv = self._advance.get(role)
        if adv is None:
            adv = self._advance[role] = _Advances(self, role)
        return adv.__getitem__

    def options(self, style: Style, **kw) -> BreakOptions:
        base = dict(punctuation=self.punctuation, strict=self.strict, hanging=style.hanging,
                    trim_opening_at_line_start=style.trim_opening)
        base.update(kw)
        return BreakOptions(**base)

    def break_text(self, text: str, measure: float, style: Style, **kw):
        options = self.options(style, **kw)
        if self.breaks is None:
            return break_paragraph(text, measure, self.advance(style.font), options)
        key = (style.font, text, measure, options)  # breaking is a pure function of this and the fonts
        result = self.breaks.get(key)
        if result is None:
            result = self.breaks[key] = break_paragraph(text, measure, self.advance(style.font), options)
        return result

    def natural_line(self, text: str, style: Style) -> Line:
        """One line at natural width (headlines, captions that fit, running heads)."""
        result = break_paragraph(text, 1e6, self.advance(style.font),
                                 self.options(style, indent=0.0, justify=False))
        return result.lines[0] if result.lines else Line((), 0.0, False, True, True, 0.0, "", False, 0, 0)

    # -- glyphs -------------------------------------------------------------------------
    def runs(self, clusters: tuple[Cluster, ...], x: float, baseline: float, style: Style,
             ctx: Context, size: float | None = None, tracking: float = 0.0) -> list[GlyphRun]:
        """Glyph runs for clusters whose x is in em from `x` (pt); one run per face."""
        if self.placed is None:
            return self._runs(clusters, x, baseline, style, ctx, size, tracking, None)
        # the clusters of a memoised line are the same object from one rebuild to the next (and kept
        # alive by the entry, so the id cannot be another's); the rest of the key is where and how
        key = (id(clusters), x, baseline, style, size, tracking)
        hit = self.placed.get(key) or self.placed_before.get(key)
        if hit is not None and hit[0] is clusters:
            for text, face in hit[2]:  # what the line reports (fallback glyphs, 缺字), for this page and story
                self.note_missing(style.font, text, ctx, face)
            self.placed[key] = hit
            return list(hit[1])
        flagged: list = []
        runs = self._runs(clusters, x, baseline, style, ctx, size, tracking, flagged)
        self.placed[key] = (clusters, tuple(runs), tuple(flagged))
        return runs

    def _runs(self, clusters, x, baseline, style: Style, ctx: Context, size, tracking, flagged) -> list[GlyphRun]:
        size = size or style.size
        runs: list[GlyphRun] = []
        role = style.font
        role_face = self.book.face(role)
        memo, plain = self._glyph, self._in_role_face  # the per-character memos, read inline (hot loop)
        # characters this role draws from its own face with nothing to decide (most of them): their
        # (face, gid, advance) straight from one dict, no tuple keys, no checks
        easy = self._easy.get(role)
        if easy is None:
            easy = self._easy[role] = {}
        cur_face, cur_glyphs, run_x = None, [], 0.0
        append = cur_glyphs.append
        cells = self._cell
        skip = False
        last = len(clusters) - 1
        for i, cl in enumerate(clusters):
            if skip:                  # the second half of a one-piece ——
                skip = False
                continue
            text = cl.text
            hit = easy.get(text)      # (never a —: see below)
            if hit is not None:
                face, gid, advance = hit
                pos = x + (cl.x + tracking * i) * size
            else:
                # a Latin word broken at the measure gets a hyphen cluster with no source text
                ch = text[0] if text else ("\u2010" if cl.kind == "hyphen" else "")
                if not ch:
                    continue
                face, gid, advance = memo.get((role, ch)) or self.glyph_for(role, ch)
                if (role, text) not in plain:
                    self.note_missing(role, text, ctx, face)
                    if flagged is not None:
                        flagged.append((text, face))
                if text == ch and ch not in QUOTES and ch != "\u2014" and (role, ch) in plain:
                    easy[ch] = (face, gid, advance)
                pos = x + (cl.x + tracking * i) * size
                if ch in QUOTES and (role, ch) in cells:
                    pos += cells[(role, ch)][1] * size
                elif text == "\u2014" and cl.kind == "dash" and i < last and clusters[i + 1].text == "\u2014" \
                        and advance == 1.0 and abs(clusters[i + 1].x - cl.x - 1.0) < 1e-6 and not tracking:
                    pair = self.dash_pair(face)
                    if pair is not None:  # 破折号: one glyph for the two cells, no break in the middle
                        gid, text, advance, skip = pair, "\u2014\u2014", 2.0, True
            if face is not cur_face:
                if cur_glyphs:
                    runs.append(self._run(cur_face, cur_glyphs, run_x, baseline, size, style, role_face))
                cur_face, cur_glyphs, run_x = face, [], pos
                append = cur_glyphs.append
            append(Glyph(gid, pos - run_x, text, advance))
        if cur_glyphs:
            runs.append(self._run(cur_face, cur_glyphs, run_x, baseline, size, style, role_face))
        return runs

    def _run(self, face, glyphs, x, baseline, size, style: Style, role_face) -> GlyphRun:
        # a fallback face's em box is aligned to the role face's: same height, same bottom
        shift, scale = 0.0, 1.0
        if face is not role_face:
            shift, scale = face.baseline_shift_to(role_face) * size, face.em_scale_to(role_face)
        return GlyphRun(x=x, y=baseline - shift, face=face, size=size * scale, glyphs=tuple(glyphs), color=style.color,
                        bold_stroke=style.bold * size, role=style.name)

    def note_missing(self, role: str, text: str, ctx: Context, face) -> None:
        """Record fallback use (info) and characters nobody has (warning), once per page and story."""
        if (role, text) in self._in_role_face:
            return
        first = self.book.face(role)
        missing = [ch for ch in text if not first.has(ch) and unicodedata.category(ch) not in ("Mn", "Me", "Cf")]
        if not missing:  # marks, variation selectors and joiners draw with their base character
            self._in_role_face.add((role, text))  # memo: most text is in the role's own face
            return
        for ch in missing:
            key = (ctx.page, ctx.story, ch)
            if key in self._seen_missing:
                continue
            self._seen_missing.add(key)
            fb = self.book.face_for(role, ch)
            if fb is None:
                self.findings.append(Finding(
                    "warning", "missing-glyph",
                    _('no configured font has {ch} (U+{ch2:04X}); drawn as {GETA}', ch=ch, ch2=ord(ch), GETA=GETA),
                    page=ctx.page, story=ctx.story, where=ctx.where or Where(),
                    data={"char": ch, "codepoint": f"U+{ord(ch):04X}", "font": None}))
            else:
                self.findings.append(Finding(
                    "info", "fallback-glyph",
                    _('{ch} (U+{ch2:04X}) is not in {key}; drawn from {key2}', ch=ch, ch2=ord(ch), key=first.key, key2=fb.key),
                    page=ctx.page, story=ctx.story, where=ctx.where or Where(),
                    data={"char": ch, "codepoint": f"U+{ord(ch):04X}", "font": fb.key}))
