"""Subset a Face to the glyphs a PDF draws, with HarfBuzz (≈18 ms for 500 Noto CJK glyphs against
≈1.5 s with fontTools' subsetter at about the same size; see docs/fonts.md).

Input: a Face and the glyph ids drawn. Output: FontSubset — the bytes to embed and how PDF codes
map to glyphs in them:
- CID-keyed CFF (Noto CJK): the bare CFF table (FontFile3 /CIDFontType0C); glyphs are renumbered but
  the charset keeps each glyph's CID, and PDF codes are CIDs, so codes stay valid.
- name-keyed CFF: the CFF table with glyph ids retained (codes are glyph ids; such fonts are small).
- TrueType: a glyf font renumbered compactly; cid_to_gid maps each code (original gid) to its new gid
  for the PDF CIDToGIDMap.
"""
from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from typing import Iterable

import uharfbuzz as hb

from layout.fonts.face import Face

# tables a PDF viewer/RIP never reads from an embedded font
DROP = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "VORG", "vhea", "vmtx", "DSIG", "gasp", "hdmx",
        "kern", "LTSH", "VDMX", "PCLT", "FFTM", "morx", "mort", "feat", "meta", "STAT", "name")


@dataclass(frozen=True)
class FontSubset:
    data: bytes                        # FontFile3 (CFF table) or FontFile2 (TrueType font) bytes
    kind: str                          # "cff" | "truetype"
    tag: str                           # six capital letters, a function of the face and the glyph set
    cid_to_gid: dict[int, int] | None  # TrueType only: PDF code -> glyph id in `data`


def subset_tag(key: str, gids: Iterable[int]) -> str:
    """Deterministic subset prefix: same face and glyph set → same tag."""
    h = hashlib.sha256((key + ":" + ",".join(map(str, sorted(set(gids))))).encode()).digest()
    n = int.from_bytes(h[:8], "big")
    letters = []
    for _ in range(6):
        n, r = divmod(n, 26)
        letters.append(chr(65 + r))
    return "".join(letters)


def _tag_int(tag: str) -> int:
    return struct.unpack(">I", tag.encode("ascii"))[0]


KEPT_SUBSETS = 4  # per face: a page rebuilt (paiban watch) mostly draws the glyph set it drew before


def subset_face(face: Face, gids: Iterable[int]) -> FontSubset:
    """The subset of `face` to the glyphs `gids` (and .notdef). The last few results are kept on the
    face: a rebuilt page whose glyph set did not change (an edit without new characters, another
    paragraph of the same story) takes the subset made last time — the same bytes, since the subset
    is a function of the face and the glyph set alone — instead of ≈ 5–10 ms of HarfBuzz per face."""
    glyphs = tuple(sorted(set(gids) | {0}))  # .notdef always
    kept = face.subsets.get(glyphs)
    if kept is None:
        kept = _subset(face, glyphs)
        if len(face.subsets) >= KEPT_SUBSETS:
            del face.subsets[next(iter(face.subsets))]  # the oldest
        face.subsets[glyphs] = kept
    return kept


def _subset(face: Face, glyphs: tuple[int, ...]) -> FontSubset:
    inp = hb.SubsetInput()
    for g in glyphs:
        inp.glyph_set.add(g)
    inp.sets(hb.SubsetInputSets.UNICODE).clear()
    inp.sets(hb.SubsetInputSets.LAYOUT_FEATURE_TAG).clear()  # no GSUB closure: we list every glyph
    drop = inp.sets(hb.SubsetInputSets.DROP_TABLE_TAG)
    for t in DROP:
        drop.add(_tag_int(t))
    flags = hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.NO_LAYOUT_CLOSURE
    if face.is_cff:
        # subroutines inlined: for the few hundred to few thousand glyphs of a page this is both faster
        # (no subroutine closure and renumbering: 11 → 6.6 ms for 594 Noto glyphs) and smaller (151 → 140 KB)
        flags |= hb.SubsetFlags.DESUBROUTINIZE
    retain = face.is_cff and not face.info.cid_keyed
    if retain:
        flags |= hb.SubsetFlags.RETAIN_GIDS
    inp.flags = flags
    plan = hb.SubsetPlan(face.hb_face, inp)
    mapping = dict(plan.old_to_new_glyph_mapping)
    out = plan.execute()
    tag = subset_tag(face.key, glyphs)
    if face.is_cff:
        return FontSubset(out.reference_table("CFF ").data, "cff", tag, None)
    return FontSubset(out.blob.data, "truetype", tag, {g: mapping[g] for g in glyphs if g in mapping})
