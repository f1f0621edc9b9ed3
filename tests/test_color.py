"""Colour parsing, ink rules and the default press profile."""
from __future__ import annotations

import pytest
import yaml
from PIL import Image, ImageCms

from layout.photo import color as C
from layout.model.findings import InputError, Where
from layout.model.frame import Color

PALETTE = {"报头红": "cmyk(0,100,100,0)", "Brand": "报头红", "rule": "k 30", "sky": {"c": 60, "m": 10}}


@pytest.mark.parametrize("value, expected", [
    ("cmyk(0,100,100,0)", Color(0, 1, 1, 0)),
    ("CMYK( 10 , 20.5 , 30% , 40 )", Color(0.1, 0.205, 0.3, 0.4)),
    ("cmyk(0 50 50 10)", Color(0, 0.5, 0.5, 0.1)),
    ([0, 100, 100, 0], Color(0, 1, 1, 0)),
    ((25, 0, 0, 0), Color(0.25, 0, 0, 0)),
    ({"c": 0, "m": 100, "y": 100, "k": 0}, Color(0, 1, 1, 0)),
    ({"k": 60}, Color(0, 0, 0, 0.6)),                         # missing keys are 0
    (yaml.safe_load("{c:0,m:100,y:100,k:0}"), Color(0, 1, 1, 0)),  # YAML flow form without spaces
    ("{c:10,k:20}", Color(0.1, 0, 0, 0.2)),
    ("k 60", Color(0, 0, 0, 0.6)),
    ("K60", Color(0, 0, 0, 0.6)),
    ("gray(60)", Color(0, 0, 0, 0.6)),
    ("grey(100)", Color(0, 0, 0, 1)),
    ("black", Color(0, 0, 0, 1)),
    ("white", Color(0, 0, 0, 0)),
    ("报头红", Color(0, 1, 1, 0)),
    ("brand", Color(0, 1, 1, 0)),                             # names: case-insensitive, may chain
    ("sky", Color(0.6, 0.1, 0, 0)),
    ("rule", Color(0, 0, 0, 0.3)),
])
def test_parse_table(value, expected):
    findings = []
    assert C.parse_color(value, palette=PALETTE, findings=findings) == expected
    assert findings == []


@pytest.mark.parametrize("value, words", [
    ("cmyk(0,120,0,0)", "outside 0–100"),
    ([0, 0, -5, 0], "outside 0–100"),
    ([255, 0, 0], "3 values"),
    ([1, 2], "4 CMYK"),
    (None, "comment"),                     # unquoted "#c00000" in YAML is a comment → None
    (True, "not a colour"),
    (60, "k 60"),
    ({"c": 1, "r": 2}, "unknown key"),
    ("cmyk(a,b,c,d)", "unknown colour"),
    ("magenta-ish", "unknown colour"),
    ("rgb(300,0,0)", "0–255"),
])
def test_parse_errors(value, words):
    with pytest.raises(InputError) as e:
        C.parse_color(value, palette=PALETTE, where=Where("issue.yaml", 12))
    assert words in str(e.value)
    assert "issue.yaml:12" in str(e.value)


def test_palette_cycle_is_an_error():
    with pytest.raises(InputError, match="refers to itself"):
        C.parse_color("a", palette={"a": "b", "b": "a"})


def test_rgb_is_converted_with_a_warning():
    findings = []
    red = C.parse_color("#c00000", findings=findings, where=Where("p.yaml", 3))
    # hand check: a dark red on newsprint is mostly M+Y with some K and no cyan
    assert red.c <= 0.02 and red.m >= 0.85 and red.y >= 0.7 and 0.05 <= red.k <= 0.4
    assert [f.code for f in findings] == ["rgb-colour"]
    assert findings[0].severity == "warning" and findings[0].where.line == 3
    assert C.parse_color("rgb(192,0,0)") == red


def test_short_hex_equals_long_hex():
    assert C.parse_color("#c00") == C.parse_color("#cc0000")


def test_rgb_refused_under_strict_with_the_cmyk_to_write():
    with pytest.raises(InputError) as e:
        C.parse_color("rgb(200,0,0)", strict=True)
    assert "cmyk(" in str(e.value)


def test_rgb_black_stays_inside_the_ink_limit():
    black = C.rgb_to_cmyk((0, 0, 0))
    assert 220 <= C.total_ink(black) <= 240
    assert black.k >= 0.9


def test_total_ink():
    assert C.total_ink(Color(0, 1, 1, 0)) == 200
    assert C.total_ink(Color(0.7, 0.6, 0.14, 0.95)) == pytest.approx(239)
    assert C.total_ink(C.parse_color("k 60")) == 60


def test_check_ink():
    assert C.check_ink(Color(1, 1, 1, 0), 240)[0].code == "ink-limit"
    assert C.check_ink(Color(0.7, 0.6, 0.1, 0.95), 240) == []


def codes(findings):
    return [f.code for f in findings]


@pytest.mark.parametrize("color, size, kw, expected", [
    (Color(0, 0, 0, 1), 9, {}, []),                                   # 100 K: always fine
    (Color(0, 0, 0, 0.95), 9, {}, ["black-text-not-100k"]),
    (Color(0.6, 0.4, 0.4, 1), 9, {}, ["rich-black-text"]),
    (Color(0.6, 0.4, 0.4, 1), 14, {}, []),                            # rich black headline: fine
    (Color(0, 1, 1, 0), 10, {}, ["multi-plate-text"]),                # 4-colour red body text
    (Color(0, 1, 1, 0), 12, {}, []),
    (Color(0, 1, 0, 0), 7, {}, []),                                   # one plate: registers
    (Color(0, 1, 1, 0), 10, {"min_multiplate_size": 9}, []),
    (Color(0, 0, 0, 0), 6, {"bold": True}, ["small-reversed-text"]),
    (Color(0, 0, 0, 0), 10, {"bold": True, "background": Color(0, 0, 0, 1)}, []),
    (Color(0, 0, 0, 0), 10, {"bold": False}, ["reversed-text-not-bold"]),
    (Color(0, 0, 0, 0), 10, {"bold": True, "background": Color(0, 1, 1, 0)}, ["reversed-text-background"]),
])
def test_text_rules(color, size, kw, expected):
    assert codes(C.check_text_color(color, size, **kw)) == expected


def test_thin_rules_on_several_plates():
    assert codes(C.check_rule_color(Color(0.5, 0.5, 0.5, 1), 0.5)) == ["multi-plate-rule"]
    assert C.check_rule_color(Color(0, 0, 0, 1), 0.25) == []
    assert C.check_rule_color(Color(0.5, 0.5, 0.5, 1), 2) == []


def test_k_only_conversion():
    assert C.to_k_only(Color(0, 0, 0, 0.42)) == Color(0, 0, 0, 0.42)   # K-only untouched
    red = C.to_k_only(Color(0, 1, 1, 0))
    assert red.c == red.m == red.y == 0
    # TR 002: solid red prints at L* 50.9 on paper of L* 80.1, i.e. ~64 relative; K 50 % gives ~67
    # and K 62 % ~61 on this press, so red becomes roughly 55 % K.
    assert 0.48 <= red.k <= 0.62
    assert C.to_k_only(Color(1, 1, 1, 1)) == Color(0, 0, 0, 1)      # darker than solid K: clipped
    light, dark = C.to_k_only(Color(0.2, 0, 0, 0)), C.to_k_only(Color(1, 0, 0, 0))
    assert 0 < light.k < dark.k < 1


def test_k_ramp_is_monotone_from_paper_to_solid_black():
    ramp = C.k_ramp()
    assert ramp[0] == pytest.approx(100, abs=0.5)
    assert all(a >= b for a, b in zip(ramp, ramp[1:]))
    assert 40 < ramp[-1] < 55   # 100 % K on newsprint: L* 36.7 absolute on paper 80.1


# ---------------------------------------------------------------- the profile itself

def test_default_profile_is_a_cmyk_output_profile():
    data = C.DEFAULT_PROFILE.read_bytes()
    assert len(data) < 300_000
    assert data[12:16] == b"prtr" and data[16:20] == b"CMYK" and data[20:24] == b"Lab "
    prof = ImageCms.getOpenProfile(str(C.DEFAULT_PROFILE))
    assert "TR 002" in ImageCms.getProfileDescription(prof)
    assert "TR 002" in ImageCms.getProfileCopyright(prof)


def test_profile_black_is_about_238_percent():
    lab_black = Image.new("LAB", (1, 1), (0, 128, 128))
    t = ImageCms.buildTransform(ImageCms.createProfile("LAB"), ImageCms.getOpenProfile(str(C.DEFAULT_PROFILE)),
                                "LAB", "CMYK", renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)
    cmyk = ImageCms.applyTransform(lab_black, t).getpixel((0, 0))
    assert sum(cmyk) * 100 / 255 == pytest.approx(238, abs=2.5)
    assert cmyk[3] * 100 / 255 == pytest.approx(95, abs=1.5)


def test_press_condition_names_tr002():
    assert C.DEFAULT_PRESS.identifier == "CGATS TR 002"
    assert C.DEFAULT_PRESS.registry == "http://www.color.org"
    assert C.DEFAULT_PRESS.profile.is_file()
