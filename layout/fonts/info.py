"""FaceInfo: the static, per-face facts (names, vertical metrics, em box, CFF CID keying, PDF
descriptor values) read once from a font file with HarfBuzz and layout.fonts.tables (struct reads
of head, OS/2, post and CFF), then cached as JSON.

Input: a font file path and a face index. Output: FaceInfo (plain data, all lengths in em).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import uharfbuzz as hb

from layout.model.findings import InputError, Where
from layout.model.i18n import _
from layout.fonts.tables import Cff, read_head, read_os2, read_post, sfnt_table

NAME_IDS = (hb.OTNameIdPredefined.FONT_FAMILY, hb.OTNameIdPredefined.FULL_NAME,
            hb.OTNameIdPredefined.POSTSCRIPT_NAME, hb.OTNameIdPredefined.TYPOGRAPHIC_FAMILY)


@dataclass(frozen=True)
class FaceInfo:
    path: str
    index: int
    postscript_name: str
    family: str
    units_per_em: int
    num_glyphs: int
    is_cff: bool
    cid_keyed: bool                  # CFF with ROS: PDF codes are the charset's CIDs
    ros: tuple[str, str, int]        # CIDSystemInfo (Adobe-Identity-0 unless the CFF says otherwise)
    cids: tuple[int, ...] | None     # gid -> CID when CID-keyed and not identity, else None
    ascent: float                    # em, hhea/typo as HarfBuzz reports (positive)
    descent: float                   # em, negative
    em_box: tuple[float, float]      # em, ideographic em box (bottom, top) relative to the baseline
    char_face: tuple[float, float] | None  # em, BASE icfb/icft (ideographic character face) if given
    cap_height: float                # em
    bbox: tuple[float, float, float, float]  # em, head xMin yMin xMax yMax
    italic_angle: float
    stem_v: int                      # PDF StemV (1000-unit glyph space)
    fixed_pitch: bool
    serif: bool
    weight: int                      # OS/2 usWeightClass

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict) -> "FaceInfo":
        d = dict(d)
        for k in ("ros", "em_box", "bbox"):
            d[k] = tuple(d[k])
        d["char_face"] = tuple(d["char_face"]) if d["char_face"] else None
        d["cids"] = tuple(d["cids"]) if d["cids"] else None
        return cls(**d)


def face_names(face: hb.Face) -> list[str]:
    out = []
    for nid in NAME_IDS:
        n = face.get_name(nid)
        if n:
            out.append(n)
    return out


def collection_index(path: Path, name: str, where: Where | None = None) -> int:
    """The index of the face in a font file (or collection) whose family, full, PostScript or
    typographic family name is `name` (case-insensitive); 0 when name is empty."""
    blob = hb.Blob.from_file_path(str(path))
    count = max(hb.Face(blob).count, 1)
    if not name:
        return 0
    seen = []
    for i in range(count):
        names = face_names(hb.Face(blob, i))
        if any(n.casefold() == name.casefold() for n in names):
            return i
        seen.append(names[0] if names else f"#{i}")
    raise InputError(_('{path} has no face named {name!r}', path=path, name=name), where,
                     hint="faces in the file: " + ", ".join(seen))


def _baseline(font: hb.Font, tag: str) -> int | None:
    for script, lang in (("hani", "ZHS"), ("hani", "dflt"), ("DFLT", "dflt")):
        try:
            v = font.get_layout_baseline(tag, "ltr", script, lang)
        except (ValueError, TypeError):
            return None
        if v is not None:
            return v
    return None


def _stem_v(cff: Cff | None, gid: int, weight: int, upem: int) -> int:
    v = cff.std_vw(gid) if cff else None
    if v:
        return round(v * 1000 / upem)
    # no hint data (TrueType): the usual estimate from the weight class
    return round(10 + 220 * (max(weight, 50) - 50) / 900)


def read_face_info(path: Path, index: int) -> FaceInfo:
    """Raises ValueError for a damaged table (FontBook turns any exception into an InputError)."""
    blob = hb.Blob.from_file_path(str(path))
    face = hb.Face(blob, index)
    font = hb.Font(face)
    upem = face.upem
    tags = set(face.table_tags)
    ps = face.get_name(hb.OTNameIdPredefined.POSTSCRIPT_NAME) or Path(path).stem
    family = face.get_name(hb.OTNameIdPredefined.TYPOGRAPHIC_FAMILY) or \
        face.get_name(hb.OTNameIdPredefined.FONT_FAMILY) or ps
    ext = font.get_font_extents("ltr")

    head = read_head(face.reference_table("head").data)
    post = read_post(face.reference_table("post").data)
    os2 = read_os2(face.reference_table("OS/2").data)
    weight = os2.weight_class if os2 else 400

    is_cff = "CFF " in tags
    cff = Cff(sfnt_table(str(path), index, "CFF ")) if is_cff else None  # mapped, not copied
    cff_ros = cff.ros if cff else None
    cid_keyed, ros, cids = cff_ros is not None, cff_ros or ("Adobe", "Identity", 0), None
    if cid_keyed:
        mapped = cff.charset()  # None: a predefined charset, which has no CIDs to map
        if mapped is not None and mapped != list(range(len(mapped))):
            cids = tuple(mapped)

    ideo = _baseline(font, "ideo")
    if ideo is not None:
        idtp = _baseline(font, "idtp")
        em_box = (ideo / upem, (idtp if idtp is not None else ideo + upem) / upem)
    elif os2 and abs((os2.typo_ascender - os2.typo_descender) - upem) <= upem * 0.02:
        em_box = (os2.typo_descender / upem, os2.typo_ascender / upem)
    else:
        em_box = (-0.12, 0.88)
    icfb, icft = _baseline(font, "icfb"), _baseline(font, "icft")
    char_face = (icfb / upem, icft / upem) if icfb is not None and icft is not None else None

    cap = os2.cap_height if os2 else 0
    if not cap:
        g = font.get_nominal_glyph(ord("H"))
        e = font.get_glyph_extents(g) if g else None
        cap = e.y_bearing if e else round(ext.ascender * 0.8)
    probe = font.get_nominal_glyph(0x6C38) or font.get_nominal_glyph(ord("H")) or 0  # 永: the stem probe
    fam_class = (os2.family_class >> 8) if os2 else 0
    serif = 1 <= fam_class <= 7 or bool(os2 and os2.family_type == 2 and 2 <= os2.serif_style <= 10) or \
        any(w in family for w in ("Serif", "Song", "Ming", "Mincho", "Min"))
    return FaceInfo(
        path=str(path), index=index, postscript_name=ps, family=family, units_per_em=upem,
        num_glyphs=face.glyph_count, is_cff=is_cff, cid_keyed=cid_keyed, ros=ros, cids=cids,
        ascent=ext.ascender / upem, descent=ext.descender / upem, em_box=em_box, char_face=char_face,
        cap_height=cap / upem,
        bbox=(head.x_min / upem, head.y_min / upem, head.x_max / upem, head.y_max / upem),
        italic_angle=post.italic_angle, stem_v=_stem_v(cff, probe, weight, head.units_per_em),
        fixed_pitch=post.fixed_pitch, serif=serif, weight=weight,
    )
