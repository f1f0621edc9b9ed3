"""layout.fonts.tables (struct reads of head, OS/2, post, CFF) against fontTools as the oracle: the
real fonts of fonts/fonts.yaml, synthetic name- and CID-keyed CFF fonts (charset formats 0/1/2 and
predefined, FDSelect formats 0/3), damaged data (ValueError only), and read_face_info against a
copy of its former fontTools implementation."""
import random
import sys
from pathlib import Path

import pytest
import uharfbuzz as hb
from fontTools.cffLib import (CFFFontSet, CharStrings, FDArrayIndex, FDSelect, FontDict, GlobalSubrsIndex,
                              PrivateDict, TopDict, TopDictIndex)
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.ttLib import TTFont, newTable
from fontTools.ttLib.tables.O_S_2f_2 import Panose

sys.path.insert(0, str(Path(__file__).parent))
from fontutil import make_rare_font, make_test_collection, make_test_font  # noqa: E402

from layout.model.findings import InputError  # noqa: E402
from layout.fonts import FontBook, FontCache  # noqa: E402
from layout.fonts.info import FaceInfo, _baseline, read_face_info  # noqa: E402
from layout.fonts.spec import load_spec  # noqa: E402
from layout.fonts.tables import (CHARSET, FD_SELECT, STD_VW, Cff, parse_dict, read_head, read_os2,  # noqa: E402
                                 read_post, sfnt_table)

YAML = Path(__file__).resolve().parent.parent / "fonts" / "fonts.yaml"
FACE_IDS = list(load_spec(YAML).faces)


# --- the oracle: read_face_info as it was with fontTools (kept here only) ------------------------
def _old_stem_v_with_fonttools(tt: TTFont, gid: int, weight: int) -> int:
    if "CFF " in tt:
        top = tt["CFF "].cff.topDictIndex[0]
        priv = None
        if hasattr(top, "FDArray"):
            fd = top.FDSelect[gid] if hasattr(top, "FDSelect") and gid < len(top.FDSelect) else 0
            priv = top.FDArray[fd].Private
        else:
            priv = top.Private
        v = getattr(priv, "StdVW", None)
        if v:
            return round(v * 1000 / tt["head"].unitsPerEm)
    return round(10 + 220 * (max(weight, 50) - 50) / 900)


def _old_read_face_info_with_fonttools(path: Path, index: int) -> FaceInfo:
    blob = hb.Blob.from_file_path(str(path))
    face = hb.Face(blob, index)
    font = hb.Font(face)
    upem = face.upem
    tags = set(face.table_tags)
    ps = face.get_name(hb.OTNameIdPredefined.POSTSCRIPT_NAME) or Path(path).stem
    family = face.get_name(hb.OTNameIdPredefined.TYPOGRAPHIC_FAMILY) or \
        face.get_name(hb.OTNameIdPredefined.FONT_FAMILY) or ps
    ext = font.get_font_extents("ltr")

    tt = TTFont(str(path), fontNumber=index, lazy=True)
    os2 = tt["OS/2"] if "OS/2" in tt else None
    head, post = tt["head"], tt["post"]
    weight = os2.usWeightClass if os2 else 400

    is_cff = "CFF " in tags
    cid_keyed, ros, cids = False, ("Adobe", "Identity", 0), None
    if is_cff:
        top = tt["CFF "].cff.topDictIndex[0]
        if hasattr(top, "ROS"):
            cid_keyed = True
            reg, order, sup = top.ROS
            ros = (str(reg), str(order), int(sup))
            mapped = [0 if n == ".notdef" else int(n[3:]) for n in top.charset]
            if mapped != list(range(len(mapped))):
                cids = tuple(mapped)

    ideo = _baseline(font, "ideo")
    if ideo is not None:
        idtp = _baseline(font, "idtp")
        em_box = (ideo / upem, (idtp if idtp is not None else ideo + upem) / upem)
    elif os2 and abs((os2.sTypoAscender - os2.sTypoDescender) - upem) <= upem * 0.02:
        em_box = (os2.sTypoDescender / upem, os2.sTypoAscender / upem)
    else:
        em_box = (-0.12, 0.88)
    icfb, icft = _baseline(font, "icfb"), _baseline(font, "icft")
    char_face = (icfb / upem, icft / upem) if icfb is not None and icft is not None else None

    cap = getattr(os2, "sCapHeight", 0) if os2 else 0
    if not cap:
        g = font.get_nominal_glyph(ord("H"))
        e = font.get_glyph_extents(g) if g else None
        cap = e.y_bearing if e else round(ext.ascender * 0.8)
    probe = font.get_nominal_glyph(0x6C38) or font.get_nominal_glyph(ord("H")) or 0
    fam_class = (os2.sFamilyClass >> 8) if os2 else 0
    panose = getattr(os2, "panose", None) if os2 else None
    serif = 1 <= fam_class <= 7 or bool(
        panose and panose.bFamilyType == 2 and 2 <= panose.bSerifStyle <= 10) or \
        any(w in family for w in ("Serif", "Song", "Ming", "Mincho", "Min"))
    return FaceInfo(
        path=str(path), index=index, postscript_name=ps, family=family, units_per_em=upem,
        num_glyphs=face.glyph_count, is_cff=is_cff, cid_keyed=cid_keyed, ros=ros, cids=cids,
        ascent=ext.ascender / upem, descent=ext.descender / upem, em_box=em_box, char_face=char_face,
        cap_height=cap / upem,
        bbox=(head.xMin / upem, head.yMin / upem, head.xMax / upem, head.yMax / upem),
        italic_angle=float(post.italicAngle), stem_v=_old_stem_v_with_fonttools(tt, probe, weight),
        fixed_pitch=bool(post.isFixedPitch), serif=serif, weight=weight,
    )


# --- comparing one face's raw facts with fontTools' -----------------------------------------------
def assert_tables_match(path, index: int, fd_sample: int = 300) -> Cff | None:
    face = hb.Face(hb.Blob.from_file_path(str(path)), index)
    for tag in ("head", "OS/2", "post", "CFF "):  # our sfnt directory reader finds what HarfBuzz does
        assert bytes(sfnt_table(str(path), index, tag)) == face.reference_table(tag).data, tag
    tt = TTFont(str(path), fontNumber=index, lazy=True)
    head, post = read_head(face.reference_table("head").data), read_post(face.reference_table("post").data)
    h = tt["head"]
    assert (head.units_per_em, head.x_min, head.y_min, head.x_max, head.y_max) == \
        (h.unitsPerEm, h.xMin, h.yMin, h.xMax, h.yMax)
    assert (post.italic_angle, post.fixed_pitch) == (tt["post"].italicAngle, bool(tt["post"].isFixedPitch))
    assert type(post.italic_angle) is float
    os2 = read_os2(face.reference_table("OS/2").data)
    if "OS/2" not in tt:
        assert os2 is None
    else:
        o = tt["OS/2"]
        assert (os2.version, os2.weight_class, os2.family_class, os2.family_type, os2.serif_style,
                os2.typo_ascender, os2.typo_descender, os2.cap_height) == \
            (o.version, o.usWeightClass, o.sFamilyClass, o.panose.bFamilyType, o.panose.bSerifStyle,
             o.sTypoAscender, o.sTypoDescender, getattr(o, "sCapHeight", 0))
    if "CFF " not in tt:
        return None

    cff = Cff(sfnt_table(str(path), index, "CFF "))
    top = tt["CFF "].cff.topDictIndex[0]
    assert cff.num_glyphs == len(top.CharStrings) == len(top.charset)
    charset = cff.charset()
    if hasattr(top, "ROS"):
        assert cff.ros == (top.ROS[0], top.ROS[1], top.ROS[2])
        assert charset == [0 if n == ".notdef" else int(n[3:]) for n in top.charset]
    else:
        assert cff.ros is None
        if charset is None:  # a predefined charset: fontTools lists its names
            assert top.rawDict.get("charset", 0) <= 2
        else:
            assert [".notdef"] + [cff.string(s) for s in charset[1:]] == list(top.charset)
    fds = cff.font_dicts()
    if hasattr(top, "FDArray"):
        vws = [getattr(fd.Private, "StdVW", None) for fd in top.FDArray]
        assert [cff.private(fd).get(STD_VW, [None])[0] for fd in fds] == vws
        sel = list(top.FDSelect.gidArray) if hasattr(top, "FDSelect") else [0] * cff.num_glyphs
        changes = [g for g in range(1, len(sel)) if sel[g] != sel[g - 1]]
        rng = random.Random(str(path) + str(index))
        gids = {0, len(sel) - 1, *changes, *(g - 1 for g in changes),
                *rng.sample(range(len(sel)), min(fd_sample, len(sel)))}
        for g in sorted(gids):
            assert cff.fd_index(g) == sel[g], g
            assert cff.std_vw(g) == vws[sel[g]], g
    else:
        assert fds is None
        assert cff.std_vw(0) == getattr(top.Private, "StdVW", None)
    return cff


# --- the real fonts ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def book(tmp_path_factory):
    try:
        return FontBook.load(YAML, cache=FontCache(tmp_path_factory.mktemp("font-cache")))
    except InputError as e:
        if "not found" in str(e):  # only a missing system font skips; a reading error fails
            pytest.skip(f"system fonts missing: {e}")
        raise


@pytest.mark.parametrize("fid", FACE_IDS)
def test_real_font_tables_match_fonttools(book, fid):
    info = book.faces[fid].info
    cff = assert_tables_match(info.path, info.index)
    assert (cff is not None) == info.is_cff
    if fid in ("song", "hei"):  # Noto CJK: CID-keyed, charset format 2, FDSelect format 3
        assert cff.ros == ("Adobe", "Identity", 0) and cff.num_glyphs == 65535
        assert cff.data[cff.top[CHARSET][0]] == 2 and cff.data[cff.top[FD_SELECT][0]] == 3


@pytest.mark.parametrize("fid", FACE_IDS)
def test_real_face_info_same_as_fonttools_version(book, fid):
    info = book.faces[fid].info
    old = _old_read_face_info_with_fonttools(Path(info.path), info.index).to_json()
    assert read_face_info(Path(info.path), info.index).to_json() == old
    assert info.to_json() == old  # what the book read through its (cold) cache


# --- synthetic fonts --------------------------------------------------------------------------
def _charstring(private, gsubrs, width=1000):
    pen = T2CharStringPen(width, None)
    pen.moveTo((100, -50)); pen.lineTo((100, 800)); pen.lineTo((900, 800)); pen.closePath()
    return pen.getCharString(private=private, globalSubrs=gsubrs)


def _finish(fb: FontBuilder, names, cmap, path: Path, os2: dict, post: dict) -> Path:
    fb.setupCharacterMap(cmap)
    fb.setupHorizontalMetrics({n: (1000, 100) for n in names})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": path.stem, "styleName": "Regular", "psName": path.stem + "-Regular"})
    fb.setupOS2(**os2)
    fb.setupPost(**post)
    fb.save(str(path))
    return path


def name_keyed_font(path: Path, names, std_vw=None) -> Path:
    """A name-keyed CFF font with glyphs `names` (after .notdef); 永 maps to the last glyph."""
    names = [".notdef", *names]
    fb = FontBuilder(1000, isTTF=False)
    fb.setupGlyphOrder(names)
    private = {"StdVW": std_vw} if std_vw is not None else {}
    fb.setupCFF(path.stem, {"FullName": path.stem}, {n: _charstring(None, None) for n in names}, private)
    cmap = {0x4E00 + i: n for i, n in enumerate(names[1:-1])} | {0x6C38: names[-1]}
    return _finish(fb, names, cmap, path, {"version": 1, "sFamilyClass": 0x0105, "usWeightClass": 300},
                   {"italicAngle": -12.5, "isFixedPitch": 1})


def cid_keyed_font(path: Path, cids, fds, std_vws, fdselect_format: int, probe: int = 1) -> Path:
    """A CID-keyed CFF font: glyph g has CID cids[g-1] and Font DICT fds[g-1] (FDArray with the
    given StdVW values, None for none); 永 maps to glyph `probe`."""
    names = [".notdef", *(f"cid{c:05d}" for c in cids)]
    fb = FontBuilder(1000, isTTF=False)
    fb.setupGlyphOrder(names)
    fs = CFFFontSet()
    fs.major, fs.minor, fs.otFont, fs.fontNames = 1, 0, fb.font, [path.stem]
    fs.topDictIndex, fs.GlobalSubrs = TopDictIndex(), GlobalSubrsIndex()
    top = TopDict()
    top.ROS, top.CIDCount, top.charset = ("Paiban", "Synthetic", 3), max(cids) + 1, names
    top.GlobalSubrs, top.FontMatrix = fs.GlobalSubrs, [0.001, 0, 0, 0.001, 0, 0]
    top.FDArray = FDArrayIndex()
    for v in std_vws:
        fd, priv = FontDict(), PrivateDict()
        if v is not None:
            priv.StdVW = v
        fd.FontMatrix, fd.Private = [1, 0, 0, 1, 0, 0], priv
        top.FDArray.append(fd)
    top.FDSelect = FDSelect(format=fdselect_format)
    top.FDSelect.gidArray = [0, *fds]
    top.CharStrings = CharStrings(None, names, fs.GlobalSubrs, None, top.FDSelect, top.FDArray)
    for g, n in enumerate(names):
        top.CharStrings[n] = _charstring(top.FDArray[top.FDSelect.gidArray[g]].Private, fs.GlobalSubrs)
    fs.topDictIndex.append(top)
    fb.font["CFF "] = newTable("CFF ")
    fb.font["CFF "].cff = fs
    cmap = {0x4E00 + i: n for i, n in enumerate(names[1:])} | {0x6C38: names[probe]}
    return _finish(fb, names, cmap, path,
                   {"version": 4, "sFamilyClass": -2, "panose": Panose(bFamilyType=2, bSerifStyle=5),
                    "sCapHeight": 650, "usWeightClass": 700}, {})


CID_CASES = {  # name: (cids, fds, StdVW per FD, FDSelect format, probe gid, charset format expected)
    "scattered": ([5, 3, 900, 17], [1, 0, 1, 1], [40, 77], 0, 2, 0),
    "runs": ([1, 2, 3, 50, 51, 52, 900], [0, 1, 1, 2, 2, 0, 1], [50, 80.5, None], 3, 4, 1),
    "long-run": ([*range(1, 301), 1000], [0] * 150 + [1] * 151, [30, 90], 3, 200, 2),
    "identity": (list(range(1, 11)), [0] * 10, [60], 0, 3, 1),
}


@pytest.mark.parametrize("case", CID_CASES)
def test_synthetic_cid_keyed(tmp_path, case):
    cids, fds, vws, fmt, probe, charset_fmt = CID_CASES[case]
    path = cid_keyed_font(tmp_path / f"Cid{case.title()}.otf", cids, fds, vws, fmt, probe)
    cff = assert_tables_match(path, 0)
    assert cff.ros == ("Paiban", "Synthetic", 3) and cff.num_glyphs == len(cids) + 1
    assert cff.charset() == [0, *cids]
    assert cff.data[cff.top[CHARSET][0]] == charset_fmt and cff.data[cff.top[FD_SELECT][0]] == fmt
    assert [cff.fd_index(g) for g in range(len(cids) + 1)] == [0, *fds]
    assert cff.fd_index(len(cids) + 1) == 0  # past the last glyph, as the old code had it
    info = read_face_info(path, 0)
    assert info.to_json() == _old_read_face_info_with_fonttools(path, 0).to_json()
    assert info.cid_keyed and info.ros == ("Paiban", "Synthetic", 3)
    assert info.cids == (None if case == "identity" else (0, *cids))
    vw = vws[fds[probe - 1]]  # the StdVW of the probe glyph's FD, else the weight estimate
    assert info.stem_v == (round(vw) if vw else round(10 + 220 * 650 / 900))
    assert info.serif and info.weight == 700 and info.cap_height == 0.65


NAME_CASES = {  # name: (glyph names after .notdef, StdVW, charset offset/format in the file)
    "predefined": (["space", "exclam", "quotedbl"], 70, None),  # ISOAdobe prefix: charset offset 0
    "format0": (["A", "uni4E00", "zero", "uni4E8C"], None, 0),
    "format1": (["A", "B", "C", "D", "E"], 85.25, 1),
    "format2": ([f"uni{0x4E00 + i:04X}" for i in range(300)], 66, 2),
}


@pytest.mark.parametrize("case", NAME_CASES)
def test_synthetic_name_keyed(tmp_path, case):
    names, vw, charset_fmt = NAME_CASES[case]
    path = name_keyed_font(tmp_path / f"Name{case.title()}.otf", names, vw)
    cff = assert_tables_match(path, 0)
    assert cff.ros is None and cff.num_glyphs == len(names) + 1 and cff.font_dicts() is None
    if charset_fmt is None:
        assert cff.charset() is None and cff.top.get(CHARSET, [0])[0] == 0
    else:
        assert cff.data[cff.top[CHARSET][0]] == charset_fmt
        assert [cff.string(s) for s in cff.charset()[1:]] == names
    assert cff.std_vw(1) == vw
    assert cff.string(390) == "Semibold"  # the last standard string; 391 is the String INDEX's first
    info = read_face_info(path, 0)
    assert info.to_json() == _old_read_face_info_with_fonttools(path, 0).to_json()
    assert not info.cid_keyed and info.cids is None and info.ros == ("Adobe", "Identity", 0)
    assert info.italic_angle == -12.5 and info.fixed_pitch and info.serif  # sFamilyClass 1
    assert info.stem_v == (round(vw) if vw else round(10 + 220 * 250 / 900))


def test_project_test_fonts_same_as_fonttools_version(tmp_path):
    """The fonts the other font tests use: TrueType with BASE, name-keyed CFF, a .ttc member."""
    fonts = [(make_test_font(tmp_path / "T.ttf"), 0), (make_test_font(tmp_path / "C.otf", cff=True), 0),
             (make_rare_font(tmp_path / "R.ttf"), 0), (make_test_collection(tmp_path / "TC.ttc", tmp_path), 1)]
    for path, index in fonts:
        assert_tables_match(path, index)
        assert read_face_info(path, index).to_json() == _old_read_face_info_with_fonttools(path, index).to_json()


# --- damaged data -----------------------------------------------------------------------------
def _read_everything(data: bytes) -> None:
    cff = Cff(data)
    cff.ros, cff.charset(), cff.font_dicts()
    for g in range(cff.num_glyphs + 1):
        cff.fd_index(g), cff.std_vw(g)


@pytest.fixture(scope="module")
def cid_cff(tmp_path_factory) -> bytes:
    path = cid_keyed_font(tmp_path_factory.mktemp("cid") / "Cid.otf", *CID_CASES["runs"][:5])
    data = bytes(sfnt_table(str(path), 0, "CFF "))
    _read_everything(data)  # intact, it reads
    return data


def test_truncated_cff_raises_value_error(cid_cff):
    failed = 0
    for n in range(len(cid_cff)):
        try:
            _read_everything(cid_cff[:n])
        except ValueError:
            failed += 1
    assert failed > len(cid_cff) * 0.9  # almost any cut loses something the reader needs


def test_garbage_cff_raises_only_value_error(cid_cff):
    rng = random.Random(1)
    for _ in range(3000):  # a few random bytes changed, or noise after a valid header
        data = bytearray(cid_cff)
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        for d in (bytes(data), b"\x01\x00\x04\x04" + rng.randbytes(rng.randrange(200))):
            try:
                _read_everything(d)
            except ValueError:
                pass


@pytest.mark.parametrize("data", [
    b"", b"\x02\x00\x04\x04", b"\x01\x00\x04\x04\x00\x01",       # empty, CFF2, cut Name INDEX
    b"\x01\x00\x04\x04\x00\x01\x05\x01\x02",                       # offSize 5
    b"\x01\x00\x04\x04\x00\x01\x01\x02\x01",                       # offsets not starting at 1
    b"\x01\x00\x04\x04\x00\x00\x00\x00\x00\x00",                   # no Top DICT
    b"\x01\x00\x04\x04\x00\x00\x00\x01\x01\x01\x03\xff\xff\x00\x00",  # Top DICT: reserved byte 255
    b"\x01\x00\x04\x04\x00\x00\x00\x01\x01\x01\x03\x8b\x11\x00\x00",  # CharStrings at 0: garbage
])
def test_bad_cff_headers(data):
    with pytest.raises(ValueError):
        _read_everything(data)


def test_dict_operands():
    # 28 int16, 29 int32, 30 real, 32-246, 247-250, 251-254; operator 12 x keyed 0x0C00 + x
    d = parse_dict(bytes([28, 0x80, 0x00, 29, 0, 1, 0, 0, 30, 0x1A, 0x25, 0xC3, 0xFF, 139, 247, 0, 254, 255, 12, 30]))
    assert d == {0x0C1E: [-32768, 65536, 1.25e-3, 0, 108, -1131]}
    assert parse_dict(bytes([30, 0xE2, 0xA5, 0xB1, 0xFF, 11])) == {11: [-2.5e1]}
    for bad in ([28, 1], [29, 0, 0], [30, 0x1D, 0xFF], [30, 0x12], [247], [12], [22], [31], [30, 0xAF]):
        with pytest.raises(ValueError):
            parse_dict(bytes(bad))


def test_short_head_os2_post():
    for reader in (read_head, read_post):
        with pytest.raises(ValueError):
            reader(b"\x00" * 12)
    assert read_os2(b"") is None
    with pytest.raises(ValueError):
        read_os2(b"\x00\x02" + b"\x00" * 60)  # shorter than the typo metrics
    os2 = read_os2(b"\x00\x02" + b"\x00" * 76)  # version 2 but cut before sCapHeight
    assert os2.cap_height == 0 and os2.version == 2


def test_damaged_cff_in_a_font_is_an_input_error(tmp_path):
    path = name_keyed_font(tmp_path / "Broken.otf", ["A", "B"], 50)
    raw = bytearray(path.read_bytes())
    tt = TTFont(str(path))
    at = tt.reader.tables["CFF "].offset
    tt.close()
    raw[at + 4:at + 12] = b"\x00\x01\x05\x01\x02\x03\x04\x05"  # Name INDEX with offSize 5
    path.write_bytes(bytes(raw))
    with pytest.raises(ValueError):
        read_face_info(path, 0)
    (tmp_path / "fonts.yaml").write_text("faces:\n  x: {file: Broken.otf}\nroles:\n  body: {face: x}\n")
    with pytest.raises(InputError, match="cannot read font"):
        FontBook.load(tmp_path / "fonts.yaml", system_fonts=False, cache=FontCache(None), env={})
