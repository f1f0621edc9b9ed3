"""Face: one font face (a file + a collection index) with per-glyph queries in em.

Static facts come from FaceInfo (cached on disk); per-glyph lookups go through HarfBuzz, which
reads the font lazily from a memory-mapped blob, so opening a 26 MB collection costs microseconds.
Per-glyph results are memoised in the Face (which belongs to one FontBook, so nothing is global).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import uharfbuzz as hb

from layout.fonts.info import FaceInfo

VERT_FEATURES = {"vert": True, "vrt2": True}


@dataclass(frozen=True)
class HaltAdjust:
    """The font's `halt` (alternate half widths) GPOS positioning for one glyph, in em."""
    dx: float       # shift of the glyph (negative: move the ink left, e.g. opening brackets)
    advance: float  # the half-width advance


def _passthrough(font, codepoint, data):  # HarfBuzz callback: treat "codepoints" as glyph ids
    return codepoint


class Face:
    def __init__(self, info: FaceInfo, key: str | None = None):
        self.info = info
        self.key = key or info.postscript_name
        self.path = Path(info.path)
        self.index = info.index
        self.postscript_name = info.postscript_name
        self.family = info.family
        self.units_per_em = info.units_per_em
        self.num_glyphs = info.num_glyphs
        self.is_cff = info.is_cff
        self.ascent = info.ascent
        self.descent = info.descent
        self.em_box = info.em_box
        self._hb_face: hb.Face | None = None
        self._hb_font: hb.Font | None = None
        self._gid_font: hb.Font | None = None
        self._cmap: dict[int, int] = {}
        self._adv: dict[int, float] = {}
        self._vadv: dict[int, float] = {}
        self._vert: dict[int, int] = {}
        self._halt: dict[int, HaltAdjust | None] = {}
        self.subsets: dict = {}  # glyph set -> FontSubset, the last few (fonts/subset.py)

    # identity: by key, so faces from two FontBooks on the same file compare equal
    def __eq__(self, other) -> bool:
        return isinstance(other, Face) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)

    def __repr__(self) -> str:
        return f"Face({self.key!r}, {str(self.path)!r}, index={self.index})"

    @property
    def hb_face(self) -> hb.Face:
        if self._hb_face is None:
            self._hb_face = hb.Face(hb.Blob.from_file_path(str(self.path)), self.index)
        return self._hb_face

    @property
    def hb_font(self) -> hb.Font:
        if self._hb_font is None:
            self._hb_font = hb.Font(self.hb_face)  # scale = upem: values come back in font units
        return self._hb_font

    def _gid_shaper(self) -> hb.Font:
        # a sub-font whose cmap is the identity, so we can shape glyph ids directly
        if self._gid_font is None:
            funcs = hb.FontFuncs()
            funcs.set_nominal_glyph_func(_passthrough)
            sub = hb.Font(self.hb_font)
            sub.funcs = funcs
            self._gid_font = sub
        return self._gid_font

    # --- characters -------------------------------------------------------------------
    def glyph(self, ch: str) -> int:
        """Nominal glyph id for one character (0 when the font lacks it)."""
        cp = ord(ch)
        g = self._cmap.get(cp)
        if g is None:
            g = self._cmap[cp] = self.hb_font.get_nominal_glyph(cp) or 0
        return g

    def has(self, ch: str) -> bool:
        return self.glyph(ch) != 0

    def coverage(self) -> set[int]:
        """All code points the cmap maps."""
        return set(self.hb_face.unicodes)

    # --- metrics (em) -------------------------------------------------------------------
    def advance(self, gid: int) -> float:
        a = self._adv.get(gid)
        if a is None:
            a = self._adv[gid] = self.hb_font.get_glyph_h_advance(gid) / self.units_per_em
        return a

    def vadvance(self, gid: int) -> float:
        a = self._vadv.get(gid)
        if a is None:  # HarfBuzz measures downwards as negative; synthesises from extents without vmtx
            a = self._vadv[gid] = -self.hb_font.get_glyph_v_advance(gid) / self.units_per_em
        return a

    def vorigin(self, gid: int) -> tuple[float, float]:
        """Vertical origin relative to the horizontal one (x = half advance, y = VORG/ascender)."""
        x, y = self.hb_font.get_glyph_v_origin(gid) or (self.hb_font.get_glyph_h_advance(gid) / 2, 0)
        return x / self.units_per_em, y / self.units_per_em

    @property
    def char_face(self) -> tuple[float, float] | None:
        return self.info.char_face

    def em_scale_to(self, other: "Face") -> float:
        """Scale for this face's glyphs so its ideographic em box is as tall as `other`'s."""
        mine = self.em_box[1] - self.em_box[0]
        theirs = other.em_box[1] - other.em_box[0]
        return theirs / mine if mine > 0 else 1.0

    def baseline_shift_to(self, other: "Face") -> float:
        """em (of the shared size) to move this face's baseline up so the em boxes coincide."""
        return other.em_box[0] - self.em_box[0] * self.em_scale_to(other)

    # --- OpenType features ------------------------------------------------------------------
    def _shape_gids(self, gids: list[int], direction: str, features: dict) -> hb.Buffer:
        buf = hb.Buffer()
        buf.add_codepoints(list(gids))
        buf.direction = direction
        buf.script = "Hani"
        buf.language = "zh-Hans"
        hb.shape(self._gid_shaper(), buf, features)
        return buf

    def verts(self, gids: list[int]) -> list[int]:
        """Vertical forms (vert/vrt2) of several glyphs in one shaping call."""
        todo = sorted({g for g in gids if g not in self._vert})
        if todo:
            # shape each glyph in isolation so no contextual lookup sees its neighbours
            for g in todo:
                infos = self._shape_gids([g], "ttb", VERT_FEATURES).glyph_infos
                self._vert[g] = infos[0].codepoint if len(infos) == 1 else g
        return [self._vert[g] for g in gids]

    def vert(self, gid: int) -> int:
        """gid after vert/vrt2 substitution (the same gid when the font has none)."""
        v = self._vert.get(gid)
        return v if v is not None else self.verts([gid])[0]

    def halt(self, gid: int) -> HaltAdjust | None:
        """The font's half-width form of a full-width glyph (GPOS `halt`), None if it has none.
        halt/palt are positioning features: they shift and narrow the glyph, they never swap it."""
        if gid not in self._halt:
            pos = self._shape_gids([gid], "ltr", {"halt": True}).glyph_positions[0]
            full = self.hb_font.get_glyph_h_advance(gid)
            self._halt[gid] = None if pos.x_advance == full and pos.x_offset == 0 else \
                HaltAdjust(pos.x_offset / self.units_per_em, pos.x_advance / self.units_per_em)
        return self._halt[gid]

    # --- PDF ---------------------------------------------------------------------------
    def cid(self, gid: int) -> int:
        """The CID a PDF content stream uses for gid (CFF charset CID; the gid otherwise)."""
        cids = self.info.cids
        return cids[gid] if cids is not None and gid < len(cids) else gid
