"""Units parsed once at load: mm, cm, pt, in, 字号 names. Everything after works in points."""
from __future__ import annotations

import re

PT_PER_MM = 72.0 / 25.4

# Chinese type sizes 字号 (typesetting.md §9); 新五号 is the newspaper body size.
ZIHAO = {
    "初号": 42.0, "小初": 36.0, "一号": 26.0, "小一": 24.0, "二号": 22.0, "小二": 18.0,
    "三号": 16.0, "小三": 15.0, "四号": 14.0, "小四": 12.0, "五号": 10.5, "新五号": 9.5,
    "小五": 9.0, "六号": 7.5, "小六": 6.5, "七号": 5.5, "八号": 5.0,
}

_LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(mm|cm|pt|in|px)?\s*$")
_FACTOR = {"mm": PT_PER_MM, "cm": 10 * PT_PER_MM, "pt": 1.0, "in": 72.0, None: 1.0}


class UnitError(ValueError):
    """A value that is not a length; the message says what was expected."""


def length(value, default_unit: str = "pt") -> float:
    """'25mm' → 70.87; 9.5 → 9.5 (default_unit); raises UnitError."""
    if isinstance(value, bool):
        raise UnitError(f"expected a length like 25mm or 9.5pt, got {value!r}")
    if isinstance(value, (int, float)):
        return float(value) * _FACTOR[default_unit]
    if isinstance(value, str):
        m = _LENGTH.match(value)
        if m and m.group(2) != "px":
            unit = m.group(2) or default_unit
            return float(m.group(1)) * _FACTOR[unit]
    raise UnitError(f"expected a length like 25mm or 9.5pt, got {value!r}")


def font_size(value) -> float:
    """A type size in pt: a number, '9.5pt', '3.5mm' or a 字号 name like 小五."""
    if isinstance(value, str) and value.strip() in ZIHAO:
        return ZIHAO[value.strip()]
    try:
        size = length(value)
    except UnitError:
        names = "、".join(ZIHAO)
        raise UnitError(f"expected a type size in pt (9.5, '9.5pt'), mm, or a 字号 name ({names}), got {value!r}")
    if not 2.0 <= size <= 720.0:
        raise UnitError(f"type size {size:g} pt is out of range (2–720 pt)")
    return size


def mm(pt: float) -> float:
    return pt / PT_PER_MM
