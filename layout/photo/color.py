"""Process colours: parsing what layout staff write in YAML, ink checks, press-profile conversions.

Everything ends up as frame.Color (CMYK fractions). RGB is accepted only as a convenience: it is
converted through the press profile (relative colorimetric + black point compensation, the same
route photos take) and reported, because an RGB swatch rarely means what it looks like on newsprint.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageCms

from layout.model.findings import Finding, InputError, Where
from layout.model.frame import BLACK, WHITE, Color
from layout.model.i18n import N_, _

DATA_DIR = Path(__file__).parent.parent / "data"
DEFAULT_PROFILE = DATA_DIR / "newsprint-tr002.icc"


@dataclass(frozen=True)
class PressCondition:
    """What the PDF/X OutputIntent says about the press (see docs/print-colour.md)."""
    profile: Path = DEFAULT_PROFILE
    identifier: str = "CGATS TR 002"           # OutputConditionIdentifier
    registry: str = "http://www.color.org"     # RegistryName
    info: str = "Coldset offset on newsprint (ANSI CGATS/SNAP TR 002-2007), TAC 240%"
    ink_limit: float = 240.0                   # percent


DEFAULT_PRESS = PressCondition()

# Built-in names every palette has; a publication palette may not redefine them.
BUILTIN_NAMES = {"black": BLACK, "white": WHITE, "paper": WHITE}

_NUM = r"\s*([-+]?\d+(?:\.\d+)?)\s*%?\s*"
_CMYK_RE = re.compile(rf"^cmyk\s*\({_NUM},{_NUM},{_NUM},{_NUM}\)$", re.I)
_CMYK_SPACED_RE = re.compile(rf"^cmyk\s*\({_NUM}\s{_NUM}\s{_NUM}\s{_NUM}\)$", re.I)
_GRAY_RE = re.compile(rf"^(?:gr[ae]y\s*\({_NUM}\)|k\s*\(?{_NUM}\)?)$", re.I)
_RGB_RE = re.compile(rf"^rgb\s*\({_NUM},{_NUM},{_NUM}\)$", re.I)
_HEX_RE = re.compile(r"^#([0-9a-f]{3}|[0-9a-f]{6})$", re.I)
_KEYVAL_RE = re.compile(r"^\s*([cmyk])\s*:\s*([-+]?\d+(?:\.\d+)?)\s*%?\s*$", re.I)

FORMS_HINT = N_("write cmyk(0,100,100,0), [0,100,100,0], {c: 0, m: 100, y: 100, k: 0}, "
                 "k 60 / gray(60), a palette name, or (converted, with a warning) \"#c00000\" / rgb(200,0,0)")


def _percentages(values, where: Where, original) -> Color:
    vals = []
    for v in values:
        try:
            f = float(v)
        except (TypeError, ValueError):
            raise InputError(_('colour {original!r}: {v!r} is not a number', original=original, v=v), where, _(FORMS_HINT)) from None
        if not 0.0 <= f <= 100.0:
            raise InputError(_('colour {original!r}: {f:g} is outside 0–100 %', original=original, f=f), where,
                             _('CMYK values are ink percentages'))
        vals.append(f / 100.0)
    return Color(*vals)


def parse_color(value, *, palette: dict | None = None, strict: bool = False,
                where: Where | None = None, findings: list | None = None,
                profile=None) -> Color:
    """Turn a YAML colour value into a Color.

    palette maps publication colour names to colour values (themselves in any of these forms).
    Non-fatal remarks (RGB converted) are appended to `findings` when given; under strict they
    are refused with InputError instead.
    """
    return _parse(value, palette or {}, strict, where or Where(), findings, profile, ())


def _parse(value, palette, strict, where, findings, profile, seen) -> Color:
    if isinstance(value, Color):
        return value
    if value is None:
        raise InputError(_('empty colour'), where,
                         _('a bare # starts a YAML comment: quote hex colours, "#c00000"'))
    if isinstance(value, bool):
        raise InputError(_('colour {value!r} is not a colour', value=value), where, _(FORMS_HINT))
    if isinstance(value, (list, tuple)):
        if len(value) == 4:
            return _percentages(value, where, value)
        if len(value) == 3:
            raise InputError(_('colour {value!r} has 3 values', value=list(value)), where,
                             _('a list means CMYK percentages (4 values); write rgb(r,g,b) for RGB'))
        raise InputError(_('colour {value!r} needs 4 CMYK percentages', value=list(value)), where, _(FORMS_HINT))
    if isinstance(value, dict):
        return _percentages(_dict_cmyk(value, where), where, value)
    if isinstance(value, (int, float)):
        raise InputError(_('colour {value!r} is a bare number', value=value), where,
                         _('for a gray write k {value:g} (percent black)', value=value))
    if not isinstance(value, str):
        raise InputError(_('colour {value!r} is not a colour', value=value), where, _(FORMS_HINT))

    text = value.strip()
    if m := (_CMYK_RE.match(text) or _CMYK_SPACED_RE.match(text)):
        return _percentages(m.groups(), where, value)
    if m := _GRAY_RE.match(text):
        k = next(g for g in m.groups() if g is not None)
        return _percentages((0, 0, 0, k), where, value)
    if text.startswith("{") and text.endswith("}"):
        return _percentages(_dict_cmyk({p: None for p in text[1:-1].split(",")}, where), where, value)
    rgb = _parse_rgb(text, where)
    if rgb is not None:
        return _from_rgb(rgb, value, strict, where, findings, profile)

    key = text.lower()
    if key in BUILTIN_NAMES:
        return BUILTIN_NAMES[key]
    for name, spec in palette.items():
        if str(name).lower() == key:
            if key in seen:
                raise InputError(_('palette colour {name!r} refers to itself', name=name), where,
                                 " → ".join((*seen, key)))
            return _parse(spec, palette, strict, where, findings, profile, (*seen, key))
    raise InputError(_('unknown colour {value!r}', value=value), where,
                     (_("palette names: {names}; ", names=', '.join(sorted(map(str, palette)))) if palette else "")
                     + _(FORMS_HINT))


def _dict_cmyk(value: dict, where: Where) -> tuple:
    """{c: 0, m: 100, ...}; also the YAML flow form {c:0,m:100} which arrives as {'c:0': None, ...}."""
    got = {}
    for key, v in value.items():
        if v is None and isinstance(key, str) and (m := _KEYVAL_RE.match(key)):
            key, v = m.group(1), m.group(2)
        name = str(key).strip().lower()
        if name not in ("c", "m", "y", "k"):
            raise InputError(_('colour {value!r}: unknown key {key!r}', value=value, key=key), where,
                             _('keys are c, m, y, k (percent); missing ones count as 0'))
        if name in got:
            raise InputError(_('colour {value!r}: {name} given twice', value=value, name=name), where)
        got[name] = v
    return tuple(got.get(n, 0) for n in "cmyk")


def _parse_rgb(text: str, where: Where) -> tuple[int, int, int] | None:
    if m := _HEX_RE.match(text):
        h = m.group(1)
        if len(h) == 3:
            h = "".join(c * 2 for c in h)
        return tuple(int(h[i:i + 2], 16) for i in (0, 2, 4))
    if m := _RGB_RE.match(text):
        vals = [float(g) for g in m.groups()]
        if not all(0 <= v <= 255 for v in vals):
            raise InputError(_('colour {text!r}: RGB values run 0–255', text=text), where)
        return tuple(round(v) for v in vals)
    return None


def _from_rgb(rgb, original, strict, where, findings, profile) -> Color:
    color = rgb_to_cmyk(rgb, profile)
    percents = [round(v * 100) for v in (color.c, color.m, color.y, color.k)]
    pct = ",".join(map(str, percents))
    if strict:
        raise InputError(_('RGB colour {original!r} in a print definition', original=original), where,
                         _('write it as CMYK; through the press profile it is cmyk({pct})', pct=pct))
    if findings is not None:
        findings.append(Finding("warning", "rgb-colour",
                                _('RGB colour {original!r} converted to cmyk({pct}) through the press profile; write CMYK to be sure of the result', original=original, pct=pct),
                                where=where, data={"rgb": list(rgb), "cmyk": percents}))
    return color


# ---------------------------------------------------------------- profile transforms

# Profiles are given as a path, or as the profile's bytes; None means the default press profile.


def _key(profile) -> str | bytes:
    if profile is None:
        return str(DEFAULT_PROFILE)
    return profile if isinstance(profile, bytes) else str(profile)


@lru_cache(maxsize=8)
def _open_profile(key: str | bytes):
    if isinstance(key, bytes):
        return ImageCms.ImageCmsProfile(io.BytesIO(key))
    return ImageCms.getOpenProfile(key)


@lru_cache(maxsize=8)
def _rgb_to_press(key: str | bytes):
    return ImageCms.buildTransform(ImageCms.createProfile("sRGB"), _open_profile(key),
                                   "RGB", "CMYK", renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
                                   flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)


@lru_cache(maxsize=8)
def _press_to_lab(key: str | bytes):
    return ImageCms.buildTransform(_open_profile(key), ImageCms.createProfile("LAB"),
                                   "CMYK", "LAB", renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)


def rgb_to_cmyk(rgb: tuple[int, int, int], profile=None) -> Color:
    """sRGB 0..255 → press CMYK (relative colorimetric + BPC), rounded to whole percent."""
    px = ImageCms.applyTransform(Image.new("RGB", (1, 1), tuple(rgb)), _rgb_to_press(_key(profile))).getpixel((0, 0))
    return Color(*(round(v / 2.55) / 100.0 for v in px))


def k_ramp(profile=None) -> tuple[float, ...]:
    """L* (relative to paper) of K-only tints 0..255 on the press: the press's own gray scale."""
    return _k_ramp(_key(profile))


@lru_cache(maxsize=8)
def _k_ramp(key: str | bytes) -> tuple[float, ...]:
    im = Image.new("CMYK", (256, 1))
    im.putdata([(0, 0, 0, k) for k in range(256)])
    lab = ImageCms.applyTransform(im, _press_to_lab(key))
    ls = [lab.getpixel((k, 0))[0] * 100.0 / 255.0 for k in range(256)]
    # LUT output is 8-bit and may wobble by one step; force monotone so inversion is well defined.
    for i in range(1, 256):
        ls[i] = min(ls[i], ls[i - 1])
    return tuple(ls)


def k_for_lightness(lstar: float, profile=None) -> float:
    """K fraction (0..1) whose printed lightness on the press matches L* (relative)."""
    ramp = k_ramp(profile)
    if lstar >= ramp[0]:
        return 0.0
    if lstar <= ramp[-1]:
        return 1.0
    for k in range(1, 256):
        if ramp[k] <= lstar:
            hi, lo = ramp[k - 1], ramp[k]
            t = 0.0 if hi == lo else (hi - lstar) / (hi - lo)
            return (k - 1 + t) / 255.0
    return 1.0


def lightness(color: Color, profile=None) -> float:
    """L* (relative to paper white) the press gives this CMYK colour."""
    px = tuple(round(v * 255) for v in (color.c, color.m, color.y, color.k))
    lab = ImageCms.applyTransform(Image.new("CMYK", (1, 1), px), _press_to_lab(_key(profile))).getpixel((0, 0))
    return lab[0] * 100.0 / 255.0


def to_k_only(color: Color, profile=None) -> Color:
    """For black-and-white pages (黑白版): the K tint that prints as light as the colour would.

    K-only colours pass unchanged (no round trip through 8-bit tables)."""
    if color.c == 0 and color.m == 0 and color.y == 0:
        return color
    k = k_for_lightness(lightness(color, profile), profile)
    return Color(0.0, 0.0, 0.0, round(k * 100) / 100.0)


# ---------------------------------------------------------------- ink and text rules

def total_ink(color: Color) -> float:
    """Total area coverage in percent (0..400)."""
    return round((color.c + color.m + color.y + color.k) * 100.0, 6)


def plates(color: Color) -> int:
    """How many of the four plates carry ink for this colour."""
    return sum(1 for v in (color.c, color.m, color.y, color.k) if v > 0)


def check_text_color(color: Color, size: float, *, bold: bool = False, background: Color | None = None,
                     min_multiplate_size: float = 12.0, min_reversed_size: float = 8.0,
                     page: str = "", story: str = "", where: Where | None = None) -> list[Finding]:
    """Register and legibility rules for type on newsprint (print.md, Newsprint).

    - black text is 100 % K (it overprints; 95 % K screens and rich black misregisters)
    - text on more than one plate (rich black, 4-colour) needs at least min_multiplate_size pt
    - reversed (white) text needs min_reversed_size pt, preferably bold, on a K-dominant ground
    """
    out: list[Finding] = []
    ctx = dict(page=page, story=story, where=where or Where())
    data = {"size": size, "cmyk": [round(v * 100, 1) for v in (color.c, color.m, color.y, color.k)]}
    if color.is_white:
        if size < min_reversed_size:
            out.append(Finding("warning", "small-reversed-text",
                               _('reversed (white) text at {size:g} pt fills in on newsprint; use at least {min_reversed_size:g} pt, bold', size=size, min_reversed_size=min_reversed_size), data=data, **ctx))
        elif not bold:
            out.append(Finding("info", "reversed-text-not-bold",
                               _('reversed text at {size:g} pt: a bold face holds up better on newsprint', size=size),
                               data=data, **ctx))
        if background is not None and background.k < max(background.c, background.m, background.y):
            out.append(Finding("warning", "reversed-text-background",
                               _('reversed text on a background that is not K-dominant: any misregister shows as coloured fringes'), data=data, **ctx))
        return out
    n = plates(color)
    if color.k >= 0.9 and n == 1 and color.k < 1.0:
        out.append(Finding("warning", "black-text-not-100k",
                           _('black text at {k:g} % K is screened; use 100 % K', k=color.k * 100),
                           data=data, **ctx))
    if n > 1 and size < min_multiplate_size:
        kind = "rich-black" if color.k >= 0.9 else "multi-plate"
        out.append(Finding("warning", f"{kind}-text",
                           _('{size:g} pt text printed on {n} plates misregisters on newsprint; use 100 % K or a single ink below {min_multiplate_size:g} pt', size=size, n=n, min_multiplate_size=min_multiplate_size),
                           data=data, **ctx))
    return out


def check_rule_color(color: Color, width: float, *, min_multiplate_width: float = 1.0,
                     page: str = "", story: str = "", where: Where | None = None) -> list[Finding]:
    """Thin rules on more than one plate misregister just like small text."""
    if plates(color) > 1 and width < min_multiplate_width:
        return [Finding("warning", "multi-plate-rule",
                        _('{width:g} pt rule printed on {value} plates misregisters; use 100 % K', width=width, value=plates(color)),
                        page=page, story=story, where=where or Where(),
                        data={"width": width, "total_ink": round(total_ink(color), 1)})]
    return []


def check_ink(color: Color, limit: float = 240.0, *, page: str = "", story: str = "",
              where: Where | None = None) -> list[Finding]:
    """A flat colour above the press's total ink limit smears and sets off."""
    tac = total_ink(color)
    if tac > limit + 1e-9:
        return [Finding("error", "ink-limit",
                        _('colour with {tac:g} % total ink exceeds the press limit of {limit:g} %', tac=tac, limit=limit),
                        page=page, story=story, where=where or Where(),
                        data={"total_ink": tac, "limit": limit})]
    return []
