"""FontBook, Face and FontCache against the synthetic PaibanTest fonts (tests/fontutil.py)."""
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from fontutil import ADV, TEST_YAML, make_test_collection, make_test_font, make_test_project  # noqa: E402

from layout.model.findings import InputError  # noqa: E402
from layout.fonts import FontBook, FontCache  # noqa: E402


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return make_test_project(tmp_path_factory.mktemp("proj"))


@pytest.fixture
def book(project):
    return FontBook.load(project, system_fonts=False, cache=FontCache(None), env={})


def test_roles_and_chains(book):
    assert book.roles == ["body", "head", "latin-role"]
    assert [f.key for f in book.chain("head")] == ["PaibanTestCFF-Regular", "PaibanTest-Regular",
                                                   "PaibanRare-Regular"]
    assert book.face("body").key == "PaibanTest-Regular"
    assert book.face("body") is book.chain("latin-role")[0]  # one Face per file+index
    assert book.latin("latin-role").key == "PaibanTestCFF-Regular"
    assert book.latin("body") is book.face("body")


def test_unknown_role(book):
    with pytest.raises(InputError, match="unknown font role 'nope'"):
        book.face("nope")


def test_metrics_in_em(book):
    f = book.face("body")
    for ch, em in ADV.items():
        assert f.advance(f.glyph(ch)) == pytest.approx(em)
    zhong = f.glyph("中")
    assert f.advance(zhong) == 1.0 and f.vadvance(zhong) == 1.0
    assert f.vorigin(zhong) == (0.5, 0.88)
    assert f.glyph("葛") == 0 and not f.has("葛") and f.has("中")
    assert f.units_per_em == 1000 and not f.is_cff and book.face("head").is_cff


def test_em_box_base_typo_and_alignment(book):
    body, head, rare = book.chain("head")[1], book.chain("head")[0], book.chain("head")[2]
    assert body.em_box == (-0.12, 0.88)          # BASE ideo
    assert head.em_box == pytest.approx((-0.10, 0.90))  # OS/2 typo (no BASE)
    assert rare.em_box == pytest.approx((-0.15, 0.85))
    assert rare.em_scale_to(body) == pytest.approx(1.0)
    assert rare.baseline_shift_to(body) == pytest.approx(0.03)


def test_vert_and_halt(book):
    for f in (book.face("body"), book.face("head")):
        for ch in "，。“”":
            g = f.glyph(ch)
            v = f.vert(g)
            assert v != g and v == f.hb_font.get_glyph_from_name(f"uni{ord(ch):04X}.vert")
        zi = f.glyph("字")
        assert f.vert(zi) == zi
        assert f.verts([f.glyph("，"), zi]) == [f.vert(f.glyph("，")), zi]
        assert f.halt(f.glyph("，")).advance == 0.5 and f.halt(f.glyph("，")).dx == 0
        assert f.halt(f.glyph("“")).dx == -0.5
        assert f.halt(zi) is None


def test_resolve_fallback(book):
    runs = book.resolve("body", "中𪚥字A葛")
    assert [(f.key if f else None, t) for f, t in runs] == [
        ("PaibanTest-Regular", "中"), ("PaibanRare-Regular", "𪚥"), ("PaibanTest-Regular", "字A"), (None, "葛")]
    assert book.face_for("body", "𪚥").key == "PaibanRare-Regular"
    assert book.face_for("body", "葛") is None
    # variation selectors stay with their base character
    assert len(book.resolve("body", "中\ufe00")) == 1


def test_resolve_latin_face(book):
    runs = book.resolve("latin-role", "中Ai中", use_latin=True)
    assert [(f.key, t) for f, t in runs] == [("PaibanTest-Regular", "中"), ("PaibanTestCFF-Regular", "Ai"),
                                             ("PaibanTest-Regular", "中")]


def test_cid_is_gid_for_truetype_and_name_keyed_cff(book):
    for f in (book.face("body"), book.face("head")):
        assert f.cid(f.glyph("中")) == f.glyph("中")


def test_face_hash_eq(book, project):
    other = FontBook.load(project, system_fonts=False, cache=FontCache(None), env={})
    assert other.face("body") == book.face("body") and hash(other.face("body")) == hash(book.face("body"))
    assert len({book.face("body"), other.face("body"), book.face("head")}) == 2


def test_lookup_order_project_first_then_font_paths_then_env(tmp_path):
    proj = tmp_path / "p"
    (proj / "fonts").mkdir(parents=True)
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(); b.mkdir()
    make_test_font(a / "X.ttf", family="From A")
    make_test_font(b / "X.ttf", family="From B")
    yaml_path = proj / "fonts" / "fonts.yaml"
    yaml_path.write_text("faces: {x: {file: X.ttf}}\nroles: {r: {face: x}}\n")
    env = {"PAIBAN_FONT_PATH": str(b)}
    book = FontBook.load(yaml_path, font_paths=[a], system_fonts=False, cache=FontCache(None), env=env)
    assert book.face("r").family == "From A"
    book = FontBook.load(yaml_path, system_fonts=False, cache=FontCache(None), env=env)
    assert book.face("r").family == "From B"
    make_test_font(proj / "fonts" / "X.ttf", family="From Project")
    book = FontBook.load(yaml_path, font_paths=[a], system_fonts=False, cache=FontCache(None), env=env)
    assert book.face("r").family == "From Project"
    # files are searched recursively
    (proj / "fonts" / "X.ttf").unlink()
    (a / "deep" / "er").mkdir(parents=True)
    (a / "X.ttf").rename(a / "deep" / "er" / "X.ttf")
    book = FontBook.load(yaml_path, font_paths=[a], system_fonts=False, cache=FontCache(None), env={})
    assert book.face("r").path == a / "deep" / "er" / "X.ttf"


def test_file_alternatives_first_found_wins(tmp_path):
    y = make_test_project(tmp_path, "faces: {x: {file: [Missing.ttf, PaibanTestCFF.otf]}}\nroles: {r: x}\n")
    book = FontBook.load(y, system_fonts=False, cache=FontCache(None), env={})
    assert book.face("r").key == "PaibanTestCFF-Regular"


def test_missing_font_lists_folders_and_hint(tmp_path):
    y = make_test_project(tmp_path, "faces:\n  s:\n    file: NotoSerifCJK-Regular.ttc\nroles: {r: s}\n")
    extra = tmp_path / "extra"
    with pytest.raises(InputError) as e:
        FontBook.load(y, font_paths=[extra], system_fonts=False, cache=FontCache(None), env={})
    msg = str(e.value)
    assert "NotoSerifCJK-Regular.ttc" in msg and str(extra) in msg and str(tmp_path / "fonts") in msg
    assert "apt-get install fonts-noto-cjk" in msg
    assert e.value.where.line == 2  # the face definition in fonts.yaml


@pytest.mark.parametrize("text, match", [
    ("faces: {x: {file: X.ttf}}\nroles: {r: {face: y}}\n", "unknown face 'y'"),
    ("faces: {x: {fil: X.ttf}}\nroles: {}\n", "needs 'file'"),
    ("roles: {}\n", "needs 'faces' and 'roles'"),
    ("faces: [\n", "not valid YAML"),
    ("faces: {x: {file: PaibanTest.ttf}}\nroles: {r: {face: x, fallback: [zz]}}\n", "unknown face 'zz'"),
])
def test_bad_yaml(tmp_path, text, match):
    y = make_test_project(tmp_path, text)
    with pytest.raises(InputError, match=match):
        FontBook.load(y, system_fonts=False, cache=FontCache(None), env={})


def test_collection_face_by_name(tmp_path):
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    make_test_collection(fonts / "T.ttc", tmp_path)
    (fonts / "fonts.yaml").write_text("faces:\n  sc: {file: T.ttc, name: PaibanTest SC}\n"
                                      "  jp: {file: T.ttc, name: paibantest jp}\n"
                                      "  bad: {file: T.ttc, name: PaibanTest KR}\nroles: {a: sc, b: jp}\n")
    with pytest.raises(InputError, match="no face named 'PaibanTest KR'") as e:
        FontBook.load(fonts / "fonts.yaml", system_fonts=False, cache=FontCache(None), env={})
    assert "PaibanTest SC" in e.value.hint
    (fonts / "fonts.yaml").write_text("faces:\n  sc: {file: T.ttc, name: PaibanTest SC}\n"
                                      "  jp: {file: T.ttc, name: paibantest jp}\nroles: {a: sc, b: jp}\n")
    book = FontBook.load(fonts / "fonts.yaml", system_fonts=False, cache=FontCache(None), env={})
    assert (book.face("a").index, book.face("a").family) == (1, "PaibanTest SC")
    assert (book.face("b").index, book.face("b").family) == (0, "PaibanTest JP")


def test_disk_cache_hits_and_invalidates(tmp_path):
    y = make_test_project(tmp_path / "p")
    cache_dir = tmp_path / "cache"
    b1 = FontBook.load(y, system_fonts=False, env={"PAIBAN_CACHE": str(cache_dir)})
    assert b1.cache.directory == cache_dir
    assert (b1.stats.cache.misses, b1.stats.cache.writes) == (3, 3)
    assert len(list(cache_dir.glob("face-*.json"))) == 3
    b2 = FontBook.load(y, system_fonts=False, cache=FontCache(cache_dir), env={})
    assert (b2.stats.cache.hits, b2.stats.cache.misses) == (3, 0)
    assert b2.face("head").info == b1.face("head").info
    # a changed file (new mtime/size) is read again
    f = y.parent / "PaibanRare.ttf"
    st = f.stat()
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    b3 = FontBook.load(y, system_fonts=False, cache=FontCache(cache_dir), env={})
    assert (b3.stats.cache.hits, b3.stats.cache.misses) == (2, 1)
    b3.cache.clear()
    assert not list(cache_dir.glob("face-*.json"))


def test_default_cache_dir_is_project_dot_cache(tmp_path):
    y = make_test_project(tmp_path)
    book = FontBook.load(y, system_fonts=False, env={})
    assert book.cache.directory == tmp_path / ".cache" / "paiban"


def test_unwritable_cache_still_works(tmp_path):
    y = make_test_project(tmp_path / "p")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    book = FontBook.load(y, system_fonts=False, cache=FontCache(blocker / "sub"), env={})
    assert book.face("body").has("中") and book.stats.cache.errors == 3


def test_default_yaml_parses():
    from layout.fonts.spec import load_spec
    spec = load_spec(Path(__file__).parent.parent / "fonts" / "fonts.yaml")
    assert {"shusong", "biaosong", "hei", "hei-bold", "kai", "fangsong"} <= set(spec.roles)
    assert spec.chain_ids("shusong")[-3:] == ["hanamin-a", "hanamin-b", "babelstone"]
