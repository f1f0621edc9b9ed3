"""fonts list / fonts check data, GB 2312 sets, 通用规范汉字表 from Unihan kTGH."""
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from fontutil import make_test_project  # noqa: E402

from layout.fonts import FontBook, FontCache, fonts_check, fonts_list, format_fonts_check, format_fonts_list  # noqa: E402
from layout.fonts.charsets import gb2312_level1, gb2312_level2, tongyong_guifan  # noqa: E402


def test_gb2312_sets():
    l1, l2 = gb2312_level1(), gb2312_level2()
    assert (len(l1), len(l2)) == (3755, 3008) and not l1 & l2
    assert "啊" in l1 and "座" in l1 and "亍" in l2 and "齄" in l2  # first/last of each level


def test_tongyong_from_unihan_zip(tmp_path):
    z = tmp_path / "Unihan.zip"
    with zipfile.ZipFile(z, "w") as f:
        f.writestr("Unihan_OtherMappings.txt", "# x\nU+4E00\tkTGH\t2013:1\nU+4E2D\tkTGH\t2013:3501\n"
                                               "U+2A6A5\tkTGH\t2013:8000\nU+4E01\tkHKSCS\t1\n")
    tg = tongyong_guifan([z])
    assert tg == {1: frozenset("一"), 2: frozenset("中"), 3: frozenset("𪚥")}
    assert tongyong_guifan([tmp_path / "missing.zip"]) is None


def book_(tmp_path):
    return FontBook.load(make_test_project(tmp_path), system_fonts=False, cache=FontCache(None), env={})


def test_fonts_list(tmp_path):
    rows = fonts_list(book_(tmp_path), unihan_paths=[])
    body = rows[0]
    assert body["role"] == "body" and body["postscript_name"] == "PaibanTest-Regular"
    assert body["glyphs"] == 24 and body["format"] == "TrueType" and body["index"] == 0
    assert body["coverage"]["gb2312-1"]["have"] == 5  # 一中国字文
    assert body["coverage"]["gb2312-1"]["total"] == 3755
    assert body["fallback"] == ["PaibanRare-Regular"]
    assert body["tongyong"].startswith("not computed")
    assert "PaibanTest-Regular" in format_fonts_list(rows)


def test_fonts_check(tmp_path):
    rows = fonts_check(book_(tmp_path), [("body", "中𪚥 葛中", "p1.yaml:4"), ("head", "A𪚥", "p1.yaml:9")])
    assert [(r["role"], r["char"], r["fallback"], r["where"]) for r in rows] == [
        ("body", "𪚥", "PaibanRare-Regular", "p1.yaml:4"), ("body", "葛", None, "p1.yaml:4"),
        ("head", "𪚥", "PaibanRare-Regular", "p1.yaml:9")]
    assert rows[0]["codepoint"] == "U+2A6A5"
    assert "MISSING" in format_fonts_check(rows)
